// Indicator throughput on 1,000,000 bars, single thread (issue #3 "Speed").
//
//   BM_Baseline_SumClose     one pass summing the close column: the memory-bandwidth limit
//   BM_Batch/<name>          typed batch functions (bars/s = items_per_second)
//   BM_Registry/<name>       every registry entry through its generic batch adapter
//   BM_Stream/<name>         streaming update(), ns per call = time per iteration
//   BM_DonchianByPeriod/<batch|stream>/<n>
//                            donchian(n) over the window lengths: the batch kernel against the
//                            streaming class run over the same arrays (the batch path before it)
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

void BM_Baseline_SumClose(benchmark::State& state) { bench::sum_column_baseline(state, bars().close()); }
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

// One typed batch benchmark per indicator that Tulip Indicators' benchmark table lists (named
// as Tulip names them, our defaults in parentheses), plus those the issue names.
void register_batch() {
  const auto& b = bars();
  const auto o = b.open(), h = b.high(), l = b.low(), c = b.close(), v = b.volume();
  const auto reg = [](const char* name, std::size_t k, auto fn) {
    benchmark::RegisterBenchmark((std::string("BM_Batch/") + name).c_str(),
                                 [k, fn](benchmark::State& st) { batch(st, k, fn); })
        ->Unit(benchmark::kMillisecond);
  };
  // Tulip's table, alphabetically.
  reg("ad", 1, [=](auto& x) { return ad_line(h, l, c, v, x[0]); });
  reg("adosc(3,10)", 1, [=](auto& x) { return ad_oscillator(h, l, c, v, 3, 10, x[0]); });
  reg("adx(14)", 4, [=](auto& x) { return adx(h, l, c, 14, x[0], x[1], x[2], x[3]); });
  reg("apo(12,26)", 1, [=](auto& x) { return apo(c, 12, 26, x[0]); });
  reg("apo(12,26,ema)", 1, [=](auto& x) { return apo(c, 12, 26, x[0], MaType::kEma); });
  reg("aroon(14)", 3, [=](auto& x) { return aroon(h, l, 14, x[0], x[1], x[2]); });
  reg("atr(14)", 1, [=](auto& x) { return atr(h, l, c, 14, x[0]); });
  reg("bbands(20,2)", 5, [=](auto& x) { return bollinger_bands(c, 20, 2.0, x[0], x[1], x[2], x[3], x[4]); });
  reg("cci(20)", 1, [=](auto& x) { return cci(h, l, c, 20, x[0]); });
  reg("cmo(14)", 1, [=](auto& x) { return cmo(c, 14, x[0]); });
  reg("dema(20)", 1, [=](auto& x) { return dema(c, 20, x[0]); });
  reg("ema(20)", 1, [=](auto& x) { return ema(c, 20, x[0]); });
  reg("hma(20)", 1, [=](auto& x) { return hma(c, 20, x[0]); });
  reg("kama(30)", 1, [=](auto& x) { return kama(c, 30, x[0]); });
  reg("linreg(14)", 6, [=](auto& x) { return linear_regression(c, 14, x[0], x[1], x[2], x[3], x[4], x[5]); });
  reg("macd(12,26,9)", 3, [=](auto& x) { return macd(c, 12, 26, 9, x[0], x[1], x[2]); });
  reg("mfi(14)", 1, [=](auto& x) { return mfi(h, l, c, v, 14, x[0]); });
  reg("mom(10)", 1, [=](auto& x) { return mom(c, 10, x[0]); });
  reg("natr(14)", 1, [=](auto& x) { return natr(h, l, c, 14, x[0]); });
  reg("obv", 1, [=](auto& x) { return obv(c, v, x[0]); });
  reg("ppo(12,26)", 1, [=](auto& x) { return ppo(c, 12, 26, x[0]); });
  reg("psar(0.02,0.2)", 1, [=](auto& x) { return parabolic_sar(h, l, 0.02, 0.2, x[0]); });
  reg("roc(10)", 1, [=](auto& x) { return roc(c, 10, x[0]); });
  reg("rsi(14)", 1, [=](auto& x) { return rsi(c, 14, x[0]); });
  reg("sma(20)", 1, [=](auto& x) { return sma(c, 20, x[0]); });
  reg("stddev(20)", 1, [=](auto& x) { return stddev(c, 20, x[0]); });
  reg("stoch(14,3,3)", 3, [=](auto& x) { return stochastic(h, l, c, 14, 3, 3, x[0], x[1], x[2]); });
  reg("stochrsi(14,14,3,3)", 2, [=](auto& x) { return stoch_rsi(c, 14, 14, 3, 3, x[0], x[1]); });
  reg("tema(20)", 1, [=](auto& x) { return tema(c, 20, x[0]); });
  reg("tr", 1, [=](auto& x) { return true_range(h, l, c, x[0]); });
  reg("trima(20)", 1, [=](auto& x) { return trima(c, 20, x[0]); });
  reg("trix(30)", 1, [=](auto& x) { return trix(c, 30, x[0]); });
  reg("ultosc(7,14,28)", 1, [=](auto& x) { return ultimate_oscillator(h, l, c, 7, 14, 28, x[0]); });
  reg("var(20)", 1, [=](auto& x) { return variance(c, 20, x[0]); });
  reg("vwma(20)", 1, [=](auto& x) { return vwma(c, v, 20, x[0]); });
  reg("wilders(14)", 1, [=](auto& x) { return rma(c, 14, x[0]); });
  reg("willr(14)", 1, [=](auto& x) { return williams_r(h, l, c, 14, x[0]); });
  reg("wma(20)", 1, [=](auto& x) { return wma(c, 20, x[0]); });
  reg("zlema(20)", 1, [=](auto& x) { return zlema(c, 20, x[0]); });
  // Tulip beta / not in Tulip's table.
  reg("donchian(20)", 3, [=](auto& x) { return donchian(h, l, 20, x[0], x[1], x[2]); });
  reg("keltner(20,10,2)", 3, [=](auto& x) { return keltner(h, l, c, 20, 10, 2.0, x[0], x[1], x[2]); });
  reg("cmf(20)", 1, [=](auto& x) { return cmf(h, l, c, v, 20, x[0]); });
  reg("ichimoku(9,26,52,26)", 5,
      [=](auto& x) { return ichimoku(h, l, c, 9, 26, 52, 26, x[0], x[1], x[2], x[3], x[4]); });
  reg("supertrend(10,3)", 2, [=](auto& x) { return supertrend(h, l, c, 10, 3.0, x[0], x[1]); });
  reg("zscore(20)", 1, [=](auto& x) { return zscore(c, 20, x[0]); });
  reg("cdl_engulfing", 1, [=](auto& x) { return candle_pattern(o, h, l, c, CandlePattern::kEngulfing, x[0]); });
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

// The rolling highest high / lowest low kernel's cost grows with log2(n) (and its blocks with n
// beyond 512); the streaming scan's with the rescans, ~1/√n of the bars at O(n) each.
void register_donchian_by_period() {
  for (int n : {5, 20, 52, 200, 1000, 10000}) {
    const auto reg = [n](const char* path, auto fn) {
      benchmark::RegisterBenchmark(("BM_DonchianByPeriod/" + std::string(path) + "/" + std::to_string(n)).c_str(),
                                   [fn](benchmark::State& st) { batch(st, 3, fn); })
          ->Unit(benchmark::kMillisecond);
    };
    const auto h = bars().high(), l = bars().low();
    reg("batch", [=](auto& x) { return donchian(h, l, n, x[0], x[1], x[2]); });
    reg("stream", [=](auto& x) {
      Donchian d(n);
      for (std::size_t i = 0; i < h.size(); ++i) {
        const ChannelValue v = d.update(h[i], l[i]);
        x[0][i] = v.upper;
        x[1][i] = v.middle;
        x[2][i] = v.lower;
      }
      return Status::Ok();
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_batch();
  for (const auto& info : registry())
    benchmark::RegisterBenchmark(("BM_Registry/" + info.name).c_str(), BM_Registry, &info)
        ->Unit(benchmark::kMillisecond);
  register_stream();
  register_donchian_by_period();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
