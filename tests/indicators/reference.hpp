// Naive, obviously-correct reference implementations of every registry indicator: each output
// recomputed from its definition, window by window, in long double where sums are involved,
// O(n·period). They exist only to be compared with the library (registry_harness_test.cpp).
// Parabolic SAR and the candlestick patterns are written from their definitions in
// docs/indicators.md (Wilder's SAR with TA-Lib's start and clamping rules; Nison's patterns with
// the thresholds stated there), bar by bar, independent of the library's state machines.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "tradeloop/core/params.hpp"
#include "tradeloop/core/timeframe.hpp"

namespace tradeloop::ind::ref {

using Col = std::vector<double>;
using Cols = std::vector<Col>;
inline constexpr double kN = std::numeric_limits<double>::quiet_NaN();

inline Col nans(std::size_t n) { return Col(n, kN); }
inline std::size_t first_valid(const Col& x) {
  std::size_t f = 0;
  while (f < x.size() && std::isnan(x[f])) ++f;
  return f;
}

// Mean of x[i-n+1..i] once n valid values exist.
inline Col sma(const Col& x, int n) {
  Col out = nans(x.size());
  const std::size_t f = first_valid(x);
  for (std::size_t i = f + n - 1; i < x.size(); ++i) {
    long double s = 0;
    for (int k = 0; k < n; ++k) s += x[i - k];
    out[i] = static_cast<double>(s / n);
  }
  return out;
}

// Exponential smoothing in TA-Lib's form, seeded with the SMA of the first n valid values
// (or the first valid value).
inline Col expsmooth(const Col& x, int n, double alpha, bool sma_seed = true) {
  Col out = nans(x.size());
  const std::size_t f = first_valid(x);
  const std::size_t start = sma_seed ? f + n - 1 : f;
  if (start >= x.size()) return out;
  double v = sma_seed ? sma(Col(x.begin() + f, x.begin() + f + n), n)[n - 1] : x[f];
  out[start] = v;
  for (std::size_t i = start + 1; i < x.size(); ++i) out[i] = v = (x[i] - v) * alpha + v;
  return out;
}
inline Col ema(const Col& x, int n, bool sma_seed = true) { return expsmooth(x, n, 2.0 / (n + 1), sma_seed); }
inline Col wilder(const Col& x, int n) { return expsmooth(x, n, 1.0 / n); }

inline Col wma(const Col& x, int n) {
  Col out = nans(x.size());
  const std::size_t f = first_valid(x);
  for (std::size_t i = f + n - 1; i < x.size(); ++i) {
    long double s = 0;
    for (int k = 0; k < n; ++k) s += static_cast<long double>(n - k) * x[i - k];
    out[i] = static_cast<double>(s / (n * (n + 1) / 2.0L));
  }
  return out;
}

inline Col window_extreme(const Col& x, int n, bool max) {
  Col out = nans(x.size());
  for (std::size_t i = n - 1; i < x.size(); ++i) {
    double e = x[i];
    for (int k = 0; k < n; ++k) e = max ? std::max(e, x[i - k]) : std::min(e, x[i - k]);
    out[i] = e;
  }
  return out;
}

// Population (ddof 0) or sample variance of the window, two-pass in long double.
inline Col variance(const Col& x, int n, int ddof) {
  Col out = nans(x.size());
  for (std::size_t i = n - 1; i < x.size(); ++i) {
    long double m = 0, s = 0;
    for (int k = 0; k < n; ++k) m += x[i - k];
    m /= n;
    for (int k = 0; k < n; ++k) s += (x[i - k] - m) * (x[i - k] - m);
    out[i] = static_cast<double>(s / (n - ddof));
  }
  return out;
}

inline Col true_range(const Col& h, const Col& l, const Col& c, bool tv) {
  Col out = nans(c.size());
  if (!c.empty() && tv) out[0] = h[0] - l[0];
  for (std::size_t i = 1; i < c.size(); ++i)
    out[i] = std::max({h[i] - l[i], std::fabs(h[i] - c[i - 1]), std::fabs(l[i] - c[i - 1])});
  return out;
}

inline Col atr(const Col& h, const Col& l, const Col& c, int n, bool tv) { return wilder(true_range(h, l, c, tv), n); }

// TA-Lib ta_RSI.c / ta_CMO.c, written out directly.
inline Col rsi_like(const Col& c, int n, bool cmo) {
  Col out = nans(c.size());
  if (c.size() <= static_cast<std::size_t>(n)) return out;
  double g = 0, l = 0;
  for (int i = 1; i <= n; ++i) {
    const double d = c[i] - c[i - 1];
    (d > 0 ? g : l) += std::fabs(d);
  }
  g /= n;
  l /= n;
  for (std::size_t i = n;; ++i) {
    out[i] = g + l == 0 ? 0.0 : 100.0 * (cmo ? g - l : g) / (g + l);
    if (i + 1 >= c.size()) break;
    const double d = c[i + 1] - c[i];
    g = g * (n - 1) / n + (d > 0 ? d : 0) / n;
    l = l * (n - 1) / n + (d < 0 ? -d : 0) / n;
  }
  return out;
}

inline Col diff(const Col& a, const Col& b) {
  Col out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] - b[i];
  return out;
}

