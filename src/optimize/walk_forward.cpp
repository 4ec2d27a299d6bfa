#include "tradeloop/optimize/walk_forward.hpp"

#include <algorithm>
#include <cmath>

namespace tradeloop::optimize {

Result<std::vector<WalkForwardSplit>> make_walk_forward_splits(std::size_t n, const WalkForwardOptions& o) {
  if (o.n_splits < 1) return invalid_argument("walk-forward needs n_splits >= 1");
  if (!(o.train_ratio > 0 && o.train_ratio < 1))
    return invalid_argument("walk-forward train_ratio is a fraction in (0, 1), got " + format_number(o.train_ratio));
  const double k = static_cast<double>(o.n_splits);
  const double per = o.train_ratio / (1 - o.train_ratio);  // training bars per test bar
  if (n <= o.gap) return invalid_argument("walk-forward gap (" + std::to_string(o.gap) + ") leaves no data");
  const auto test = static_cast<std::size_t>(std::floor(static_cast<double>(n - o.gap) / (k + per)));
  if (test < 2)
    return invalid_argument("walk-forward: " + std::to_string(n) + " bars are too few for " +
                            std::to_string(o.n_splits) + " splits (test windows would have < 2 bars)");
  const std::size_t train = n - o.gap - o.n_splits * test;
  if (train < 2) return invalid_argument("walk-forward: training window would have < 2 bars");
  std::vector<WalkForwardSplit> out;
  for (std::size_t j = 0; j < o.n_splits; ++j) {
    WalkForwardSplit s;
    s.index = j;
    s.train_end = train + j * test;
    s.train_begin = o.anchored ? 0 : j * test;
    s.test_begin = s.train_end + o.gap;
    s.test_end = s.test_begin + test;
    out.push_back(s);
  }
  return out;
}

std::vector<double> WalkForwardResult::is_metric(std::string_view name) const {
  std::vector<double> v;
  for (const auto& s : splits)
    if (s.found) v.push_back(s.in_sample.get(name));
  return v;
}

std::vector<double> WalkForwardResult::oos_metric(std::string_view name) const {
  std::vector<double> v;
  for (const auto& s : splits)
    if (s.found) v.push_back(s.out_of_sample.get(name));
  return v;
}

double parameter_stability(const ParameterSpace& space, const std::vector<ParamSet>& chosen) {
  if (chosen.size() < 2 || space.empty()) return -1;
  double sum = 0;
  for (const auto& p : space.parameters()) {
    if (p.kind == ParamKind::kCategorical) {
      std::vector<std::string> v;
      for (const auto& c : chosen) v.push_back(format_param_value(*c.find(p.name)));
      sum += categorical_stability(v, p.values.size());
    } else {
      std::vector<double> v;
      for (const auto& c : chosen) v.push_back(std::get<double>(*c.find(p.name)));
      sum += numeric_stability(v, p.low, p.high);
    }
  }
  return sum / static_cast<double>(space.parameters().size());
}

double neighbourhood_ratio(const ParameterSpace& space, const OptimizationResult& r) {
  const auto* best = r.best();
  if (!best) return -1;
  auto is_neighbour = [&](const ParamSet& s) {
    bool same = true;
    for (const auto& p : space.parameters()) {
      const ParamValue &a = *s.find(p.name), &b = *best->params.find(p.name);
      if (p.kind == ParamKind::kCategorical || p.levels() == 0) {
        if (p.kind == ParamKind::kCategorical ? a != b
                                              : std::abs(std::get<double>(a) - std::get<double>(b)) >
                                                    0.05 * (p.high - p.low))
          return false;
        same = same && a == b;
        continue;
      }
      const auto ia = static_cast<long long>(p.nearest_level(a)), ib = static_cast<long long>(p.nearest_level(b));
      if (std::llabs(ia - ib) > 1) return false;
      same = same && ia == ib;
    }
    return !same;
  };
  double sum = 0;
  std::size_t count = 0;
  for (const auto& e : r.evaluations)
    if (e.valid && is_neighbour(e.params)) sum += e.value, ++count;
  if (count == 0) return -1;
  const double mean = sum / static_cast<double>(count);
  if (r.objective.minimize) return mean > 0 && best->value > 0 ? best->value / mean : -1;
  return best->value > 0 ? mean / best->value : -1;
}

Result<OptimizationResult> run_method(Optimizer& opt, std::string_view method, std::size_t n_iterations,
                                      const BayesOptions& bayes, const GeneticOptions& genetic) {
  if (method == "grid") return opt.grid();
  if (method == "random") return opt.random(n_iterations);
  if (method == "bayes" || method == "bayesian") {
    BayesOptions b = bayes;
    b.n_iterations = n_iterations;
    return opt.bayesian(b);
  }
  if (method == "genetic") return opt.genetic(genetic);
  return invalid_argument("unknown optimisation method '" + std::string(method) +
                          "'; expected grid, random, bayes or genetic");
}

namespace {

// Appends `seg` to `out`, scaled to continue from out's last equity (see the header).
void stitch(WalkForwardResult& res, const std::vector<EquityPoint>& seg, const std::vector<Trade>& trades,
            double initial_capital) {
  std::vector<EquityPoint>& out = res.stitched_oos_equity;
  const double start = out.empty() ? initial_capital : out.back().equity;
  const double f = initial_capital > 0 ? start / initial_capital : 1.0;
  double peak = out.empty() ? initial_capital : 0;
  for (const auto& p : out) peak = std::max(peak, p.equity);
  for (EquityPoint p : seg) {
    p.equity *= f;
    p.cash *= f;
    p.position_value *= f;
    peak = std::max(peak, p.equity);
    p.drawdown_pct = peak > 0 ? (p.equity / peak - 1) * 100 : 0;
    out.push_back(p);
  }
  for (Trade t : trades) {
    t.quantity *= f;
    t.pnl *= f;
    t.fees *= f;
    res.stitched_oos_trades.push_back(std::move(t));
  }
}

}  // namespace

Result<WalkForwardResult> walk_forward_optimize(const ParameterSpace& space, SegmentBacktester& bt,
                                                const OptimizerOptions& options, const WalkForwardOptions& wf) {
  auto splits = make_walk_forward_splits(bt.bar_count(), wf);
  if (!splits) return std::move(splits).error();
  WalkForwardResult res;
  res.objective = options.objective;
  res.options = wf;
  std::vector<ParamSet> chosen;
  for (const auto& sp : *splits) {
    auto evaluator = bt.evaluator(sp.train_begin, sp.train_end);
    OptimizerOptions o = options;
    o.progress_label = options.progress_label + " split " + std::to_string(sp.index + 1) + "/" +
                       std::to_string(splits->size());
    Optimizer opt(space, *evaluator, o);
    auto r = run_method(opt, wf.method, wf.n_iterations, wf.bayes, wf.genetic);
    if (!r) return std::move(r).error();
    WalkForwardSplitResult sr;
    sr.split = sp;
    sr.n_evaluations = r->evaluations.size();
    if (r->found()) {
      sr.found = true;
      sr.params = r->best_params;
      sr.in_sample = r->best()->evaluation;
      SegmentRun oos = bt.run(sr.params, sp.test_begin, sp.test_end);
      sr.out_of_sample = std::move(oos.evaluation);
      sr.oos_equity = std::move(oos.equity);
      sr.oos_trades = std::move(oos.trades);
      sr.oos_initial_capital = oos.initial_capital;
      stitch(res, sr.oos_equity, sr.oos_trades, oos.initial_capital);
      chosen.push_back(sr.params);
    }
    res.splits.push_back(std::move(sr));
    if (r->cancelled) {
      res.cancelled = true;
      break;
    }
  }
  res.parameter_stability = parameter_stability(space, chosen);
  res.overfitting = OverfittingDetector{}.analyze(walk_forward_inputs(res));
  return res;
}

OverfittingInputs walk_forward_inputs(const WalkForwardResult& r) {
  OverfittingInputs in;
  in.is_values = r.is_metric(r.objective.metric);
  in.oos_values = r.oos_metric(r.objective.metric);
  if (r.objective.minimize) {  // the detector compares "higher is better" values
    for (auto& v : in.is_values) v = -v;
    for (auto& v : in.oos_values) v = -v;
  }
  in.parameter_stability = r.parameter_stability;
  return in;
}

}  // namespace tradeloop::optimize
