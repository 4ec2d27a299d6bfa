#include "tradeloop/optimize/optimizer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "gaussian_process.hpp"
#include "tradeloop/core/thread_pool.hpp"

namespace tradeloop::optimize {

const double* Evaluation::find(std::string_view name) const noexcept {
  for (const auto& [k, v] : metrics)
    if (k == name) return &v;
  return nullptr;
}

double Evaluation::get(std::string_view name) const noexcept {
  const double* v = find(name);
  return v ? *v : std::numeric_limits<double>::quiet_NaN();
}

void FunctionEvaluator::evaluate(std::span<const ParamSet> sets, std::span<Evaluation> out, ThreadPool& pool,
                                 const std::function<bool(std::size_t)>& tick) {
  std::atomic<bool> stop{false};
  pool.parallel_for(sets.size(), [&](std::size_t i) {
    if (stop.load(std::memory_order_relaxed)) return;
    try {
      out[i] = fn_(sets[i]);
    } catch (const std::exception& e) {
      out[i] = Evaluation::failure(e.what());
    }
    if (!tick(i)) stop.store(true, std::memory_order_relaxed);
  });
}

bool better(const ObjectiveSpec& o, double a, double b) noexcept {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return o.minimize ? a < b : a > b;
}

// ---------------------------------------------------------------------------------------------
// One optimisation run: the cache of evaluated sets, the records, the pool and the progress.

class Optimizer::Run {
 public:
  Run(const Optimizer& o, std::string method, std::int64_t total)
      : opt_(o),
        pool_(o.options_.n_jobs),
        progress_(o.options_.progress
                      ? std::make_unique<Progress>(o.options_.progress_label, total, o.options_.progress)
                      : std::make_unique<Progress>(o.options_.progress_label, total, o.options_.progress_mode)),
        start_(std::chrono::steady_clock::now()) {
    result_.method = std::move(method);
    result_.objective = o.options_.objective;
    for (const auto& p : o.space_.parameters()) result_.parameter_names.push_back(p.name);
  }

  bool cancelled() const { return cancelled_ || progress_->cancelled(); }
  std::size_t size() const { return result_.evaluations.size(); }
  const std::vector<EvaluationRecord>& records() const { return result_.evaluations; }
  bool seen(const ParamSet& s) const { return index_.count(s.to_string()) != 0; }
  std::optional<std::size_t> lookup(const ParamSet& s) const {
    const auto it = index_.find(s.to_string());
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  // The objective oriented for maximisation; NaN when the record is not valid.
  double score(std::size_t i) const {
    const auto& r = result_.evaluations[i];
    if (!r.valid) return std::numeric_limits<double>::quiet_NaN();
    return opt_.options_.objective.minimize ? -r.value : r.value;
  }

  // Evaluates the sets not seen before (duplicates inside `sets` once), in order.
  void evaluate(const std::vector<ParamSet>& sets) {
    if (cancelled()) return;
    std::vector<ParamSet> todo;
    std::unordered_set<std::string> batch_keys;
    for (const auto& s : sets) {
      auto key = s.to_string();
      if (index_.count(key) || !batch_keys.insert(key).second) continue;
      todo.push_back(s);
    }
    if (todo.empty()) return;
    std::vector<Evaluation> out(todo.size());
    std::vector<char> done(todo.size(), 0);  // one writer per slot
    opt_.evaluator_.evaluate(todo, out, pool_, [&](std::size_t i) {
      done[i] = 1;
      progress_->advance();
      return !progress_->cancelled();
    });
    for (std::size_t i = 0; i < todo.size(); ++i) {
      if (!done[i]) {
        cancelled_ = true;
        continue;
      }
      record(std::move(todo[i]), std::move(out[i]));
    }
  }

  OptimizationResult finish() {
    progress_->finish();
    auto& r = result_;
    r.cancelled = cancelled();
    double best = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < r.evaluations.size(); ++i) {
      const auto& e = r.evaluations[i];
      if (e.valid && better(r.objective, e.value, best)) {
        best = e.value;
        r.best_index = i;
      }
      r.convergence.push_back(best);
    }
    if (r.best_index) {
      r.best_params = r.evaluations[*r.best_index].params;
      r.best_value = best;
    }
    r.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return std::move(r);
  }

