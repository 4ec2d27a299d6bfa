#include "tradeloop/core/time.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace tradeloop {
namespace {

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  // Reads exactly n digits.
  bool digits(int n, int* out) {
    int v = 0;
    for (int k = 0; k < n; ++k) {
      if (done() || s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i++] - '0');
    }
    *out = v;
    return true;
  }
  // Reads 1..max digits.
  bool some_digits(int max, int* out) {
    int v = 0, n = 0;
    while (n < max && !done() && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0'), ++n;
    *out = v;
    return n > 0;
  }
  // Fraction digits after '.', up to 9 significant (more are truncated).
  bool fraction(std::int64_t* nanos) {
    std::int64_t v = 0;
    int n = 0;
    while (!done() && s[i] >= '0' && s[i] <= '9') {
      if (n < 9) v = v * 10 + (s[i] - '0'), ++n;
      ++i;
    }
    if (n == 0) return false;
    while (n++ < 9) v *= 10;
    *nanos = v;
    return true;
  }
  // Z, +HH:MM, +HHMM, +HH. Returns the offset in seconds east of UTC.
  bool zone(std::int64_t* offset) {
    if (eat('Z') || eat('z')) return *offset = 0, true;
    const char sign = peek();
    if (sign != '+' && sign != '-') return false;
    ++i;
    int hh = 0, mm = 0;
    if (!digits(2, &hh)) return false;
    if (eat(':')) {
      if (!digits(2, &mm)) return false;
    } else if (!done()) {
      if (!digits(2, &mm)) return false;
    }
    if (hh > 23 || mm > 59) return false;
    *offset = (sign == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    return true;
  }
};

bool valid_civil(const CivilTime& c) {
  return c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= days_in_month(c.year, c.month) &&
         c.hour >= 0 && c.hour <= 23 && c.minute >= 0 && c.minute <= 59 && c.second >= 0 &&
         c.second <= 60;  // leap second 60 accepted and folded into the next minute
}

std::string quote(std::string_view text) {
  std::string q = "'";
  const std::size_t n = text.size() < 64 ? text.size() : 64;
  q.append(text.substr(0, n));
  if (text.size() > n) q += "...";
  q += "'";
  return q;
}

Result<Timestamp> finish(const CivilTime& c, std::int64_t offset_s, std::string_view text) {
  if (!valid_civil(c)) return parse_error("invalid date or time " + quote(text));
  // int64 nanoseconds cover 1677-09-21 .. 2262-04-11; outside whole years the arithmetic overflows.
  if (c.year < 1678 || c.year > 2261)
    return parse_error("timestamp " + quote(text) + " is outside the representable years 1678..2261");
  return from_civil(c) - offset_s * kNanosPerSecond;
}

// ISO 8601: YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][zone], also YYYYMMDD.
std::optional<Result<Timestamp>> parse_iso(std::string_view text) {
  Cursor cur{text};
  CivilTime c;
  if (!cur.digits(4, &c.year)) return std::nullopt;
  if (cur.eat('-')) {
    if (!cur.digits(2, &c.month) || !cur.eat('-') || !cur.digits(2, &c.day)) return std::nullopt;
  } else if (cur.eat('/')) {
    if (!cur.digits(2, &c.month) || !cur.eat('/') || !cur.digits(2, &c.day)) return std::nullopt;
  } else {
    if (text.size() != 8 || !cur.digits(2, &c.month) || !cur.digits(2, &c.day)) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (!cur.done()) {
    if (!(cur.eat('T') || cur.eat(' ') || cur.eat('t'))) return std::nullopt;
    while (cur.eat(' ')) {
    }
    if (!cur.digits(2, &c.hour) || !cur.eat(':') || !cur.digits(2, &c.minute)) return std::nullopt;
    if (cur.eat(':')) {
      if (!cur.digits(2, &c.second)) return std::nullopt;
      if (cur.eat('.') || cur.eat(',')) {
        if (!cur.fraction(&c.nanos)) return std::nullopt;
      }
    }
    while (cur.eat(' ')) {
    }
    if (!cur.done()) {
      if (cur.s.substr(cur.i) == "UTC" || cur.s.substr(cur.i) == "GMT") {
        cur.i = cur.s.size();
      } else if (!cur.zone(&offset)) {
        return std::nullopt;
      }
    }
    if (!cur.done()) return std::nullopt;
  }
  return finish(c, offset, text);
}

// Integer or decimal epoch number.
std::optional<Result<Timestamp>> parse_epoch(std::string_view text, EpochUnit unit) {
  std::size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
  const std::size_t int_start = i;
  long double whole = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') whole = whole * 10 + (text[i++] - '0');
  if (i == int_start) return std::nullopt;
  long double frac = 0, scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      scale /= 10;
      frac += (text[i++] - '0') * scale;
    }
  }
  if (i != text.size()) return std::nullopt;
  long double v = whole + frac;
  if (unit == EpochUnit::kAuto) {
    if (v < 1e11L) unit = EpochUnit::kSeconds;
    else if (v < 1e14L) unit = EpochUnit::kMilliseconds;
    else if (v < 1e17L) unit = EpochUnit::kMicroseconds;
    else unit = EpochUnit::kNanoseconds;
  }
  long double mult = 1;
  switch (unit) {
    case EpochUnit::kSeconds: mult = 1e9L; break;
    case EpochUnit::kMilliseconds: mult = 1e6L; break;
    case EpochUnit::kMicroseconds: mult = 1e3L; break;
    default: break;
  }
  const long double ns = v * mult;
  if (ns > static_cast<long double>(std::numeric_limits<std::int64_t>::max()))
    return Result<Timestamp>(parse_error("epoch number out of range " + quote(text)));
  const auto r = static_cast<std::int64_t>(std::llround(ns));
  return Result<Timestamp>(neg ? -r : r);
}

