// Resampling to a coarser timeframe, and gap reports.
//
// Aggregation (the usual OHLCV rule, as pandas `resample().agg` and every exchange): first open,
// max high, min low, last close, summed volume; named extra columns take the bucket's LAST value
// (right for adj_close and open_interest; recompute indicators after resampling). Buckets are
// Timeframe::bucket_start: epoch-aligned for s/m/h/d (4h buckets start 00:00, 04:00 UTC), Monday
// 00:00 UTC for weeks, the 1st 00:00 UTC for months. Output bars are stamped with the bucket
// start (open time). Empty buckets produce no bar (gaps stay gaps; see find_gaps).
//
// Gaps: consecutive bars further apart than one timeframe step. Equities and FX have session,
// weekend and holiday gaps; the report counts them, it does not judge them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/timeframe.hpp"
#include "tradeloop/data/bar_series.hpp"

namespace tradeloop {

struct Resampled {
  BarSeries series;           // timeframe() == the target
  bool first_partial = false; // the first bucket starts before the data (data begins mid-bucket)
  bool last_partial = false;  // the last bucket ends after the data (still forming or cut off)
  std::size_t source_rows = 0;
};

// Errors (kInvalidArgument): the target is not coarser than the source timeframe, or a fixed
// target is not a whole multiple of the source step (5m -> 7m); (kParse) the input is not sorted
// ascending. The source timeframe is series.timeframe(), else detected from the data.
// Complexity O(n), one pass; a bucket boundary is computed only when a bar leaves the bucket.
Result<Resampled> resample(const BarSeries& series, Timeframe target);

struct Gap {
  Timestamp after = 0;        // open time of the last bar before the gap
  Timestamp before = 0;       // open time of the first bar after the gap
  std::int64_t missing = 0;   // bars of the timeframe that would fit strictly between them
  std::size_t row = 0;        // row of the bar after the gap
};

struct GapReport {
  std::optional<Timeframe> timeframe;  // the grid used (nullopt: unknown, no gaps computed)
  std::vector<Gap> gaps;
  std::int64_t missing_bars = 0;       // sum of Gap::missing
  std::int64_t expected_bars = 0;      // rows + missing_bars
  Duration largest = 0;                // longest gap (before - after)
};

// Gaps against `timeframe` (default: series.timeframe(), else detected). Rows out of order are
// skipped (validate() reports them).
GapReport find_gaps(const BarSeries& series, std::optional<Timeframe> timeframe = std::nullopt);

}  // namespace tradeloop
