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
    : period_(static_cast<std::uint64_t>(period)), max_(kind == Extreme::kMax) {
  std::uint64_t cap = 1;
  while (cap < period_ + 1) cap <<= 1;
  val_.assign(cap, 0.0);
  idx_.assign(cap, 0);
  mask_ = cap - 1;
}

}  // namespace tradeloop::ind
