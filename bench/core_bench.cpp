// Core primitives: timestamp parsing and formatting (every CSV row goes through the parser).
#include <benchmark/benchmark.h>

#include "tradeloop/core/rng.hpp"
#include "tradeloop/core/time.hpp"

namespace {

void BM_ParseIsoTimestamp(benchmark::State& state) {
  for (auto _ : state) {
    auto r = tradeloop::parse_timestamp("2024-01-01 12:34:56");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseIsoTimestamp);

void BM_FormatTimestamp(benchmark::State& state) {
  tradeloop::Timestamp t = 1704067200LL * tradeloop::kNanosPerSecond;
  for (auto _ : state) {
    auto s = tradeloop::format_timestamp(t);
    benchmark::DoNotOptimize(s);
    t += tradeloop::kNanosPerMinute;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatTimestamp);

void BM_RngNormal(benchmark::State& state) {
  tradeloop::Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(rng.normal());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngNormal);

}  // namespace

BENCHMARK_MAIN();
