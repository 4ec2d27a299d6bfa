// tradeloop's batch indicators against Tulip Indicators 0.8.4 on the same 1,000,000 bars, in the
// same process and run (issue #3: "every indicator at least as fast as Tulip Indicators").
// Tulip is the C library fetched by scripts/fetch_tulip.sh (LGPL-3.0), compiled with the same
// compiler at -O3; it is used here only. Each pair runs back to back:
//
//   BM_Tulip/<name>   ti_<name>() over the whole input (Tulip writes only the defined rows)
//   BM_Ours/<name>    our typed batch function with the same parameters (all rows, NaN warm-up;
//                     where we produce more outputs than Tulip, e.g. bbands' %B and width, they
//                     are computed and written too)
//
// items_per_second = bars per second. Parameters: Tulip's names and ours agree (see the
// labels); where the two definitions differ the label says how.
#include <benchmark/benchmark.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
#include "indicators.h"
}

#include "bench_util.hpp"
#include "tradeloop/indicators/indicators.hpp"

namespace {

using namespace tradeloop;
using namespace tradeloop::ind;

constexpr std::size_t kBars = 1'000'000;
using Outs = std::vector<std::vector<double>>;

const BarSeries& bars() {
  static const BarSeries s = bench::random_walk_series(kBars);
  return s;
}

std::span<const double> column(const std::string& tulip_input) {
  const BarSeries& b = bars();
  if (tulip_input == "open") return b.open();
  if (tulip_input == "high") return b.high();
  if (tulip_input == "low") return b.low();
  if (tulip_input == "volume") return b.volume();
  return b.close();  // "close" and "real"
}

void tulip(benchmark::State& state, const char* name, std::vector<double> options) {
  const ti_indicator_info* info = ti_find_indicator(name);
  if (!info) throw std::runtime_error(std::string("Tulip has no indicator ") + name);
  std::vector<const double*> in;
  for (int k = 0; k < info->inputs; ++k) in.push_back(column(info->input_names[k]).data());
  const int start = info->start(options.data());
  Outs out(static_cast<std::size_t>(info->outputs), std::vector<double>(kBars - static_cast<std::size_t>(start)));
  std::vector<double*> outp;
  for (auto& o : out) outp.push_back(o.data());
  for (auto _ : state) {
    if (info->indicator(static_cast<int>(kBars), in.data(), options.data(), outp.data()) != TI_OKAY)
      throw std::runtime_error(std::string("ti_") + name + " failed");
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBars));
}

void ours(benchmark::State& state, std::size_t outputs, const std::function<Status(Outs&)>& fn) {
  Outs out(outputs, std::vector<double>(kBars));
  for (auto _ : state) {
    fn(out).check();
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBars));
}

void BM_Baseline_SumClose(benchmark::State& state) { bench::sum_column_baseline(state, bars().close()); }

