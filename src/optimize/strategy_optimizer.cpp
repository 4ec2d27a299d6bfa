#include "tradeloop/optimize/strategy_optimizer.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/backtest/registry.hpp"
#include "tradeloop/backtest/sweep.hpp"
#include "tradeloop/core/thread_pool.hpp"
#include "tradeloop/optimize/overfitting.hpp"

namespace tradeloop::optimize {

std::vector<BarSeries> slice_data(const std::vector<BarSeries>& data, std::size_t begin, std::size_t end) {
  if (data.empty()) return {};
  const BarSeries& first = data.front();
  end = std::min(end, first.size());
  begin = std::min(begin, end);
  if (begin == 0 && end == first.size()) return data;
  std::vector<BarSeries> out;
  out.push_back(first.slice(begin, end));
  if (begin == end) return out;
  const Timestamp t0 = first.timestamps()[begin], t1 = first.timestamps()[end - 1];
  for (std::size_t k = 1; k < data.size(); ++k) {
    const BarSeries& s = data[k];
    out.push_back(s.slice(s.lower_bound(t0), s.lower_bound(t1 + 1)));
  }
  return out;
}

namespace detail_so {

// The metrics the sweep's summary mode gives, with the analyzer's conventions
// (docs/metrics.md): simple per-bar returns, sample sd, ratios x/0 = +-inf or 0.
double safe_ratio(double num, double den) {
  if (den != 0) return num / den;
  if (num > 0) return std::numeric_limits<double>::infinity();
  if (num < 0) return -std::numeric_limits<double>::infinity();
  return 0.0;
}

Evaluation summary_metrics(const SweepRun& run, double periods_per_year) {
  const BacktestResult& r = run.result;
  const SweepReturnStats& s = run.returns;
  Evaluation e;
  const double n = static_cast<double>(s.n);
  const double mean = s.n > 0 ? s.sum / n : 0.0;
  const double ss = std::max(0.0, s.sum_sq - s.sum * mean);  // sum of squared deviations
  const double sd = s.n > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  const double sqrt_p = std::sqrt(periods_per_year);
  const double sharpe_pp = s.n == 0 ? 0.0 : safe_ratio(mean, sd);
  double closed = 0, wins = 0, losses = 0, open = 0, gross_profit = 0, gross_loss = 0;
  for (const Trade& t : r.trades) {
    if (t.is_open) {
      ++open;
      continue;
    }
    ++closed;
    if (t.pnl > 0) ++wins, gross_profit += t.pnl;
    else if (t.pnl < 0) ++losses, gross_loss += t.pnl;
  }
  e.metrics = {
      {"total_return_pct", (r.final_equity / r.initial_capital - 1.0) * 100.0},
      {"final_equity", r.final_equity},
      {"net_profit", r.final_equity - r.initial_capital},
      {"max_drawdown_pct", s.max_drawdown * 100.0},
      {"volatility_pct", sd * sqrt_p * 100.0},
      {"sharpe_ratio", sd > 0 ? sharpe_pp * sqrt_p : sharpe_pp},
      {"total_trades", closed},
      {"winning_trades", wins},
      {"losing_trades", losses},
      {"open_trades", open},
      {"win_rate_pct", closed > 0 ? wins / closed * 100.0 : 0.0},
      {"profit_factor", safe_ratio(gross_profit, -gross_loss)},
      {"gross_profit", gross_profit},
      {"gross_loss", gross_loss},
      {"bars", static_cast<double>(r.bars_processed)},
      {"order_count", static_cast<double>(run.order_count)},
  };
  return e;
}

// The analyzer's annualisation for a series (given, else inferred from its spacing and calendar).
double periods_per_year_of(const BarSeries& s, const analysis::AnalysisOptions& a) {
  if (a.periods_per_year) return *a.periods_per_year;
  const auto ts = s.timestamps();
  const bool continuous = a.calendar == analysis::AssetCalendar::kContinuous ||
                          (a.calendar == analysis::AssetCalendar::kAuto && analysis::looks_continuous(ts));
  return analysis::infer_periods_per_year(ts, continuous);
}

}  // namespace detail_so

using detail_so::periods_per_year_of;

// ---------------------------------------------------------------------------------------------

StrategyOptimizer::StrategyOptimizer(std::string strategy_name, std::vector<BarSeries> data,
                                     StrategyOptimizerConfig config)
    : name_(std::move(strategy_name)), data_(std::move(data)), config_(std::move(config)) {
  if (!builtin_strategies().find(name_)) {
    std::string known;
    for (const auto& s : builtin_strategies().all()) known += (known.empty() ? "" : ", ") + s.name;
    throw Exception(ErrorCode::kNotFound, "unknown strategy '" + name_ + "'; known: " + known);
  }
}

StrategyOptimizer::StrategyOptimizer(StrategyFactory factory, std::string name, std::vector<BarSeries> data,
                                     StrategyOptimizerConfig config)
    : name_(std::move(name)), factory_(std::move(factory)), data_(std::move(data)), config_(std::move(config)) {
  if (!factory_) throw Exception(ErrorCode::kInvalidArgument, "StrategyOptimizer: the strategy factory is empty");
}

StrategyOptimizer::~StrategyOptimizer() = default;

namespace {
const ParamSpec* schema_param(std::string_view strategy, std::string_view name, std::string& known) {
  const StrategyInfo* info = builtin_strategies().find(strategy);
  if (!info) return nullptr;
  for (const auto& p : info->params) {
    if (p.name == name) return &p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  return nullptr;
}
}  // namespace

Status StrategyOptimizer::add_parameter(std::string name, ParamKind kind, double low, double high, double step) {
  if (!factory_) {
    std::string known;
    const ParamSpec* spec = schema_param(name_, name, known);
    if (!spec) return invalid_argument("unknown parameter '" + name + "' for " + name_ + "; known: " + known);
    if (spec->type == ParamType::kChoice)
      return invalid_argument("parameter '" + name + "' of " + name_ + " is a choice; give its values");
    if (spec->type == ParamType::kInt && kind == ParamKind::kFloat)
      return invalid_argument("parameter '" + name + "' of " + name_ + " is an integer; use an int range");
    if (spec->type != ParamType::kBool && (low < spec->min || high > spec->max))
      return invalid_argument("range [" + format_number(low) + ", " + format_number(high) + "] of '" + name +
                              "' is outside its valid range [" + format_number(spec->min) + ", " +
                              format_number(spec->max) + "] for " + name_);
  }
  return space_.add_parameter(std::move(name), kind, low, high, step);
}

Status StrategyOptimizer::add_parameter(std::string name, std::vector<std::string> values) {
  if (!factory_) {
    std::string known;
    const ParamSpec* spec = schema_param(name_, name, known);
    if (!spec) return invalid_argument("unknown parameter '" + name + "' for " + name_ + "; known: " + known);
    for (const auto& v : values) {
      auto parsed = spec->parse(v);
      if (!parsed) return parsed.error();
      TL_RETURN_IF_ERROR(spec->validate(*parsed));
    }
    if (spec->type != ParamType::kChoice) {  // numbers given as a list: a categorical of numbers is not
      return invalid_argument("parameter '" + name + "' of " + name_ + " is numeric; use a range (--range)");
    }
  }
  return space_.add_categorical(std::move(name), std::move(values));
}

Status StrategyOptimizer::add_constraint(std::string_view text) { return space_.add_constraint(text); }

Status StrategyOptimizer::set_fixed(std::string name, ParamValue value) {
  if (!factory_) {
    std::string known;
    const ParamSpec* spec = schema_param(name_, name, known);
    if (!spec) return invalid_argument("unknown parameter '" + name + "' for " + name_ + "; known: " + known);
    TL_RETURN_IF_ERROR(spec->validate(value));
  }
  space_.add_fixed(std::move(name), std::move(value));
  return Status::Ok();
}

Result<BacktestResult> StrategyOptimizer::backtest(const ParamSet& params, std::size_t begin, std::size_t end) const {
  const bool whole = begin == 0 && (data_.empty() || end >= data_.front().size());
  std::vector<BarSeries> sliced;
  if (!whole) sliced = slice_data(data_, begin, end);
  const std::vector<BarSeries>& d = whole ? data_ : sliced;
  if (!factory_) return run_backtest(d, name_, params, config_.backtest);
  Backtest bt(config_.backtest);
  for (const auto& s : d) bt.add_data(s);
  std::unique_ptr<RealtimeStrategy> strategy;
  try {
    strategy = factory_(params);
  } catch (const Exception& e) {
    return e.error();
  }
  if (!strategy) return invalid_argument("the strategy factory of " + name_ + " returned no strategy for " + params.to_string());
  return bt.run(*strategy);
}

Evaluation StrategyOptimizer::evaluate_result(const BacktestResult& r) const {
  if (r.equity_curve.empty()) return Evaluation::failure("the backtest produced no equity points (no data?)");
  try {
    analysis::PerformanceAnalyzer pa(r.equity_curve, r.trades, r.initial_capital, config_.analysis);
    Evaluation e;
    e.metrics = pa.calculate_all_metrics().items();
    e.metrics.emplace_back("order_count", static_cast<double>(r.orders.size()));
    return e;
  } catch (const Exception& e) {
    return Evaluation::failure(e.what());
  }
}

double StrategyOptimizer::periods_per_year() const {
  return data_.empty() ? 252.0 : periods_per_year_of(data_.front(), config_.analysis);
}

Result<OverfittingReport> StrategyOptimizer::analyze_overfitting(const OptimizationResult& r, const WalkForwardResult* wf,
                                                                 std::size_t pbo_configs, std::size_t pbo_blocks) const {
  if (!r.found()) return invalid_argument("overfitting analysis: the optimisation found no valid set");
  OverfittingInputs in = wf ? walk_forward_inputs(*wf) : OverfittingInputs{};
  // The valid sets, best first.
  std::vector<const EvaluationRecord*> valid;
  for (const auto& e : r.evaluations)
    if (e.valid) valid.push_back(&e);
  std::stable_sort(valid.begin(), valid.end(), [&](auto* a, auto* b) { return better(r.objective, a->value, b->value); });
  // Per-bar returns of the best sets (the best one first), run in parallel.
  const std::size_t k = std::max<std::size_t>(1, std::min(pbo_configs, valid.size()));
  std::vector<std::vector<double>> returns(k);
  std::vector<Status> status(k);
  ThreadPool pool(config_.optimizer.n_jobs);
  pool.parallel_for(k, [&](std::size_t i) {
    auto bt = backtest(valid[i]->params);
    if (!bt) {
      status[i] = bt.error();
      return;
    }
    std::vector<double> eq;
    for (const auto& p : bt->equity_curve) eq.push_back(p.equity);
    returns[i] = simple_returns(eq);
  });
  for (const auto& st : status) TL_RETURN_IF_ERROR(st);
  // Deflated / probabilistic Sharpe ratio of the best set; trials = every valid set.
  const ReturnMoments best = return_moments(returns[0]);
  const double sqrt_p = std::sqrt(periods_per_year());
  std::vector<double> trial_sr;
  for (const auto* e : valid)
    if (const double* sr = e->evaluation.find("sharpe_ratio"); sr && std::isfinite(*sr)) trial_sr.push_back(*sr / sqrt_p);
  in.probabilistic_sharpe = probabilistic_sharpe_ratio(best.sharpe, 0, static_cast<double>(best.n), best.skewness, best.kurtosis);
  if (trial_sr.size() >= 2) {
    const ReturnMoments t = return_moments(trial_sr);
    const double var = t.sd * t.sd * static_cast<double>(t.n) / static_cast<double>(t.n - 1);  // sample variance
    in.deflated_sharpe = deflated_sharpe_ratio(best.sharpe, var, static_cast<double>(trial_sr.size()),
                                               static_cast<double>(best.n), best.skewness, best.kurtosis)
                             .deflated_sharpe;
  }
  if (std::isnan(in.probabilistic_sharpe)) in.probabilistic_sharpe = -1;
  if (std::isnan(in.deflated_sharpe)) in.deflated_sharpe = -1;
  // PBO over the k best sets: rows = bars, columns = sets.
  if (k >= 2 && !returns[0].empty()) {
    const std::size_t t_rows = returns[0].size();
    std::size_t blocks = std::min(pbo_blocks, t_rows) & ~std::size_t{1};
    if (blocks >= 2) {
      std::vector<std::vector<double>> m(t_rows, std::vector<double>(k));
      for (std::size_t c = 0; c < k; ++c)
        for (std::size_t t = 0; t < t_rows; ++t) m[t][c] = returns[c][t];
      if (auto pbo = probability_of_backtest_overfitting(m, blocks)) in.pbo = pbo->pbo;
    }
  }
  in.neighbourhood_ratio = neighbourhood_ratio(space_, r);
  return OverfittingDetector{}.analyze(in);
}

Status StrategyOptimizer::sweep_status() const {
  if (!config_.use_sweep) return Status(Error{ErrorCode::kUnsupported, "the sweep is switched off (use_sweep = false)"});
  if (factory_) return Status(Error{ErrorCode::kUnsupported, "user strategies run through the event engine"});
  return sweep_supports(name_, config_.backtest, data_);
}

// Evaluates sets on bars [begin, end): the sweep when it supports the run, else the engine.
class StrategyOptimizer::EngineEvaluator final : public Evaluator {
 public:
  EngineEvaluator(const StrategyOptimizer& so, std::size_t begin, std::size_t end)
      : so_(so), begin_(begin), end_(end), data_(slice_data(so.data_, begin, end)) {
    if (so.config_.use_sweep && !so.factory_ && sweep_supports(so.name_, so.config_.backtest, data_).ok())
      sweep_ = std::make_unique<ParameterSweep>(data_, so.name_, so.config_.backtest);
    const auto& a = so.config_.analysis;
    // The summary mode reproduces the analyzer only for a zero risk-free rate and no benchmark.
    summary_ = !so.config_.full_metrics && sweep_ && a.risk_free_rate == 0 && !a.benchmark && !data_.empty();
    if (summary_) ppy_ = periods_per_year_of(data_.front(), a);
  }

