// Moving averages: SMA, EMA, Wilder's RMA, WMA, DEMA, TEMA, TRIMA, KAMA, HMA, VWMA, ZLEMA.
//
// Inputs are prices in any unit; outputs are in the same unit. Conventions and sources are in
// docs/indicators.md (TA-Lib ta_SMA.c, ta_EMA.c, ta_WMA.c, ta_DEMA.c, ta_TEMA.c, ta_TRIMA.c,
// ta_KAMA.c; TradingView ta.hma/ta.vwma/ta.rma; Mulloy 1994 for DEMA/TEMA; Kaufman 1995 for
// KAMA; Ehlers & Way 2010 for ZLEMA). Batch functions: `out.size() == in.size()`, NaN during
// the warm-up; a size mismatch or bad parameter is returned as kInvalidArgument.
#pragma once

#include <span>

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind {

// Simple moving average over `period` values. Exact: the window sum is compensated
// (CompensatedSum) so the output is the correctly rounded mean up to ~1e-15 relative, however
// long the series (tested over 10M values around 1e5). Lookback period−1.
class Sma {
 public:
  explicit Sma(int period);
  TL_IND_HOT double update(double x) noexcept { return window_.push(x) ? window_.sums().mean(inv_n_) : kNaN; }
  bool ready() const noexcept { return window_.full(); }
  int lookback() const noexcept { return period_ - 1; }
  int period() const noexcept { return period_; }
  void reset() noexcept { window_.reset(); }

 private:
  int period_;
  double inv_n_;
  AnchoredWindow<false> window_;  // anchored window sums (common.hpp)
};

// An exponential average behind the common streaming interface (Ema and Rma differ only in α).
class ExpAverage {
 public:
  double update(double x) noexcept { return s_.update(x); }
  // update() once ready(), without the warm-up test (batch loops).
  TL_IND_HOT double update_ready(double x) noexcept { return s_.update_ready(x); }
  double value() const noexcept { return s_.value(); }
  bool ready() const noexcept { return s_.ready(); }
  int lookback() const noexcept { return s_.lookback(); }
  void reset() noexcept { s_.reset(); }

 protected:
  explicit ExpAverage(ExpSmoother s) : s_(s) {}

 private:
  ExpSmoother s_;
};

// Exponential moving average, α = 2/(n+1); seeded with the SMA of the first n values (TA-Lib,
// first value at n−1) or with the first value (`EmaSeed::kFirst`, pandas/TradingView).
class Ema : public ExpAverage {
 public:
  explicit Ema(int period, EmaSeed seed = EmaSeed::kSma);
};

// Wilder's smoothing (TradingView ta.rma), α = 1/n, seeded with the SMA of the first n values.
class Rma : public ExpAverage {
 public:
  explicit Rma(int period);
};

// Linearly weighted moving average, weights 1..n (newest n). TA-Lib ta_WMA.c. Lookback n−1.
class Wma {
 public:
  explicit Wma(int period);
  // W_t = W_{t−1} + n·x_t − S_{t−1} on anchored sums (common.hpp); the batch form runs the
  // same steps four epochs at a time (src/indicators/window_sums.cpp).
  TL_IND_HOT double update(double x) noexcept {
    return window_.push(x) ? window_.sums().weighted_mean(inv_denom_) : kNaN;
  }
  bool ready() const noexcept { return window_.full(); }
  int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept { window_.reset(); }

 private:
  int period_;
  double inv_denom_;
  AnchoredWindow<true> window_;
};

// Double EMA (Mulloy 1994): 2·E1 − E2, E2 = EMA(E1). TA-Lib ta_DEMA.c; lookback 2(n−1). The
// two EMAs are PairedSmoothers (common.hpp), paired by this object's bar count.
class Dema {
 public:
  explicit Dema(int period);
  double update(double x) noexcept {
    const bool second = (bars_++ & 1) != 0;
    const double e1 = e1_.update(x, second);
    if (!e1_.ready()) return kNaN;
    const double e2 = e2_.update(e1, second);
    return e2_.ready() ? 2 * e1 - e2 : kNaN;
  }
  bool ready() const noexcept { return e2_.ready(); }
  int lookback() const noexcept { return 2 * e1_.lookback(); }
  void reset() noexcept {
    e1_.reset();
    e2_.reset();
    bars_ = 0;
  }
  // update() over x[0..n) into y once ready() at a pair boundary (an even bar count), n even:
  // the same arithmetic, a pair of bars per step (batch loops).
  bool at_pair_start() const noexcept { return (bars_ & 1) == 0 && ready(); }
  TL_IND_HOT void pairs(const double* x, double* y, std::size_t n) noexcept {
    PairedSmoother a = e1_, b = e2_;
    for (std::size_t i = 0; i + 1 < n; i += 2) {
      double a0, a1, b0, b1;
      a.pair(x[i], x[i + 1], a0, a1);
      b.pair(a0, a1, b0, b1);
      y[i] = 2 * a0 - b0;
      y[i + 1] = 2 * a1 - b1;
    }
    e1_ = a;
    e2_ = b;
    bars_ += static_cast<long long>(n);
  }

 private:
  PairedSmoother e1_, e2_;
  long long bars_ = 0;
};

// Triple EMA (Mulloy 1994): 3·E1 − 3·E2 + E3. TA-Lib ta_TEMA.c; lookback 3(n−1). The three
// EMAs are PairedSmoothers (common.hpp), paired by this object's bar count.
class Tema {
 public:
  explicit Tema(int period);
  double update(double x) noexcept {
    const bool second = (bars_++ & 1) != 0;
    const double e1 = e1_.update(x, second);
    if (!e1_.ready()) return kNaN;
    const double e2 = e2_.update(e1, second);
    if (!e2_.ready()) return kNaN;
    const double e3 = e3_.update(e2, second);
    return e3_.ready() ? 3 * e1 - 3 * e2 + e3 : kNaN;
  }
  bool ready() const noexcept { return e3_.ready(); }
  int lookback() const noexcept { return 3 * e1_.lookback(); }
  void reset() noexcept {
    e1_.reset();
    e2_.reset();
    e3_.reset();
    bars_ = 0;
  }
  // As Dema::pairs.
  bool at_pair_start() const noexcept { return (bars_ & 1) == 0 && ready(); }
  TL_IND_HOT void pairs(const double* x, double* y, std::size_t n) noexcept {
    PairedSmoother a = e1_, b = e2_, c = e3_;
    for (std::size_t i = 0; i + 1 < n; i += 2) {
      double a0, a1, b0, b1, c0, c1;
      a.pair(x[i], x[i + 1], a0, a1);
      b.pair(a0, a1, b0, b1);
      c.pair(b0, b1, c0, c1);
      y[i] = 3 * a0 - 3 * b0 + c0;
      y[i + 1] = 3 * a1 - 3 * b1 + c1;
    }
    e1_ = a;
    e2_ = b;
    e3_ = c;
    bars_ += static_cast<long long>(n);
  }

 private:
  PairedSmoother e1_, e2_, e3_;
  long long bars_ = 0;
};

// Triangular MA = SMA of an SMA (TA-Lib ta_TRIMA.c): odd n: both ⌈n/2⌉; even n: n/2 then
// n/2+1. Lookback n−1.
class Trima {
 public:
  explicit Trima(int period);
  // The two SMA lengths for a TRIMA of `period` (TA-Lib ta_TRIMA.c).
  static int first_period(int period) noexcept { return period % 2 ? (period + 1) / 2 : period / 2; }
  static int second_period(int period) noexcept { return period % 2 ? (period + 1) / 2 : period / 2 + 1; }
  double update(double x) noexcept {
    const double a = a_.update(x);
    return a_.ready() ? b_.update(a) : kNaN;
  }
  bool ready() const noexcept { return b_.ready(); }
  int lookback() const noexcept { return a_.lookback() + b_.lookback(); }
  void reset() noexcept {
    a_.reset();
    b_.reset();
  }

 private:
  Sma a_, b_;
};

// Kaufman's adaptive MA (TA-Lib ta_KAMA.c): ER = |x_t − x_{t−n}| / Σ|Δx| over n bars,
// sc = (ER·(2/3 − 2/31) + 2/31)², KAMA_t = KAMA_{t−1} + sc·(x_t − KAMA_{t−1}),
// KAMA_{n−1} = x_{n−1}. Lookback n.
class Kama {
 public:
  explicit Kama(int period);
  double update(double x) noexcept;
  bool ready() const noexcept { return count_ > period_; }
  int lookback() const noexcept { return period_; }
  void reset() noexcept {
    prices_.reset();
    noise_.reset();
    count_ = 0;
    kama_ = 0;
  }

 private:
  int period_;
  RingBuffer prices_;
  AnchoredWindow<false> noise_;  // |Δx| over the last n changes, and their anchored sums
  long long count_ = 0;
  double kama_ = 0;
};

// A WMA (weights 1..m, TA-Lib's) of a short window, summed directly at every bar, oldest value
// first: ((1·w₀ + 2·w₁) + 3·w₂) + … over m(m+1)/2. No running sums (so no recompute schedule),
// m ≤ kMax terms per update; the batch pass (moving_average.cpp) sums the same terms in the
// same order, four bars per vector operation. Hma's last stage when ⌊√n⌋ ≤ kMax.
class ShortWma {
 public:
  static constexpr int kMax = 16;
  explicit ShortWma(int m)
      : buf_(2 * static_cast<std::size_t>(m), 0.0), m_(static_cast<std::size_t>(m)), inv_(inv_weight(m)) {}
  // Whether a last WMA of m values is a ShortWma (Hma and its batch form).
  static bool fits(int m) noexcept { return m <= kMax; }
  static double inv_weight(int m) noexcept { return 2.0 / (static_cast<double>(m) * (m + 1.0)); }
  // The weighted sum of the m values w[0..m), oldest first: the terms in this order.
  TL_IND_HOT static double weighted_sum(const double* w, std::size_t m) noexcept {
    double s = 0;
    for (std::size_t k = 0; k < m; ++k) s += static_cast<double>(k + 1) * w[k];
    return s;
  }
  TL_IND_HOT double update(double x) noexcept {
    double* buf = buf_.data();
    buf[pos_] = x;
    buf[pos_ + m_] = x;
    pos_ = pos_ + 1 == m_ ? 0 : pos_ + 1;
    if (count_ < m_ && ++count_ < m_) return kNaN;
    return weighted_sum(buf + pos_, m_) * inv_;  // the window, oldest first
  }
  bool ready() const noexcept { return count_ >= m_; }
  int lookback() const noexcept { return static_cast<int>(m_) - 1; }
  void reset() noexcept {
    std::fill(buf_.begin(), buf_.end(), 0.0);
    pos_ = count_ = 0;
  }

 private:
  std::vector<double> buf_;  // each value twice, so the window is always contiguous
  std::size_t m_, pos_ = 0, count_ = 0;
  double inv_;
};

// Hull MA (Hull 2005, TradingView ta.hma): WMA(2·WMA(x, ⌊n/2⌋) − WMA(x, n), ⌊√n⌋).
// Lookback (n−1) + (⌊√n⌋−1). The last WMA is a ShortWma up to ⌊√n⌋ = ShortWma::kMax (n < 289).
class Hma {
 public:
  explicit Hma(int period);
  // ⌊√n⌋, the length of the last WMA.
  static int out_period(int period) noexcept;
  double update(double x) noexcept {
    const double half = half_.update(x);
    const double full = full_.update(x);
    if (!full_.ready()) return kNaN;
    return short_ ? short_out_.update(2 * half - full) : out_.update(2 * half - full);
  }
  bool ready() const noexcept { return short_ ? short_out_.ready() : out_.ready(); }
  int lookback() const noexcept { return full_.lookback() + out_.lookback(); }
  void reset() noexcept {
    half_.reset();
    full_.reset();
    out_.reset();
    short_out_.reset();
  }

 private:
  Wma half_, full_, out_;
  bool short_;           // ⌊√n⌋ ≤ ShortWma::kMax: the last WMA is short_out_, else out_
  ShortWma short_out_;
};

// Volume-weighted MA: Σ(price·volume)/Σvolume over n bars (TradingView ta.vwma). NaN when the
// window's volume is 0. Lookback n−1.
class Vwma {
 public:
  explicit Vwma(int period);
  TL_IND_HOT double update(double price, double volume) noexcept {
    const double pv = price * volume;
    const double old_pv = pv_.push(pv), old_v = v_.push(volume);
    s_.count(volume, old_v);
    if (!pv_.full()) return kNaN;
    s_.push_full(pv, volume, old_pv, old_v, [&](AnchoredSums& num, AnchoredSums& den) {
      num = pv_.anchored_sums(false);
      den = v_.anchored_sums(false);
    });
    return s_.ratio(n_, kNaN);
  }
  bool ready() const noexcept { return pv_.full(); }
  int lookback() const noexcept { return static_cast<int>(pv_.capacity()) - 1; }
  void reset() noexcept {
    pv_.reset();
    v_.reset();
    s_.reset();
  }

 private:
  RingBuffer pv_, v_;
  double n_;
  // Σ(C·V) and ΣV as anchored sums (common.hpp), with the count of nonzero volumes: NaN, not a
  // rounding residue, where every volume in the window is 0.
  RatioSums s_;
};

// Zero-lag EMA (Ehlers & Way 2010): EMA_n(x_t + (x_t − x_{t−L})), L = ⌊(n−1)/2⌋.
// Lookback L + n − 1.
class Zlema {
 public:
  explicit Zlema(int period);
  double update(double x) noexcept {
    lagbuf_.push(x);
    if (lagbuf_.size() <= static_cast<std::size_t>(lag_)) return kNaN;
    return ema_.update(2 * x - lagbuf_.back(static_cast<std::size_t>(lag_)));
  }
  bool ready() const noexcept { return ema_.ready(); }
  int lookback() const noexcept { return lag_ + ema_.lookback(); }
  void reset() noexcept {
    lagbuf_.reset();
    ema_.reset();
  }

 private:
  int lag_;
  RingBuffer lagbuf_;  // the last lag+1 values
  ExpSmoother ema_;
};

// ---- batch forms ----
Status sma(std::span<const double> in, int period, std::span<double> out);
Status ema(std::span<const double> in, int period, std::span<double> out, EmaSeed seed = EmaSeed::kSma);
Status rma(std::span<const double> in, int period, std::span<double> out);
Status wma(std::span<const double> in, int period, std::span<double> out);
Status dema(std::span<const double> in, int period, std::span<double> out);
Status tema(std::span<const double> in, int period, std::span<double> out);
Status trima(std::span<const double> in, int period, std::span<double> out);
Status kama(std::span<const double> in, int period, std::span<double> out);
Status hma(std::span<const double> in, int period, std::span<double> out);
Status vwma(std::span<const double> price, std::span<const double> volume, int period,
            std::span<double> out);
Status zlema(std::span<const double> in, int period, std::span<double> out);

}  // namespace tradeloop::ind
