// Test data and helpers shared by the indicator tests: seeded random OHLCV series with ties and
// flat bars, the real sample files, and registry input columns.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "tradeloop/core/rng.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/indicators/registry.hpp"
#include "test_util.hpp"

namespace tradeloop::ind::testing {

using Col = std::vector<double>;
using Cols = std::vector<Col>;

// Hourly random walk around 100 with a correlated "benchmark" column; about 10 % of bars
// repeat the previous close and 3 % have high == low, so ties and flat ranges are exercised.
inline BarSeries random_series(std::size_t n, std::uint64_t seed = 7, double level = 100.0) {
  Rng rng(seed);
  BarSeries s("RND");
  double price = level, bench = level;
  std::vector<double> benchmark;
  for (std::size_t i = 0; i < n; ++i) {
    const double open = price;
    const double step = rng.normal() * 0.01;
    const bool flat = rng.uniform() < 0.03;  // a bar without range: O = H = L = C
    double close = (flat || rng.uniform() < 0.1) ? open : open * std::exp(step);
    close = std::round(close * 100) / 100;  // cent ticks make ties common
    const double high = flat ? close : std::max(open, close) + std::round(rng.uniform() * 50) / 100;
    const double low = flat ? close : std::min(open, close) - std::round(rng.uniform() * 50) / 100;
    s.push_back(Bar{1704067200LL * kNanosPerSecond + static_cast<Timestamp>(i) * kNanosPerHour, flat ? close : open,
                    high, low, close, std::round(1000 + 500 * rng.uniform())});
    bench *= std::exp(0.5 * step + 0.005 * rng.normal());
    benchmark.push_back(bench);
    price = close;
  }
  (void)s.set_column("benchmark", benchmark);
  return s;
}

// A real sample file (examples/data), first `max_rows` rows, with the open as "benchmark".
inline BarSeries real_series(const std::string& file, std::size_t max_rows) {
  auto r = read_csv(tradeloop::testing::source_path("examples/data/" + file));
  BarSeries s = std::move(r).value();
  if (s.size() > max_rows) s = s.slice(0, max_rows);
  const auto open = s.open();
  (void)s.set_column("benchmark", std::vector<double>(open.begin(), open.end()));
  return s;
}

// The entry's input columns taken from a series ("time" = open time in ns as double).
inline Cols input_columns(const IndicatorInfo& info, const BarSeries& s) {
  Cols cols;
  for (const auto& name : info.inputs) {
    if (name == "time") {
      const auto ts = s.timestamps();
      cols.emplace_back(ts.begin(), ts.end());
    } else {
      const auto c = s.column(name).value();
      cols.emplace_back(c.begin(), c.end());
    }
  }
  return cols;
}

inline std::vector<std::span<const double>> spans_of(const Cols& c) {
  return std::vector<std::span<const double>>(c.begin(), c.end());
}
inline std::vector<std::span<double>> spans_of(Cols& c) { return std::vector<std::span<double>>(c.begin(), c.end()); }

// Runs the registry batch form.
inline Cols compute(const IndicatorInfo& info, const ParamSet& p, const Cols& in, Status* status = nullptr) {
  Cols out(info.outputs.size(), Col(in.empty() ? 0 : in[0].size()));
  const auto ins = spans_of(in);
  auto outs = spans_of(out);
  Status st = info.compute(p, ins, outs);
  if (status) *status = st;
  else st.check();
  return out;
}

// Both NaN, or equal within rel·max(1, |a|, |b|).
inline bool close_enough(double a, double b, double rel) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= rel * std::max({1.0, std::fabs(a), std::fabs(b)});
}

}  // namespace tradeloop::ind::testing