 private:
  void record(ParamSet params, Evaluation ev) {
    const auto& o = opt_.options_.objective;
    EvaluationRecord rec;
    rec.value = ev.get(o.metric);
    if (!ev.ok) {
      rec.rejected = "error: " + ev.error;
    } else if (!ev.find(o.metric)) {
      rec.rejected = "metric '" + o.metric + "' missing";
    } else if (!std::isfinite(rec.value)) {
      rec.rejected = o.metric + " is not finite";
    } else if (o.min_trades) {
      const double trades = ev.get(o.trades_metric);
      if (!(trades >= *o.min_trades))
        rec.rejected = o.trades_metric + " " + format_number(trades) + " < " + format_number(*o.min_trades);
    }
    rec.valid = rec.rejected.empty();
    rec.params = std::move(params);
    rec.evaluation = std::move(ev);
    index_.emplace(rec.params.to_string(), result_.evaluations.size());
    result_.evaluations.push_back(std::move(rec));
  }

  const Optimizer& opt_;
  ThreadPool pool_;
  std::unique_ptr<Progress> progress_;
  std::chrono::steady_clock::time_point start_;
  OptimizationResult result_;
  std::unordered_map<std::string, std::size_t> index_;
  bool cancelled_ = false;
};

// ---------------------------------------------------------------------------------------------

Optimizer::Optimizer(ParameterSpace space, Evaluator& evaluator, OptimizerOptions options)
    : space_(std::move(space)), evaluator_(evaluator), options_(std::move(options)) {}
Optimizer::~Optimizer() = default;

Status Optimizer::check_space() const {
  if (space_.empty()) return invalid_argument("the search space has no parameters; add at least one");
  if (options_.objective.metric.empty()) return invalid_argument("the objective metric name is empty");
  return Status::Ok();
}

Result<OptimizationResult> Optimizer::grid() {
  TL_RETURN_IF_ERROR(check_space());
  auto sets = space_.grid();
  if (!sets) return std::move(sets).error();
  if (sets->empty()) return invalid_argument("no grid point satisfies the constraints");
  return evaluate_sets(std::move(*sets), "grid");
}

Result<OptimizationResult> Optimizer::evaluate_sets(std::vector<ParamSet> sets, std::string method) {
  Run run(*this, std::move(method), static_cast<std::int64_t>(sets.size()));
  run.evaluate(sets);
  return run.finish();
}

namespace {

// Draws up to n distinct feasible sets not already in `run` (or in `taken`).
template <class SeenFn>
std::vector<ParamSet> draw_distinct(const ParameterSpace& space, Rng& rng, std::size_t n, SeenFn seen) {
  std::vector<ParamSet> out;
  std::unordered_set<std::string> keys;
  const std::size_t max_draws = 50 * n + 1000;
  for (std::size_t d = 0; d < max_draws && out.size() < n; ++d) {
    auto s = space.sample(rng, 1000);
    if (!s) break;
    auto key = s->to_string();
    if (seen(*s) || !keys.insert(key).second) continue;
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace

Result<OptimizationResult> Optimizer::random(std::size_t n_iterations) {
  TL_RETURN_IF_ERROR(check_space());
  if (n_iterations == 0) return invalid_argument("random search needs n_iterations >= 1");
  Rng rng = Rng(options_.seed).fork(1);
  TL_RETURN_IF_ERROR(space_.sample(rng).ok() ? Status::Ok() : space_.sample(rng).error());
  Run run(*this, "random", static_cast<std::int64_t>(n_iterations));
  run.evaluate(draw_distinct(space_, rng, n_iterations, [](const ParamSet&) { return false; }));
  return run.finish();
}

// ---------------------------------------------------------------------------------------------
// Bayesian optimisation

namespace {

// A lattice neighbour of the current value: up to two levels away (or a Gaussian step of 10 %
// or 1 % of the range when continuous); a categorical switches to a random choice.
ParamValue neighbour_value(const SearchParameter& p, const ParamValue* cur, Rng& rng) {
  if (p.kind == ParamKind::kCategorical) return p.random(rng);
  const double x = cur && std::holds_alternative<double>(*cur) ? std::get<double>(*cur) : p.low;
  if (p.levels() == 0) {  // coarse and fine moves, so the optimum can be polished
    const double scale = rng.uniform() < 0.5 ? 0.1 : 0.01;
    return std::clamp(x + scale * (p.high - p.low) * rng.normal(), p.low, p.high);
  }
  const auto idx = static_cast<std::int64_t>(p.nearest_level(x));
  const std::int64_t step = rng.integer(1, 2) * (rng.uniform() < 0.5 ? -1 : 1);
  const auto last = static_cast<std::int64_t>(p.levels()) - 1;
  return p.level(static_cast<std::size_t>(std::clamp(idx + step, std::int64_t{0}, last)));
}

// Moves each parameter of `s` to a neighbour value with probability p_move.
ParamSet perturb(const ParameterSpace& space, const ParamSet& s, Rng& rng, double p_move) {
  ParamSet out = s;
  for (const auto& p : space.parameters())
    if (rng.uniform() < p_move) out.set(p.name, neighbour_value(p, s.find(p.name), rng));
  return out;
}

}  // namespace

Result<OptimizationResult> Optimizer::bayesian(const BayesOptions& bo) {
  TL_RETURN_IF_ERROR(check_space());
  if (bo.n_iterations == 0) return invalid_argument("bayesian search needs n_iterations >= 1");
  if (bo.batch_size == 0) return invalid_argument("bayesian search needs batch_size >= 1");
  const Rng root(options_.seed);
  Rng init_rng = root.fork(1), gp_rng = root.fork(2), cand_rng = root.fork(3);
  TL_RETURN_IF_ERROR(space_.sample(init_rng).ok() ? Status::Ok() : space_.sample(init_rng).error());
  init_rng = root.fork(1);

  Run run(*this, "bayes", static_cast<std::int64_t>(bo.n_iterations));
  const std::size_t n_init = std::clamp<std::size_t>(bo.n_initial_points, 2, bo.n_iterations);
  run.evaluate(draw_distinct(space_, init_rng, n_init, [](const ParamSet&) { return false; }));

  detail_gp::GaussianProcess gp;
  std::optional<detail_gp::GpHyper> hyper;
  std::size_t round = 0;
  while (run.size() < bo.n_iterations && !run.cancelled()) {
    // Training data: invalid points get the worst valid score, so the model steers away.
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    double worst = std::numeric_limits<double>::infinity(), best = -worst;
    for (std::size_t i = 0; i < run.size(); ++i)
      if (double s = run.score(i); !std::isnan(s)) worst = std::min(worst, s), best = std::max(best, s);
    const std::size_t q = std::min(bo.batch_size, bo.n_iterations - run.size());
    if (!std::isfinite(best)) {  // nothing valid yet: keep exploring at random
      auto more = draw_distinct(space_, init_rng, q, [&](const ParamSet& s) { return run.seen(s); });
      if (more.empty()) break;
      run.evaluate(more);
      continue;
    }
    for (std::size_t i = 0; i < run.size(); ++i) {
      x.push_back(space_.encode(run.records()[i].params));
      const double s = run.score(i);
      y.push_back(std::isnan(s) ? worst : s);
    }
    // A multi-start fit at the first and every 10th round, warm-started local refits between
    // (the hyper-parameters move little once there are a few dozen points).
    const bool full = !hyper || round % 10 == 0;
    gp.fit(x, y, hyper ? &*hyper : nullptr, full ? 2 : 0, full ? 200 : 40, gp_rng);
    hyper = gp.hyper();
    ++round;

    // Candidates: uniform feasible draws plus neighbours of the five best points so far.
    std::vector<ParamSet> cands;
    std::unordered_set<std::string> keys;
    auto add = [&](ParamSet s) {
      if (!space_.satisfies(s) || run.seen(s)) return;
      if (keys.insert(s.to_string()).second) cands.push_back(std::move(s));
    };
    for (auto& s : draw_distinct(space_, cand_rng, bo.n_candidates, [&](const ParamSet& s) { return run.seen(s); }))
      add(std::move(s));
    std::vector<std::size_t> order(run.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto rank_score = [&](std::size_t i) { return std::isnan(run.score(i)) ? -1e300 : run.score(i); };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rank_score(a) > rank_score(b); });
    for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k)
      for (int j = 0; j < 20; ++j) add(perturb(space_, run.records()[order[k]].params, cand_rng, j < 10 ? 0.5 : 1.0));
    if (cands.empty()) break;  // the lattice is exhausted

    std::vector<std::vector<double>> cx;
    cx.reserve(cands.size());
    for (const auto& c : cands) cx.push_back(space_.encode(c));
    std::vector<ParamSet> batch;
    std::vector<char> taken(cands.size(), 0);
    std::vector<double> mean, sd;
    // Kriging believer (Ginsbourger, Le Riche & Carraro 2010): each chosen point is added to the
    // model with its predicted mean as a fake observation before the next one is chosen.
    for (std::size_t j = 0; j < q; ++j) {
      gp.predict(cx, mean, sd);
      std::size_t arg = cands.size();
      double best_ei = -1;
      for (std::size_t i = 0; i < cands.size(); ++i) {
        if (taken[i]) continue;
        const double ei = detail_gp::expected_improvement(mean[i], sd[i], best, bo.xi * (best - worst + 1e-12));
        if (ei > best_ei) best_ei = ei, arg = i;
      }
      if (arg == cands.size()) break;
      taken[arg] = 1;
      batch.push_back(cands[arg]);
      if (j + 1 < q) gp.add_observation(cx[arg], mean[arg]);
    }
    run.evaluate(batch);
  }
  return run.finish();
}

// ---------------------------------------------------------------------------------------------
// Genetic algorithm

Result<OptimizationResult> Optimizer::genetic(const GeneticOptions& go) {
  TL_RETURN_IF_ERROR(check_space());
  if (go.population_size < 2) return invalid_argument("genetic search needs population_size >= 2");
  if (go.mutation_rate < 0 || go.mutation_rate > 1 || go.crossover_rate < 0 || go.crossover_rate > 1)
    return invalid_argument("mutation_rate and crossover_rate are probabilities in [0, 1]");
  if (go.tournament_size < 1) return invalid_argument("tournament_size must be >= 1");
  Rng rng = Rng(options_.seed).fork(4);
  {
    Rng probe = rng;
    TL_RETURN_IF_ERROR(space_.sample(probe).ok() ? Status::Ok() : space_.sample(probe).error());
  }
  const std::size_t pop_n = go.population_size;
  const std::size_t elite = std::min(pop_n, go.elite > 0 ? go.elite : std::max<std::size_t>(1, pop_n / 10));
  Run run(*this, "genetic", static_cast<std::int64_t>(pop_n * (go.n_generations + 1)));

  std::vector<ParamSet> pop;
  for (std::size_t i = 0; i < pop_n; ++i) pop.push_back(*space_.sample(rng));
  run.evaluate(pop);
  auto fitness = [&](const ParamSet& s) {
    const auto i = run.lookup(s);
    const double v = i ? run.score(*i) : std::numeric_limits<double>::quiet_NaN();
    return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
  };
  auto tournament = [&]() -> const ParamSet& {
    std::size_t best = static_cast<std::size_t>(rng.below(pop.size()));
    for (std::size_t k = 1; k < go.tournament_size; ++k) {
      const auto c = static_cast<std::size_t>(rng.below(pop.size()));
      if (fitness(pop[c]) > fitness(pop[best])) best = c;
    }
    return pop[best];
  };
  // Half the mutations are small lattice steps, half are fresh uniform draws.
  auto mutate = [&](ParamSet s) {
    for (const auto& p : space_.parameters()) {
      if (rng.uniform() >= go.mutation_rate) continue;
      s.set(p.name, rng.uniform() < 0.5 ? neighbour_value(p, s.find(p.name), rng) : p.random(rng));
    }
    return s;
  };

  for (std::size_t gen = 0; gen < go.n_generations && !run.cancelled(); ++gen) {
    std::vector<std::size_t> order(pop.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return fitness(pop[a]) > fitness(pop[b]); });
    std::vector<ParamSet> next;
    for (std::size_t k = 0; k < elite; ++k) next.push_back(pop[order[k]]);
    while (next.size() < pop_n) {
      ParamSet a = tournament(), b = tournament();
      if (rng.uniform() < go.crossover_rate) {  // uniform crossover, gene by gene
        for (const auto& p : space_.parameters())
          if (rng.uniform() < 0.5) {
            const ParamValue va = *a.find(p.name);
            a.set(p.name, *b.find(p.name));
            b.set(p.name, va);
          }
      }
      for (ParamSet* child : {&a, &b}) {
        if (next.size() >= pop_n) break;
        ParamSet c = mutate(*child);
        for (int t = 0; t < 20 && !space_.satisfies(c); ++t) c = mutate(*child);
        if (!space_.satisfies(c)) c = *space_.sample(rng);
        next.push_back(std::move(c));
      }
    }
    pop = std::move(next);
    run.evaluate(pop);
  }
  return run.finish();
}

}  // namespace tradeloop::optimize
