// Bar timeframes ("1s" .. "1M") and calendar bucketing.
//
// Buckets are aligned to the Unix epoch for seconds/minutes/hours/days (so "4h" buckets start at
// 00:00, 04:00, ... UTC), to Monday 00:00 UTC for weeks, and to the first of the month 00:00 UTC
// for months. A bucket is identified by its start (bars are stamped with their OPEN time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/time.hpp"

namespace tradeloop {

class Timeframe {
 public:
  enum class Unit { kSecond, kMinute, kHour, kDay, kWeek, kMonth };

  constexpr Timeframe() = default;
  constexpr Timeframe(Unit unit, int count) : unit_(unit), count_(count) {}

  // Accepts "<n><unit>" with unit s, m, h, d, w, M (case matters: "1m" minute, "1M" month),
  // n >= 1. Common spellings "1min", "1H", "1D", "1W", "1mo" are accepted too.
  static Result<Timeframe> parse(std::string_view text);
  // The standard set offered by the CLI: 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M.
  static const Timeframe* standard(std::size_t* count) noexcept;
  // The smallest standard timeframe whose nominal duration equals `step`, if any.
  static std::optional<Timeframe> from_duration(Duration step) noexcept;

  Unit unit() const noexcept { return unit_; }
  int count() const noexcept { return count_; }
  bool is_calendar() const noexcept { return unit_ == Unit::kMonth; }

  // Exact length for fixed units; 30.436875 days x count for months (only for estimates).
  Duration nominal_duration() const noexcept;
  // Start of the bucket containing ts.
  Timestamp bucket_start(Timestamp ts) const noexcept;
  // Start of the bucket after the one starting at `bucket`.
  Timestamp next_bucket(Timestamp bucket) const noexcept;

  std::string to_string() const;
  bool operator==(const Timeframe&) const = default;

 private:
  Unit unit_ = Unit::kMinute;
  int count_ = 1;
};

}  // namespace tradeloop
