// Rolling statistics: linear regression (TA-Lib LINEARREG family), z-score, Pearson
// correlation (TA-Lib CORREL) and beta.
#pragma once

#include <cmath>
#include <span>

#include "tradeloop/indicators/common.hpp"
#include "tradeloop/indicators/volatility.hpp"

namespace tradeloop::ind {

struct LinRegValue {
  double value = kNaN;      // fitted value at the current bar (TA-Lib LINEARREG)
  double slope = kNaN;      // per bar (TA-Lib LINEARREG_SLOPE)
  double intercept = kNaN;  // fitted value at the oldest bar of the window (TA-Lib LINEARREG_INTERCEPT)
  double angle = kNaN;      // atan(slope) in degrees (TA-Lib LINEARREG_ANGLE)
  double forecast = kNaN;   // fitted value one bar ahead (TA-Lib TSF)
  double zscore = kNaN;     // (x_t − value) / σ_e, see below
};

// z-score of the current value in its window: (x − SMA_n)/σ_n (population σ; 0 when σ = 0).
// Lookback n−1.
class ZScore {
 public:
  explicit ZScore(int period);
  double update(double x) noexcept {
    if (!m_.update(x)) return kNaN;
    const double sd = std::sqrt(m_.variance(0));
    return sd != 0 ? (x - m_.mean()) / sd : 0.0;
  }
  int lookback() const noexcept { return m_.period() - 1; }
  void reset() noexcept { m_.reset(); }

 private:
  RollingMoments m_;
};

// The five anchored running sums behind PairMoments: Σdx, Σdy, Σdx², Σdy², Σdx·dy with
// dx = x − ax, dy = y − ay, each compensated. Shared by PairMoments and the batch linear
// regression kernel (statistics.cpp), so both run the same arithmetic.
struct PairSums {
  CompensatedSum sx, sy, sxx, syy, sxy;
  TL_IND_HOT void add(double dx, double dy) noexcept {
    sx.add(dx);
    sy.add(dy);
    sxx.add(dx * dx);
    syy.add(dy * dy);
    sxy.add(dx * dy);
  }
  TL_IND_HOT void remove(double ox, double oy) noexcept {
    sx.add(-ox);
    sy.add(-oy);
    sxx.add(-ox * ox);
    syy.add(-oy * oy);
    sxy.add(-ox * oy);
  }
  void reset() noexcept {
    for (CompensatedSum* s : {&sx, &sy, &sxx, &syy, &sxy}) s->reset();
  }
  // Centred sums over n pairs; `run_*` = length of the current run of equal values (a run of
  // n or more is a constant window: exactly 0 spread).
  double cxx(long long run_x, int n) const noexcept {
    if (run_x >= n) return 0.0;
    const double v = sxx.value() - sx.value() * sx.value() / n;
    return v > 0 ? v : 0.0;
  }
  double cyy(long long run_y, int n) const noexcept {
    if (run_y >= n) return 0.0;
    const double v = syy.value() - sy.value() * sy.value() / n;
    return v > 0 ? v : 0.0;
  }
  double cxy(long long run_x, long long run_y, int n) const noexcept {
    if (run_x >= n || run_y >= n) return 0.0;
    return sxy.value() - sx.value() * sy.value() / n;
  }
  double mean_y(long long run_y, double last_y, double ay, int n) const noexcept {
    return run_y >= n ? last_y : ay + sy.value() / n;
  }
};

// Centred co-moments of the last n pairs (x, y). Sums of (x − ax), (y − ay) and their
// products around anchors ax, ay are kept compensated; every n updates the anchors move to the
// window means and every sum is recomputed exactly (amortised O(1), no drift, no catastrophic
// cancellation at large price levels). A constant x (or y) window gives exactly 0 spread.
class PairMoments {
 public:
  explicit PairMoments(int period);
  // Returns false until n pairs were seen.
  bool update(double x, double y) noexcept;
  // Σ(x − x̄)², Σ(y − ȳ)², Σ(x − x̄)(y − ȳ) over the window.
  double sxx() const noexcept { return s_.cxx(run_x_, period_); }
  double syy() const noexcept { return s_.cyy(run_y_, period_); }
  double sxy() const noexcept { return s_.cxy(run_x_, run_y_, period_); }
  double mean_y() const noexcept { return s_.mean_y(run_y_, last_y_, ay_, period_); }
  int period() const noexcept { return period_; }
  void reset() noexcept;

