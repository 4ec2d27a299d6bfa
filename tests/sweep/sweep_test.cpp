// The sweep must give exactly what the event engine gives for the same parameter set: the same
// orders (and so the same order-list hash), fills, trades, equity curve and final equity. Every
// supported built-in, on real data from examples/data and on random data, under several configs.
#include "tradeloop/backtest/sweep.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/core/rng.hpp"
#include "tradeloop/core/thread_pool.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop {
namespace {

BarSeries load(const char* rel) {
  auto s = read_csv(testing::source_path(rel));
  EXPECT_TRUE(s.ok()) << rel;
  return std::move(s).value();
}

// A random walk with gaps between bars' closes and opens and occasional flat bars.
BarSeries random_series(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  BarSeries s("RND/USD");
  double price = 50;
  const Timestamp t0 = 1700000000LL * kNanosPerSecond;
  for (std::size_t i = 0; i < n; ++i) {
    const double open = price * (1 + 0.002 * rng.normal());
    const double close = rng.uniform() < 0.05 ? open : open * std::exp(0.01 * rng.normal());
    const double high = std::max(open, close) * (1 + 0.004 * rng.uniform());
    const double low = std::min(open, close) * (1 - 0.004 * rng.uniform());
    s.push_back(Bar{t0 + static_cast<Timestamp>(i) * kNanosPerHour, open, high, low, close, 1000 + rng.uniform() * 10});
    price = close;
  }
  return s;
}

struct Case {
  const char* strategy;
  std::vector<ParamSet> sets;
};

std::vector<Case> cases() {
  return {
      {"sma_cross", {{{"fast", 5.0}, {"slow", 20.0}}, {{"fast", 10.0}, {"slow", 30.0}}, {{"fast", 2.0}, {"slow", 3.0}},
                     {{"fast", 20.0}, {"slow", 100.0}}, {}}},
      {"ma_crossover", {{}, {{"fast", 5.0}, {"slow", 15.0}, {"rsi_period", 7.0}, {"overbought", 60.0}}}},
      {"rsi_reversion", {{}, {{"period", 5.0}, {"oversold", 25.0}, {"overbought", 80.0}}}},
      {"bollinger_reversion", {{}, {{"period", 10.0}, {"k", 1.5}}}},
      {"macd_cross", {{}, {{"fast", 5.0}, {"slow", 13.0}, {"signal", 4.0}}}},
      {"donchian_breakout", {{}, {{"period", 5.0}, {"exit_period", 3.0}}, {{"period", 55.0}, {"exit_period", 20.0}}}},
      {"supertrend", {{}, {{"period", 7.0}, {"multiplier", 1.5}}}},
  };
}

std::vector<std::pair<std::string, BacktestConfig>> configs() {
  std::vector<std::pair<std::string, BacktestConfig>> out;
  BacktestConfig base = default_backtest_config();
  out.emplace_back("default", base);
  BacktestConfig c = base;
  c.strategy.allow_short = true;
  out.emplace_back("allow_short", c);
  c = base;
  c.strategy.fill = FillTiming::kClose;
  c.strategy.allow_short = true;
  out.emplace_back("fill_close_short", c);
  c = base;
  c.strategy.sizing = Sizing::kUnits;
  c.strategy.units = 3;
  c.strategy.close_at_end = false;
  c.sim.fees.fixed_per_order = 1.5;
  out.emplace_back("units_fixed_fee_open_end", c);
  c = base;
  c.strategy.sizing = Sizing::kAllIn;
  c.strategy.allow_short = true;
  c.max_leverage = 2;
  c.tick_size = 0.01;
  c.lot_size = 0.001;
  c.sim.slippage.model = SlippageModel::kTicks;
  c.sim.slippage.ticks = 2;
  out.emplace_back("all_in_ticks_lots_leverage", c);
  c = base;
  c.strategy.sizing = Sizing::kNotional;
  c.strategy.notional = 2500;
  c.min_notional = 2400;
  c.sim.slippage.model = SlippageModel::kNone;
  c.sim.fees.taker = 0;
  out.emplace_back("notional_min_notional_free", c);
  return out;
}

void expect_same(const BacktestResult& engine, const SweepRun& sweep, const std::string& what) {
  ASSERT_TRUE(sweep.status.ok()) << what << ": " << sweep.status.error().message;
  const BacktestResult& s = sweep.result;
  EXPECT_EQ(s.order_list_sha256(), engine.order_list_sha256()) << what;
  ASSERT_EQ(s.orders.size(), engine.orders.size()) << what;
  for (std::size_t i = 0; i < s.orders.size(); ++i) {
    ASSERT_EQ(s.orders[i], engine.orders[i]) << what << " order #" << i << "\n"
                                             << orders_csv({s.orders[i]}) << orders_csv({engine.orders[i]});
  }
  ASSERT_EQ(s.fills, engine.fills) << what;
  ASSERT_EQ(s.trades, engine.trades) << what;
  ASSERT_EQ(s.equity_curve.size(), engine.equity_curve.size()) << what;
  for (std::size_t i = 0; i < s.equity_curve.size(); ++i)
    ASSERT_EQ(s.equity_curve[i], engine.equity_curve[i]) << what << " equity point " << i;
  EXPECT_EQ(s.final_equity, engine.final_equity) << what;
  EXPECT_EQ(s.bars_processed, engine.bars_processed) << what;
  EXPECT_EQ(sweep.order_count, engine.orders.size()) << what;
}

void check_dataset(const std::vector<BarSeries>& data, const std::string& label) {
  ThreadPool pool(2);
  std::size_t orders = 0, trades = 0, rejected = 0, cancelled = 0;
  for (const auto& [cname, config] : configs()) {
    for (const Case& c : cases()) {
      ASSERT_TRUE(sweep_supports(c.strategy, config, data).ok()) << c.strategy << " " << cname;
      ParameterSweep sweep(data, c.strategy, config);
      std::vector<SweepRun> full(c.sets.size()), summary(c.sets.size());
      sweep.run(c.sets, full, pool, SweepDetail::kFull);
      sweep.run(c.sets, summary, pool, SweepDetail::kSummary);
      for (std::size_t i = 0; i < c.sets.size(); ++i) {
        const std::string what = label + " " + cname + " " + c.strategy + "(" + c.sets[i].to_string() + ")";
        auto engine = run_backtest(data, c.strategy, c.sets[i], config);
        ASSERT_TRUE(engine.ok()) << what << ": " << engine.error().message;
        expect_same(*engine, full[i], what);
        // The summary keeps the trades and the final equity, and counts the orders.
        EXPECT_EQ(summary[i].result.final_equity, engine->final_equity) << what;
        EXPECT_EQ(summary[i].result.trades, engine->trades) << what;
        EXPECT_EQ(summary[i].order_count, engine->orders.size()) << what;
        EXPECT_EQ(summary[i].returns.n + 1, engine->equity_curve.size()) << what;
        orders += engine->orders.size();
        trades += engine->trades.size();
        for (const Order& o : engine->orders) {
          rejected += o.status == OrderStatus::kRejected;
          cancelled += o.status == OrderStatus::kCancelled;
        }
      }
    }
  }
  // The comparison is not vacuous: many orders and trades, and some rejects and cancels.
  EXPECT_GT(orders, 500u) << label;
  EXPECT_GT(trades, 200u) << label;
  std::printf("%s: compared %zu orders (%zu rejected, %zu cancelled), %zu trades\n", label.c_str(), orders, rejected,
              cancelled, trades);
}

TEST(Sweep, IdenticalToEngineOnGoogDaily) { check_dataset({load("examples/data/backtestingpy_GOOG-1d.csv")}, "GOOG-1d"); }
TEST(Sweep, IdenticalToEngineOnSolHourly) { check_dataset({load("examples/data/backtestingpy_SOLUSDT-1h.csv")}, "SOL-1h"); }
TEST(Sweep, IdenticalToEngineOnEurUsdHourly) {
  check_dataset({load("examples/data/backtestingpy_EURUSD-1h.csv")}, "EURUSD-1h");
}
TEST(Sweep, IdenticalToEngineOnRandomData) {
  for (std::uint64_t seed : {1u, 2u, 3u}) check_dataset({random_series(3000, seed)}, "random" + std::to_string(seed));
}

TEST(Sweep, SummaryStatisticsFollowTheEquityCurve) {
  const std::vector<BarSeries> data = {load("examples/data/backtestingpy_GOOG-1d.csv")};
  ParameterSweep sweep(data, "sma_cross", default_backtest_config());
  const ParamSet p{{"fast", 10.0}, {"slow", 40.0}};
  const SweepRun full = sweep.run_one(p, SweepDetail::kFull);
  const SweepRun sum = sweep.run_one(p, SweepDetail::kSummary);
  const auto& eq = full.result.equity_curve;
  double s = 0, s2 = 0, peak = eq.front().equity, dd = 0;
  for (std::size_t i = 1; i < eq.size(); ++i) {
    const double r = eq[i].equity / eq[i - 1].equity - 1;
    s += r, s2 += r * r;
    peak = std::max(peak, eq[i].equity);
    dd = std::min(dd, eq[i].equity / peak - 1);
  }
  EXPECT_NEAR(sum.returns.sum, s, 1e-12);
  EXPECT_NEAR(sum.returns.sum_sq, s2, 1e-12);
  EXPECT_DOUBLE_EQ(sum.returns.max_drawdown, dd);
  EXPECT_EQ(sum.returns.first_equity, eq.front().equity);
}

TEST(Sweep, BadSetsFailAloneWithTheEngineMessage) {
  const std::vector<BarSeries> data = {random_series(500, 9)};
  ParameterSweep sweep(data, "sma_cross", default_backtest_config());
  ThreadPool pool(1);
  const std::vector<ParamSet> sets = {{{"fast", 30.0}, {"slow", 10.0}}, {{"fast", 3.0}, {"slow", 9.0}}, {{"fsat", 3.0}}};
  std::vector<SweepRun> out(sets.size());
  sweep.run(sets, out, pool, SweepDetail::kSummary);
  for (std::size_t i : {0u, 2u}) {
    ASSERT_FALSE(out[i].status.ok());
    auto engine = run_backtest(data, "sma_cross", sets[i], default_backtest_config());
    ASSERT_FALSE(engine.ok());
    EXPECT_EQ(out[i].status.error().message, engine.error().message);
  }
  EXPECT_TRUE(out[1].status.ok());
}

TEST(Sweep, SupportsSaysWhyNot) {
  const std::vector<BarSeries> data = {random_series(100, 1)};
  BacktestConfig c = default_backtest_config();
  EXPECT_EQ(sweep_supports("trend_following_ema", c, data).error().code, ErrorCode::kUnsupported);
  c.strategy.stop_loss_pct = 0.02;
  const Status s = sweep_supports("sma_cross", c, data);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("stop_loss_pct"), std::string::npos);
  c = default_backtest_config();
  c.sim.participation = 0.1;
  EXPECT_FALSE(sweep_supports("sma_cross", c, data).ok());
  EXPECT_FALSE(sweep_supports("sma_cross", default_backtest_config(), {data[0], data[0]}).ok());
  EXPECT_GE(sweep_strategies().size(), 5u);
}

}  // namespace
}  // namespace tradeloop
