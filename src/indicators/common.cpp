#include "tradeloop/indicators/common.hpp"

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
  std::int64_t best = 0;
  double v = w[0];
  for (std::int64_t j = 1; j < count; ++j) {
    if (RollingExtreme<K>::takes(v, w[j])) {
      v = w[j];
      best = j;
    }
  }
  return best;
}
template std::int64_t extreme_offset<Extreme::kMax>(const double*, std::int64_t) noexcept;
template std::int64_t extreme_offset<Extreme::kMin>(const double*, std::int64_t) noexcept;
}  // namespace detail

}  // namespace tradeloop::ind
