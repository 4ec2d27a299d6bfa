#include "bar_checks.hpp"

#include <charconv>
#include <cmath>

namespace tradeloop::detail_checks {

std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void check_bar(const Bar& b, const Bar* prev, std::vector<BarIssue>& out) {
  const double prices[4] = {b.open, b.high, b.low, b.close};
  static constexpr const char* kNames[4] = {"open", "high", "low", "close"};
  bool prices_ok = true;
  for (int k = 0; k < 4; ++k) {
    if (!std::isfinite(prices[k])) {
      out.push_back({ProblemKind::kNotFinite, kNames[k], number_text(prices[k]) + " is not a finite number"});
      prices_ok = false;
    } else if (prices[k] <= 0) {
      out.push_back({ProblemKind::kNonPositivePrice, kNames[k], number_text(prices[k]) + " is not a positive price"});
      prices_ok = false;
    }
  }
  if (prices_ok) {
    const double top = std::max(b.open, b.close), bottom = std::min(b.open, b.close);
    if (b.high < top || b.high < b.low)
      out.push_back({ProblemKind::kHighBelowOpenClose, "high",
                     "high " + number_text(b.high) + " is below " +
                         (b.high < b.low ? "low " + number_text(b.low)
                                         : "max(open, close) = " + number_text(top))});
    else if (b.low > bottom)
      out.push_back({ProblemKind::kLowAboveOpenClose, "low",
                     "low " + number_text(b.low) + " is above min(open, close) = " + number_text(bottom)});
  }
  if (!std::isfinite(b.volume))
    out.push_back({ProblemKind::kNotFinite, "volume", number_text(b.volume) + " is not a finite number"});
  else if (b.volume < 0)
    out.push_back({ProblemKind::kNegativeVolume, "volume", number_text(b.volume) + " is a negative volume"});
  if (!prev) return;
  if (b.ts < prev->ts)
    out.push_back({ProblemKind::kUnsorted, "timestamp",
                   format_timestamp(b.ts) + " is earlier than the previous row's " + format_timestamp(prev->ts) +
                       " (rows must be in ascending time)"});
  else if (b.ts == prev->ts)
    out.push_back(b == *prev ? BarIssue{ProblemKind::kDuplicateRow, "", "the row repeats the previous row exactly"}
                             : BarIssue{ProblemKind::kDuplicateTimestamp, "timestamp",
                                        format_timestamp(b.ts) + " repeats the previous row's timestamp with different values"});
}

}  // namespace tradeloop::detail_checks
