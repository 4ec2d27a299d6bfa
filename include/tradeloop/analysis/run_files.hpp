// Reading a saved run back for analysis: equity curve, trade list and benchmark CSV files
// (what `tradeloop metrics` and `tradeloop report` take; columns by name, others ignored).
//
//   equity:    `timestamp` (or time/date/datetime/ts) and `equity` (required); `cash` and
//              `position_value` when present (position_value gives exposure_time_pct).
//   trades:    `pnl` (required, account currency); optional `entry_time`, `exit_time`,
//              `return_pct` (percent) or `return` (a fraction, 0.05 = 5 %), `side`
//              (long/short/buy/sell), `symbol`, `quantity`/`size`, `entry_price`, `exit_price`,
//              `bars_held`/`bars`, `fees`, `exit_reason`; an `exit_time` that is empty marks an
//              open trade.
//   benchmark: `timestamp` plus the first of `close`, `equity`, `value`, `price`, `adj_close`.
//
// Errors are kParse / kIo / kNotFound with "file:line: column 'x': what" messages (an empty
// file, a missing column, a NaN or non-positive equity, timestamps not strictly increasing).
#pragma once

#include <string>
#include <vector>

#include "tradeloop/analysis/performance_analyzer.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop::analysis {

Result<std::vector<EquityPoint>> read_equity_csv(const std::string& path);
Result<std::vector<Trade>> read_trades_csv(const std::string& path);
Result<ValueSeries> read_value_series_csv(const std::string& path);

}  // namespace tradeloop::analysis
