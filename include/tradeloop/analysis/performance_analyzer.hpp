// PerformanceAnalyzer: every performance metric of the user guide (§6) with stated conventions.
//
// Input: an equity curve (one `EquityPoint` per bar, marked at the bar's close, timestamps
// strictly increasing), the closed trades of the run, and the initial capital. Conventions (the
// formulas are in docs/metrics.md, which is the reference):
//   - returns are simple per-bar returns of the equity curve: N points give N-1 returns;
//   - periods per year come from the data (24/7 calendar: 365 x bars per day; session calendar:
//     252 x bars per session; bars longer than a day: 365.25 days / bar spacing), overridable;
//   - the risk-free rate is an annual fraction (0.02 = 2 %), turned into a per-period rate
//     (1 + rf)^(1/periods) - 1;
//   - volatility and Sharpe use the sample standard deviation (ddof = 1), Sortino the downside
//     deviation over all returns; all annualised by sqrt(periods per year);
//   - ratios x/0 are +inf for x > 0, -inf for x < 0 and 0 when x == 0 (nothing happened).
//
// Ownership: the analyzer copies what it needs (returns, timestamps, trades) at construction,
// so the spans may die afterwards. Thread-safety: const member functions may run concurrently.
// Bad input (fewer than 1 point, non-finite or non-positive equity, timestamps not strictly
// increasing, non-finite or non-positive initial capital, bad options) throws
// tradeloop::Exception (kInvalidArgument) naming the offending point or option.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "tradeloop/analysis/metric_set.hpp"
#include "tradeloop/core/time.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop::analysis {

// How the asset trades, for annualisation.
enum class AssetCalendar {
  kAuto,        // 24/7 when any point falls on a Saturday or Sunday (UTC), else sessions
  kContinuous,  // 24/7 (crypto): 365 days a year
  kSessions,    // exchange sessions (equities, futures, forex weekdays): 252 sessions a year
};

// A price or equity series with timestamps (a benchmark, or the traded asset's closes).
struct ValueSeries {
  std::vector<Timestamp> ts;  // strictly increasing, UTC ns
  std::vector<double> values;  // finite, > 0
};

struct AnalysisOptions {
  // Periods (bars) per year; unset = inferred from the bar spacing and the calendar.
  std::optional<double> periods_per_year;
  // Annual risk-free rate as a fraction (0.02 = 2 %); must be in (-1, 1).
  double risk_free_rate = 0.0;
  // Benchmark prices or equity. It is aligned to the equity timestamps as-of (its last value at
  // or before each equity point); equity points before its first value are not compared. Used
  // for alpha, beta, information ratio, correlation, tracking error and the buy-and-hold return.
  std::optional<ValueSeries> benchmark;
  AssetCalendar calendar = AssetCalendar::kAuto;
  // Returns per window of the rolling Sharpe ratio; 0 = about three months of bars, at least 20
  // and at most a fifth of the returns (so that short runs still get a curve).
  std::size_t rolling_window = 0;
};

// One drawdown: from the peak bar to the first bar back at or above the peak (recovered), or to
// the last bar when it never recovered. Indices are into the equity curve.
struct DrawdownEpisode {
  std::size_t peak_index = 0;
  std::size_t trough_index = 0;
  std::size_t end_index = 0;  // recovery bar, or the last bar when !recovered
  Timestamp peak_ts = 0, trough_ts = 0, end_ts = 0;
  double depth_pct = 0;          // trough equity / peak equity - 1, in percent, < 0
  bool recovered = false;
  std::int64_t duration_bars = 0;  // end_index - peak_index
  double duration_days = 0;        // (end_ts - peak_ts) in calendar days
};

// A compounded return over a calendar period (a year or a month), in percent.
struct PeriodReturn {
  int year = 0;
  int month = 0;  // 1..12; 0 for a whole year
  double return_pct = 0;
};

// A point of a time series derived from the equity curve.
struct TimedValue {
  Timestamp ts = 0;
  double value = 0;
};

class PerformanceAnalyzer {
 public:
  PerformanceAnalyzer(std::span<const EquityPoint> equity_curve, std::span<const Trade> trades,
                      double initial_capital, AnalysisOptions options = {});

  // Every metric of docs/metrics.md, in its order. O(N + T) apart from three selections for
  // the quantiles (O(N) average).
  MetricSet calculate_all_metrics() const;

  // The annualisation factor in use (given or inferred).
  double periods_per_year() const noexcept { return periods_per_year_; }
  // True when the 24/7 calendar is in use (given or detected).
  bool continuous_calendar() const noexcept { return continuous_; }
  std::size_t rolling_window() const noexcept { return rolling_window_; }

  // Simple per-bar returns (fractions), size N-1.
  const std::vector<double>& returns() const noexcept { return returns_; }
  const std::vector<Timestamp>& timestamps() const noexcept { return ts_; }
  const std::vector<double>& equity() const noexcept { return equity_; }
  double initial_capital() const noexcept { return initial_capital_; }

  // Underwater curve: equity / running max - 1, in percent (<= 0), one value per point.
  std::vector<double> drawdown_pct_series() const;
  // Every drawdown episode in time order (the last one may be unrecovered).
  std::vector<DrawdownEpisode> drawdown_episodes() const;
  // Compounded returns per calendar year / month (UTC), chained from the last equity of the
  // previous period (the first period starts from the first point).
  std::vector<PeriodReturn> annual_returns() const;
  std::vector<PeriodReturn> monthly_returns() const;
  // Annualised rolling Sharpe over `window` returns (0 = rolling_window()); one value per return
  // from the window-th on, stamped with the return's end time.
  std::vector<TimedValue> rolling_sharpe(std::size_t window = 0) const;
  // Benchmark aligned to the equity points (as-of), NaN where it has no value yet; empty when
  // there is no benchmark.
  std::vector<double> aligned_benchmark() const;

 private:
  std::vector<Timestamp> ts_;
  std::vector<double> equity_;
  std::size_t positioned_points_ = 0;  // points with a non-zero position value
  std::vector<double> returns_;
  double returns_sum_ = 0;
  // What the trade metrics need of each Trade (a compact copy: 100k trades stay cheap).
  struct TradeRecord {
    Timestamp entry_time = 0, exit_time = 0;
    double pnl = 0, return_pct = 0;
    std::int64_t bars_held = 0;
    bool is_open = false;
  };
  std::vector<TradeRecord> trades_;
  double initial_capital_ = 0;
  AnalysisOptions options_;
  double periods_per_year_ = 252;
  bool continuous_ = false;
  std::size_t rolling_window_ = 20;
};

// Periods per year inferred from timestamps (see the header comment); 252 for < 2 points.
double infer_periods_per_year(std::span<const Timestamp> ts, bool continuous);
// True when any timestamp falls on a Saturday or Sunday (UTC).
bool looks_continuous(std::span<const Timestamp> ts);

}  // namespace tradeloop::analysis
