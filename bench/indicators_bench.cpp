// Indicator throughput on 1,000,000 bars, single thread (issue #3 "Speed").
//
//   BM_Baseline_SumClose     one pass summing the close column: the memory-bandwidth limit
//   BM_Batch/<name>          typed batch functions (bars/s = items_per_second)
//   BM_Registry/<name>       every registry entry through its generic batch adapter
//   BM_Stream/<name>         streaming update(), ns per call = time per iteration
//
// Compare items_per_second with Tulip Indicators' published table (docs/indicators.md).
#include <benchmark/benchmark.h>

#include <vector>

#include "bench_util.hpp"
#include "tradeloop/indicators/indicators.hpp"
#include "tradeloop/indicators/registry.hpp"

namespace {

using namespace tradeloop;
using namespace tradeloop::ind;

constexpr std::size_t kBars = 1'000'000;

const BarSeries& bars() {
  static const BarSeries s = [] {
    BarSeries b = bench::random_walk_series(kBars);
    (void)b.set_column("benchmark", std::vector<double>(b.open().begin(), b.open().end()));
    return b;
  }();
  return s;
}

void BM_Baseline_SumClose(benchmark::State& state) {
  const auto c = bars().close();
  for (auto _ : state) {
    double s = 0;
    for (double v : c) s += v;
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBars));
}
BENCHMARK(BM_Baseline_SumClose)->Unit(benchmark::kMillisecond);

template <class Fn>
void batch(benchmark::State& state, std::size_t outputs, Fn fn) {
  std::vector<std::vector<double>> out(outputs, std::vector<double>(kBars));
  for (auto _ : state) {
    fn(out).check();
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBars));
}

void register_batch() {
  const auto& b = bars();
  const auto h = b.high(), l = b.low(), c = b.close();
  const auto reg = [](const char* name, std::size_t k, auto fn) {
    benchmark::RegisterBenchmark((std::string("BM_Batch/") + name).c_str(),
                                 [k, fn](benchmark::State& st) { batch(st, k, fn); })
        ->Unit(benchmark::kMillisecond);
  };
  reg("sma(20)", 1, [c](auto& o) { return sma(c, 20, o[0]); });
  reg("ema(20)", 1, [c](auto& o) { return ema(c, 20, o[0]); });
  reg("rsi(14)", 1, [c](auto& o) { return rsi(c, 14, o[0]); });
  reg("atr(14)", 1, [h, l, c](auto& o) { return atr(h, l, c, 14, o[0]); });
  reg("macd(12,26,9)", 3, [c](auto& o) { return macd(c, 12, 26, 9, o[0], o[1], o[2]); });
  reg("bbands(20,2)", 5, [c](auto& o) { return bollinger_bands(c, 20, 2.0, o[0], o[1], o[2], o[3], o[4]); });
}

void BM_Registry(benchmark::State& state, const IndicatorInfo* info) {
  BarSeries s = bars();
  const ParamSet p = resolve_params(info->params, {}, info->name).value();
  std::vector<std::vector<double>> in;
  for (const auto& name : info->inputs) {
    if (name == "time") {
      in.emplace_back(s.timestamps().begin(), s.timestamps().end());
    } else {
      const auto col = s.column(name).value();
      in.emplace_back(col.begin(), col.end());
    }
  }
  std::vector<std::vector<double>> out(info->outputs.size(), std::vector<double>(kBars));
  const std::vector<std::span<const double>> ins(in.begin(), in.end());
  const std::vector<std::span<double>> outs(out.begin(), out.end());
  for (auto _ : state) {
    info->compute(p, ins, outs).check();
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBars));
}

template <class T, class Fn>
void stream(benchmark::State& state, T ind, Fn step) {
  const auto& b = bars();
  const auto h = b.high(), l = b.low(), c = b.close();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(step(ind, h[i], l[i], c[i]));
    if (++i == kBars) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void register_stream() {
  const auto reg = [](const char* name, auto make, auto step) {
    benchmark::RegisterBenchmark((std::string("BM_Stream/") + name).c_str(),
                                 [make, step](benchmark::State& st) { stream(st, make(), step); });
  };
  reg("sma(20)", [] { return Sma(20); }, [](Sma& s, double, double, double c) { return s.update(c); });
  reg("ema(20)", [] { return Ema(20); }, [](Ema& s, double, double, double c) { return s.update(c); });
  reg("rsi(14)", [] { return Rsi(14); }, [](Rsi& s, double, double, double c) { return s.update(c); });
  reg("atr(14)", [] { return Atr(14); }, [](Atr& s, double h, double l, double c) { return s.update(h, l, c); });
  reg("macd(12,26,9)", [] { return Macd(12, 26, 9); },
      [](Macd& s, double, double, double c) { return s.update(c).hist; });
  reg("bbands(20,2)", [] { return BollingerBands(20, 2); },
      [](BollingerBands& s, double, double, double c) { return s.update(c).upper; });
  reg("donchian(20)", [] { return Donchian(20); },
      [](Donchian& s, double h, double l, double) { return s.update(h, l).upper; });
  reg("supertrend(10,3)", [] { return Supertrend(10, 3); },
      [](Supertrend& s, double h, double l, double c) { return s.update(h, l, c).value; });
  reg("adx(14)", [] { return Adx(14); }, [](Adx& s, double h, double l, double c) { return s.update(h, l, c).adx; });
  reg("linreg(14)", [] { return LinearRegression(14); },
      [](LinearRegression& s, double, double, double c) { return s.update(c).value; });
}

}  // namespace

int main(int argc, char** argv) {
  register_batch();
  for (const auto& info : registry())
    benchmark::RegisterBenchmark(("BM_Registry/" + info.name).c_str(), BM_Registry, &info)
        ->Unit(benchmark::kMillisecond);
  register_stream();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
