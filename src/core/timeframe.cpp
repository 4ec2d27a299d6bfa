#include "tradeloop/core/timeframe.hpp"

#include <array>
#include <charconv>

namespace tradeloop {
namespace {

constexpr std::array<Timeframe, 16> kStandard = {
    Timeframe{Timeframe::Unit::kSecond, 1},  Timeframe{Timeframe::Unit::kMinute, 1},
    Timeframe{Timeframe::Unit::kMinute, 3},  Timeframe{Timeframe::Unit::kMinute, 5},
    Timeframe{Timeframe::Unit::kMinute, 15}, Timeframe{Timeframe::Unit::kMinute, 30},
    Timeframe{Timeframe::Unit::kHour, 1},    Timeframe{Timeframe::Unit::kHour, 2},
    Timeframe{Timeframe::Unit::kHour, 4},    Timeframe{Timeframe::Unit::kHour, 6},
    Timeframe{Timeframe::Unit::kHour, 8},    Timeframe{Timeframe::Unit::kHour, 12},
    Timeframe{Timeframe::Unit::kDay, 1},     Timeframe{Timeframe::Unit::kDay, 3},
    Timeframe{Timeframe::Unit::kWeek, 1},    Timeframe{Timeframe::Unit::kMonth, 1},
};

Duration unit_duration(Timeframe::Unit u) {
  switch (u) {
    case Timeframe::Unit::kSecond: return kNanosPerSecond;
    case Timeframe::Unit::kMinute: return kNanosPerMinute;
    case Timeframe::Unit::kHour: return kNanosPerHour;
    case Timeframe::Unit::kDay: return kNanosPerDay;
    case Timeframe::Unit::kWeek: return kNanosPerWeek;
    case Timeframe::Unit::kMonth: return static_cast<Duration>(30.436875 * kNanosPerDay);
  }
  return kNanosPerMinute;
}

// Monday 1970-01-05 00:00 UTC: the week grid's origin.
constexpr Timestamp kFirstMonday = 4 * kNanosPerDay;

Timestamp floor_to(Timestamp ts, Timestamp origin, Duration step) {
  std::int64_t k = (ts - origin) / step;
  if ((ts - origin) % step < 0) --k;
  return origin + k * step;
}

}  // namespace

Result<Timeframe> Timeframe::parse(std::string_view text) {
  const std::string shown = "'" + std::string(text.substr(0, 32)) + "'";
  std::size_t i = 0;
  int n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0) n = 1;
  else {
    auto [p, ec] = std::from_chars(text.data(), text.data() + i, n);
    if (ec != std::errc() || n < 1)
      return invalid_argument("timeframe " + shown + ": count must be a whole number >= 1");
  }
  const std::string_view u = text.substr(i);
  Unit unit;
  if (u == "s" || u == "S" || u == "sec") unit = Unit::kSecond;
  else if (u == "m" || u == "min" || u == "T") unit = Unit::kMinute;
  else if (u == "h" || u == "H") unit = Unit::kHour;
  else if (u == "d" || u == "D") unit = Unit::kDay;
  else if (u == "w" || u == "W") unit = Unit::kWeek;
  else if (u == "M" || u == "mo" || u == "mon") unit = Unit::kMonth;
  else
    return invalid_argument("unknown timeframe " + shown +
                            ": expected <n><unit> with unit s, m, h, d, w or M (1m = minute, "
                            "1M = month), e.g. 1m 5m 1h 4h 1d 1w 1M");
  return Timeframe(unit, n);
}

const Timeframe* Timeframe::standard(std::size_t* count) noexcept {
  *count = kStandard.size();
  return kStandard.data();
}

std::optional<Timeframe> Timeframe::from_duration(Duration step) noexcept {
  for (const Timeframe& tf : kStandard)
    if (!tf.is_calendar() && tf.nominal_duration() == step) return tf;
  // Non-standard but whole multiples: express in the largest unit that divides the step.
  constexpr Unit kUnits[] = {Unit::kWeek, Unit::kDay, Unit::kHour, Unit::kMinute, Unit::kSecond};
  for (Unit u : kUnits) {
    const Duration d = unit_duration(u);
    if (step > 0 && step % d == 0 && step / d < 1'000'000) return Timeframe(u, static_cast<int>(step / d));
  }
  return std::nullopt;
}

Duration Timeframe::nominal_duration() const noexcept { return unit_duration(unit_) * count_; }

Timestamp Timeframe::bucket_start(Timestamp ts) const noexcept {
  switch (unit_) {
    case Unit::kWeek: return floor_to(ts, kFirstMonday, kNanosPerWeek * count_);
    case Unit::kMonth: {
      const CivilTime c = to_civil(ts);
      // Months counted from 1970-01; groups of `count_` months aligned to that origin.
      std::int64_t idx = (static_cast<std::int64_t>(c.year) - 1970) * 12 + (c.month - 1);
      std::int64_t k = idx / count_;
      if (idx % count_ < 0) --k;
      idx = k * count_;
      std::int64_t y = 1970 + (idx >= 0 ? idx / 12 : (idx - 11) / 12);
      const int m = static_cast<int>(idx - (y - 1970) * 12) + 1;
      return days_from_civil(static_cast<int>(y), m, 1) * kNanosPerDay;
    }
    default: return floor_to(ts, 0, nominal_duration());
  }
}

Timestamp Timeframe::next_bucket(Timestamp bucket) const noexcept {
  if (unit_ != Unit::kMonth) return bucket + nominal_duration();
  CivilTime c = to_civil(bucket);
  int total = c.year * 12 + (c.month - 1) + count_;
  return days_from_civil(total / 12, total % 12 + 1, 1) * kNanosPerDay;
}

std::string Timeframe::to_string() const {
  const char* u = "m";
  switch (unit_) {
    case Unit::kSecond: u = "s"; break;
    case Unit::kMinute: u = "m"; break;
    case Unit::kHour: u = "h"; break;
    case Unit::kDay: u = "d"; break;
    case Unit::kWeek: u = "w"; break;
    case Unit::kMonth: u = "M"; break;
  }
  return std::to_string(count_) + u;
}

}  // namespace tradeloop
