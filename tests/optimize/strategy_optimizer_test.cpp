// StrategyOptimizer over real backtests: the sweep and the engine give the same evaluations,
// the summary metrics agree with the analyzer, user strategies, fallback and walk-forward.
#include "tradeloop/optimize/strategy_optimizer.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop::optimize {
namespace {

std::vector<BarSeries> goog() {
  auto s = read_csv(testing::source_path("examples/data/backtestingpy_GOOG-1d.csv"));
  EXPECT_TRUE(s.ok());
  return {std::move(s).value()};
}

void add_sma_grid(StrategyOptimizer& o) {
  ASSERT_TRUE(o.add_parameter("fast", ParamKind::kInt, 5, 30, 5).ok());
  ASSERT_TRUE(o.add_parameter("slow", ParamKind::kInt, 20, 100, 20).ok());
  ASSERT_TRUE(o.add_constraint("fast < slow").ok());
}

TEST(StrategyOptimizer, SweepAndEngineGiveIdenticalEvaluations) {
  StrategyOptimizerConfig cfg;
  cfg.optimizer.n_jobs = 2;
  StrategyOptimizer fast("sma_cross", goog(), cfg);
  cfg.use_sweep = false;
  StrategyOptimizer slow("sma_cross", goog(), cfg);
  add_sma_grid(fast);
  add_sma_grid(slow);
  EXPECT_TRUE(fast.sweep_status().ok());
  EXPECT_FALSE(slow.sweep_status().ok());
  auto a = fast.grid_optimize();
  auto b = slow.grid_optimize();
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->evaluations.size(), b->evaluations.size());
  ASSERT_GT(a->evaluations.size(), 20u);
  for (std::size_t i = 0; i < a->evaluations.size(); ++i) {
    const auto &x = a->evaluations[i], &y = b->evaluations[i];
    EXPECT_EQ(x.params, y.params);
    ASSERT_EQ(x.evaluation.metrics.size(), y.evaluation.metrics.size());
    for (std::size_t k = 0; k < x.evaluation.metrics.size(); ++k) {
      const auto& [name, v] = x.evaluation.metrics[k];
      EXPECT_EQ(name, y.evaluation.metrics[k].first);
      EXPECT_TRUE(v == y.evaluation.metrics[k].second || (std::isnan(v) && std::isnan(y.evaluation.metrics[k].second)))
          << name << " " << x.params.to_string();
    }
  }
  EXPECT_EQ(a->best_params, b->best_params);
  EXPECT_EQ(a->best_value, b->best_value);
  EXPECT_NE(a->evaluations[0].evaluation.find("total_return_pct"), nullptr);
  EXPECT_NE(a->evaluations[0].evaluation.find("order_count"), nullptr);
}

TEST(StrategyOptimizer, SummaryMetricsMatchTheAnalyzer) {
  StrategyOptimizerConfig cfg;
  StrategyOptimizer full("sma_cross", goog(), cfg);
  cfg.full_metrics = false;
  StrategyOptimizer quick("sma_cross", goog(), cfg);
  add_sma_grid(full);
  add_sma_grid(quick);
  auto a = full.grid_optimize();
  auto b = quick.grid_optimize();
  ASSERT_TRUE(a.ok() && b.ok());
  for (std::size_t i = 0; i < a->evaluations.size(); ++i) {
    const Evaluation& q = b->evaluations[i].evaluation;
    ASSERT_GE(q.metrics.size(), 15u);
    for (const auto& [name, v] : q.metrics) {
      const double ref = a->evaluations[i].evaluation.get(name);
      EXPECT_NEAR(v, ref, 1e-9 * std::max(1.0, std::abs(ref))) << name << " " << b->evaluations[i].params.to_string();
    }
  }
  EXPECT_EQ(a->best_params, b->best_params);
}

TEST(StrategyOptimizer, FallsBackToTheEngineForUnsupportedConfigs) {
  StrategyOptimizerConfig cfg;
  cfg.backtest.strategy.stop_loss_pct = 0.05;
  StrategyOptimizer o("sma_cross", goog(), cfg);
  add_sma_grid(o);
  const Status s = o.sweep_status();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("stop_loss_pct"), std::string::npos);
  auto r = o.grid_optimize();
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->found());
  // The best set re-run through the engine gives the recorded metrics.
  auto bt = o.backtest(r->best_params);
  ASSERT_TRUE(bt.ok());
  EXPECT_EQ(o.evaluate_result(*bt).get("sharpe_ratio"), r->best()->evaluation.get("sharpe_ratio"));
}

TEST(StrategyOptimizer, RejectsParametersOutsideTheSchema) {
  StrategyOptimizer o("sma_cross", goog());
  EXPECT_FALSE(o.add_parameter("fsat", ParamKind::kInt, 5, 10).ok());
  EXPECT_FALSE(o.add_parameter("fast", ParamKind::kInt, 0, 10).ok());  // min is 1
  EXPECT_FALSE(o.add_parameter("fast", ParamKind::kFloat, 1, 10, 0.5).ok());
  EXPECT_THROW(StrategyOptimizer("no_such_strategy", goog()), Exception);
}

