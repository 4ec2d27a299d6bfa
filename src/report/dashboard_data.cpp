#include "dashboard_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "tradeloop/analysis/performance_analyzer.hpp"

namespace tradeloop::report::detail {

namespace detail_dash {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds(Timestamp ts) { return static_cast<double>(ts) / static_cast<double>(kNanosPerSecond); }

XYSeries pick(const std::vector<Timestamp>& ts, const std::vector<std::size_t>& idx,
              const std::vector<const std::vector<double>*>& ys) {
  XYSeries out;
  out.x.reserve(idx.size());
  for (std::size_t i : idx) out.x.push_back(seconds(ts[i]));
  for (const auto* y : ys) {
    std::vector<double> v;
    v.reserve(idx.size());
    for (std::size_t i : idx) v.push_back((*y)[i]);
    out.ys.push_back(std::move(v));
  }
  return out;
}

MonthlyTable monthly_table(const analysis::PerformanceAnalyzer& a) {
  MonthlyTable t;
  const auto years = a.annual_returns();
  for (const auto& y : years) t.years.push_back(y.year);
  t.values.assign(t.years.size() * 13, kNaN);
  auto row = [&](int year) {
    return static_cast<std::size_t>(std::lower_bound(t.years.begin(), t.years.end(), year) - t.years.begin());
  };
  for (const auto& m : a.monthly_returns()) t.values[row(m.year) * 13 + static_cast<std::size_t>(m.month - 1)] = m.return_pct;
  for (const auto& y : years) t.values[row(y.year) * 13 + 12] = y.return_pct;
  return t;
}

Histogram pnl_histogram(std::span<const Trade> trades) {
  Histogram h;
  std::vector<double> pnl;
  for (const Trade& t : trades)
    if (!t.is_open && std::isfinite(t.pnl)) pnl.push_back(t.pnl);
  if (pnl.empty()) return h;
  const auto [lo_it, hi_it] = std::minmax_element(pnl.begin(), pnl.end());
  const double lo = std::min(*lo_it, 0.0), hi = std::max(*hi_it, 0.0);
  const auto bins = std::clamp<std::size_t>(static_cast<std::size_t>(std::sqrt(static_cast<double>(pnl.size()))), 10, 60);
  h.width = hi > lo ? (hi - lo) / static_cast<double>(bins) : 1.0;
  // Edges at k * width, so 0 is an edge and no bin mixes wins and losses.
  const double start = std::floor(lo / h.width) * h.width;
  const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((hi - start) / h.width)));
  h.counts.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) h.centers.push_back(start + (static_cast<double>(i) + 0.5) * h.width);
  for (double v : pnl) {
    // A value on an edge goes to the bin above it; the top edge belongs to the last bin.
    const auto b = static_cast<std::size_t>(std::floor((v - start) / h.width));
    h.counts[std::min(b, n - 1)] += 1;
  }
  return h;
}

WinLoss win_loss(const analysis::MetricSet& m) {
  WinLoss w;
  auto g = [&](const char* k) { return m.find(k).value_or(0.0); };
  w.wins = g("winning_trades");
  w.losses = g("losing_trades");
  w.breakeven = g("breakeven_trades");
  w.avg_win = g("avg_win");
  w.avg_loss = g("avg_loss");
  w.largest_win = g("largest_win");
  w.largest_loss = g("largest_loss");
  w.gross_profit = g("gross_profit");
  w.gross_loss = g("gross_loss");
  return w;
}

std::vector<std::size_t> shown_trade_indices(std::size_t n) {
  std::vector<std::size_t> out;
  if (n <= kMaxTradeRows) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  const std::size_t half = kMaxTradeRows / 2;
  for (std::size_t i = 0; i < half; ++i) out.push_back(i);
  for (std::size_t i = n - half; i < n; ++i) out.push_back(i);
  return out;
}

// OHLC buckets of `k` bars each; returns k.
std::size_t merge_candles(const BarSeries& bars, Candles* c) {
  const std::size_t n = bars.size();
  const std::size_t k = std::max<std::size_t>(1, (n + kMaxChartPoints - 1) / kMaxChartPoints);
  const auto ts = bars.timestamps();
  const auto o = bars.open(), h = bars.high(), l = bars.low(), cl = bars.close();
  for (std::size_t b = 0; b < n; b += k) {
    const std::size_t e = std::min(n, b + k);
    c->t.push_back(seconds(ts[b]));
    c->open.push_back(o[b]);
    c->high.push_back(*std::max_element(h.begin() + static_cast<std::ptrdiff_t>(b), h.begin() + static_cast<std::ptrdiff_t>(e)));
    c->low.push_back(*std::min_element(l.begin() + static_cast<std::ptrdiff_t>(b), l.begin() + static_cast<std::ptrdiff_t>(e)));
    c->close.push_back(cl[e - 1]);
  }
  return k;
}

void add_markers(const BarSeries& bars, std::size_t k, const Candles& c, std::span<const Trade> trades,
                 const std::vector<std::size_t>& shown, std::vector<TradeMarker>* out) {
  const auto ts = bars.timestamps();
  auto bucket_time = [&](Timestamp t, bool* inside) {
    const auto i = static_cast<std::size_t>(std::lower_bound(ts.begin(), ts.end(), t) - ts.begin());
    *inside = i < ts.size() && t >= ts.front();
    return c.t[std::min(i, ts.size() - 1) / k];
  };
  for (std::size_t idx : shown) {
    const Trade& t = trades[idx];
    const bool long_side = t.side == Side::kBuy;
    bool inside = false;
    const double et = bucket_time(t.entry_time, &inside);
    if (inside) out->push_back({et, t.entry_price, true, long_side, false});
    if (t.is_open || t.exit_time == 0) continue;
    const double xt = bucket_time(t.exit_time, &inside);
    if (inside) out->push_back({xt, t.exit_price, false, long_side, t.pnl > 0});
  }
  std::stable_sort(out->begin(), out->end(), [](const TradeMarker& a, const TradeMarker& b) { return a.t < b.t; });
}

}  // namespace detail_dash