  void evaluate(std::span<const ParamSet> sets, std::span<Evaluation> out, ThreadPool& pool,
                const std::function<bool(std::size_t)>& tick) override {
    if (sweep_) {
      std::vector<SweepRun> runs(sets.size());
      std::vector<char> done(sets.size(), 0);
      sweep_->run(sets, runs, pool, summary_ ? SweepDetail::kSummary : SweepDetail::kFull, [&](std::size_t i) {
        done[i] = 1;
        return true;
      });
      pool.parallel_for(sets.size(), [&](std::size_t i) {
        if (!done[i]) return;
        const SweepRun& r = runs[i];
        out[i] = !r.status.ok() ? Evaluation::failure(r.status.error().message)
                 : summary_     ? detail_so::summary_metrics(r, ppy_)
                                : so_.evaluate_result(r.result);
        tick(i);
      });
      return;
    }
    std::atomic<bool> stop{false};
    pool.parallel_for(sets.size(), [&](std::size_t i) {
      if (stop.load(std::memory_order_relaxed)) return;
      auto r = so_.backtest(sets[i], begin_, end_);
      out[i] = r ? so_.evaluate_result(*r) : Evaluation::failure(r.error().message);
      if (!tick(i)) stop.store(true, std::memory_order_relaxed);
    });
  }