// A user strategy: buys when the close rises `up` bars in a row, sells after `hold` bars.
class Streak final : public RealtimeStrategy {
 public:
  Streak(int up, int hold) : up_(up), hold_(hold) {}
  void on_candle(const Candle& c) override {
    streak_ = c.close > last_ ? streak_ + 1 : 0;
    last_ = c.close;
    if (position() > 0 && ++held_ >= hold_) {
      apply_signal(Signal::kSell, c);
      held_ = 0;
    } else if (position() == 0 && streak_ >= up_) {
      apply_signal(Signal::kBuy, c);
    }
  }

 private:
  int up_, hold_, streak_ = 0, held_ = 0;
  double last_ = 0;
};

TEST(StrategyOptimizer, UserFactoryIsDeterministicAcrossJobs) {
  auto factory = [](const ParamSet& p) {
    return std::make_unique<Streak>(static_cast<int>(p.get_int("up")), static_cast<int>(p.get_int("hold")));
  };
  std::vector<OptimizationResult> runs;
  for (std::size_t jobs : {1u, 2u}) {
    StrategyOptimizerConfig cfg;
    cfg.optimizer.n_jobs = jobs;
    cfg.optimizer.objective.metric = "total_return_pct";
    StrategyOptimizer o(factory, "streak", goog(), cfg);
    EXPECT_FALSE(o.sweep_status().ok());
    ASSERT_TRUE(o.add_parameter("up", ParamKind::kInt, 1, 5).ok());
    ASSERT_TRUE(o.add_parameter("hold", ParamKind::kInt, 1, 20).ok());
    auto r = o.bayesian_optimize(16, 6);
    ASSERT_TRUE(r.ok());
    runs.push_back(std::move(*r));
  }
  ASSERT_EQ(runs[0].evaluations.size(), 16u);
  for (std::size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(runs[0].evaluations[i].params, runs[1].evaluations[i].params);
    EXPECT_EQ(runs[0].evaluations[i].value, runs[1].evaluations[i].value);
  }
}

TEST(StrategyOptimizer, WalkForwardStitchesOutOfSample) {
  StrategyOptimizerConfig cfg;
  cfg.optimizer.objective.metric = "total_return_pct";
  StrategyOptimizer o("sma_cross", goog(), cfg);
  add_sma_grid(o);
  WalkForwardOptions wf;
  wf.n_splits = 4;
  wf.train_ratio = 0.75;
  auto r = o.walk_forward_optimize(wf);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->splits.size(), 4u);
  std::size_t test_bars = 0;
  for (const auto& s : r->splits) {
    ASSERT_TRUE(s.found);
    test_bars += s.split.test_end - s.split.test_begin;
    // The OOS metrics are those of a plain backtest of the chosen set on the test window.
    auto bt = o.backtest(s.params, s.split.test_begin, s.split.test_end);
    ASSERT_TRUE(bt.ok());
    EXPECT_EQ(o.evaluate_result(*bt).get("total_return_pct"), s.out_of_sample.get("total_return_pct"));
  }
  EXPECT_EQ(r->stitched_oos_equity.size(), test_bars);
  // The stitched trades are the windows' closed trades, scaled like the equity: their net P&L is
  // the stitched account's gain (every window closes its position at its end).
  std::size_t oos_trades = 0;
  for (const auto& s : r->splits) {
    EXPECT_EQ(static_cast<double>(s.oos_trades.size()), s.out_of_sample.get("total_trades"));
    oos_trades += s.oos_trades.size();
  }
  ASSERT_EQ(r->stitched_oos_trades.size(), oos_trades);
  ASSERT_GT(oos_trades, 0u);
  double pnl = 0;
  for (const auto& t : r->stitched_oos_trades) pnl += t.pnl;
  const double capital = r->splits.front().oos_initial_capital;
  EXPECT_NEAR(r->stitched_oos_equity.back().equity - capital, pnl, 1e-6 * capital);
  EXPECT_EQ(r->is_metric("total_return_pct").size(), 4u);
  EXPECT_NE(r->overfitting.overfitting_risk, OverfittingRisk::kUnknown);
  EXPECT_FALSE(r->overfitting.verdict.empty());
}

TEST(StrategyOptimizer, OverfittingAnalysisOfAGrid) {
  StrategyOptimizer o("sma_cross", goog());
  add_sma_grid(o);
  auto r = o.grid_optimize();
  ASSERT_TRUE(r.ok());
  auto rep = o.analyze_overfitting(*r, nullptr, 12, 8);
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_GE(rep->pbo, 0.0);
  EXPECT_LE(rep->pbo, 1.0);
  EXPECT_GT(rep->deflated_sharpe, 0.0);
  EXPECT_LT(rep->deflated_sharpe, rep->probabilistic_sharpe);  // deflating for 20+ trials lowers it
  EXPECT_GE(rep->neighbourhood_ratio, 0.0);
  EXPECT_NE(rep->overfitting_risk, OverfittingRisk::kUnknown);
  EXPECT_FALSE(rep->verdict.empty());
  // The daily data annualise with 252 sessions.
  EXPECT_EQ(o.periods_per_year(), 252.0);
}

}  // namespace
}  // namespace tradeloop::optimize