std::vector<std::size_t> minmax_indices(const std::vector<double>& y, std::size_t max_points) {
  const std::size_t n = y.size();
  std::vector<std::size_t> out;
  if (n <= max_points || max_points < 4) {
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = i;
    return out;
  }
  const std::size_t buckets = (max_points - 2) / 2;
  const std::size_t size = (n + buckets - 1) / buckets;
  out.reserve(max_points);
  out.push_back(0);
  for (std::size_t b = 0; b < n; b += size) {
    const std::size_t e = std::min(n, b + size);
    std::size_t lo = b, hi = b;
    for (std::size_t i = b; i < e; ++i) {
      // NaN compares false both ways and is never picked over a number.
      if (y[i] < y[lo] || std::isnan(y[lo])) lo = i;
      if (y[i] > y[hi] || std::isnan(y[hi])) hi = i;
    }
    const std::size_t first = std::min(lo, hi), second = std::max(lo, hi);
    if (first != out.back()) out.push_back(first);
    if (second != out.back()) out.push_back(second);
  }
  if (out.back() != n - 1) out.push_back(n - 1);
  return out;
}

DashboardData prepare_dashboard(const ReportInputs& in) {
  using namespace detail_dash;
  DashboardData d;
  const double capital = in.initial_capital > 0 ? in.initial_capital
                         : in.equity.empty()    ? 1.0
                                                : in.equity.front().equity;
  const analysis::PerformanceAnalyzer a(in.equity, in.trades, capital, in.analysis_options);
  d.metrics = in.metrics ? *in.metrics : a.calculate_all_metrics();
  d.initial_capital = capital;
  const auto& ts = a.timestamps();
  d.start = ts.front();
  d.end = ts.back();

  const std::vector<double>& eq = a.equity();
  std::vector<double> bench = a.aligned_benchmark();
  if (!bench.empty()) {
    // Rebase to the equity at the first point where the benchmark has a value.
    std::size_t first = 0;
    while (first < bench.size() && std::isnan(bench[first])) ++first;
    if (first < bench.size()) {
      const double scale = eq[first] / bench[first];
      for (double& v : bench) v *= scale;
      d.has_benchmark = true;
    }
  }
  const auto eq_idx = minmax_indices(eq, kMaxChartPoints);
  d.equity = d.has_benchmark ? pick(ts, eq_idx, {&eq, &bench}) : pick(ts, eq_idx, {&eq});

  const std::vector<double> dd = a.drawdown_pct_series();
  d.underwater = pick(ts, minmax_indices(dd, kMaxChartPoints), {&dd});

  d.rolling_window = a.rolling_window();
  const auto rs = a.rolling_sharpe();
  std::vector<Timestamp> rs_ts;
  std::vector<double> rs_v;
  for (const auto& p : rs) {
    rs_ts.push_back(p.ts);
    rs_v.push_back(std::isfinite(p.value) ? p.value : kNaN);
  }
  d.rolling_sharpe = pick(rs_ts, minmax_indices(rs_v, kMaxChartPoints), {&rs_v});

  d.monthly = monthly_table(a);
  d.pnl_histogram = pnl_histogram(in.trades);
  d.win_loss = win_loss(d.metrics);
  d.shown_trades = shown_trade_indices(in.trades.size());
  if (in.bars && !in.bars->empty()) {
    const std::size_t k = merge_candles(*in.bars, &d.candles);
    // Markers only while they stay readable (at most one trade per two candles) and tell the
    // whole story (not when the trade list is cut to its first and last rows).
    d.markers_omitted = d.shown_trades.size() < in.trades.size() || 2 * d.shown_trades.size() > d.candles.t.size();
    if (!d.markers_omitted) add_markers(*in.bars, k, d.candles, in.trades, d.shown_trades, &d.markers);
  }
  return d;
}

std::string metric_label(const std::string& key) {
  std::string s = key;
  std::string suffix;
  if (s.size() > 4 && s.ends_with("_pct")) {
    s.resize(s.size() - 4);
    suffix = " (%)";
  }
  for (char& ch : s)
    if (ch == '_') ch = ' ';
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  // Acronyms read better in capitals.
  for (const char* acr : {"cagr", "sqn"}) {
    const std::string a(acr);
    if (s.rfind(static_cast<char>(a[0] - 'a' + 'A') + a.substr(1), 0) == 0)
      for (std::size_t i = 0; i < a.size(); ++i) s[i] = static_cast<char>(a[i] - 'a' + 'A');
  }
  return s + suffix;
}

std::string display_value(const std::string& key, double v) {
  if (std::isnan(v)) return "\xE2\x80\x94";  // em dash
  if (std::isinf(v)) return v > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E";
  char buf[64];
  if (std::trunc(v) == v && std::fabs(v) < 1e15 && !key.ends_with("_pct")) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else if (std::fabs(v) >= 1e6 || (std::fabs(v) < 1e-3 && v != 0)) {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  } else if (std::fabs(v) < 1) {
    std::snprintf(buf, sizeof buf, "%.4f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

const char* metric_group_start(const std::string& key) {
  if (key == "total_return_pct") return "Returns";
  if (key == "max_drawdown_pct") return "Risk";
  if (key == "sharpe_ratio") return "Risk-adjusted";
  if (key == "total_trades") return "Trades";
  if (key == "bars") return "Data";
  return nullptr;
}

}  // namespace tradeloop::report::detail
