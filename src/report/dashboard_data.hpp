// The data both reports draw (private to the report layer): computed once from ReportInputs so
// the HTML and the PNG show the same numbers. Times are seconds since the epoch (the charts' unit).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tradeloop/analysis/metric_set.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::report::detail {

// x (seconds) and one or more y series sharing it.
struct XYSeries {
  std::vector<double> x;
  std::vector<std::vector<double>> ys;
};

struct Candles {
  std::vector<double> t, open, high, low, close;
};

struct TradeMarker {
  double t = 0;
  double price = 0;
  bool entry = true;
  bool long_side = true;
  bool win = false;  // exits only
};

// Returns per calendar month: values[row * 13 + col], col 12 = the whole year; NaN = no data.
struct MonthlyTable {
  std::vector<int> years;
  std::vector<double> values;
};

// Histogram of trade P&L with 0 on a bin edge, so each bin is all wins or all losses.
struct Histogram {
  std::vector<double> centers, counts;
  double width = 1;
};

struct WinLoss {
  double wins = 0, losses = 0, breakeven = 0;
  double avg_win = 0, avg_loss = 0, largest_win = 0, largest_loss = 0;
  double gross_profit = 0, gross_loss = 0;
};

struct DashboardData {
  analysis::MetricSet metrics;
  double initial_capital = 0;
  Timestamp start = 0, end = 0;
  XYSeries equity;  // ys[0] equity, ys[1] benchmark rebased to the initial equity (if any)
  bool has_benchmark = false;
  XYSeries underwater;  // drawdown in percent
  XYSeries rolling_sharpe;
  std::size_t rolling_window = 0;
  MonthlyTable monthly;
  Histogram pnl_histogram;
  WinLoss win_loss;
  Candles candles;  // empty without bars
  std::vector<TradeMarker> markers;
  bool markers_omitted = false;  // too many trades for the candles drawn
  std::vector<std::size_t> shown_trades;  // indices into ReportInputs::trades
};

// Throws tradeloop::Exception on bad inputs (empty equity, bad values).
DashboardData prepare_dashboard(const ReportInputs& in);

// Indices of the points to draw: all when n <= max_points, else the first and last point plus
// the minimum and maximum of each of max_points/2 equal buckets, in increasing order.
std::vector<std::size_t> minmax_indices(const std::vector<double>& y, std::size_t max_points);

// "max_drawdown_pct" -> "Max drawdown (%)".
std::string metric_label(const std::string& key);
// A metric value for people: "12.35", "0.0123", "1,234,567.89", "inf" -> "∞", NaN -> "—".
std::string display_value(const std::string& key, double v);
// Metrics come in the order of docs/metrics.md; the tables start a new group ("Risk",
// "Risk-adjusted", "Trades", "Data") at the first key of each. nullptr for other keys.
const char* metric_group_start(const std::string& key);

}  // namespace tradeloop::report::detail
