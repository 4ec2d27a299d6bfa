// Shared fixtures for benchmarks: deterministic synthetic OHLCV series of any length, and the
// single-column baseline the indicator benches print.
#pragma once

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <span>

#include "tradeloop/core/rng.hpp"
#include "tradeloop/data/bar_series.hpp"

namespace tradeloop::bench {

// A geometric random walk of `n` one-minute bars starting 2020-01-01, seeded, with consistent
// OHLC (high >= max(open, close), low <= min(open, close)) and positive volume.
inline BarSeries random_walk_series(std::size_t n, std::uint64_t seed = 42) {
  Rng rng(seed);
  BarSeries s("SYN/USD");
  s.reserve(n);
  const Timestamp t0 = 1577836800LL * kNanosPerSecond;
  double price = 100.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double open = price;
    const double close = open * std::exp(0.001 * rng.normal());
    const double high = std::max(open, close) * (1 + 0.0005 * rng.uniform());
    const double low = std::min(open, close) * (1 - 0.0005 * rng.uniform());
    s.push_back(Bar{t0 + static_cast<Timestamp>(i) * kNanosPerMinute, open, high, low, close,
                    100 + 50 * rng.uniform()});
    price = close;
  }
  s.set_timeframe(Timeframe(Timeframe::Unit::kMinute, 1));
  return s;
}

// The baseline of a single-pass indicator benchmark: one pass summing `column` (the close), so
// the ratio to the memory-bandwidth limit is visible. items_per_second = values per second.
inline void sum_column_baseline(benchmark::State& state, std::span<const double> column) {
  for (auto _ : state) {
    double s = 0;
    for (double v : column) s += v;
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * column.size()));
}

}  // namespace tradeloop::bench
