// Walk-forward splits, stitching and the overfitting verdict, on a synthetic backtester whose
// optimum is either fixed (a robust strategy) or moves with time (an overfit one).
#include "tradeloop/optimize/walk_forward.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tradeloop::optimize {
namespace {

TEST(WalkForward, RollingAndAnchoredSplits) {
  WalkForwardOptions o;
  o.n_splits = 5;
  o.train_ratio = 0.8;
  auto s = make_walk_forward_splits(1000, o);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 5u);
  // test = floor(1000 / (5 + 0.8 / 0.2)) = 111, train = 1000 - 5 * 111 = 445
  EXPECT_EQ((*s)[0], (WalkForwardSplit{0, 0, 445, 445, 556}));
  EXPECT_EQ((*s)[4], (WalkForwardSplit{4, 444, 889, 889, 1000}));
  o.anchored = true;
  o.gap = 10;
  s = make_walk_forward_splits(1000, o);
  ASSERT_TRUE(s.ok());
  // test = floor(990 / 9) = 110, train = 1000 - 10 - 550 = 440
  EXPECT_EQ((*s)[0], (WalkForwardSplit{0, 0, 440, 450, 560}));
  EXPECT_EQ((*s)[4], (WalkForwardSplit{4, 0, 880, 890, 1000}));
  for (std::size_t j = 1; j < s->size(); ++j) EXPECT_EQ((*s)[j].test_begin, (*s)[j - 1].test_end);
}

TEST(WalkForward, RejectsBadOptions) {
  WalkForwardOptions o;
  o.train_ratio = 1.0;
  EXPECT_FALSE(make_walk_forward_splits(1000, o).ok());
  o.train_ratio = 0.8;
  o.n_splits = 0;
  EXPECT_FALSE(make_walk_forward_splits(1000, o).ok());
  o.n_splits = 5;
  EXPECT_FALSE(make_walk_forward_splits(10, o).ok());
  o.gap = 2000;
  EXPECT_FALSE(make_walk_forward_splits(1000, o).ok());
}

// Objective "value" = 1 - (a - target)^2 / 100 where target is fixed or follows the window
// start; each run's equity grows by (1 + value / 1000) per bar from 1000.
class SyntheticBacktester final : public SegmentBacktester {
 public:
  explicit SyntheticBacktester(bool drifting) : drifting_(drifting) {}
  std::size_t bar_count() const override { return 1000; }
  std::unique_ptr<Evaluator> evaluator(std::size_t begin, std::size_t end) override {
    return std::make_unique<FunctionEvaluator>([this, begin, end](const ParamSet& p) { return eval(p, begin, end); });
  }
  SegmentRun run(const ParamSet& p, std::size_t begin, std::size_t end) override {
    SegmentRun r;
    r.evaluation = eval(p, begin, end);
    r.initial_capital = 1000;
    double eq = 1000;
    for (std::size_t i = begin; i < end; ++i) {
      eq *= 1 + r.evaluation.get("value") / 1000;
      r.equity.push_back({static_cast<Timestamp>(i), eq, eq, 0, 0});
    }
    return r;
  }

 private:
  double target(std::size_t begin) const { return drifting_ ? 10 + static_cast<double>(begin % 400) / 10 : 20; }
  Evaluation eval(const ParamSet& p, std::size_t begin, std::size_t) const {
    const double a = p.get_double("a");
    // Out of sample the drifting target has moved on by half a window.
    return {{{"value", 1 - (a - target(begin)) * (a - target(begin)) / 100}}, true, {}};
  }
  bool drifting_;
};

ParameterSpace space() {
  ParameterSpace s;
  EXPECT_TRUE(s.add_parameter("a", ParamKind::kInt, 0, 60).ok());
  return s;
}

TEST(WalkForward, RobustStrategyHasLowRisk) {
  SyntheticBacktester bt(false);
  OptimizerOptions o;
  o.objective.metric = "value";
  o.n_jobs = 2;
  auto r = walk_forward_optimize(space(), bt, o, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->splits.size(), 5u);
  for (const auto& s : r->splits) {
    EXPECT_EQ(s.params.get_double("a"), 20);
    EXPECT_EQ(s.n_evaluations, 61u);
    EXPECT_EQ(s.in_sample.get("value"), 1.0);
    EXPECT_EQ(s.out_of_sample.get("value"), 1.0);
  }
  EXPECT_EQ(r->parameter_stability, 1.0);
  EXPECT_EQ(r->overfitting.overfitting_risk, OverfittingRisk::kLow) << r->overfitting.verdict;
  // Stitched: 5 windows of 111 bars compounding at 0.1 % per bar from 1000.
  ASSERT_EQ(r->stitched_oos_equity.size(), 555u);
  EXPECT_NEAR(r->stitched_oos_equity.back().equity, 1000 * std::pow(1.001, 555), 1e-6);
  EXPECT_EQ(r->stitched_oos_equity.back().drawdown_pct, 0.0);
}

TEST(WalkForward, DriftingOptimumIsFlagged) {
  SyntheticBacktester bt(true);
  OptimizerOptions o;
  o.objective.metric = "value";
  WalkForwardOptions wf;
  wf.method = "random";
  wf.n_iterations = 61;  // the whole lattice, in random order
  auto r = walk_forward_optimize(space(), bt, o, wf);
  ASSERT_TRUE(r.ok());
  EXPECT_LT(r->parameter_stability, 0.5);
  EXPECT_EQ(r->overfitting.overfitting_risk, OverfittingRisk::kModerate) << r->overfitting.verdict;
  EXPECT_EQ(r->is_metric("value").size(), 5u);
}

TEST(WalkForward, NeighbourhoodRatio) {
  FunctionEvaluator peak([](const ParamSet& p) {  // isolated spike at a = 30
    return Evaluation{{{"value", p.get_double("a") == 30 ? 10.0 : 1.0}}, true, {}};
  });
  OptimizerOptions o;
  o.objective.metric = "value";
  Optimizer opt(space(), peak, o);
  auto r = opt.grid();
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(neighbourhood_ratio(space(), *r), 0.1, 1e-12);
  FunctionEvaluator flat([](const ParamSet&) { return Evaluation{{{"value", 2.0}}, true, {}}; });
  Optimizer opt2(space(), flat, o);
  EXPECT_NEAR(neighbourhood_ratio(space(), *opt2.grid()), 1.0, 1e-12);
}

}  // namespace
}  // namespace tradeloop::optimize
