// Time: int64 nanoseconds since the Unix epoch, UTC, everywhere (DESIGN.md §3).
//
// Text is ISO 8601 on output (`2024-01-01T00:00:00Z`, fractional seconds only when non-zero).
// Input accepts ISO 8601 with `T` or a space, with `Z` or a `+HH:MM`/`+HHMM` offset (converted
// to UTC), a bare date, and epoch numbers whose unit is detected by magnitude (or forced).
// Other layouts (`01/03/16 23:43:11`) parse only with an explicit strptime-like format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tradeloop/core/result.hpp"

namespace tradeloop {

using Timestamp = std::int64_t;  // ns since 1970-01-01T00:00:00Z
using Duration = std::int64_t;   // ns

inline constexpr Duration kNanosPerMicro = 1'000;
inline constexpr Duration kNanosPerMilli = 1'000'000;
inline constexpr Duration kNanosPerSecond = 1'000'000'000;
inline constexpr Duration kNanosPerMinute = 60 * kNanosPerSecond;
inline constexpr Duration kNanosPerHour = 60 * kNanosPerMinute;
inline constexpr Duration kNanosPerDay = 24 * kNanosPerHour;
inline constexpr Duration kNanosPerWeek = 7 * kNanosPerDay;

// Unit of a bare epoch number. kAuto decides by magnitude of |v|:
// < 1e11 seconds, < 1e14 milliseconds, < 1e17 microseconds, otherwise nanoseconds
// (1e11 s is the year 5138; 1e11 ms is 1973-03-03, so any realistic ms value is >= 1e11).
enum class EpochUnit { kAuto, kSeconds, kMilliseconds, kMicroseconds, kNanoseconds };

struct TimeParseOptions {
  EpochUnit epoch_unit = EpochUnit::kAuto;
  // strptime-like layout; empty = ISO 8601 / date / epoch detection. Tokens: %Y (4-digit year),
  // %y (2-digit year, 69..99 -> 19xx, 00..68 -> 20xx, as POSIX), %m, %d, %H, %M, %S, %f
  // (fraction digits), %z (Z or +HH[:]MM), %% ; any other character must match literally.
  std::string format;
};

// Calendar fields of a UTC instant.
struct CivilTime {
  int year = 1970, month = 1, day = 1;
  int hour = 0, minute = 0, second = 0;
  std::int64_t nanos = 0;  // 0..999'999'999

  bool operator==(const CivilTime&) const = default;
};

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(int y, int m, int d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilTime to_civil(Timestamp ts) noexcept;
Timestamp from_civil(const CivilTime& c) noexcept;
// 0 = Monday .. 6 = Sunday (ISO weekday - 1).
int weekday(Timestamp ts) noexcept;
int days_in_month(int year, int month) noexcept;

// Parses one timestamp; the error message quotes the text and says which forms are accepted.
Result<Timestamp> parse_timestamp(std::string_view text, const TimeParseOptions& options = {});

// ISO 8601 UTC: `2024-01-01T00:00:00Z`, or `2024-01-01T00:00:00.250Z` when sub-second.
std::string format_timestamp(Timestamp ts);
// `2024-01-01` (the UTC date).
std::string format_date(Timestamp ts);

// Human duration for reports: `3d 04:05:06`, `00:01:00`.
std::string format_duration(Duration d);

}  // namespace tradeloop