 private:
  void resync() noexcept;
  int period_;
  RingBuffer xs_, ys_;
  PairSums s_;
  double ax_ = 0, ay_ = 0, last_x_ = kNaN, last_y_ = kNaN;
  long long run_x_ = 0, run_y_ = 0;
  int since_exact_ = 0;
  bool anchored_ = false;
};

namespace detail {
// LinearRegression's constants for a window of n (statistics.cpp has the formulas they serve).
struct LinRegConsts {
  double half1, inv_sxx, d_slope, w_value, d_value, d_intercept;
  int period;
  explicit LinRegConsts(int p)
      : half1((p + 1) / 2.0),
        inv_sxx(12.0 / (static_cast<double>(p) * (static_cast<double>(p) * p - 1))),
        d_slope(6.0 / (static_cast<double>(p) * (p - 1))),
        w_value(6.0 / (static_cast<double>(p) * (p + 1))),
        d_value(2.0 / p),
        d_intercept(4.0 / p),
        period(p) {}
};
}  // namespace detail

// Least-squares line through the last n values against x = 0 (oldest) .. n−1 (current).
// zscore = the current point's residual e_t = x_t − value divided by σ_e, the population
// standard deviation of the n residuals of that fit, σ_e = √(SSE/n), SSE = Syy − Sxy²/Sxx
// (residuals of a least-squares fit have mean 0); 0 when SSE ≤ 1e-10·Syy (a line up to
// rounding; always so for n = 2). n ≥ 2; lookback n−1.
// O(1): the line comes from the moving averages' anchored sums (common.hpp, AnchoredSums, as
// WMA: d = Σy' and w = Σ (j+1)·y' with y' = y − a; x is the position in the window, so its
// sums are exact constants; recomputed every `epoch(n)` bars; stepped in GroupedSum's groups
// of four, so that the batch form runs four bars per vector operation with the same bits),
// Syy from RollingMoments (anchored at the window mean, recomputed every 4⌈(n − 1)/4⌉ + 1 bars).
class LinearRegression {
 public:
  explicit LinearRegression(int period);
  // Bars between two recomputes of the line's sums: every bar up to kExactWindow (as the
  // moments), else max(n, 64). Shorter than the moving averages' epochs: the z-score sets the
  // line's Sxy against Syy, and a near-perfect fit leaves only their difference.
  static constexpr std::size_t epoch(int period) noexcept {
    return period <= kExactWindow ? 1 : period > 64 ? static_cast<std::size_t>(period) : 64;
  }
  LinRegValue update(double y) noexcept {
    moments_.update(y);
    if (!window_.push(y)) return {};
    return fit(window_.sums(), moments_.m2(), y, consts_);
  }
  // The outputs from the line's sums and Syy (shared with the batch form).
  static LinRegValue fit(const AnchoredSums& s, double syy, double y, const detail::LinRegConsts& c) noexcept;
  bool ready() const noexcept { return window_.full(); }
  int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept {
    window_.reset();
    moments_.reset();
  }

 private:
  int period_;
  detail::LinRegConsts consts_;  // computed once, not per update
  AnchoredWindow<true, true> window_;  // the line's sums, stepped in groups of four (batch: vectors)
  RollingMoments moments_;       // Syy
};

// Pearson correlation of two series over n bars (TA-Lib ta_CORREL.c), in [−1, 1]; 0 when either
// is constant. Lookback n−1.
class Correlation {
 public:
  explicit Correlation(int period);
  double update(double x, double y) noexcept {
    if (!m_.update(x, y)) return kNaN;
    const double d = std::sqrt(m_.sxx() * m_.syy());
    return d != 0 ? m_.sxy() / d : 0.0;
  }
  int lookback() const noexcept { return m_.period() - 1; }
  void reset() noexcept { m_.reset(); }

 private:
  PairMoments m_;
};

// Beta of an asset to a benchmark over n simple returns: cov(r_a, r_b)/var(r_b) (the OLS
// slope of asset returns on benchmark returns, as TA-Lib ta_BETA.c computes from prices);
// 0 when the benchmark returns are constant. A zero previous price gives a 0 return.
// Lookback n.
class Beta {
 public:
  explicit Beta(int period);
  double update(double asset, double benchmark) noexcept;
  int lookback() const noexcept { return m_.period(); }
  void reset() noexcept {
    m_.reset();
    has_prev_ = false;
  }

 private:
  PairMoments m_;
  double prev_a_ = 0, prev_b_ = 0;
  bool has_prev_ = false;
};

// ---- batch forms ----
// Every output span is optional: an empty one is not computed (TA-Lib's LINEARREG, _SLOPE,
// _INTERCEPT, _ANGLE and TSF are one call each; the value alone costs no atan, no square root).
Status linear_regression(std::span<const double> in, int period, std::span<double> value,
                         std::span<double> slope, std::span<double> intercept, std::span<double> angle,
                         std::span<double> forecast, std::span<double> zscore);
Status zscore(std::span<const double> in, int period, std::span<double> out);
Status correlation(std::span<const double> x, std::span<const double> y, int period, std::span<double> out);
Status beta(std::span<const double> asset, std::span<const double> benchmark, int period,
            std::span<double> out);

}  // namespace tradeloop::ind
