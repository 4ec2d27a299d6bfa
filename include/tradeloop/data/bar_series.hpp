// A columnar OHLCV series: one contiguous vector per field, plus named extra columns.
//
// Columns are what indicators and the vectorised sweep read (spans of doubles, cache-friendly);
// `bar(i)` assembles a row for event-driven code. Invariants kept by the mutators: every column
// has `size()` rows. Ordering and validity (monotonic timestamps, finite positive prices) are
// NOT enforced here -- the CSV reader and `validate()` in data/validate.hpp check them -- so a
// series built by hand may be unsorted until validated. Not thread-safe for writes; concurrent
// reads are fine.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/time.hpp"
#include "tradeloop/core/timeframe.hpp"
#include "tradeloop/data/bar.hpp"

namespace tradeloop {

class BarSeries {
 public:
  BarSeries() = default;
  explicit BarSeries(std::string symbol) : symbol_(std::move(symbol)) {}

  // Identity and metadata.
  const std::string& symbol() const noexcept { return symbol_; }
  void set_symbol(std::string s) { symbol_ = std::move(s); }
  // The bar spacing if known (set by the reader from the data, or by resample).
  std::optional<Timeframe> timeframe() const noexcept { return timeframe_; }
  void set_timeframe(std::optional<Timeframe> tf) noexcept { timeframe_ = tf; }
  // Where the data came from ("examples/data/btc.csv"), used in error messages and reports.
  const std::string& source() const noexcept { return source_; }
  void set_source(std::string s) { source_ = std::move(s); }

  std::size_t size() const noexcept { return ts_.size(); }
  bool empty() const noexcept { return ts_.empty(); }
  void reserve(std::size_t n);
  void clear();

  void push_back(const Bar& b);
  Bar bar(std::size_t i) const noexcept {
    return Bar{ts_[i], open_[i], high_[i], low_[i], close_[i], volume_[i]};
  }
  Bar front() const noexcept { return bar(0); }
  Bar back() const noexcept { return bar(size() - 1); }

  std::span<const Timestamp> timestamps() const noexcept { return ts_; }
  std::span<const double> open() const noexcept { return open_; }
  std::span<const double> high() const noexcept { return high_; }
  std::span<const double> low() const noexcept { return low_; }
  std::span<const double> close() const noexcept { return close_; }
  std::span<const double> volume() const noexcept { return volume_; }

  // Mutable access for readers and repair code; callers keep the columns the same length.
  std::vector<Timestamp>& mutable_timestamps() noexcept { return ts_; }
  std::vector<double>& mutable_open() noexcept { return open_; }
  std::vector<double>& mutable_high() noexcept { return high_; }
  std::vector<double>& mutable_low() noexcept { return low_; }
  std::vector<double>& mutable_close() noexcept { return close_; }
  std::vector<double>& mutable_volume() noexcept { return volume_; }

  // Named extra columns ("adj_close", "open_interest", "rsi(14)").
  // Adds or replaces; the column must have size() rows (else kInvalidArgument).
  Status set_column(std::string name, std::vector<double> values);
  bool has_column(std::string_view name) const noexcept;
  // Also resolves the core fields by name: "open", "high", "low", "close", "volume".
  Result<std::span<const double>> column(std::string_view name) const;
  const std::vector<std::pair<std::string, std::vector<double>>>& extra_columns() const noexcept {
    return extra_;
  }

  // Rows [begin, end) as a new series (metadata and extra columns copied).
  BarSeries slice(std::size_t begin, std::size_t end) const;
  // Index of the first bar with ts >= t (size() if none).
  std::size_t lower_bound(Timestamp t) const noexcept;
  // Most common spacing between consecutive bars (0 when fewer than 2 bars).
  Duration typical_step() const noexcept;
  // The timeframe implied by typical_step(): Timeframe::from_duration, or 1M / 3M when the step
  // is 28..31 / 89..92 days (calendar months). nullopt for fewer than 2 bars or an odd step.
  std::optional<Timeframe> detect_timeframe() const noexcept;

  // Same values in every column and the same extra columns; metadata not compared.
  bool same_data(const BarSeries& other) const noexcept;

 private:
  std::string symbol_;
  std::string source_;
  std::optional<Timeframe> timeframe_;
  std::vector<Timestamp> ts_;
  std::vector<double> open_, high_, low_, close_, volume_;
  std::vector<std::pair<std::string, std::vector<double>>> extra_;
};

}  // namespace tradeloop
