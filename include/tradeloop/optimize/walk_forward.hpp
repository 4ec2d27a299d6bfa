// Walk-forward optimisation: optimise on a training window, test the chosen parameters on the
// following unseen window, move on, and stitch the test windows into one out-of-sample curve.
//
// Split layout (bars are indices into the data): every split has a training window of `train`
// bars, then `gap` bars skipped (an embargo against leakage of overlapping information), then a
// test window of `test` bars. Test windows are contiguous, do not overlap and end at the last bar;
// train / (train + test) = train_ratio, so with n bars and k splits
//     test = floor((n - gap) / (k + train_ratio / (1 - train_ratio))),  train = n - gap - k * test.
// Rolling: the training window slides (same length each split). Anchored: it always starts at
// bar 0 and grows. Both modes test on the same windows. Each window is simulated on its own
// (indicators warm up inside the window, positions do not carry over between windows).
//
// The stitched curve compounds the test windows: window j's equity is scaled by the final
// equity of the stitched curve so far over window j's initial capital, and drawdown is
// recomputed over the whole stitched curve.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/engine/types.hpp"
#include "tradeloop/optimize/optimizer.hpp"
#include "tradeloop/optimize/overfitting.hpp"

namespace tradeloop::optimize {

struct WalkForwardOptions {
  std::size_t n_splits = 5;
  double train_ratio = 0.8;  // fraction, in (0, 1)
  bool anchored = false;     // false = rolling
  std::size_t gap = 0;       // bars between each training and test window
  std::string method = "grid";  // grid | random | bayes | genetic
  std::size_t n_iterations = 50;  // random / bayes
  BayesOptions bayes;
  GeneticOptions genetic;
};

struct WalkForwardSplit {
  std::size_t index = 0;
  std::size_t train_begin = 0, train_end = 0;  // [begin, end)
  std::size_t test_begin = 0, test_end = 0;
  bool operator==(const WalkForwardSplit&) const = default;
};

// kInvalidArgument when a window would be empty or too short (< 2 bars), or options are out of range.
Result<std::vector<WalkForwardSplit>> make_walk_forward_splits(std::size_t n_bars, const WalkForwardOptions& o);

// One simulated window.
struct SegmentRun {
  Evaluation evaluation;
  std::vector<EquityPoint> equity;
  std::vector<Trade> trades;  // closed trades of the window
  double initial_capital = 0;
};

// What walk-forward needs from a backtester. Implementations must be deterministic.
class SegmentBacktester {
 public:
  virtual ~SegmentBacktester() = default;
  virtual std::size_t bar_count() const = 0;
  // An evaluator over bars [begin, end), for the in-sample optimisation.
  virtual std::unique_ptr<Evaluator> evaluator(std::size_t begin, std::size_t end) = 0;
  // One run over bars [begin, end) with its equity curve.
  virtual SegmentRun run(const ParamSet& params, std::size_t begin, std::size_t end) = 0;
};

struct WalkForwardSplitResult {
  WalkForwardSplit split;
  ParamSet params;            // chosen in-sample (empty if nothing valid was found)
  bool found = false;
  Evaluation in_sample;       // metrics of `params` on the training window
  Evaluation out_of_sample;   // metrics of `params` on the test window
  std::size_t n_evaluations = 0;
  std::vector<EquityPoint> oos_equity;
  std::vector<Trade> oos_trades;  // closed trades of the test window, in the window's own account
  double oos_initial_capital = 0;
};

struct WalkForwardResult {
  ObjectiveSpec objective;
  WalkForwardOptions options;
  std::vector<WalkForwardSplitResult> splits;
  // Each test window's equity chained onto the previous window's end: a window run with capital C
  // and starting where the stitched account stands at E is scaled by E / C, money fields of its
  // trades (pnl, fees) and their quantities by the same factor (prices and return_pct unchanged).
  std::vector<EquityPoint> stitched_oos_equity;
  std::vector<Trade> stitched_oos_trades;
  double parameter_stability = -1;  // see numeric_stability / categorical_stability, mean over parameters
  OverfittingReport overfitting;
  bool cancelled = false;

  // One value per split with a found optimum (NaN where the metric is absent).
  std::vector<double> is_metric(std::string_view name) const;
  std::vector<double> oos_metric(std::string_view name) const;
};

// The detector's inputs from a walk-forward: the objective per split in and out of sample
// (negated when minimising, so that higher is better) and the parameter stability.
OverfittingInputs walk_forward_inputs(const WalkForwardResult& r);

// Mean stability of the chosen parameters across splits, in [0, 1] (-1 with fewer than 2 splits).
double parameter_stability(const ParameterSpace& space, const std::vector<ParamSet>& chosen);

// Neighbourhood of the optimum: mean objective of the evaluated lattice neighbours of the best
// set (every numeric parameter within one level, categoricals equal) divided by the best value
// (inverted when minimising). -1 when not meaningful (no neighbours, best <= 0).
double neighbourhood_ratio(const ParameterSpace& space, const OptimizationResult& r);

// Runs the walk-forward. `options.n_jobs` parallelises the in-sample optimisations; results do
// not depend on it. Progress covers the whole run; cancelling stops after the current window.
Result<WalkForwardResult> walk_forward_optimize(const ParameterSpace& space, SegmentBacktester& backtester,
                                                const OptimizerOptions& options, const WalkForwardOptions& wf);

// Runs one optimisation method by name ("grid", "random", "bayes", "genetic").
Result<OptimizationResult> run_method(Optimizer& opt, std::string_view method, std::size_t n_iterations,
                                      const BayesOptions& bayes, const GeneticOptions& genetic);

}  // namespace tradeloop::optimize
