#include "tradeloop/analysis/metric_set.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "tradeloop/core/result.hpp"

namespace tradeloop::analysis {

namespace detail_metric_set {
// Whole numbers up to 2^53 are exact in a double and print without decimals.
bool is_whole(double v) { return std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < 9.0e15; }
}  // namespace detail_metric_set

void MetricSet::set(std::string_view name, double value) {
  for (auto& [n, v] : items_) {
    if (n == name) {
      v = value;
      return;
    }
  }
  items_.emplace_back(std::string(name), value);
}

std::optional<double> MetricSet::find(std::string_view name) const noexcept {
  for (const auto& [n, v] : items_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

double MetricSet::get(std::string_view name) const {
  if (auto v = find(name)) return *v;
  throw Exception(ErrorCode::kNotFound,
                  "unknown metric '" + std::string(name) + "' (see docs/metrics.md for the names)");
}

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  if (detail_metric_set::is_whole(value)) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
  } else if (std::fabs(value) < 1e-3) {
    std::snprintf(buf, sizeof buf, "%.6g", value);
  } else {
    std::snprintf(buf, sizeof buf, "%.6f", value);
    // Trim trailing zeros of the fraction ("1.500000" -> "1.5").
    std::string s(buf);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  }
  return buf;
}

std::string metrics_to_json(const MetricSet& metrics, int indent) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [name, v] : metrics.items()) {
    if (!std::isfinite(v)) {
      j[name] = nullptr;
    } else if (detail_metric_set::is_whole(v)) {
      j[name] = static_cast<std::int64_t>(v);
    } else {
      j[name] = v;
    }
  }
  return j.dump(indent);
}

std::string metrics_to_text(const MetricSet& metrics) {
  std::size_t width = 0;
  for (const auto& item : metrics.items()) width = std::max(width, item.first.size());
  std::string out;
  for (const auto& [name, v] : metrics.items()) {
    out += name;
    out.append(width + 2 - name.size(), ' ');
    out += format_metric_value(v);
    out += '\n';
  }
  return out;
}

}  // namespace tradeloop::analysis
