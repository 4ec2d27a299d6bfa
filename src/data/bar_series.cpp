#include "tradeloop/data/bar_series.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace tradeloop {

void BarSeries::reserve(std::size_t n) {
  ts_.reserve(n);
  open_.reserve(n);
  high_.reserve(n);
  low_.reserve(n);
  close_.reserve(n);
  volume_.reserve(n);
}

void BarSeries::clear() {
  ts_.clear();
  open_.clear();
  high_.clear();
  low_.clear();
  close_.clear();
  volume_.clear();
  extra_.clear();
}

void BarSeries::push_back(const Bar& b) {
  ts_.push_back(b.ts);
  open_.push_back(b.open);
  high_.push_back(b.high);
  low_.push_back(b.low);
  close_.push_back(b.close);
  volume_.push_back(b.volume);
  for (auto& [name, col] : extra_) col.push_back(0.0);
}

Status BarSeries::set_column(std::string name, std::vector<double> values) {
  if (values.size() != size())
    return invalid_argument("column '" + name + "' has " + std::to_string(values.size()) +
                            " rows, the series has " + std::to_string(size()));
  for (auto& [n, col] : extra_)
    if (n == name) {
      col = std::move(values);
      return Status::Ok();
    }
  extra_.emplace_back(std::move(name), std::move(values));
  return Status::Ok();
}

bool BarSeries::has_column(std::string_view name) const noexcept { return column(name).ok(); }

Result<std::span<const double>> BarSeries::column(std::string_view name) const {
  if (name == "open") return open();
  if (name == "high") return high();
  if (name == "low") return low();
  if (name == "close") return close();
  if (name == "volume") return volume();
  for (const auto& [n, col] : extra_)
    if (n == name) return std::span<const double>(col);
  return not_found("no column '" + std::string(name) + "' in " + (source_.empty() ? "the series" : source_));
}

BarSeries BarSeries::slice(std::size_t begin, std::size_t end) const {
  end = std::min(end, size());
  begin = std::min(begin, end);
  BarSeries out(symbol_);
  out.source_ = source_;
  out.timeframe_ = timeframe_;
  auto cut = [&](const auto& v) { return std::vector(v.begin() + begin, v.begin() + end); };
  out.ts_ = cut(ts_);
  out.open_ = cut(open_);
  out.high_ = cut(high_);
  out.low_ = cut(low_);
  out.close_ = cut(close_);
  out.volume_ = cut(volume_);
  for (const auto& [n, col] : extra_) out.extra_.emplace_back(n, cut(col));
  return out;
}

std::size_t BarSeries::lower_bound(Timestamp t) const noexcept {
  return static_cast<std::size_t>(std::lower_bound(ts_.begin(), ts_.end(), t) - ts_.begin());
}

Duration BarSeries::typical_step() const noexcept {
  if (size() < 2) return 0;
  std::unordered_map<Duration, std::size_t> counts;
  const std::size_t n = std::min<std::size_t>(size(), 100'001);
  for (std::size_t i = 1; i < n; ++i) ++counts[ts_[i] - ts_[i - 1]];
  Duration best = 0;
  std::size_t best_count = 0;
  for (const auto& [d, c] : counts)
    if (d > 0 && (c > best_count || (c == best_count && d < best))) best = d, best_count = c;
  return best;
}

std::optional<Timeframe> BarSeries::detect_timeframe() const noexcept {
  const Duration step = typical_step();
  if (step <= 0) return std::nullopt;
  if (step >= 28 * kNanosPerDay && step <= 31 * kNanosPerDay) return Timeframe(Timeframe::Unit::kMonth, 1);
  if (step >= 89 * kNanosPerDay && step <= 92 * kNanosPerDay) return Timeframe(Timeframe::Unit::kMonth, 3);
  return Timeframe::from_duration(step);
}

bool BarSeries::same_data(const BarSeries& o) const noexcept {
  auto bits_equal = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
  };
  if (ts_ != o.ts_ || !bits_equal(open_, o.open_) || !bits_equal(high_, o.high_) ||
      !bits_equal(low_, o.low_) || !bits_equal(close_, o.close_) || !bits_equal(volume_, o.volume_) ||
      extra_.size() != o.extra_.size())
    return false;
  for (std::size_t i = 0; i < extra_.size(); ++i)
    if (extra_[i].first != o.extra_[i].first || !bits_equal(extra_[i].second, o.extra_[i].second)) return false;
  return true;
}

}  // namespace tradeloop