Result<Timestamp> parse_with_format(std::string_view text, std::string_view fmt) {
  Cursor cur{text};
  CivilTime c;
  std::int64_t offset = 0;
  auto fail = [&] {
    return parse_error("timestamp " + quote(text) + " does not match the format '" +
                       std::string(fmt) + "'");
  };
  for (std::size_t k = 0; k < fmt.size(); ++k) {
    if (fmt[k] != '%' || k + 1 == fmt.size()) {
      if (!cur.eat(fmt[k])) return fail();
      continue;
    }
    const char t = fmt[++k];
    bool ok = true;
    switch (t) {
      case 'Y': ok = cur.digits(4, &c.year); break;
      case 'y': {
        int yy = 0;
        ok = cur.digits(2, &yy);
        c.year = yy < 69 ? 2000 + yy : 1900 + yy;
        break;
      }
      case 'm': ok = cur.some_digits(2, &c.month); break;
      case 'd': ok = cur.some_digits(2, &c.day); break;
      case 'H': ok = cur.some_digits(2, &c.hour); break;
      case 'M': ok = cur.some_digits(2, &c.minute); break;
      case 'S': ok = cur.some_digits(2, &c.second); break;
      case 'f': ok = cur.fraction(&c.nanos); break;
      case 'z': ok = cur.zone(&offset); break;
      case '%': ok = cur.eat('%'); break;
      default: ok = false;
    }
    if (!ok) return fail();
  }
  if (!cur.done()) return fail();
  return finish(c, offset, text);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

int days_in_month(int year, int month) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

CivilTime to_civil(Timestamp ts) noexcept {
  std::int64_t days = ts / kNanosPerDay;
  std::int64_t rem = ts % kNanosPerDay;
  if (rem < 0) rem += kNanosPerDay, --days;
  // H. Hinnant's civil_from_days.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilTime c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int>(yoe + era * 400 + (c.month <= 2));
  c.hour = static_cast<int>(rem / kNanosPerHour);
  c.minute = static_cast<int>(rem / kNanosPerMinute % 60);
  c.second = static_cast<int>(rem / kNanosPerSecond % 60);
  c.nanos = rem % kNanosPerSecond;
  return c;
}

Timestamp from_civil(const CivilTime& c) noexcept {
  return days_from_civil(c.year, c.month, c.day) * kNanosPerDay + c.hour * kNanosPerHour +
         c.minute * kNanosPerMinute + c.second * kNanosPerSecond + c.nanos;
}

int weekday(Timestamp ts) noexcept {
  std::int64_t days = ts / kNanosPerDay;
  if (ts % kNanosPerDay < 0) --days;
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

Result<Timestamp> parse_timestamp(std::string_view raw, const TimeParseOptions& options) {
  const std::string_view text = trim(raw);
  if (text.empty()) return parse_error("empty timestamp");
  if (!options.format.empty()) return parse_with_format(text, options.format);
  if (auto iso = parse_iso(text)) return std::move(*iso);
  if (auto epoch = parse_epoch(text, options.epoch_unit)) return std::move(*epoch);
  return parse_error("cannot parse timestamp " + quote(text) +
                     ": expected ISO 8601 (2024-01-01T00:00:00Z), '2024-01-01 00:00:00', a date "
                     "(2024-01-01) or epoch seconds/milliseconds; other layouts need a format");
}

std::string format_timestamp(Timestamp ts) {
  const CivilTime c = to_civil(ts);
  char buf[48];
  if (c.nanos == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                  c.minute, c.second);
  } else if (c.nanos % kNanosPerMilli == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", c.year, c.month, c.day,
                  c.hour, c.minute, c.second, static_cast<long long>(c.nanos / kNanosPerMilli));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", c.year, c.month, c.day,
                  c.hour, c.minute, c.second, static_cast<long long>(c.nanos));
  }
  return buf;
}

std::string format_date(Timestamp ts) {
  const CivilTime c = to_civil(ts);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::string format_duration(Duration d) {
  const bool neg = d < 0;
  if (neg) d = -d;
  const std::int64_t days = d / kNanosPerDay;
  const std::int64_t rem = d % kNanosPerDay;
  char buf[64];
  const int h = static_cast<int>(rem / kNanosPerHour), m = static_cast<int>(rem / kNanosPerMinute % 60),
            s = static_cast<int>(rem / kNanosPerSecond % 60);
  if (days > 0)
    std::snprintf(buf, sizeof buf, "%s%lldd %02d:%02d:%02d", neg ? "-" : "", static_cast<long long>(days), h, m, s);
  else
    std::snprintf(buf, sizeof buf, "%s%02d:%02d:%02d", neg ? "-" : "", h, m, s);
  return buf;
}

}  // namespace tradeloop
