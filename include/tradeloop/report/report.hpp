// Reports of a run: a self-contained HTML tearsheet and a PNG dashboard (user guide §6.2-6.3).
//
// Both draw the guide's six panels -- equity with benchmark, underwater drawdown, monthly
// returns heatmap, trade P&L distribution, rolling Sharpe, win/loss analysis -- from the same
// prepared data, so the PNG and the HTML always agree. The HTML adds a price chart with trade
// entry/exit markers (TradingView Lightweight Charts, attribution kept), the metrics table, the
// trades table and any extra sections a caller adds (the optimiser's heatmap, the walk-forward
// chart). It embeds its JavaScript (uPlot, Lightweight Charts, the page script) and data, so it
// works offline from a single file.
//
// Size: drawn series are downsampled to at most kMaxChartPoints points (min and max of each
// bucket, so spikes survive); candles are merged into at most kMaxChartPoints OHLC buckets; the
// trades table and markers show at most kMaxTradeRows trades (the first and last halves, with a
// note). A 1,000,000-bar run gives a report of about 1 MB.
//
// Ownership: ReportInputs only points at the caller's data (spans, BarSeries pointer); it must
// outlive the call. Thread-safety: the functions are reentrant. Errors: bad analysis input (see
// PerformanceAnalyzer) and I/O failures come back as a Status naming the path.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "tradeloop/analysis/performance_analyzer.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop::report {

inline constexpr std::size_t kMaxChartPoints = 4000;
inline constexpr std::size_t kMaxTradeRows = 2000;

// A line chart: one shared x axis, several y series (NaN = gap).
struct LineSeries {
  std::string name;
  std::vector<double> y;  // same length as LineChart::x
  std::string color;      // CSS colour; empty = palette
};
struct LineChart {
  std::vector<double> x;  // seconds since the epoch when x_is_time, else plain numbers
  bool x_is_time = false;
  std::string x_label, y_label;
  std::vector<LineSeries> series;
};

// A heatmap: values[row * x_labels.size() + col]; NaN = empty cell. Diverging colours around
// `center` (red below, green above; reversed when !higher_is_better).
struct HeatmapChart {
  std::vector<std::string> x_labels, y_labels;
  std::vector<double> values;
  std::string x_label, y_label, value_label;
  double center = 0;
  bool higher_is_better = true;
};

struct TableData {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A section appended to the HTML report after the six panels (title, optional note, content).
struct HtmlSection {
  std::string title;
  std::string note;
  std::variant<LineChart, HeatmapChart, TableData> content;
};

struct ReportInputs {
  std::string title = "Backtest report";
  std::string strategy_name;
  std::string params_text;  // e.g. "fast=12 slow=26"
  // Optional price data for the candlestick chart with trade markers.
  const BarSeries* bars = nullptr;
  std::span<const EquityPoint> equity;
  std::span<const Trade> trades;
  double initial_capital = 0;  // <= 0: the first equity value
  // Annualisation, risk-free rate and benchmark (drawn on the equity panel when set).
  analysis::AnalysisOptions analysis_options;
  std::string benchmark_name = "Benchmark";
  // Metrics to print; computed from the inputs when absent.
  std::optional<analysis::MetricSet> metrics;
  std::vector<HtmlSection> extra_sections;
};

// The whole HTML document as a string (what write_html_report writes).
Result<std::string> render_html_report(const ReportInputs& inputs);
Status write_html_report(const ReportInputs& inputs, const std::string& path);

// The six-panel dashboard as a PNG of width x height pixels (both in [400, 8000]).
Status write_png_dashboard(const ReportInputs& inputs, const std::string& path, int width = 1600,
                           int height = 1200);

}  // namespace tradeloop::report