// TA-Lib's fast/slow pair: with SMA seeding the fast average is fed from bar slow − fast.
inline std::pair<Col, Col> fast_slow(const Col& x, int fast, int slow, bool ema_type, bool sma_seed) {
  const bool aligned = !ema_type || sma_seed;
  const std::size_t delay = aligned ? slow - fast : 0;
  Col tail(x.begin() + std::min(delay, x.size()), x.end());
  Col f = ema_type ? ema(tail, fast, sma_seed) : sma(tail, fast);
  f.insert(f.begin(), std::min(delay, x.size()), kN);
  Col s = ema_type ? ema(x, slow, sma_seed) : sma(x, slow);
  return {f, s};
}

inline Col stoch_raw(const Col& x, const Col& hh, const Col& ll) {
  Col out = nans(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isnan(hh[i])) out[i] = hh[i] == ll[i] ? 0.0 : 100.0 * (x[i] - ll[i]) / (hh[i] - ll[i]);
  return out;
}

inline Col typical(const Col& h, const Col& l, const Col& c) {
  Col tp(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) tp[i] = (h[i] + l[i] + c[i]) / 3.0;
  return tp;
}

inline double clv(double h, double l, double c) { return h - l > 0 ? ((c - l) - (h - c)) / (h - l) : 0.0; }

// Σa/Σb over a window of n (from index `from`), `zero` when Σb = 0.
inline Col window_ratio(const Col& a, const Col& b, int n, std::size_t from, double zero) {
  Col out = nans(a.size());
  for (std::size_t i = from + n - 1; i < a.size(); ++i) {
    long double sa = 0, sb = 0;
    for (int k = 0; k < n; ++k) {
      sa += a[i - k];
      sb += b[i - k];
    }
    out[i] = sb != 0 ? static_cast<double>(sa / sb) : zero;
  }
  return out;
}

// The least-squares line over each window, straight from the normal equations.
inline Cols linreg(const Col& y, int n) {
  Cols out(6, nans(y.size()));
  for (std::size_t i = n - 1; i < y.size(); ++i) {
    long double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int j = 0; j < n; ++j) {
      const long double v = y[i - n + 1 + j];
      sx += j;
      sy += v;
      sxx += static_cast<long double>(j) * j;
      sxy += j * v;
    }
    const long double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const long double a = (sy - b * sx) / n;
    long double sse = 0, syy = 0;
    const long double my = sy / n;
    for (int j = 0; j < n; ++j) {
      const long double e = y[i - n + 1 + j] - (a + b * j);
      sse += e * e;
      syy += (y[i - n + 1 + j] - my) * (y[i - n + 1 + j] - my);
    }
    out[0][i] = static_cast<double>(a + b * (n - 1));
    out[1][i] = static_cast<double>(b);
    out[2][i] = static_cast<double>(a);
    out[3][i] = static_cast<double>(std::atan(b) * 180 / std::numbers::pi_v<long double>);
    out[4][i] = static_cast<double>(a + b * n);
    out[5][i] = sse > 1e-10L * syy ? static_cast<double>((y[i] - (a + b * (n - 1))) / std::sqrt(sse / n)) : 0.0;
  }
  return out;
}

inline Col pearson(const Col& x, const Col& y, int n, std::size_t from, bool beta) {
  Col out = nans(x.size());
  for (std::size_t i = from + n - 1; i < x.size(); ++i) {
    long double mx = 0, my = 0;
    for (int k = 0; k < n; ++k) {
      mx += x[i - k];
      my += y[i - k];
    }
    mx /= n;
    my /= n;
    long double sxx = 0, syy = 0, sxy = 0;
    for (int k = 0; k < n; ++k) {
      sxx += (x[i - k] - mx) * (x[i - k] - mx);
      syy += (y[i - k] - my) * (y[i - k] - my);
      sxy += (x[i - k] - mx) * (y[i - k] - my);
    }
    if (beta)
      out[i] = sxx != 0 ? static_cast<double>(sxy / sxx) : 0.0;
    else
      out[i] = sxx * syy != 0 ? static_cast<double>(sxy / std::sqrt(sxx * syy)) : 0.0;
  }
  return out;
}

