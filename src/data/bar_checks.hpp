// Internal: the per-row bar checks, shared by the strict CSV reader (stops at the first issue)
// and validate() (lists them all), so both apply the same rules with the same words.
#pragma once

#include <string>
#include <vector>

#include "tradeloop/data/bar.hpp"
#include "tradeloop/data/problem.hpp"

namespace tradeloop::detail_checks {

struct BarIssue {
  ProblemKind kind;
  const char* column;  // "close", "timestamp"; "" for the whole row
  std::string what;    // "-5 is not a positive price"
};

// Appends the issues of `b` to `out` (not cleared). `prev` is the previous row, or nullptr.
// Value checks: NaN/Inf, price <= 0, high < max(open, close) or < low, low > min(open, close),
// volume < 0. Order checks against prev: earlier timestamp, same timestamp (duplicate row when
// every value is equal too).
void check_bar(const Bar& b, const Bar* prev, std::vector<BarIssue>& out);

// Shortest text of a double ("46319", "0.1", "nan").
std::string number_text(double v);

}  // namespace tradeloop::detail_checks
