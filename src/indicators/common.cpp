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

RollingExtreme::RollingExtreme(int period, Extreme kind)
    : block_(static_cast<std::size_t>(period)),
      suf_(static_cast<std::size_t>(period)),
      suf_idx_(static_cast<std::size_t>(period)),
      n_(static_cast<std::size_t>(period)),
      max_(kind == Extreme::kMax) {}

}  // namespace tradeloop::ind
