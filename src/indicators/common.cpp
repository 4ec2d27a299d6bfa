#include "tradeloop/indicators/common.hpp"

#include <limits>
#include <string>

#include "tradeloop/core/params.hpp"

namespace tradeloop::ind {

Status check_int(const char* indicator, const char* param, long long value, long long min, long long max) {
  if (value >= min && value <= max) return Status::Ok();
  return invalid_argument(std::string(indicator) + ": " + param + " must be in [" + std::to_string(min) +
                          ", " + std::to_string(max) + "], got " + std::to_string(value));
}

Status check_real(const char* indicator, const char* param, double value, double min, double max) {
  if (value >= min && value <= max) return Status::Ok();  // false for NaN
  return invalid_argument(std::string(indicator) + ": " + param + " must be in [" + format_number(min) +
                          ", " + format_number(max) + "], got " + format_number(value));
}

int require_int(const char* indicator, const char* param, long long value, long long min, long long max) {
  check_int(indicator, param, value, min, max).check();
  return static_cast<int>(value);
}

double require_real(const char* indicator, const char* param, double value, double min, double max) {
  check_real(indicator, param, value, min, max).check();
  return value;
}

namespace detail {
template <Extreme K>
std::int64_t extreme_offset(const double* w, std::int64_t count) noexcept {
  // Two passes, both cheap and predictable (a compare-and-keep-index scan mispredicts wherever
  // the extreme lies, and its branch-free form is one long dependency chain): the extreme value
  // with four independent accumulators, then the latest position holding it.
  constexpr bool kMax = K == Extreme::kMax;
  constexpr double kWorst = kMax ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  const auto pick = [](double m, double x) { return (kMax ? x > m : x < m) ? x : m; };  // NaN x: keeps m
  double m[4] = {kWorst, kWorst, kWorst, kWorst};
  std::int64_t j = 0;
  for (; j + 4 <= count; j += 4)
    for (int k = 0; k < 4; ++k) m[k] = pick(m[k], w[j + k]);
  for (; j < count; ++j) m[0] = pick(m[0], w[j]);
  const double best = pick(pick(m[0], m[1]), pick(m[2], m[3]));
  for (j = count - 1; j > 0; --j)
    if (w[j] == best) return j;
  // w[0] holds it, or every value is NaN: then the extreme is NaN (w[count − 1] is one).
  return w[0] == best ? 0 : count - 1;
}
template std::int64_t extreme_offset<Extreme::kMax>(const double*, std::int64_t) noexcept;
template std::int64_t extreme_offset<Extreme::kMin>(const double*, std::int64_t) noexcept;
}  // namespace detail

}  // namespace tradeloop::ind
