// StrategyOptimizer: the user guide's optimiser (§7) over real backtests.
//
//   tradeloop::optimize::StrategyOptimizer opt("sma_cross", {series}, config);
//   opt.add_parameter("fast", ParamKind::kInt, 5, 50, 5).check();
//   opt.add_parameter("slow", ParamKind::kInt, 20, 200, 20).check();
//   opt.add_constraint("fast < slow").check();
//   auto r = opt.grid_optimize().value();       // r.best_params, r.best_value, r.convergence
//
// The strategy is a built-in by name (parameters are checked against its schema when added) or
// a user factory `ParamSet -> unique_ptr<RealtimeStrategy>`. Every evaluation is one backtest
// of the whole data with `config.backtest`, scored by analysis::PerformanceAnalyzer: the
// evaluation holds the full metric set (docs/metrics.md names) plus `order_count`.
//
// Fast path: for a built-in the sweep engine supports (backtest/sweep.hpp) and a config it
// supports, batches are run by `ParameterSweep`, which gives the same trades, equity curve and
// order list as the event engine; otherwise every set runs through the event engine. Never a
// different answer: `use_sweep = false` forces the engine, and `sweep_status()` says which path
// is used and why.
//
// Thread-safety: one optimiser per thread; evaluations inside run on `n_jobs` threads.
// The data is copied at construction.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/analysis/performance_analyzer.hpp"
#include "tradeloop/backtest/config.hpp"
#include "tradeloop/backtest/result.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/engine/strategy.hpp"
#include "tradeloop/optimize/optimizer.hpp"
#include "tradeloop/optimize/walk_forward.hpp"

namespace tradeloop::optimize {

using StrategyFactory = std::function<std::unique_ptr<RealtimeStrategy>(const ParamSet&)>;

struct StrategyOptimizerConfig {
  BacktestConfig backtest = default_backtest_config();
  analysis::AnalysisOptions analysis;
  OptimizerOptions optimizer;  // objective, n_jobs, seed, progress
  bool use_sweep = true;       // use the vectorised sweep when it supports the run
  // true: every evaluation holds the analyzer's full metric set. false: with the sweep, sets are
  // scored by the summary metrics computed inside the loop (total_return_pct, final_equity,
  // net_profit, max_drawdown_pct, volatility_pct, sharpe_ratio, total_trades, winning_trades,
  // losing_trades, open_trades, win_rate_pct, profit_factor, gross_profit, gross_loss, bars,
  // order_count), equal to the analyzer's up to summation rounding -- far faster on long data.
  bool full_metrics = true;
};

class StrategyOptimizer {
 public:
  // A built-in strategy by name (kNotFound listing the known names, thrown as Exception).
  StrategyOptimizer(std::string strategy_name, std::vector<BarSeries> data, StrategyOptimizerConfig config = {});
  // A user strategy; `name` is used in messages and reports.
  StrategyOptimizer(StrategyFactory factory, std::string name, std::vector<BarSeries> data,
                    StrategyOptimizerConfig config = {});
  ~StrategyOptimizer();
  StrategyOptimizer(const StrategyOptimizer&) = delete;
  StrategyOptimizer& operator=(const StrategyOptimizer&) = delete;

  // For a built-in, the name must be in its schema and the range inside the schema's range.
  Status add_parameter(std::string name, ParamKind kind, double low, double high, double step = 0);
  Status add_parameter(std::string name, std::vector<std::string> values);
  Status add_constraint(std::string_view text);
  // A strategy parameter held at one value (not searched).
  Status set_fixed(std::string name, ParamValue value);

  const ParameterSpace& space() const noexcept { return space_; }
  StrategyOptimizerConfig& config() noexcept { return config_; }
  const std::string& strategy_name() const noexcept { return name_; }
  const std::vector<BarSeries>& data() const noexcept { return data_; }

  Result<OptimizationResult> grid_optimize();
  Result<OptimizationResult> random_optimize(std::size_t n_iterations);
  Result<OptimizationResult> bayesian_optimize(std::size_t n_iterations, std::size_t n_initial_points = 10,
                                               BayesOptions options = {});
  Result<OptimizationResult> genetic_optimize(std::size_t population_size = 50, std::size_t n_generations = 20,
                                              double mutation_rate = 0.1, double crossover_rate = 0.8,
                                              GeneticOptions options = {});
  Result<WalkForwardResult> walk_forward_optimize(const WalkForwardOptions& options);
  // Runs `method` ("grid", "random", "bayes", "genetic") as the CLI does.
  Result<OptimizationResult> optimize(std::string_view method, std::size_t n_iterations,
                                      const BayesOptions& bayes = {}, const GeneticOptions& genetic = {});

  // One backtest of `params` over bars [begin, end) of the data (all of it by default).
  Result<BacktestResult> backtest(const ParamSet& params, std::size_t begin = 0, std::size_t end = SIZE_MAX) const;
  // Metrics of a backtest result, as the optimiser scores it.
  Evaluation evaluate_result(const BacktestResult& result) const;

  // Ok when the sweep serves the whole-data evaluations; otherwise why the event engine is used.
  Status sweep_status() const;

  // Overfitting analysis of an optimisation run by this optimiser (docs/optimize.md):
  //  * deflated and probabilistic Sharpe ratio of the best set, from its per-bar returns, with
  //    the per-bar Sharpe ratios of every valid set as the trials;
  //  * PBO by CSCV over the per-bar returns of the `pbo_configs` best sets (`pbo_blocks` blocks);
  //  * the neighbourhood ratio of the optimum;
  //  * with a walk-forward result: IS-vs-OOS degradation and parameter stability across splits.
  // kInvalidArgument when the run found no valid set.
  Result<OverfittingReport> analyze_overfitting(const OptimizationResult& r, const WalkForwardResult* wf = nullptr,
                                                std::size_t pbo_configs = 32, std::size_t pbo_blocks = 16) const;
  // Periods per year used to annualise (analysis options, else inferred from the first series).
  double periods_per_year() const;

 private:
  class EngineEvaluator;
  class Segments;
  Result<OptimizationResult> with_optimizer(const std::function<Result<OptimizationResult>(Optimizer&)>& fn);
  std::unique_ptr<Evaluator> make_evaluator(std::size_t begin, std::size_t end) const;

  std::string name_;
  StrategyFactory factory_;  // empty for a built-in
  std::vector<BarSeries> data_;
  StrategyOptimizerConfig config_;
  ParameterSpace space_;
};

// Slices every series of `data` to the time range of bars [begin, end) of the first series.
std::vector<BarSeries> slice_data(const std::vector<BarSeries>& data, std::size_t begin, std::size_t end);

}  // namespace tradeloop::optimize