// Parabolic SAR (Wilder 1978) with TA-Lib ta_SAR.c's conventions, straight from the rules:
// the trade starts short if bar 1 has a positive −DM (its low fell more than its high rose),
// long otherwise; the first SAR is the extreme of bar 0 on the far side (L₀ long, H₀ short)
// and the first extreme point is bar 1's high (long) or low (short). Each bar reports the SAR
// in force, then: a bar that touches the SAR reverses the trade (the SAR becomes the old
// extreme point, pushed outside this and the previous bar, af restarts); otherwise a new
// extreme raises af by `step` up to `cap`. The next SAR moves af of the way to the extreme
// point and never enters this or the previous bar's range. Bar 0 has no value; on bar 1 the
// "previous bar" is bar 1 itself (TA-Lib).
inline Col psar(const Col& h, const Col& l, double step, double cap) {
  Col out = nans(h.size());
  if (h.size() < 2) return out;
  step = std::min(step, cap);
  const double down = l[0] - l[1], up = h[1] - h[0];
  bool is_long = !(down > 0 && down > up);
  double sar = is_long ? l[0] : h[0], ep = is_long ? h[1] : l[1], af = step;
  for (std::size_t i = 1; i < h.size(); ++i) {
    const std::size_t prev = i == 1 ? 1 : i - 1;
    const double hi2 = std::max(h[i], h[prev]), lo2 = std::min(l[i], l[prev]);
    const bool touched = is_long ? l[i] <= sar : h[i] >= sar;
    if (touched) {
      is_long = !is_long;
      sar = is_long ? std::min(ep, lo2) : std::max(ep, hi2);
      af = step;
      ep = is_long ? h[i] : l[i];
    } else if (is_long ? h[i] > ep : l[i] < ep) {
      ep = is_long ? h[i] : l[i];
      af = std::min(af + step, cap);
    }
    out[i] = sar;
    const double next = sar + af * (ep - sar);
    sar = is_long ? std::min(next, lo2) : std::max(next, hi2);
  }
  return out;
}

// One candle's parts.
struct Candle {
  double o, h, l, c;
  double body() const { return std::fabs(c - o); }
  double range() const { return h - l; }
  double top() const { return std::max(o, c); }
  double bottom() const { return std::min(o, c); }
  double upper() const { return h - top(); }
  double lower() const { return bottom() - l; }
  bool white() const { return c > o; }
  bool black() const { return c < o; }
};

// Nison's patterns with the thresholds of docs/indicators.md: "long" = body above the average
// body of the 10 bars before the current one, "small" = below half of it, trend = the previous
// close against the close 5 bars earlier; first value at bar 10.
inline Col candle_pattern(const std::string& name, const Cols& in) {
  const Col &O = in[0], &H = in[1], &L = in[2], &C = in[3];
  Col out = nans(C.size());
  for (std::size_t t = 10; t < C.size(); ++t) {
    const auto bar = [&](std::size_t k) { return Candle{O[t - k], H[t - k], L[t - k], C[t - k]}; };
    long double body_sum = 0, range_sum = 0;
    for (std::size_t k = 1; k <= 10; ++k) {
      body_sum += bar(k).body();
      range_sum += bar(k).range();
    }
    const double avg_body = static_cast<double>(body_sum / 10), avg_range = static_cast<double>(range_sum / 10);
    const Candle b0 = bar(0), b1 = bar(1), b2 = bar(2);
    const auto is_long = [&](const Candle& b) { return b.body() > avg_body; };
    const auto is_small = [&](const Candle& b) { return b.body() < avg_body / 2; };
    const bool fell = C[t - 1] < C[t - 6], rose = C[t - 1] > C[t - 6];
    // Hammer family: a body no bigger than average, a shadow (> 0) at least twice the body, the
    // other at most a tenth of the range.
    const auto hammer = [&](double long_shadow, double short_shadow) {
      return b0.body() <= avg_body && long_shadow > 0 && long_shadow >= 2 * b0.body() &&
             short_shadow <= b0.range() / 10;
    };
    double v = 0;
    if (name == "doji") {
      v = b0.body() <= avg_range / 10 ? 100 : 0;
    } else if (name == "hammer" || name == "hanging_man") {
      const bool shape = hammer(b0.lower(), b0.upper());
      v = name == "hammer" ? (shape && fell ? 100 : 0) : (shape && rose ? -100 : 0);
    } else if (name == "inverted_hammer" || name == "shooting_star") {
      const bool shape = hammer(b0.upper(), b0.lower());
      v = name == "inverted_hammer" ? (shape && fell ? 100 : 0) : (shape && rose ? -100 : 0);
    } else if (name == "engulfing") {
      const bool covers = b0.bottom() <= b1.bottom() && b0.top() >= b1.top() &&
                          (b0.bottom() < b1.bottom() || b0.top() > b1.top());
      if (covers && b1.black() && b0.white()) v = 100;
      if (covers && b1.white() && b0.black()) v = -100;
    } else if (name == "harami") {
      const bool inside = b0.top() < b1.top() && b0.bottom() > b1.bottom();
      if (is_long(b1) && is_small(b0) && inside) v = b1.black() ? 100 : -100;
    } else if (name == "piercing") {
      const double mid = (b1.o + b1.c) / 2;
      v = is_long(b1) && b1.black() && b0.white() && b0.o < b1.l && b0.c > mid && b0.c < b1.o ? 100 : 0;
    } else if (name == "dark_cloud_cover") {
      const double mid = (b1.o + b1.c) / 2;
      v = is_long(b1) && b1.white() && b0.black() && b0.o > b1.h && b0.c < mid && b0.c > b1.o ? -100 : 0;
    } else if (name == "morning_star") {
      v = is_long(b2) && b2.black() && is_small(b1) && b1.top() < b2.c && b0.white() &&
                  b0.c > b2.c + 0.3 * b2.body()
              ? 100 : 0;
    } else if (name == "evening_star") {
      v = is_long(b2) && b2.white() && is_small(b1) && b1.bottom() > b2.c && b0.black() &&
                  b0.c < b2.c - 0.3 * b2.body()
              ? -100 : 0;
    } else if (name == "three_white_soldiers" || name == "three_black_crows") {
      const bool up = name == "three_white_soldiers";
      bool ok = b0.body() > avg_body / 2;
      for (std::size_t k = 0; k < 3; ++k) {
        const Candle b = bar(k);
        ok = ok && (up ? b.white() : b.black()) && (up ? b.upper() : b.lower()) <= b.range() / 4;
        if (k < 2) {  // bar k against the bar before it: a further close, an open past its open
          const Candle p = bar(k + 1);  // and not past its close
          ok = ok && (up ? b.c > p.c && b.o > p.o && b.o <= p.c : b.c < p.c && b.o < p.o && b.o >= p.c);
        }
      }
      v = ok ? (up ? 100 : -100) : 0;
    } else if (name == "marubozu") {
      if (is_long(b0) && b0.upper() <= b0.range() / 20 && b0.lower() <= b0.range() / 20) v = b0.white() ? 100 : -100;
    }
    out[t] = v;
  }
  return out;
}

