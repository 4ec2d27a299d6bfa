// Deterministic random-walk OHLCV series for property tests (open = previous close, so bar
// increments are independent: no strategy can have an edge on it without look-ahead).
#pragma once

#include <algorithm>
#include <cmath>

#include "sim/scripted.hpp"
#include "tradeloop/core/rng.hpp"

namespace tradeloop::testing {

inline BarSeries random_walk(std::size_t n, std::uint64_t seed, double vol = 0.01) {
  Rng rng(seed);
  BarSeries s("RW/USD");
  double price = 100;
  for (std::size_t i = 0; i < n; ++i) {
    const double open = price;
    const double close = open * std::exp(vol * rng.normal());
    const double high = std::max(open, close) * (1 + vol * 0.5 * rng.uniform());
    const double low = std::min(open, close) * (1 - vol * 0.5 * rng.uniform());
    s.push_back(Bar{kT0 + static_cast<Timestamp>(i) * kNanosPerHour, open, high, low, close, 50 + 100 * rng.uniform()});
    price = close;
  }
  return s;
}

}  // namespace tradeloop::testing