 private:
  const StrategyOptimizer& so_;
  std::size_t begin_, end_;
  std::vector<BarSeries> data_;
  std::unique_ptr<ParameterSweep> sweep_;
  bool summary_ = false;
  double ppy_ = 252;
};

std::unique_ptr<Evaluator> StrategyOptimizer::make_evaluator(std::size_t begin, std::size_t end) const {
  return std::make_unique<EngineEvaluator>(*this, begin, end);
}

Result<OptimizationResult> StrategyOptimizer::with_optimizer(
    const std::function<Result<OptimizationResult>(Optimizer&)>& fn) {
  if (data_.empty() || data_.front().empty()) return invalid_argument("optimisation of " + name_ + ": no data");
  auto ev = make_evaluator(0, SIZE_MAX);
  Optimizer opt(space_, *ev, config_.optimizer);
  return fn(opt);
}

Result<OptimizationResult> StrategyOptimizer::grid_optimize() {
  return with_optimizer([](Optimizer& o) { return o.grid(); });
}

Result<OptimizationResult> StrategyOptimizer::random_optimize(std::size_t n) {
  return with_optimizer([n](Optimizer& o) { return o.random(n); });
}

Result<OptimizationResult> StrategyOptimizer::bayesian_optimize(std::size_t n, std::size_t n_init, BayesOptions b) {
  b.n_iterations = n;
  b.n_initial_points = n_init;
  return with_optimizer([&b](Optimizer& o) { return o.bayesian(b); });
}

Result<OptimizationResult> StrategyOptimizer::genetic_optimize(std::size_t pop, std::size_t gens, double mutation,
                                                               double crossover, GeneticOptions g) {
  g.population_size = pop;
  g.n_generations = gens;
  g.mutation_rate = mutation;
  g.crossover_rate = crossover;
  return with_optimizer([&g](Optimizer& o) { return o.genetic(g); });
}

Result<OptimizationResult> StrategyOptimizer::optimize(std::string_view method, std::size_t n_iterations,
                                                       const BayesOptions& bayes, const GeneticOptions& genetic) {
  return with_optimizer([&](Optimizer& o) { return run_method(o, method, n_iterations, bayes, genetic); });
}

class StrategyOptimizer::Segments final : public SegmentBacktester {
 public:
  explicit Segments(const StrategyOptimizer& so) : so_(so) {}
  std::size_t bar_count() const override { return so_.data_.empty() ? 0 : so_.data_.front().size(); }
  std::unique_ptr<Evaluator> evaluator(std::size_t begin, std::size_t end) override {
    return so_.make_evaluator(begin, end);
  }
  SegmentRun run(const ParamSet& params, std::size_t begin, std::size_t end) override {
    SegmentRun out;
    auto r = so_.backtest(params, begin, end);
    if (!r) {
      out.evaluation = Evaluation::failure(r.error().message);
      out.initial_capital = so_.config_.backtest.strategy.initial_capital;
      return out;
    }
    out.evaluation = so_.evaluate_result(*r);
    out.equity = std::move(r->equity_curve);
    for (Trade& t : r->trades)
      if (!t.is_open) out.trades.push_back(std::move(t));
    out.initial_capital = r->initial_capital;
    return out;
  }

 private:
  const StrategyOptimizer& so_;
};

Result<WalkForwardResult> StrategyOptimizer::walk_forward_optimize(const WalkForwardOptions& options) {
  if (data_.empty() || data_.front().empty()) return invalid_argument("walk-forward of " + name_ + ": no data");
  Segments seg(*this);
  return optimize::walk_forward_optimize(space_, seg, config_.optimizer, options);
}

}  // namespace tradeloop::optimize
