// The analyzer against an independent, deliberately naive implementation of docs/metrics.md on
// real data (examples/data, see its PROVENANCE.md): buy-and-hold equity curves of GOOG daily
// (2004-2013, sessions calendar) and BTC-PERP 1-minute (24/7), with synthetic trades and a
// benchmark. The naive code sorts for quantiles, uses two-pass moments with std::pow, groups
// months through to_civil on every point and scans forward for drawdown recoveries: slow,
// obviously correct, and sharing no code with src/analysis.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"
#include "tradeloop/analysis/performance_analyzer.hpp"

namespace tradeloop::analysis {
namespace {

struct Closes {
  std::vector<Timestamp> ts;
  std::vector<double> close;
};

// timestamp,open,high,low,close,volume
Closes read_closes(const std::string& rel) {
  std::ifstream in(tradeloop::testing::source_path(rel));
  Closes out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    out.ts.push_back(parse_timestamp(cells.at(0)).value());
    out.close.push_back(std::stod(cells.at(4)));
  }
  return out;
}

double naive_mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double naive_sd(const std::vector<double>& x) {
  const double m = naive_mean(x);
  double s = 0;
  for (double v : x) s += std::pow(v - m, 2);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

double naive_quantile(std::vector<double> x, double q) {
  std::sort(x.begin(), x.end());
  const double h = (static_cast<double>(x.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(h);
  if (lo + 1 >= x.size()) return x[lo];
  return x[lo] + (h - static_cast<double>(lo)) * (x[lo + 1] - x[lo]);
}

struct Naive {
  std::map<std::string, double> m;
};

Naive naive_metrics(const Closes& c, const std::vector<double>& e, const std::vector<Trade>& trades,
                    double capital, double ppy, double rf_annual, const std::vector<double>& bench) {
  Naive out;
  auto& m = out.m;
  const std::size_t n = e.size();
  std::vector<double> r;
  for (std::size_t i = 1; i < n; ++i) r.push_back((e[i] - e[i - 1]) / e[i - 1]);
  const double rf = std::pow(1 + rf_annual, 1 / ppy) - 1;
  const double mean = naive_mean(r), sd = naive_sd(r);
  m["total_return_pct"] = (e.back() - capital) / capital * 100;
  const double days = static_cast<double>(c.ts.back() - c.ts.front()) / 86400e9;
  const double cagr = std::pow(e.back() / e.front(), 365.25 / days) - 1;
  m["cagr_pct"] = cagr * 100;
  m["volatility_pct"] = sd * std::sqrt(ppy) * 100;
  m["sharpe_ratio"] = (mean - rf) / sd * std::sqrt(ppy);
  double dsq = 0;
  for (double v : r) dsq += v - rf < 0 ? std::pow(v - rf, 2) : 0.0;
  m["sortino_ratio"] = (mean - rf) / std::sqrt(dsq / static_cast<double>(r.size())) * std::sqrt(ppy);
  double up = 0, down = 0;
  for (double v : r) (v > 0 ? up : down) += std::fabs(v);
  m["omega_ratio"] = up / down;
  const double var = naive_quantile(r, 0.05);
  m["value_at_risk_95"] = var * 100;
  std::vector<double> tail;
  for (double v : r)
    if (v <= var) tail.push_back(v);
  m["conditional_var_95"] = naive_mean(tail) * 100;
  m["tail_ratio"] = std::fabs(naive_quantile(r, 0.95)) / std::fabs(var);
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : r) {
    m2 += std::pow(v - mean, 2) / static_cast<double>(r.size());
    m3 += std::pow(v - mean, 3) / static_cast<double>(r.size());
    m4 += std::pow(v - mean, 4) / static_cast<double>(r.size());
  }
  const double skew = m3 / std::pow(m2, 1.5), kurt = m4 / (m2 * m2);
  m["skewness"] = skew;
  m["excess_kurtosis"] = kurt - 3;
  const double sr = (mean - rf) / sd;
  m["probabilistic_sharpe_ratio"] =
      0.5 * std::erfc(-(sr * std::sqrt(r.size() - 1.0) / std::sqrt(1 - skew * sr + (kurt - 1) / 4 * sr * sr)) /
                      std::sqrt(2.0));

  // Drawdowns: a running peak, then forward scans from every new peak for the recovery.
  double max_dd = 0, max_amt = 0, ulcer = 0;
  double run_peak = e[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (e[i] > run_peak) run_peak = e[i];
    max_dd = std::min(max_dd, e[i] / run_peak - 1);
    max_amt = std::min(max_amt, e[i] - run_peak);
    ulcer += std::pow((e[i] / run_peak - 1) * 100, 2) / static_cast<double>(n);
  }
  m["max_drawdown_pct"] = max_dd * 100;
  m["max_drawdown_amount"] = max_amt;
  m["ulcer_index"] = std::sqrt(ulcer);
  m["calmar_ratio"] = cagr / std::fabs(max_dd);
  m["recovery_factor"] = (e.back() - capital) / std::fabs(max_amt);
  double longest = 0, longest_days = 0, episodes = 0;
  double best = -1e300;
  for (std::size_t i = 0; i < n; ++i) {
    if (e[i] < best) continue;  // not a peak
    best = e[i];
    std::size_t j = i + 1;
    while (j < n && e[j] < e[i]) ++j;
    if (j == i + 1) continue;  // no dip after this peak
    const std::size_t end = j < n ? j : n - 1;
    ++episodes;
    longest = std::max(longest, static_cast<double>(end - i));
    longest_days = std::max(longest_days, static_cast<double>(c.ts[end] - c.ts[i]) / 86400e9);
    if (j >= n) break;
  }
  m["max_drawdown_duration"] = longest;
  m["max_drawdown_duration_days"] = longest_days;
  m["drawdown_count"] = episodes;

  // Months: last equity of every (year, month), chained.
  std::map<std::pair<int, int>, double> month_last;
  for (std::size_t i = 0; i < n; ++i) {
    const CivilTime t = to_civil(c.ts[i]);
    month_last[{t.year, t.month}] = e[i];
  }
  double prev = e[0], best_m = -1e300, worst_m = 1e300, pos = 0;
  for (const auto& [k, v] : month_last) {
    const double ret = (v / prev - 1) * 100;
    best_m = std::max(best_m, ret);
    worst_m = std::min(worst_m, ret);
    pos += ret > 0;
    prev = v;
  }
  m["best_month_pct"] = best_m;
  m["worst_month_pct"] = worst_m;
  m["positive_months_pct"] = pos / static_cast<double>(month_last.size()) * 100;

  // Trades.
  std::vector<double> pnl, wins, losses;
  for (const Trade& t : trades) {
    pnl.push_back(t.pnl);
    if (t.pnl > 0) wins.push_back(t.pnl);
    if (t.pnl < 0) losses.push_back(t.pnl);
  }
  double gp = 0, gl = 0;
  for (double v : wins) gp += v;
  for (double v : losses) gl += v;
  m["total_trades"] = static_cast<double>(pnl.size());
  m["win_rate_pct"] = static_cast<double>(wins.size()) / static_cast<double>(pnl.size()) * 100;
  m["profit_factor"] = gp / -gl;
  m["expectancy"] = naive_mean(pnl);
  m["total_pnl"] = naive_mean(pnl) * static_cast<double>(pnl.size());
  m["avg_win"] = naive_mean(wins);
  m["avg_loss"] = naive_mean(losses);
  m["risk_reward_ratio"] = naive_mean(wins) / -naive_mean(losses);
  m["largest_win"] = *std::max_element(pnl.begin(), pnl.end());
  m["largest_loss"] = *std::min_element(pnl.begin(), pnl.end());
  m["sqn"] = std::sqrt(static_cast<double>(pnl.size())) * naive_mean(pnl) / naive_sd(pnl);
  const double w = static_cast<double>(wins.size()) / static_cast<double>(pnl.size());
  m["kelly_fraction"] = w - (1 - w) / m["risk_reward_ratio"];
  std::size_t streak_w = 0, streak_l = 0, cw = 0, cl = 0;
  for (double v : pnl) {
    cw = v > 0 ? cw + 1 : 0;
    cl = v < 0 ? cl + 1 : 0;
    streak_w = std::max(streak_w, cw);
    streak_l = std::max(streak_l, cl);
  }
  m["max_consecutive_wins"] = static_cast<double>(streak_w);
  m["max_consecutive_losses"] = static_cast<double>(streak_l);
  std::size_t held = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bool in = false;
    for (const Trade& t : trades) in = in || (c.ts[i] >= t.entry_time && c.ts[i] < t.exit_time);
    held += in;
  }
  m["exposure_time_pct"] = static_cast<double>(held) / static_cast<double>(n) * 100;

  // Benchmark: least-squares slope, Jensen's alpha, active return statistics.
  std::vector<double> rb, active;
  for (std::size_t i = 1; i < n; ++i) {
    rb.push_back(bench[i] / bench[i - 1] - 1);
    active.push_back(r[i - 1] - rb.back());
  }
  const double mb = naive_mean(rb);
  double cov = 0;
  for (std::size_t i = 0; i < r.size(); ++i) cov += (r[i] - mean) * (rb[i] - mb) / static_cast<double>(r.size() - 1);
  const double beta = cov / std::pow(naive_sd(rb), 2);
  m["beta"] = beta;
  m["alpha_pct"] = ((mean - rf) - beta * (mb - rf)) * ppy * 100;
  m["correlation"] = cov / (sd * naive_sd(rb));
  m["information_ratio"] = naive_mean(active) / naive_sd(active) * std::sqrt(ppy);
  m["tracking_error_pct"] = naive_sd(active) * std::sqrt(ppy) * 100;
  m["buy_and_hold_return_pct"] = (bench.back() / bench.front() - 1) * 100;
  return out;
}

// Buy and hold of `capital` in the closes; trades every 37 bars held 20 bars; benchmark = a
// 10-bar moving average of the closes (a different, smooth series).
void check_against_naive(const std::string& file, double ppy_expected, double rf) {
  const Closes c = read_closes(file);
  ASSERT_GT(c.close.size(), 1000u) << file;
  const double capital = 10'000;
  std::vector<EquityPoint> curve;
  std::vector<double> e;
  for (std::size_t i = 0; i < c.ts.size(); ++i) {
    e.push_back(capital * c.close[i] / c.close[0]);
    curve.push_back({c.ts[i], e.back(), 0, 0, 0});
  }
  std::vector<Trade> trades;
  for (std::size_t i = 0; i + 20 < c.ts.size(); i += 37) {
    Trade t;
    t.entry_time = c.ts[i];
    t.exit_time = c.ts[i + 20];
    t.pnl = e[i + 20] - e[i];
    t.return_pct = t.pnl / e[i] * 100;
    t.bars_held = 20;
    trades.push_back(t);
  }
  ValueSeries bench;
  std::vector<double> bench_values;
  for (std::size_t i = 0; i < c.ts.size(); ++i) {
    double s = 0;
    const std::size_t from = i >= 9 ? i - 9 : 0;
    for (std::size_t k = from; k <= i; ++k) s += c.close[k];
    bench.ts.push_back(c.ts[i]);
    bench.values.push_back(s / static_cast<double>(i - from + 1));
  }
  AnalysisOptions o;
  o.benchmark = bench;
  o.risk_free_rate = rf;
  const PerformanceAnalyzer a(curve, trades, capital, o);
  EXPECT_NEAR(a.periods_per_year(), ppy_expected, 1e-9) << file;
  const MetricSet got = a.calculate_all_metrics();
  const Naive want = naive_metrics(c, e, trades, capital, a.periods_per_year(), rf, bench.values);
  for (const auto& [name, value] : want.m) {
    const double g = got.get(name);
    EXPECT_NEAR(g, value, 1e-9 * std::max(1.0, std::fabs(value))) << file << " " << name;
  }
  EXPECT_GE(want.m.size(), 44u);
}

TEST(NaiveReference, GoogDailyBuyAndHold) {
  check_against_naive("examples/data/backtestingpy_GOOG-1d.csv", 252, 0.02);
}

TEST(NaiveReference, BtcPerpMinuteBuyAndHold) {
  check_against_naive("examples/data/nautilus_BTC-PERP-1m.csv", 365.0 * 1440, 0.0);
}

}  // namespace
}  // namespace tradeloop::analysis