using RefFn = std::function<Cols(const ParamSet&, const Cols&)>;

// name -> reference; inputs in the registry entry's order.
inline const std::map<std::string, RefFn>& references() {
  static const std::map<std::string, RefFn> table = [] {
    std::map<std::string, RefFn> r;
    const auto I = [](const ParamSet& p, const char* k) { return static_cast<int>(p.get_int(k)); };
    const auto S = [](const ParamSet& p, const char* k) { return p.get_string(k); };
    r["sma"] = [=](const ParamSet& p, const Cols& in) { return Cols{sma(in[0], I(p, "period"))}; };
    r["ema"] = [=](const ParamSet& p, const Cols& in) {
      return Cols{ema(in[0], I(p, "period"), S(p, "seed") == "sma")};
    };
    r["rma"] = [=](const ParamSet& p, const Cols& in) { return Cols{wilder(in[0], I(p, "period"))}; };
    r["wma"] = [=](const ParamSet& p, const Cols& in) { return Cols{wma(in[0], I(p, "period"))}; };
    r["dema"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col e1 = ema(in[0], n), e2 = ema(e1, n);
      Col out = nans(e1.size());
      for (std::size_t i = 0; i < out.size(); ++i)
        if (!std::isnan(e2[i])) out[i] = 2 * e1[i] - e2[i];
      return Cols{out};
    };
    r["tema"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col e1 = ema(in[0], n), e2 = ema(e1, n), e3 = ema(e2, n);
      Col out = nans(e1.size());
      for (std::size_t i = 0; i < out.size(); ++i)
        if (!std::isnan(e3[i])) out[i] = 3 * e1[i] - 3 * e2[i] + e3[i];
      return Cols{out};
    };
    r["trima"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const int a = n % 2 ? (n + 1) / 2 : n / 2, b = n % 2 ? (n + 1) / 2 : n / 2 + 1;
      return Cols{sma(sma(in[0], a), b)};
    };
    r["kama"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col& x = in[0];
      Col out = nans(x.size());
      if (x.size() <= static_cast<std::size_t>(n)) return Cols{out};
      double k = x[n - 1];
      for (std::size_t i = n; i < x.size(); ++i) {
        long double noise = 0;
        for (int j = 0; j < n; ++j) noise += std::fabs(x[i - j] - x[i - j - 1]);
        const double change = x[i] - x[i - n];
        const double er = (noise <= change || noise == 0) ? 1.0 : std::fabs(change / static_cast<double>(noise));
        const double sc = er * (2.0 / 3 - 2.0 / 31) + 2.0 / 31;
        out[i] = k = (x[i] - k) * sc * sc + k;
      }
      return Cols{out};
    };
    r["hma"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col a = wma(in[0], n / 2), b = wma(in[0], n);
      Col d = nans(a.size());
      for (std::size_t i = 0; i < d.size(); ++i)
        if (!std::isnan(b[i])) d[i] = 2 * a[i] - b[i];
      return Cols{wma(d, static_cast<int>(std::floor(std::sqrt(n))))};
    };
    r["zlema"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period"), lag = (n - 1) / 2;
      Col d = nans(in[0].size());
      for (std::size_t i = lag; i < d.size(); ++i) d[i] = 2 * in[0][i] - in[0][i - lag];
      return Cols{ema(d, n)};
    };
    r["vwma"] = [=](const ParamSet& p, const Cols& in) {
      Col pv(in[0].size());
      for (std::size_t i = 0; i < pv.size(); ++i) pv[i] = in[0][i] * in[1][i];
      return Cols{window_ratio(pv, in[1], I(p, "period"), 0, kN)};
    };
    r["rsi"] = [=](const ParamSet& p, const Cols& in) { return Cols{rsi_like(in[0], I(p, "period"), false)}; };
    r["cmo"] = [=](const ParamSet& p, const Cols& in) { return Cols{rsi_like(in[0], I(p, "period"), true)}; };
    r["roc"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      Col out = nans(in[0].size());
      for (std::size_t i = n; i < out.size(); ++i)
        out[i] = in[0][i - n] != 0 ? (in[0][i] / in[0][i - n] - 1) * 100 : 0.0;
      return Cols{out};
    };
    r["mom"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      Col out = nans(in[0].size());
      for (std::size_t i = n; i < out.size(); ++i) out[i] = in[0][i] - in[0][i - n];
      return Cols{out};
    };
    r["trix"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col e = ema(ema(ema(in[0], n), n), n);
      Col out = nans(e.size());
      for (std::size_t i = 1; i < e.size(); ++i)
        if (!std::isnan(e[i - 1])) out[i] = e[i - 1] != 0 ? 100 * (e[i] / e[i - 1] - 1) : 0.0;
      return Cols{out};
    };
    r["macd"] = [=](const ParamSet& p, const Cols& in) {
      const bool sma_seed = S(p, "seed") == "sma";
      auto [f, s] = fast_slow(in[0], I(p, "fast"), I(p, "slow"), true, sma_seed);
      const Col m = diff(f, s), sig = ema(m, I(p, "signal"), sma_seed);
      Cols out{m, sig, diff(m, sig)};
      for (std::size_t i = 0; i < m.size(); ++i)
        if (std::isnan(sig[i])) out[2][i] = kN;
      return out;
    };
    const auto po = [=](bool pct) {
      return [=](const ParamSet& p, const Cols& in) {
        auto [f, s] = fast_slow(in[0], I(p, "fast"), I(p, "slow"), S(p, "ma") == "ema", true);
        Col out = nans(f.size());
        for (std::size_t i = 0; i < f.size(); ++i)
          if (!std::isnan(f[i]) && !std::isnan(s[i]))
            out[i] = pct ? (s[i] != 0 ? 100 * (f[i] - s[i]) / s[i] : 0.0) : f[i] - s[i];
        return Cols{out};
      };
    };
    r["apo"] = po(false);
    r["ppo"] = po(true);
    r["stoch"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "k_period");
      const Col fk = stoch_raw(in[2], window_extreme(in[0], n, true), window_extreme(in[1], n, false));
      const Col k = sma(fk, I(p, "k_smooth"));
      return Cols{fk, k, sma(k, I(p, "d_period"))};
    };
    r["stochrsi"] = [=](const ParamSet& p, const Cols& in) {
      const Col rs = rsi_like(in[0], I(p, "rsi_period"), false);
      const int n = I(p, "stoch_period");
      Col hh = nans(rs.size()), ll = nans(rs.size());
      const std::size_t f = first_valid(rs);
      for (std::size_t i = f + n - 1; i < rs.size(); ++i) {
        hh[i] = *std::max_element(rs.begin() + i - n + 1, rs.begin() + i + 1);
        ll[i] = *std::min_element(rs.begin() + i - n + 1, rs.begin() + i + 1);
      }
      for (std::size_t i = 0; i < hh.size(); ++i)
        if (hh[i] - ll[i] <= 1e-9) hh[i] = ll[i];  // flat up to rounding (StochRsi::kFlatRsi)
      const Col k = sma(stoch_raw(rs, hh, ll), I(p, "k_smooth"));
      return Cols{k, sma(k, I(p, "d_period"))};
    };
    r["cci"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col tp = typical(in[0], in[1], in[2]), m = sma(tp, n);
      Col out = nans(tp.size());
      for (std::size_t i = n - 1; i < tp.size(); ++i) {
        long double md = 0;
        for (int k = 0; k < n; ++k) md += std::fabs(tp[i - k] - m[i]);
        md /= n;
        out[i] = md != 0 ? static_cast<double>((tp[i] - m[i]) / (0.015L * md)) : 0.0;
      }
      return Cols{out};
    };
    r["willr"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col hh = window_extreme(in[0], n, true), ll = window_extreme(in[1], n, false);
      Col out = nans(hh.size());
      for (std::size_t i = n - 1; i < out.size(); ++i)
        out[i] = hh[i] == ll[i] ? 0.0 : -100 * (hh[i] - in[2][i]) / (hh[i] - ll[i]);
      return Cols{out};
    };
    r["ultosc"] = [=](const ParamSet& p, const Cols& in) {
      const std::size_t n = in[2].size();
      Col bp = nans(n), tr = nans(n);
      for (std::size_t i = 1; i < n; ++i) {
        const double lo = std::min(in[1][i], in[2][i - 1]);
        bp[i] = in[2][i] - lo;
        tr[i] = std::max(in[0][i], in[2][i - 1]) - lo;
      }
      const Col a1 = window_ratio(bp, tr, I(p, "p1"), 1, 0.0), a2 = window_ratio(bp, tr, I(p, "p2"), 1, 0.0),
                a3 = window_ratio(bp, tr, I(p, "p3"), 1, 0.0);
      Col out = nans(n);
      for (std::size_t i = 0; i < n; ++i)
        if (!std::isnan(a1[i] + a2[i] + a3[i])) out[i] = 100 * (4 * a1[i] + 2 * a2[i] + a3[i]) / 7;
      return Cols{out};
    };
    const auto aroon = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      Cols out(3, nans(in[0].size()));
      for (std::size_t i = n; i < in[0].size(); ++i) {
        std::size_t hi = i - n, lo = i - n;
        for (std::size_t j = i - n; j <= i; ++j) {
          if (in[0][j] >= in[0][hi]) hi = j;
          if (in[1][j] <= in[1][lo]) lo = j;
        }
        out[0][i] = 100.0 * (n - static_cast<double>(i - hi)) / n;
        out[1][i] = 100.0 * (n - static_cast<double>(i - lo)) / n;
        out[2][i] = out[0][i] - out[1][i];
      }
      return out;
    };
    r["aroon"] = [=](const ParamSet& p, const Cols& in) {
      Cols a = aroon(p, in);
      a.pop_back();
      return a;
    };
    r["aroonosc"] = [=](const ParamSet& p, const Cols& in) { return Cols{aroon(p, in)[2]}; };
    r["trange"] = [=](const ParamSet& p, const Cols& in) {
      return Cols{true_range(in[0], in[1], in[2], S(p, "seed") == "tradingview")};
    };
    r["atr"] = [=](const ParamSet& p, const Cols& in) {
      return Cols{atr(in[0], in[1], in[2], I(p, "period"), S(p, "seed") == "tradingview")};
    };
    r["natr"] = [=](const ParamSet& p, const Cols& in) {
      Col a = atr(in[0], in[1], in[2], I(p, "period"), S(p, "seed") == "tradingview");
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!std::isnan(a[i])) a[i] = in[2][i] != 0 ? 100 * a[i] / in[2][i] : 0.0;
      return Cols{a};
    };
    r["var"] = [=](const ParamSet& p, const Cols& in) { return Cols{variance(in[0], I(p, "period"), I(p, "ddof"))}; };
    r["stddev"] = [=](const ParamSet& p, const Cols& in) {
      Col v = variance(in[0], I(p, "period"), I(p, "ddof"));
      for (double& x : v) x = p.get_double("k") * std::sqrt(x);
      return Cols{v};
    };
    r["bbands"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const double k = p.get_double("k");
      const Col m = sma(in[0], n), v = variance(in[0], n, I(p, "ddof"));
      Cols out(5, nans(m.size()));
      for (std::size_t i = 0; i < m.size(); ++i) {
        if (std::isnan(m[i])) continue;
        const double dev = k * std::sqrt(v[i]);
        out[0][i] = m[i] + dev;
        out[1][i] = m[i];
        out[2][i] = m[i] - dev;
        out[3][i] = dev != 0 ? (in[0][i] - out[2][i]) / (out[0][i] - out[2][i]) : 0.5;
        out[4][i] = m[i] != 0 ? (out[0][i] - out[2][i]) / m[i] : kN;
      }
      return out;
    };
    r["donchian"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col hh = window_extreme(in[0], n, true), ll = window_extreme(in[1], n, false);
      Col mid = nans(hh.size());
      for (std::size_t i = 0; i < mid.size(); ++i) mid[i] = 0.5 * (hh[i] + ll[i]);
      return Cols{hh, mid, ll};
    };
    r["keltner"] = [=](const ParamSet& p, const Cols& in) {
      const Col m = ema(in[2], I(p, "period"));
      const Col a = atr(in[0], in[1], in[2], I(p, "atr_period"), S(p, "atr_seed") == "tradingview");
      const double k = p.get_double("multiplier");
      Cols out(3, nans(m.size()));
      for (std::size_t i = 0; i < m.size(); ++i) {
        if (std::isnan(m[i]) || std::isnan(a[i])) continue;
        out[0][i] = m[i] + k * a[i];
        out[1][i] = m[i];
        out[2][i] = m[i] - k * a[i];
      }
      return out;
    };
    r["adx"] = [=](const ParamSet& p, const Cols& in) {
      // Wilder's procedure with TA-Lib's seeding (sums of bars 1..n−1, smoothing from bar n).
      const int n = I(p, "period");
      const Col &h = in[0], &l = in[1], &c = in[2];
      Cols out(4, nans(c.size()));
      double pdm = 0, mdm = 0, tr = 0, sum_dx = 0, adx = 0;
      for (std::size_t i = 1; i < c.size(); ++i) {
        const double up = h[i] - h[i - 1], down = l[i - 1] - l[i];
        const double p1 = (up > down && up > 0) ? up : 0, m1 = (down > up && down > 0) ? down : 0;
        const double t = std::max({h[i] - l[i], std::fabs(h[i] - c[i - 1]), std::fabs(l[i] - c[i - 1])});
        if (i < static_cast<std::size_t>(n)) {
          pdm += p1;
          mdm += m1;
          tr += t;
          continue;
        }
        pdm = pdm - pdm / n + p1;  // TA-Lib's form, written as TA-Lib writes it
        mdm = mdm - mdm / n + m1;
        tr = tr - tr / n + t;
        const double pdi = tr != 0 ? 100 * pdm / tr : 0, mdi = tr != 0 ? 100 * mdm / tr : 0;
        const bool defined = tr != 0 && pdi + mdi != 0;
        const double dx = defined ? 100 * std::fabs(pdi - mdi) / (pdi + mdi) : 0;
        out[0][i] = pdi;
        out[1][i] = mdi;
        out[2][i] = dx;
        if (i < 2 * static_cast<std::size_t>(n) - 1) {
          sum_dx += dx;
        } else if (i == 2 * static_cast<std::size_t>(n) - 1) {
          adx = (sum_dx + dx) / n;
          out[3][i] = adx;
        } else {
          if (defined) adx = (adx * (n - 1) + dx) / n;
          out[3][i] = adx;
        }
      }
      return out;
    };
    r["supertrend"] = [=](const ParamSet& p, const Cols& in) {
      // The Pine reference of ta.supertrend, transcribed.
      const Col a = atr(in[0], in[1], in[2], I(p, "period"), true);
      const double f = p.get_double("multiplier");
      Cols out(2, nans(a.size()));
      double pu = 0, pl = 0, pst = kN;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i])) continue;
        const double src = (in[0][i] + in[1][i]) / 2, pc = i > 0 ? in[2][i - 1] : kN;
        double up = src + f * a[i], lo = src - f * a[i];
        lo = (lo > pl || pc < pl) ? lo : pl;
        up = (up < pu || pc > pu) ? up : pu;
        int dir;
        if (i == 0 || std::isnan(a[i - 1])) dir = 1;
        else if (pst == pu) dir = in[2][i] > up ? -1 : 1;
        else dir = in[2][i] < lo ? 1 : -1;
        const double st = dir == -1 ? lo : up;
        out[0][i] = st;
        out[1][i] = -dir;
        pu = up;
        pl = lo;
        pst = st;
      }
      return out;
    };
    r["ichimoku"] = [=](const ParamSet& p, const Cols& in) {
      const auto mid = [&](int n) {
        const Col hh = window_extreme(in[0], n, true), ll = window_extreme(in[1], n, false);
        Col m(hh.size());
        for (std::size_t i = 0; i < m.size(); ++i) m[i] = (hh[i] + ll[i]) / 2;
        return m;
      };
      const int d = I(p, "displacement");
      const Col t = mid(I(p, "tenkan")), k = mid(I(p, "kijun")), b = mid(I(p, "senkou_b"));
      Cols out(5, nans(t.size()));
      out[0] = t;
      out[1] = k;
      for (std::size_t i = d; i < t.size(); ++i) {
        out[2][i] = (t[i - d] + k[i - d]) / 2;
        out[3][i] = b[i - d];
      }
      for (std::size_t i = 0; i + d < t.size(); ++i) out[4][i] = in[2][i + d];
      return out;
    };
    r["linreg"] = [=](const ParamSet& p, const Cols& in) { return linreg(in[0], I(p, "period")); };
    r["zscore"] = [=](const ParamSet& p, const Cols& in) {
      const int n = I(p, "period");
      const Col m = sma(in[0], n), v = variance(in[0], n, 0);
      Col out = nans(m.size());
      for (std::size_t i = 0; i < m.size(); ++i)
        if (!std::isnan(m[i])) out[i] = v[i] != 0 ? (in[0][i] - m[i]) / std::sqrt(v[i]) : 0.0;
      return Cols{out};
    };
    r["correl"] = [=](const ParamSet& p, const Cols& in) { return Cols{pearson(in[0], in[1], I(p, "period"), 0, false)}; };
    r["beta"] = [=](const ParamSet& p, const Cols& in) {
      Col ra = nans(in[0].size()), rb = nans(in[0].size());
      for (std::size_t i = 1; i < ra.size(); ++i) {
        ra[i] = in[0][i - 1] != 0 ? (in[0][i] - in[0][i - 1]) / in[0][i - 1] : 0;
        rb[i] = in[1][i - 1] != 0 ? (in[1][i] - in[1][i - 1]) / in[1][i - 1] : 0;
      }
      return Cols{pearson(rb, ra, I(p, "period"), 1, true)};
    };
    r["obv"] = [](const ParamSet&, const Cols& in) {
      Col out(in[0].size());
      double v = 0;
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (i > 0) v += in[0][i] > in[0][i - 1] ? in[1][i] : in[0][i] < in[0][i - 1] ? -in[1][i] : 0.0;
        out[i] = v;
      }
      return Cols{out};
    };
    r["vwap"] = [=](const ParamSet& p, const Cols& in) {
      const Col tp = typical(in[1], in[2], in[3]);
      Col pv(tp.size());
      for (std::size_t i = 0; i < tp.size(); ++i) pv[i] = tp[i] * in[4][i];
      const int n = I(p, "period");
      if (n > 0) return Cols{window_ratio(pv, in[4], n, 0, kN)};
      Col out = nans(tp.size());
      const std::string anchor = S(p, "anchor");
      std::size_t start = 0;
      for (std::size_t i = 0; i < tp.size(); ++i) {
        if (anchor != "none" && i > 0) {
          const Timeframe tf = Timeframe::parse(anchor).value();
          if (tf.bucket_start(static_cast<Timestamp>(in[0][i])) != tf.bucket_start(static_cast<Timestamp>(in[0][i - 1])))
            start = i;
        }
        long double a = 0, b = 0;
        for (std::size_t j = start; j <= i; ++j) {
          a += pv[j];
          b += in[4][j];
        }
        out[i] = b != 0 ? static_cast<double>(a / b) : kN;
      }
      return Cols{out};
    };
    r["mfi"] = [=](const ParamSet& p, const Cols& in) {
      const Col tp = typical(in[0], in[1], in[2]);
      Col pos = nans(tp.size()), all = nans(tp.size());
      for (std::size_t i = 1; i < tp.size(); ++i) {
        const double mf = tp[i] * in[3][i];
        pos[i] = tp[i] > tp[i - 1] ? mf : 0.0;
        all[i] = tp[i] != tp[i - 1] ? mf : 0.0;
      }
      Col r2 = window_ratio(pos, all, I(p, "period"), 1, 0.0);
      for (double& v : r2) v *= 100;
      return Cols{r2};
    };
    r["ad"] = [](const ParamSet&, const Cols& in) {
      Col out(in[0].size());
      long double ad = 0;
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(ad += in[3][i] * clv(in[0][i], in[1][i], in[2][i]));
      return Cols{out};
    };
    r["adosc"] = [=](const ParamSet& p, const Cols& in) {
      Col ad(in[0].size());
      long double acc = 0;
      for (std::size_t i = 0; i < ad.size(); ++i) ad[i] = static_cast<double>(acc += in[3][i] * clv(in[0][i], in[1][i], in[2][i]));
      const int f = I(p, "fast"), s = I(p, "slow");
      Col out = diff(ema(ad, f, false), ema(ad, s, false));
      for (int i = 0; i < std::max(f, s) - 1 && i < static_cast<int>(out.size()); ++i) out[i] = kN;
      return Cols{out};
    };
    r["cmf"] = [=](const ParamSet& p, const Cols& in) {
      Col mfv(in[0].size());
      for (std::size_t i = 0; i < mfv.size(); ++i) mfv[i] = in[3][i] * clv(in[0][i], in[1][i], in[2][i]);
      return Cols{window_ratio(mfv, in[3], I(p, "period"), 0, 0.0)};
    };
    r["pivots"] = [=](const ParamSet& p, const Cols& in) {
      const std::string m = S(p, "method");
      Cols out(7, nans(in[0].size()));
      for (std::size_t i = 1; i < in[0].size(); ++i) {
        const double h = in[0][i - 1], l = in[1][i - 1], c = in[2][i - 1], r0 = h - l;
        double pp = (h + l + c) / 3, v[7];
        if (m == "woodie") pp = (h + l + 2 * c) / 4;
        if (m == "classic" || m == "woodie") {
          const double lv[7] = {pp, 2 * pp - l, pp + r0, h + 2 * (pp - l), 2 * pp - h, pp - r0, l - 2 * (h - pp)};
          std::copy(lv, lv + 7, v);
        } else if (m == "fibonacci") {
          const double lv[7] = {pp, pp + .382 * r0, pp + .618 * r0, pp + r0, pp - .382 * r0, pp - .618 * r0, pp - r0};
          std::copy(lv, lv + 7, v);
        } else {
          const double lv[7] = {pp, c + r0 * 1.1 / 12, c + r0 * 1.1 / 6, c + r0 * 1.1 / 4,
                                c - r0 * 1.1 / 12, c - r0 * 1.1 / 6, c - r0 * 1.1 / 4};
          std::copy(lv, lv + 7, v);
        }
        for (int k = 0; k < 7; ++k) out[k][i] = v[k];
      }
      return out;
    };
    r["psar"] = [](const ParamSet& p, const Cols& in) {
      return Cols{psar(in[0], in[1], p.get_double("acceleration"), p.get_double("maximum"))};
    };
    for (const char* name : {"doji", "hammer", "hanging_man", "inverted_hammer", "shooting_star", "engulfing",
                             "harami", "piercing", "dark_cloud_cover", "morning_star", "evening_star",
                             "three_white_soldiers", "three_black_crows", "marubozu"})
      r[std::string("cdl_") + name] = [name](const ParamSet&, const Cols& in) { return Cols{candle_pattern(name, in)}; };
    return r;
  }();
  return table;
}

}  // namespace tradeloop::ind::ref
