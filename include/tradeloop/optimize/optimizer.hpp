// The optimiser core: grid, random, Bayesian (Gaussian process + expected improvement) and
// genetic search over a `ParameterSpace`, for any objective that turns a parameter set into a
// metric set.
//
// The objective is an `Evaluator` (batch) or a plain function (one set). Every method is seeded
// and reproducible: proposals are made on the calling thread from `Rng(seed)` sub-streams, the
// evaluations of one batch run on `n_jobs` threads but each writes only its own slot, so the
// result is byte-identical for any `n_jobs` (the Bayesian batch size is its own option, not
// `n_jobs`). A parameter set already evaluated is never evaluated again.
//
// Objective: any metric name, maximised unless `minimize`; an evaluation is *valid* when it
// succeeded, the metric is present and finite and, if `min_trades` is set, the metric
// `trades_metric` is >= min_trades. Invalid evaluations are kept in the results (with the
// reason) but never chosen as best. Cancellation: the progress callback returning false stops
// the search at the next evaluation; the result then has `cancelled = true` and holds what was
// evaluated so far.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeloop/core/params.hpp"
#include "tradeloop/core/progress.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/optimize/param_space.hpp"

namespace tradeloop {
class ThreadPool;
}

namespace tradeloop::optimize {

// What one objective call returns: the full metric set in a stable order, or an error.
struct Evaluation {
  std::vector<std::pair<std::string, double>> metrics;
  bool ok = true;
  std::string error;

  // nullptr when absent.
  const double* find(std::string_view name) const noexcept;
  // NaN when absent.
  double get(std::string_view name) const noexcept;
  static Evaluation failure(std::string message) { return {{}, false, std::move(message)}; }
};

// A batch objective. Implementations evaluate sets[i] into out[i], may use `pool` for
// parallelism, call `tick(i)` (thread-safe) right after out[i] is written, and stop starting new
// sets once it returned false (cancellation); slots never ticked are treated as not evaluated.
// The same set must always give the same Evaluation, whatever the batch and the pool size.
class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual void evaluate(std::span<const ParamSet> sets, std::span<Evaluation> out, ThreadPool& pool,
                        const std::function<bool(std::size_t)>& tick) = 0;
};

using ObjectiveFn = std::function<Evaluation(const ParamSet&)>;

// Wraps a one-set function; runs the batch on the pool. The function must be thread-safe.
class FunctionEvaluator final : public Evaluator {
 public:
  explicit FunctionEvaluator(ObjectiveFn fn) : fn_(std::move(fn)) {}
  void evaluate(std::span<const ParamSet> sets, std::span<Evaluation> out, ThreadPool& pool,
                const std::function<bool(std::size_t)>& tick) override;

 private:
  ObjectiveFn fn_;
};

struct ObjectiveSpec {
  std::string metric = "sharpe_ratio";
  bool minimize = false;
  std::optional<double> min_trades;  // off by default
  std::string trades_metric = "total_trades";
};

struct OptimizerOptions {
  ObjectiveSpec objective;
  std::size_t n_jobs = 1;  // 0 = all cores
  std::uint64_t seed = 42;
  // Progress: a callback (return false to cancel) or a mode (terminal bar with ETA, log, silent).
  ProgressCallback progress;
  ProgressMode progress_mode = ProgressMode::kSilent;
  std::string progress_label = "optimize";
};

struct BayesOptions {
  std::size_t n_iterations = 50;      // total evaluations, including the initial ones
  std::size_t n_initial_points = 10;  // random points before the GP takes over
  std::size_t batch_size = 4;         // proposals per round (Kriging believer); NOT n_jobs
  std::size_t n_candidates = 500;     // random candidates scored by EI per round (plus 100 local ones)
  double xi = 0.01;  // EI exploration margin, as a fraction of the observed objective range
};

struct GeneticOptions {
  std::size_t population_size = 50;
  std::size_t n_generations = 20;
  double mutation_rate = 0.1;   // per gene
  double crossover_rate = 0.8;  // per pair
  std::size_t tournament_size = 3;
  std::size_t elite = 0;  // individuals copied unchanged; 0 = max(1, population / 10)
};

struct EvaluationRecord {
  ParamSet params;
  Evaluation evaluation;
  double value = std::numeric_limits<double>::quiet_NaN();  // the objective metric, as reported
  bool valid = false;
  std::string rejected;  // why not valid ("error: ...", "metric missing", "total_trades 3 < 10")
};

struct OptimizationResult {
  std::string method;  // "grid", "random", "bayes", "genetic"
  ObjectiveSpec objective;
  std::vector<std::string> parameter_names;
  std::vector<EvaluationRecord> evaluations;  // every evaluation, in proposal order
  std::optional<std::size_t> best_index;      // into evaluations; empty if nothing valid
  ParamSet best_params;
  double best_value = std::numeric_limits<double>::quiet_NaN();
  // Best valid objective value after each evaluation (NaN until the first valid one).
  std::vector<double> convergence;
  bool cancelled = false;
  double elapsed_s = 0;

  bool found() const noexcept { return best_index.has_value(); }
  const EvaluationRecord* best() const noexcept {
    return best_index ? &evaluations[*best_index] : nullptr;
  }
};

class Optimizer {
 public:
  // The evaluator must outlive the optimiser.
  Optimizer(ParameterSpace space, Evaluator& evaluator, OptimizerOptions options = {});
  ~Optimizer();
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  const ParameterSpace& space() const noexcept { return space_; }
  const OptimizerOptions& options() const noexcept { return options_; }

  // Every feasible lattice point (kInvalidArgument for a continuous or too large space).
  Result<OptimizationResult> grid();
  // An explicit list of sets, evaluated in order (used by walk-forward and the CLI).
  Result<OptimizationResult> evaluate_sets(std::vector<ParamSet> sets, std::string method);
  // n distinct feasible points drawn uniformly (fewer if the lattice has fewer).
  Result<OptimizationResult> random(std::size_t n_iterations);
  Result<OptimizationResult> bayesian(const BayesOptions& opts);
  Result<OptimizationResult> genetic(const GeneticOptions& opts);

 private:
  class Run;
  Status check_space() const;

  ParameterSpace space_;
  Evaluator& evaluator_;
  OptimizerOptions options_;
};

// True if `a` is better than `b` under the objective (NaN is never better).
bool better(const ObjectiveSpec& o, double a, double b) noexcept;

}  // namespace tradeloop::optimize
