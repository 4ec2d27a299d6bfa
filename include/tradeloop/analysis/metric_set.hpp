// An ordered set of named performance metrics, and its text/JSON forms.
//
// Names are the keys of docs/metrics.md (`total_return_pct`, `sharpe_ratio`, ...): one name per
// metric, no aliases. Values are doubles; `*_pct` names are percentages (12.5 = 12.5 %), counts
// are whole numbers, other ratios are plain numbers. A value may be +/-inf (e.g. profit factor
// with no losing trade): JSON writes it as `null`, text as `inf` / `-inf`. A metric that cannot
// be computed from the inputs (alpha without a benchmark) is NaN: `null` in JSON, `n/a` in text.
// Insertion order is kept (the order of docs/metrics.md), so printed tables read the same.
// Not thread-safe for writes; concurrent reads are fine.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tradeloop::analysis {

class MetricSet {
 public:
  using Item = std::pair<std::string, double>;

  // Adds `name` at the end, or replaces its value if present.
  void set(std::string_view name, double value);
  // Throws tradeloop::Exception (kNotFound) naming the metric when it is not in the set.
  double get(std::string_view name) const;
  std::optional<double> find(std::string_view name) const noexcept;
  bool contains(std::string_view name) const noexcept { return find(name).has_value(); }

  const std::vector<Item>& items() const noexcept { return items_; }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }

  bool operator==(const MetricSet&) const = default;

 private:
  std::vector<Item> items_;
};

// One value as text: `inf`, `-inf`, `n/a` (NaN), whole numbers without decimals, else up to 6
// significant decimals ("1.234567", "0.000123457").
std::string format_metric_value(double value);

// A JSON object {"name": value, ...} in the set's order; non-finite values are `null`, whole
// numbers are written as JSON integers. `indent` < 0 gives one line.
std::string metrics_to_json(const MetricSet& metrics, int indent = 2);

// An aligned two-column text table, one metric per line ("sharpe_ratio          1.2345").
std::string metrics_to_text(const MetricSet& metrics);

}  // namespace tradeloop::analysis
