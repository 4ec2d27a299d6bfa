// Optimisation speed (README numbers, issue #6):
//  * sma_cross grid of 10,000 parameter sets over 200,000 one-minute bars through the vectorised
//    sweep on 2 threads (target <= 4.4 s), next to the event engine on a sample of the same sets
//    in the same run (timed per set, extrapolated to 10,000 sets on 2 threads, labelled so);
//  * the full optimiser path (StrategyOptimizer::grid_optimize, summary metrics) on the same grid;
//  * Bayesian optimisation overhead per proposal at 200 evaluations with a trivial objective
//    (target <= 50 ms), for batch size 1 (one GP fit per proposal) and the default 4.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>

#include "bench_util.hpp"
#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/backtest/sweep.hpp"
#include "tradeloop/core/thread_pool.hpp"
#include "tradeloop/optimize/optimizer.hpp"
#include "tradeloop/optimize/strategy_optimizer.hpp"

namespace {

using namespace tradeloop;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBars = 200'000;

const std::vector<BarSeries>& data() {
  static const std::vector<BarSeries> d = {bench::random_walk_series(kBars, 7)};
  return d;
}

// fast 1..100 x slow 101..1091 step 10: 10,000 sets, all with fast < slow.
std::vector<ParamSet> grid_sets() {
  std::vector<ParamSet> sets;
  for (int f = 1; f <= 100; ++f)
    for (int s = 101; s <= 1091; s += 10) sets.push_back({{"fast", double(f)}, {"slow", double(s)}});
  return sets;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void BM_SweepGrid10k(benchmark::State& state) {
  const auto sets = grid_sets();
  ThreadPool pool(2);
  ParameterSweep sweep(data(), "sma_cross", default_backtest_config());
  std::vector<SweepRun> out(sets.size());
  for (auto _ : state) {
    sweep.run(sets, out, pool, SweepDetail::kSummary);
    benchmark::DoNotOptimize(out.data());
  }
  std::size_t trades = 0;
  for (const auto& r : out) trades += r.result.trades.size();
  state.counters["sets"] = static_cast<double>(sets.size());
  state.counters["bars"] = static_cast<double>(kBars);
  state.counters["trades_total"] = static_cast<double>(trades);
  state.counters["bar_steps_per_s"] =
      benchmark::Counter(static_cast<double>(sets.size() * kBars), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SweepGrid10k)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

void BM_OptimizerGrid10k(benchmark::State& state) {
  for (auto _ : state) {
    optimize::StrategyOptimizerConfig cfg;
    cfg.optimizer.n_jobs = 2;
    cfg.full_metrics = false;
    optimize::StrategyOptimizer o("sma_cross", data(), cfg);
    o.add_parameter("fast", optimize::ParamKind::kInt, 1, 100, 1).check();
    o.add_parameter("slow", optimize::ParamKind::kInt, 101, 1091, 10).check();
    auto r = o.grid_optimize();
    benchmark::DoNotOptimize(r);
    state.counters["sets"] = static_cast<double>(r->evaluations.size());
  }
}
BENCHMARK(BM_OptimizerGrid10k)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

// Baseline: the event engine (run_backtest) on 20 sets spread over the same grid, 2 threads;
// the reported "extrapolated_10k_s" is (time per set) x 10,000 / 2 threads -- an extrapolation.
void BM_EngineBaselineSample(benchmark::State& state) {
  const auto all = grid_sets();
  std::vector<ParamSet> sample;
  for (std::size_t i = 0; i < all.size(); i += all.size() / 20) sample.push_back(all[i]);
  ThreadPool pool(2);
  double elapsed = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    pool.parallel_for(sample.size(), [&](std::size_t i) {
      auto r = run_backtest(data(), "sma_cross", sample[i], default_backtest_config());
      benchmark::DoNotOptimize(r);
    });
    elapsed = seconds_since(t0);
  }
  state.counters["sample_sets"] = static_cast<double>(sample.size());
  state.counters["extrapolated_10k_s"] = elapsed / static_cast<double>(sample.size()) * 10'000.0;
}
BENCHMARK(BM_EngineBaselineSample)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

// Bayesian proposals with a trivial objective: everything measured is the optimiser's own work
// (GP fits, candidate scoring, EI), divided by the number of GP proposals.
void bayes_overhead(benchmark::State& state, std::size_t dims, std::size_t batch) {
  optimize::ParameterSpace space;
  for (std::size_t k = 0; k < dims; ++k)
    space.add_parameter("x" + std::to_string(k), optimize::ParamKind::kInt, 0, 200).check();
  optimize::FunctionEvaluator f([](const ParamSet& p) {
    double v = 0;
    for (const auto& [name, x] : p.items()) v -= (std::get<double>(x) - 70) * (std::get<double>(x) - 70);
    return optimize::Evaluation{{{"value", v}}, true, {}};
  });
  optimize::OptimizerOptions o;
  o.objective.metric = "value";
  optimize::BayesOptions b;
  b.n_iterations = 200;
  b.n_initial_points = 10;
  b.batch_size = batch;
  double elapsed = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    optimize::Optimizer opt(space, f, o);
    auto r = opt.bayesian(b);
    benchmark::DoNotOptimize(r);
    elapsed = seconds_since(t0);
  }
  state.counters["ms_per_proposal"] = elapsed * 1000.0 / static_cast<double>(b.n_iterations - b.n_initial_points);
}
void BM_BayesOverhead2D_Batch1(benchmark::State& s) { bayes_overhead(s, 2, 1); }
void BM_BayesOverhead4D_Batch1(benchmark::State& s) { bayes_overhead(s, 4, 1); }
void BM_BayesOverhead4D_Batch4(benchmark::State& s) { bayes_overhead(s, 4, 4); }
BENCHMARK(BM_BayesOverhead2D_Batch1)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_BayesOverhead4D_Batch1)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_BayesOverhead4D_Batch4)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
