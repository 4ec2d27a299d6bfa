// PerformanceAnalyzer: the formulas of docs/metrics.md. Each metric cites its convention there;
// the comments here say only why a computation is shaped the way it is (speed, exactness).
#include "tradeloop/analysis/performance_analyzer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "tradeloop/core/result.hpp"

namespace tradeloop::analysis {

namespace detail_pa {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kDaysPerYear = 365.25;  // calendar-time convention of CAGR

// x / 0 is +inf for x > 0, -inf for x < 0, and 0 when x == 0 (docs/metrics.md "Ratios").
double ratio(double num, double den) {
  if (den != 0) return num / den;
  if (num > 0) return kInf;
  if (num < 0) return -kInf;
  return 0.0;
}

double days_between(Timestamp a, Timestamp b) {
  return static_cast<double>(b - a) / static_cast<double>(kNanosPerDay);
}

[[noreturn]] void bad_input(const std::string& what) {
  throw Exception(ErrorCode::kInvalidArgument, "performance analysis: " + what);
}

// Quantiles interpolate linearly between order statistics (Hyndman & Fan 1996 type 7, the
// default of numpy.quantile and R's quantile): h = (n-1) q, x[floor h] + (h - floor h) (next - x[floor h]).
// `scratch` is permuted; O(n) on average.
// Order statistic `lo` of `scratch`, interpolated towards the next one by h - lo.
double quantile_type7_at(std::vector<double>& scratch, std::size_t lo, double h) {
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(lo), scratch.end());
  const double x_lo = scratch[lo];
  if (lo + 1 >= scratch.size()) return x_lo;
  // After nth_element every element right of `lo` is >= x_lo; the next order statistic is
  // their minimum.
  const double x_hi = *std::min_element(scratch.begin() + static_cast<std::ptrdiff_t>(lo) + 1, scratch.end());
  return x_lo + (h - static_cast<double>(lo)) * (x_hi - x_lo);
}

// The lower and upper quantiles (type 7) of `x` and the mean of the values at or below the lower
// one (CVaR), touching only the tails: thresholds from a sorted sample of ~4,000 values, one pass
// that gathers every value beyond them, then selection inside the gathered tails. The gathered
// low tail holds *all* values <= its threshold, i.e. the smallest k values of x, so the order
// statistics found in it are exact; when a tail is too thin the full selection runs instead.
struct Tails {
  double q_lo = 0, q_hi = 0, mean_at_or_below_lo = 0;
};

Tails tail_quantiles(std::span<const double> x, double q_lo, double q_hi) {
  Tails t;
  const std::size_t n = x.size();
  if (n == 0) return t;
  const double h_lo = (static_cast<double>(n) - 1.0) * q_lo, h_hi = (static_cast<double>(n) - 1.0) * q_hi;
  const auto k_lo = static_cast<std::size_t>(std::floor(h_lo)), k_hi = static_cast<std::size_t>(std::floor(h_hi));
  std::vector<double> low, high;
  bool ok = false;
  if (n >= 20'000) {
    const std::size_t stride = n / 4096;
    std::vector<double> sample;
    for (std::size_t i = 0; i < n; i += stride) sample.push_back(x[i]);
    std::sort(sample.begin(), sample.end());
    const auto at = [&](double q) { return sample[static_cast<std::size_t>(q * static_cast<double>(sample.size() - 1))]; };
    const double t_lo = at(std::min(1.0, q_lo + 0.01)), t_hi = at(std::max(0.0, q_hi - 0.01));
    low.reserve(static_cast<std::size_t>(static_cast<double>(n) * (q_lo + 0.02)));
    high.reserve(static_cast<std::size_t>(static_cast<double>(n) * (1.02 - q_hi)));
    for (double v : x) {
      if (v <= t_lo) low.push_back(v);
      if (v >= t_hi) high.push_back(v);
    }
    // Need order statistics k and k+1 inside each tail.
    ok = low.size() >= k_lo + 2 && n - high.size() <= k_hi;
  }
  if (!ok) {
    low.assign(x.begin(), x.end());
    high = low;
  }
  const std::size_t high_offset = n - high.size();
  t.q_lo = quantile_type7_at(low, k_lo, h_lo);
  t.q_hi = quantile_type7_at(high, k_hi - high_offset, h_hi - static_cast<double>(high_offset));
  double sum = 0;
  std::size_t cnt = 0;
  for (double v : low) {
    if (v <= t.q_lo) {
      sum += v;
      ++cnt;
    }
  }
  t.mean_at_or_below_lo = cnt > 0 ? sum / static_cast<double>(cnt) : 0.0;
  return t;
}

// Sample moments of a series: mean, sample standard deviation (ddof = 1) and the population
// skewness / excess kurtosis (g1 = m3/m2^1.5, g2 = m4/m2^2 - 3, as scipy.stats with
// bias=True), two passes for accuracy.
struct Moments {
  double mean = 0, stdev = 0, skew = 0, excess_kurtosis = 0;
  std::size_t n = 0;
};

// From the sums of (x - mean)^k, k = 2..4.
void finish_moments(Moments* m, std::size_t count, double s2, double s3, double s4) {
  const double n = static_cast<double>(count);
  m->n = count;
  m->stdev = count > 1 ? std::sqrt(s2 / (n - 1)) : 0.0;
  const double m2 = s2 / n;
  if (m2 > 0) {
    m->skew = (s3 / n) / std::pow(m2, 1.5);
    m->excess_kurtosis = (s4 / n) / (m2 * m2) - 3.0;
  }
}

Moments moments(std::span<const double> x) {
  Moments m;
  m.n = x.size();
  if (x.empty()) return m;
  m.mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double s2 = 0, s3 = 0, s4 = 0;
  for (double v : x) {
    const double d = v - m.mean;
    const double d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  finish_moments(&m, x.size(), s2, s3, s4);
  return m;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Probabilistic Sharpe ratio against a benchmark Sharpe of 0 (Bailey & López de Prado 2012,
// "The Sharpe Ratio Efficient Frontier", J. of Risk 15(2), eq. 10): per-period (not annualised)
// SR, n returns, skewness g3 and (non-excess) kurtosis g4.
double probabilistic_sharpe(double sr, std::size_t n, double skew, double kurtosis) {
  if (n < 2) return 0.5;
  if (std::isinf(sr)) return sr > 0 ? 1.0 : 0.0;
  const double var = 1.0 - skew * sr + (kurtosis - 1.0) / 4.0 * sr * sr;
  if (!(var > 0)) return kNaN;
  return normal_cdf(sr * std::sqrt(static_cast<double>(n) - 1.0) / std::sqrt(var));
}

// Median of the first (up to) 10,000 spacings: the typical bar step, robust to gaps.
Duration median_step(std::span<const Timestamp> ts) {
  const std::size_t n = std::min<std::size_t>(ts.size() - 1, 10'000);
  std::vector<Duration> d(n);
  for (std::size_t i = 0; i < n; ++i) d[i] = ts[i + 1] - ts[i];
  std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(n / 2), d.end());
  return d[n / 2];
}

// Median number of points per UTC date over the first (up to) 10,000 points: bars per session.
double median_bars_per_date(std::span<const Timestamp> ts) {
  const std::size_t n = std::min<std::size_t>(ts.size(), 10'000);
  std::vector<std::int64_t> counts;
  std::int64_t day = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t d = ts[i] >= 0 ? ts[i] / kNanosPerDay : (ts[i] - kNanosPerDay + 1) / kNanosPerDay;
    if (d != day) {
      counts.push_back(0);
      day = d;
    }
    ++counts.back();
  }
  std::nth_element(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(counts.size() / 2), counts.end());
  return static_cast<double>(counts[counts.size() / 2]);
}

// Start of the UTC month (or year) after the one containing `ts`.
Timestamp next_period_start(Timestamp ts, bool yearly, int* year, int* month) {
  const CivilTime c = to_civil(ts);
  *year = c.year;
  *month = yearly ? 0 : c.month;
  CivilTime next;
  if (yearly) {
    next.year = c.year + 1;
  } else {
    next.year = c.month == 12 ? c.year + 1 : c.year;
    next.month = c.month == 12 ? 1 : c.month + 1;
  }
  return from_civil(next);
}

}  // namespace detail_pa

using detail_pa::kInf;
using detail_pa::kNaN;
using detail_pa::ratio;

bool looks_continuous(std::span<const Timestamp> ts) {
  return std::any_of(ts.begin(), ts.end(), [](Timestamp t) { return weekday(t) >= 5; });
}

double infer_periods_per_year(std::span<const Timestamp> ts, bool continuous) {
  if (ts.size() < 2) return continuous ? 365.0 : 252.0;
  const Duration step = detail_pa::median_step(ts);
  if (step <= 0) return continuous ? 365.0 : 252.0;
  const double days_per_bar = static_cast<double>(step) / static_cast<double>(kNanosPerDay);
  if (step == kNanosPerDay) return continuous ? 365.0 : 252.0;
  if (step > kNanosPerDay) return detail_pa::kDaysPerYear / days_per_bar;  // weekly, monthly
  if (continuous) return 365.0 / days_per_bar;
  return 252.0 * detail_pa::median_bars_per_date(ts);
}

PerformanceAnalyzer::PerformanceAnalyzer(std::span<const EquityPoint> equity_curve,
                                         std::span<const Trade> trades, double initial_capital,
                                         AnalysisOptions options)
    : initial_capital_(initial_capital), options_(std::move(options)) {
  using detail_pa::bad_input;
  if (equity_curve.empty()) bad_input("the equity curve is empty");
  if (!std::isfinite(initial_capital) || initial_capital <= 0)
    bad_input("initial capital must be a finite number > 0, got " + std::to_string(initial_capital));
  const std::size_t n = equity_curve.size();
  // reserve + push_back: each page is written once (resize would zero it first).
  ts_.reserve(n);
  equity_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const EquityPoint& p = equity_curve[i];
    if (!std::isfinite(p.equity) || p.equity <= 0)
      bad_input("equity point " + std::to_string(i) + " (" + format_timestamp(p.ts) +
                ") has equity " + std::to_string(p.equity) + "; it must be finite and > 0");
    if (i > 0 && p.ts <= equity_curve[i - 1].ts)
      bad_input("equity point " + std::to_string(i) + " (" + format_timestamp(p.ts) +
                ") is not after the previous one; timestamps must be strictly increasing");
    ts_.push_back(p.ts);
    equity_.push_back(p.equity);
    positioned_points_ += p.position_value != 0;
  }
  const double rf = options_.risk_free_rate;
  if (!std::isfinite(rf) || rf <= -1 || rf >= 1)
    bad_input("risk-free rate must be an annual fraction in (-1, 1) (0.02 = 2 %), got " + std::to_string(rf));
  if (options_.periods_per_year && !(*options_.periods_per_year > 0 && std::isfinite(*options_.periods_per_year)))
    bad_input("periods per year must be > 0, got " + std::to_string(*options_.periods_per_year));
  if (options_.benchmark) {
    const ValueSeries& b = *options_.benchmark;
    if (b.ts.size() != b.values.size()) bad_input("benchmark timestamps and values differ in length");
    for (std::size_t i = 0; i < b.ts.size(); ++i) {
      if (!std::isfinite(b.values[i]) || b.values[i] <= 0)
        bad_input("benchmark point " + std::to_string(i) + " has value " + std::to_string(b.values[i]) +
                  "; it must be finite and > 0");
      if (i > 0 && b.ts[i] <= b.ts[i - 1])
        bad_input("benchmark point " + std::to_string(i) + " is not after the previous one");
    }
  }

  returns_.reserve(n - 1);
  for (std::size_t i = 1; i < n; ++i) {
    returns_.push_back(equity_[i] / equity_[i - 1] - 1.0);
    returns_sum_ += returns_.back();
  }
  trades_.reserve(trades.size());
  for (const Trade& t : trades) trades_.push_back({t.entry_time, t.exit_time, t.pnl, t.return_pct, t.bars_held, t.is_open});

  switch (options_.calendar) {
    case AssetCalendar::kContinuous: continuous_ = true; break;
    case AssetCalendar::kSessions: continuous_ = false; break;
    case AssetCalendar::kAuto: continuous_ = looks_continuous(ts_); break;
  }
  periods_per_year_ = options_.periods_per_year.value_or(infer_periods_per_year(ts_, continuous_));
  if (options_.rolling_window > 0) {
    rolling_window_ = options_.rolling_window;
  } else {
    const auto quarter = static_cast<std::size_t>(std::llround(periods_per_year_ / 4.0));
    rolling_window_ = std::max<std::size_t>(20, std::min(quarter, returns_.size() / 5));
  }
}

std::vector<double> PerformanceAnalyzer::drawdown_pct_series() const {
  std::vector<double> dd(equity_.size());
  double peak = equity_.front();
  for (std::size_t i = 0; i < equity_.size(); ++i) {
    peak = std::max(peak, equity_[i]);
    dd[i] = (equity_[i] / peak - 1.0) * 100.0;
  }
  return dd;
}

namespace detail_pa {

// One pass over the equity: the deepest drawdown (fraction and currency), the ulcer index sum,
// and the episodes (listed when `list` is given, always summarised).
struct DrawdownScan {
  double max_dd = 0, max_dd_amount = 0, ulcer_sum = 0, peak = 0;
  std::int64_t longest_bars = 0;
  double longest_days = 0, sum_depth_pct = 0;
  std::size_t episodes = 0;
};

DrawdownScan scan_drawdowns(const std::vector<Timestamp>& ts, const std::vector<double>& eq,
                            std::vector<DrawdownEpisode>* list) {
  DrawdownScan s;
  std::size_t peak_i = 0, trough_i = 0;
  bool in_dd = false;
  auto close = [&](std::size_t end_i, bool recovered) {
    DrawdownEpisode e;
    e.peak_index = peak_i;
    e.trough_index = trough_i;
    e.end_index = end_i;
    e.peak_ts = ts[peak_i];
    e.trough_ts = ts[trough_i];
    e.end_ts = ts[end_i];
    e.depth_pct = (eq[trough_i] / eq[peak_i] - 1.0) * 100.0;
    e.recovered = recovered;
    e.duration_bars = static_cast<std::int64_t>(end_i - peak_i);
    e.duration_days = days_between(e.peak_ts, e.end_ts);
    ++s.episodes;
    // The deepest point of an episode is its trough, so the max drawdown is the deepest
    // episode, computed exactly here (the per-point loop below uses a reciprocal).
    s.max_dd = std::min(s.max_dd, eq[trough_i] / eq[peak_i] - 1.0);
    s.longest_bars = std::max(s.longest_bars, e.duration_bars);
    s.longest_days = std::max(s.longest_days, e.duration_days);
    s.sum_depth_pct += e.depth_pct;
    if (list) list->push_back(e);
  };
  double peak = eq[0], inv_peak = 1.0 / eq[0];
  for (std::size_t i = 1; i < eq.size(); ++i) {
    const double e = eq[i];
    if (e >= peak) {
      if (in_dd) close(i, true);
      in_dd = false;
      peak_i = i;
      peak = e;
      inv_peak = 1.0 / e;
      continue;
    }
    const double dd = e * inv_peak - 1.0;
    s.max_dd_amount = std::min(s.max_dd_amount, e - peak);
    s.ulcer_sum += (dd * 100.0) * (dd * 100.0);
    if (!in_dd || e < eq[trough_i]) {
      in_dd = true;
      trough_i = i;
    }
  }
  if (in_dd) close(eq.size() - 1, false);
  s.peak = peak;
  return s;
}

}  // namespace detail_pa

std::vector<DrawdownEpisode> PerformanceAnalyzer::drawdown_episodes() const {
  std::vector<DrawdownEpisode> out;
  detail_pa::scan_drawdowns(ts_, equity_, &out);
  return out;
}

namespace detail_pa {
std::vector<PeriodReturn> period_returns(const std::vector<Timestamp>& ts, const std::vector<double>& eq,
                                         bool yearly) {
  std::vector<PeriodReturn> out;
  PeriodReturn cur;
  Timestamp boundary = next_period_start(ts[0], yearly, &cur.year, &cur.month);
  double base = eq[0];
  for (std::size_t i = 1; i < ts.size(); ++i) {
    if (ts[i] < boundary) continue;
    // Point i opens a new period: the previous one closed at point i-1.
    cur.return_pct = (eq[i - 1] / base - 1.0) * 100.0;
    out.push_back(cur);
    base = eq[i - 1];
    boundary = next_period_start(ts[i], yearly, &cur.year, &cur.month);
  }
  cur.return_pct = (eq.back() / base - 1.0) * 100.0;
  out.push_back(cur);
  return out;
}
}  // namespace detail_pa

std::vector<PeriodReturn> PerformanceAnalyzer::annual_returns() const {
  return detail_pa::period_returns(ts_, equity_, true);
}

std::vector<PeriodReturn> PerformanceAnalyzer::monthly_returns() const {
  return detail_pa::period_returns(ts_, equity_, false);
}

std::vector<TimedValue> PerformanceAnalyzer::rolling_sharpe(std::size_t window) const {
  if (window == 0) window = rolling_window_;
  std::vector<TimedValue> out;
  if (window < 2 || returns_.size() < window) return out;
  const double rf = std::pow(1.0 + options_.risk_free_rate, 1.0 / periods_per_year_) - 1.0;
  const double scale = std::sqrt(periods_per_year_);
  // Running sums of (r - shift) keep the variance free of cancellation when the mean is large
  // relative to the spread; shift = the first window's first return is close enough.
  const double shift = returns_.front();
  double s1 = 0, s2 = 0;
  const double w = static_cast<double>(window);
  out.reserve(returns_.size() - window + 1);
  for (std::size_t i = 0; i < returns_.size(); ++i) {
    const double d = returns_[i] - shift;
    s1 += d;
    s2 += d * d;
    if (i >= window) {
      const double o = returns_[i - window] - shift;
      s1 -= o;
      s2 -= o * o;
    }
    if (i + 1 < window) continue;
    const double mean_d = s1 / w;
    const double var = std::max(0.0, (s2 - w * mean_d * mean_d) / (w - 1.0));
    const double excess = mean_d + shift - rf;
    // Sliding sums leave ~1e-16 residue where the window is flat; treat that as zero spread.
    const double sd = var > 1e-24 ? std::sqrt(var) : 0.0;
    out.push_back({ts_[i + 1], ratio(excess, sd) * (sd > 0 ? scale : 1.0)});
  }
  return out;
}

std::vector<double> PerformanceAnalyzer::aligned_benchmark() const {
  std::vector<double> out;
  if (!options_.benchmark) return out;
  const ValueSeries& b = *options_.benchmark;
  out.assign(ts_.size(), kNaN);
  std::size_t j = 0;
  for (std::size_t i = 0; i < ts_.size(); ++i) {
    while (j < b.ts.size() && b.ts[j] <= ts_[i]) ++j;
    if (j > 0) out[i] = b.values[j - 1];
  }
  return out;
}

namespace detail_pa {

// Fraction of equity points at which a position is held, in percent: from the equity curve's
// position values when it has any, else from the trades' [entry, exit) intervals.
// Trades come as PerformanceAnalyzer::TradeRecord (private), hence the template.
template <class TradeLike>
double exposure_pct(const std::vector<Timestamp>& ts, std::size_t positioned_points,
                    const std::vector<TradeLike>& trades) {
  const std::size_t n = ts.size();
  std::size_t held = positioned_points;
  if (held == 0) {
    std::vector<int> delta(n + 1, 0);
    for (const TradeLike& t : trades) {
      const auto b = static_cast<std::size_t>(std::lower_bound(ts.begin(), ts.end(), t.entry_time) - ts.begin());
      const auto e = t.is_open || t.exit_time == 0
                         ? n
                         : static_cast<std::size_t>(std::lower_bound(ts.begin(), ts.end(), t.exit_time) - ts.begin());
      if (b < e) {
        ++delta[b];
        --delta[e];
      }
    }
    int open = 0;
    for (std::size_t i = 0; i < n; ++i) {
      open += delta[i];
      held += open > 0;
    }
  }
  return 100.0 * static_cast<double>(held) / static_cast<double>(n);
}

struct TradeStats {
  double count = 0, wins = 0, losses = 0, breakeven = 0, open = 0;
  double gross_profit = 0, gross_loss = 0, largest_win = 0, largest_loss = 0;
  double sum_return_pct = 0, sum_bars = 0, max_bars = 0, sum_days = 0, max_days = 0;
  double max_win_streak = 0, max_loss_streak = 0;
  std::vector<double> pnl;
};

template <class TradeLike>
TradeStats trade_stats(const std::vector<TradeLike>& trades) {
  TradeStats s;
  s.pnl.reserve(trades.size());
  double win_streak = 0, loss_streak = 0;
  for (const TradeLike& t : trades) {
    if (t.is_open) {
      ++s.open;
      continue;
    }
    ++s.count;
    s.pnl.push_back(t.pnl);
    if (t.pnl > 0) {
      ++s.wins;
      s.gross_profit += t.pnl;
      s.largest_win = std::max(s.largest_win, t.pnl);
      loss_streak = 0;
      s.max_win_streak = std::max(s.max_win_streak, ++win_streak);
    } else if (t.pnl < 0) {
      ++s.losses;
      s.gross_loss += t.pnl;
      s.largest_loss = std::min(s.largest_loss, t.pnl);
      win_streak = 0;
      s.max_loss_streak = std::max(s.max_loss_streak, ++loss_streak);
    } else {
      ++s.breakeven;
      win_streak = loss_streak = 0;
    }
    s.sum_return_pct += t.return_pct;
    const auto bars = static_cast<double>(t.bars_held);
    s.sum_bars += bars;
    s.max_bars = std::max(s.max_bars, bars);
    const double days = t.exit_time > t.entry_time ? days_between(t.entry_time, t.exit_time) : 0.0;
    s.sum_days += days;
    s.max_days = std::max(s.max_days, days);
  }
  return s;
}

// Benchmark comparison over the returns where both series have a value.
struct BenchmarkStats {
  double alpha_pct = kNaN, beta = kNaN, information_ratio = kNaN, tracking_error_pct = kNaN;
  double correlation = kNaN, buy_and_hold_return_pct = kNaN;
};

BenchmarkStats benchmark_stats(const std::vector<double>& r, const std::vector<double>& bench, double rf,
                               double periods) {
  BenchmarkStats out;
  if (bench.empty()) return out;
  std::vector<double> rs, rb, diff;
  std::size_t first = bench.size();
  for (std::size_t i = 1; i < bench.size(); ++i) {
    if (std::isnan(bench[i - 1])) continue;
    first = std::min(first, i - 1);
    rs.push_back(r[i - 1]);
    rb.push_back(bench[i] / bench[i - 1] - 1.0);
    diff.push_back(rs.back() - rb.back());
  }
  if (first < bench.size()) out.buy_and_hold_return_pct = (bench.back() / bench[first] - 1.0) * 100.0;
  if (rs.size() < 2) return out;
  const Moments ms = moments(rs), mb = moments(rb), md = moments(diff);
  double cov = 0;
  for (std::size_t i = 0; i < rs.size(); ++i) cov += (rs[i] - ms.mean) * (rb[i] - mb.mean);
  cov /= static_cast<double>(rs.size() - 1);
  out.beta = ratio(cov, mb.stdev * mb.stdev);
  out.alpha_pct = std::isfinite(out.beta) ? ((ms.mean - rf) - out.beta * (mb.mean - rf)) * periods * 100.0 : kNaN;
  out.correlation = ms.stdev > 0 && mb.stdev > 0 ? cov / (ms.stdev * mb.stdev) : kNaN;
  out.tracking_error_pct = md.stdev * std::sqrt(periods) * 100.0;
  out.information_ratio = ratio(md.mean, md.stdev) * (md.stdev > 0 ? std::sqrt(periods) : 1.0);
  return out;
}

}  // namespace detail_pa

MetricSet PerformanceAnalyzer::calculate_all_metrics() const {
  using namespace detail_pa;
  MetricSet m;
  const std::size_t n = equity_.size();
  const double p = periods_per_year_;
  const double sqrt_p = std::sqrt(p);
  const double rf = std::pow(1.0 + options_.risk_free_rate, 1.0 / p) - 1.0;
  const double first = equity_.front(), last = equity_.back();
  const double days = days_between(ts_.front(), ts_.back());

  const DrawdownScan dd = scan_drawdowns(ts_, equity_, nullptr);
  const double max_dd = dd.max_dd;

  // --- return distribution: moments, downside and Omega sums in one pass ---------------------
  Moments mo;
  double down_sq = 0, up_sum = 0, down_sum = 0;
  const double nr = static_cast<double>(returns_.size());
  if (!returns_.empty()) {
    mo.mean = returns_sum_ / nr;
    double s2 = 0, s3 = 0, s4 = 0;
    for (double r : returns_) {
      const double d = r - mo.mean, d2 = d * d;
      s2 += d2;
      s3 += d2 * d;
      s4 += d2 * d2;
      const double ex = std::min(r - rf, 0.0);
      down_sq += ex * ex;
      up_sum += std::max(r, 0.0);
      down_sum += std::max(-r, 0.0);
    }
    finish_moments(&mo, returns_.size(), s2, s3, s4);
  }
  const double downside = returns_.empty() ? 0.0 : std::sqrt(down_sq / nr);
  const Tails tails = tail_quantiles(returns_, 0.05, 0.95);
  const double q05 = tails.q_lo, q95 = tails.q_hi;
  const double excess_mean = mo.mean - rf;
  const double sharpe_pp = returns_.empty() ? 0.0 : ratio(excess_mean, mo.stdev);

  const double cagr = days > 0 ? std::pow(last / first, kDaysPerYear / days) - 1.0 : 0.0;
  const std::vector<PeriodReturn> months = monthly_returns();
  double best_month = -kInf, worst_month = kInf, positive_months = 0;
  for (const auto& pr : months) {
    best_month = std::max(best_month, pr.return_pct);
    worst_month = std::min(worst_month, pr.return_pct);
    positive_months += pr.return_pct > 0;
  }
  const TradeStats ts = trade_stats(trades_);
  const double net_profit = last - initial_capital_;
  const double total_pnl = std::accumulate(ts.pnl.begin(), ts.pnl.end(), 0.0);
  const Moments pnl_m = moments(ts.pnl);
  const double avg_win = ts.wins > 0 ? ts.gross_profit / ts.wins : 0.0;
  const double avg_loss = ts.losses > 0 ? ts.gross_loss / ts.losses : 0.0;
  const double rr = ratio(avg_win, -avg_loss);
  const double win_frac = ts.count > 0 ? ts.wins / ts.count : 0.0;
  const BenchmarkStats bs = benchmark_stats(returns_, aligned_benchmark(), rf, p);

  // --- profitability -----------------------------------------------------------------------
  m.set("total_return_pct", (last / initial_capital_ - 1.0) * 100.0);
  m.set("cagr_pct", cagr * 100.0);
  m.set("net_profit", net_profit);
  m.set("total_pnl", total_pnl);
  m.set("expectancy", ts.count > 0 ? total_pnl / ts.count : 0.0);
  m.set("buy_and_hold_return_pct", bs.buy_and_hold_return_pct);
  m.set("final_equity", last);
  m.set("peak_equity", dd.peak);
  m.set("best_month_pct", best_month);
  m.set("worst_month_pct", worst_month);
  m.set("positive_months_pct", 100.0 * positive_months / static_cast<double>(months.size()));
  // --- risk ---------------------------------------------------------------------------------
  m.set("max_drawdown_pct", max_dd * 100.0);
  m.set("max_drawdown_amount", dd.max_dd_amount);
  m.set("max_drawdown_duration", static_cast<double>(dd.longest_bars));
  m.set("max_drawdown_duration_days", dd.longest_days);
  m.set("avg_drawdown_pct", dd.episodes == 0 ? 0.0 : dd.sum_depth_pct / static_cast<double>(dd.episodes));
  m.set("drawdown_count", static_cast<double>(dd.episodes));
  m.set("volatility_pct", mo.stdev * sqrt_p * 100.0);
  m.set("downside_deviation_pct", downside * sqrt_p * 100.0);
  m.set("value_at_risk_95", q05 * 100.0);
  m.set("conditional_var_95", tails.mean_at_or_below_lo * 100.0);
  m.set("ulcer_index", std::sqrt(dd.ulcer_sum / static_cast<double>(n)));
  m.set("skewness", mo.skew);
  m.set("excess_kurtosis", mo.excess_kurtosis);
  m.set("tail_ratio", ratio(std::fabs(q95), std::fabs(q05)));
  // --- risk-adjusted ratios ------------------------------------------------------------------
  m.set("sharpe_ratio", mo.stdev > 0 ? sharpe_pp * sqrt_p : sharpe_pp);
  m.set("sortino_ratio", downside > 0 ? excess_mean / downside * sqrt_p : ratio(excess_mean, 0.0));
  m.set("calmar_ratio", ratio(cagr, std::fabs(max_dd)));
  m.set("omega_ratio", ratio(up_sum, down_sum));
  m.set("probabilistic_sharpe_ratio",
        probabilistic_sharpe(sharpe_pp, returns_.size(), mo.skew, mo.excess_kurtosis + 3.0));
  m.set("alpha_pct", bs.alpha_pct);
  m.set("beta", bs.beta);
  m.set("correlation", bs.correlation);
  m.set("information_ratio", bs.information_ratio);
  m.set("tracking_error_pct", bs.tracking_error_pct);
  // --- trades -------------------------------------------------------------------------------
  m.set("total_trades", ts.count);
  m.set("winning_trades", ts.wins);
  m.set("losing_trades", ts.losses);
  m.set("breakeven_trades", ts.breakeven);
  m.set("open_trades", ts.open);
  m.set("win_rate_pct", win_frac * 100.0);
  m.set("profit_factor", ratio(ts.gross_profit, -ts.gross_loss));
  m.set("risk_reward_ratio", rr);
  m.set("recovery_factor", ratio(net_profit, std::fabs(dd.max_dd_amount)));
  m.set("gross_profit", ts.gross_profit);
  m.set("gross_loss", ts.gross_loss);
  m.set("avg_win", avg_win);
  m.set("avg_loss", avg_loss);
  m.set("largest_win", ts.largest_win);
  m.set("largest_loss", ts.largest_loss);
  m.set("avg_trade_return_pct", ts.count > 0 ? ts.sum_return_pct / ts.count : 0.0);
  m.set("avg_trade_duration_bars", ts.count > 0 ? ts.sum_bars / ts.count : 0.0);
  m.set("max_trade_duration_bars", ts.max_bars);
  m.set("avg_trade_duration_days", ts.count > 0 ? ts.sum_days / ts.count : 0.0);
  m.set("max_trade_duration_days", ts.max_days);
  m.set("max_consecutive_wins", ts.max_win_streak);
  m.set("max_consecutive_losses", ts.max_loss_streak);
  m.set("sqn", ts.pnl.size() >= 2 ? std::sqrt(ts.count) * ratio(pnl_m.mean, pnl_m.stdev) : 0.0);
  m.set("kelly_fraction", ts.wins + ts.losses > 0 ? win_frac - ratio(1.0 - win_frac, rr) : 0.0);
  m.set("exposure_time_pct", exposure_pct(ts_, positioned_points_, trades_));
  // --- data ---------------------------------------------------------------------------------
  m.set("bars", static_cast<double>(n));
  m.set("periods_per_year", p);
  m.set("duration_days", days);
  return m;
}

}  // namespace tradeloop::analysis