void register_pairs() {
  const BarSeries& b = bars();
  const auto h = b.high(), l = b.low(), c = b.close(), v = b.volume();
  const auto pair = [](const std::string& label, const char* ti, std::vector<double> options, std::size_t outputs,
                       std::function<Status(Outs&)> fn) {
    benchmark::RegisterBenchmark(("BM_Tulip/" + label).c_str(),
                                 [ti, options](benchmark::State& st) { tulip(st, ti, options); })
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_Ours/" + label).c_str(),
                                 [outputs, fn](benchmark::State& st) { ours(st, outputs, fn); })
        ->Unit(benchmark::kMillisecond);
  };
  pair("ad", "ad", {}, 1, [=](Outs& x) { return ad_line(h, l, c, v, x[0]); });
  pair("adosc(3,10)", "adosc", {3, 10}, 1, [=](Outs& x) { return ad_oscillator(h, l, c, v, 3, 10, x[0]); });
  pair("adx(14) [ours: +DI, -DI, DX, ADX]", "adx", {14}, 4,
       [=](Outs& x) { return adx(h, l, c, 14, x[0], x[1], x[2], x[3]); });
  pair("apo(12,26) [EMA]", "apo", {12, 26}, 1, [=](Outs& x) { return apo(c, 12, 26, x[0], MaType::kEma); });
  pair("aroon(14) [ours: + oscillator]", "aroon", {14}, 3, [=](Outs& x) { return aroon(h, l, 14, x[0], x[1], x[2]); });
  pair("aroonosc(14) [ours: + up, down]", "aroonosc", {14}, 3,
       [=](Outs& x) { return aroon(h, l, 14, x[0], x[1], x[2]); });
  pair("atr(14)", "atr", {14}, 1, [=](Outs& x) { return atr(h, l, c, 14, x[0]); });
  pair("bbands(20,2)", "bbands", {20, 2}, 3,
       [=](Outs& x) { return bollinger_bands(c, 20, 2.0, x[0], x[1], x[2], {}, {}); });
  benchmark::RegisterBenchmark("BM_Ours/bbands(20,2) [+ %B and width, no Tulip twin]", [=](benchmark::State& st) {
    ours(st, 5, [=](Outs& x) { return bollinger_bands(c, 20, 2.0, x[0], x[1], x[2], x[3], x[4]); });
  })->Unit(benchmark::kMillisecond);
  pair("cci(20)", "cci", {20}, 1, [=](Outs& x) { return cci(h, l, c, 20, x[0]); });
  pair("cmo(14) [ours: Wilder-smoothed, TA-Lib]", "cmo", {14}, 1, [=](Outs& x) { return cmo(c, 14, x[0]); });
  pair("dema(20)", "dema", {20}, 1, [=](Outs& x) { return dema(c, 20, x[0]); });
  pair("ema(20) [Tulip: seeded with the first value]", "ema", {20}, 1, [=](Outs& x) { return ema(c, 20, x[0]); });
  pair("hma(20)", "hma", {20}, 1, [=](Outs& x) { return hma(c, 20, x[0]); });
  pair("kama(30)", "kama", {30}, 1, [=](Outs& x) { return kama(c, 30, x[0]); });
  // TA-Lib and Tulip have one function per output; ours computes the outputs given a span.
  const std::span<double> none;
  pair("linreg(14)", "linreg", {14}, 1,
       [=](Outs& x) { return linear_regression(c, 14, x[0], none, none, none, none, none); });
  pair("linregslope(14)", "linregslope", {14}, 1,
       [=](Outs& x) { return linear_regression(c, 14, none, x[0], none, none, none, none); });
  pair("linregintercept(14)", "linregintercept", {14}, 1,
       [=](Outs& x) { return linear_regression(c, 14, none, none, x[0], none, none, none); });
  pair("tsf(14)", "tsf", {14}, 1,
       [=](Outs& x) { return linear_regression(c, 14, none, none, none, none, x[0], none); });
  benchmark::RegisterBenchmark("BM_Ours/linreg(14) [all 6 outputs, no Tulip twin]", [=](benchmark::State& st) {
    ours(st, 6, [=](Outs& x) { return linear_regression(c, 14, x[0], x[1], x[2], x[3], x[4], x[5]); });
  })->Unit(benchmark::kMillisecond);
  pair("macd(12,26,9)", "macd", {12, 26, 9}, 3, [=](Outs& x) { return macd(c, 12, 26, 9, x[0], x[1], x[2]); });
  pair("mfi(14)", "mfi", {14}, 1, [=](Outs& x) { return mfi(h, l, c, v, 14, x[0]); });
  pair("mom(10)", "mom", {10}, 1, [=](Outs& x) { return mom(c, 10, x[0]); });
  pair("natr(14)", "natr", {14}, 1, [=](Outs& x) { return natr(h, l, c, 14, x[0]); });
  pair("obv", "obv", {}, 1, [=](Outs& x) { return obv(c, v, x[0]); });
  pair("ppo(12,26) [EMA]", "ppo", {12, 26}, 1, [=](Outs& x) { return ppo(c, 12, 26, x[0], MaType::kEma); });
  pair("psar(0.02,0.2)", "psar", {0.02, 0.2}, 1, [=](Outs& x) { return parabolic_sar(h, l, 0.02, 0.2, x[0]); });
  pair("roc(10)", "roc", {10}, 1, [=](Outs& x) { return roc(c, 10, x[0]); });
  pair("rsi(14)", "rsi", {14}, 1, [=](Outs& x) { return rsi(c, 14, x[0]); });
  pair("sma(20)", "sma", {20}, 1, [=](Outs& x) { return sma(c, 20, x[0]); });
  pair("stddev(20)", "stddev", {20}, 1, [=](Outs& x) { return stddev(c, 20, x[0]); });
  pair("stoch(14,3,3) [ours: + fast %K]", "stoch", {14, 3, 3}, 3,
       [=](Outs& x) { return stochastic(h, l, c, 14, 3, 3, x[0], x[1], x[2]); });
  pair("tema(20)", "tema", {20}, 1, [=](Outs& x) { return tema(c, 20, x[0]); });
  pair("tr", "tr", {}, 1, [=](Outs& x) { return true_range(h, l, c, x[0]); });
  pair("trima(20)", "trima", {20}, 1, [=](Outs& x) { return trima(c, 20, x[0]); });
  pair("trix(30)", "trix", {30}, 1, [=](Outs& x) { return trix(c, 30, x[0]); });
  pair("ultosc(7,14,28)", "ultosc", {7, 14, 28}, 1, [=](Outs& x) { return ultimate_oscillator(h, l, c, 7, 14, 28, x[0]); });
  pair("var(20)", "var", {20}, 1, [=](Outs& x) { return variance(c, 20, x[0]); });
  pair("vwma(20)", "vwma", {20}, 1, [=](Outs& x) { return vwma(c, v, 20, x[0]); });
  pair("wilders(14) [ours: rma]", "wilders", {14}, 1, [=](Outs& x) { return rma(c, 14, x[0]); });
  pair("willr(14)", "willr", {14}, 1, [=](Outs& x) { return williams_r(h, l, c, 14, x[0]); });
  pair("wma(20)", "wma", {20}, 1, [=](Outs& x) { return wma(c, 20, x[0]); });
  pair("zlema(20)", "zlema", {20}, 1, [=](Outs& x) { return zlema(c, 20, x[0]); });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("BM_Baseline_SumClose", BM_Baseline_SumClose)->Unit(benchmark::kMillisecond);
  register_pairs();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
