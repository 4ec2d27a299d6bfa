// Volatility: true range, ATR, NATR, rolling variance / standard deviation, Bollinger bands,
// Keltner and Donchian channels.
//
// Outputs in price units except NATR and Bollinger %B/width (see each class). Sources: Wilder
// 1978 (TR, ATR), TA-Lib ta_TRANGE.c, ta_ATR.c, ta_NATR.c, ta_STDDEV.c, ta_VAR.c, ta_BBANDS.c;
// Bollinger 2001; TradingView ta.kc (Keltner) and ta.atr; Donchian 1960s channel rule.
#pragma once

#include <cmath>
#include <span>

#include "tradeloop/indicators/common.hpp"
#include "tradeloop/indicators/moving_average.hpp"

namespace tradeloop::ind {

// How the first true range and the first ATR are defined.
enum class AtrSeed {
  kTaLib,        // TR₀ undefined; ATR = mean of TR₁..TRₙ, first at index n (TA-Lib, Wilder)
  kTradingView,  // TR₀ = H₀ − L₀; ATR = mean of TR₀..TRₙ₋₁, first at n−1 (TradingView ta.atr)
};

// True range: max(H, C_prev) − min(L, C_prev). With kTaLib the first bar gives NaN.
class TrueRange {
 public:
  explicit TrueRange(AtrSeed seed = AtrSeed::kTaLib) : seed_(seed) {}
  double update(double high, double low, double close) noexcept {
    const double prev = prev_close_;
    prev_close_ = close;
    if (!has_prev_) {
      has_prev_ = true;
      return seed_ == AtrSeed::kTradingView ? high - low : kNaN;
    }
    const double hi = high > prev ? high : prev;
    const double lo = low < prev ? low : prev;
    return hi - lo;
  }
  int lookback() const noexcept { return seed_ == AtrSeed::kTradingView ? 0 : 1; }
  void reset() noexcept { has_prev_ = false; }

 private:
  AtrSeed seed_;
  double prev_close_ = 0;
  bool has_prev_ = false;
};

// Average true range (Wilder 1978; TA-Lib ta_ATR.c): Wilder smoothing (α = 1/n) of TR seeded
// with the mean of the first n true ranges. kTaLib: first at index n; kTradingView: at n−1.
class Atr {
 public:
  explicit Atr(int period, AtrSeed seed = AtrSeed::kTaLib);
  double update(double high, double low, double close) noexcept {
    const double tr = tr_.update(high, low, close);
    if (std::isnan(tr) && !skipped_) {
      skipped_ = true;
      return kNaN;
    }
    return s_.update(tr);
  }
  double value() const noexcept { return s_.value(); }
  bool ready() const noexcept { return s_.ready(); }
  int lookback() const noexcept { return tr_.lookback() + s_.lookback(); }
  void reset() noexcept {
    tr_.reset();
    s_.reset();
    skipped_ = false;
  }

 private:
  TrueRange tr_;
  ExpSmoother s_;
  bool skipped_ = false;
};

// Normalised ATR (TA-Lib ta_NATR.c): 100·ATR/C, in percent of the close; 0 when C = 0.
class Natr {
 public:
  explicit Natr(int period, AtrSeed seed = AtrSeed::kTaLib) : atr_(period, seed) {}
  double update(double high, double low, double close) noexcept {
    const double a = atr_.update(high, low, close);
    if (std::isnan(a)) return kNaN;
    return close != 0 ? 100.0 * a / close : 0.0;
  }
  int lookback() const noexcept { return atr_.lookback(); }
  void reset() noexcept { atr_.reset(); }

 private:
  Atr atr_;
};

// Rolling mean and sum of squared deviations (M2) over the last n values. The mean comes from
// a compensated sum (exact, see Sma); M2 is updated with the rolling Welford step
// M2 += (x − y)·((x − mean_new) + (y − mean_old)) and recomputed exactly by two passes over
// the window every n updates, so it never drifts (amortised O(1)). A constant window (run
// of n equal values) gives exactly 0 and the value itself as the mean.
class RollingMoments {
 public:
  explicit RollingMoments(int period);
  // Returns false until n values were seen.
  bool update(double x) noexcept {
    const double old_mean = sum_.value() * inv_n_;
    run_ = (x == last_) ? run_ + 1 : 1;
    last_ = x;
    const double y = window_.push(x);
    if (!filled_) return fill(x);
    sum_.add_diff(x, y);
    const double new_mean = sum_.value() * inv_n_;
    if (run_ >= period_) {
      // A constant window: exactly zero spread, exactly x as the mean (no rounding residue).
      m2_ = 0;
      mean_ = x;
      return true;
    }
    if (++since_exact_ == period_ || period_ <= kExactWindow) {
      resync(new_mean);
    } else {
      m2_ += (x - y) * ((x - new_mean) + (y - old_mean));
    }
    mean_ = new_mean;
    return true;
  }
  bool ready() const noexcept { return filled_; }
  double mean() const noexcept { return mean_; }
  // Σ(x − mean)² over the window, ≥ 0.
  double m2() const noexcept { return m2_ > 0 ? m2_ : 0.0; }
  // Population (ddof = 0) or sample (ddof = 1) variance.
  double variance(int ddof) const noexcept { return m2() / (period_ - ddof); }
  int period() const noexcept { return period_; }
  void reset() noexcept {
    window_.reset();
    sum_.reset();
    m2_ = mean_ = 0;
    since_exact_ = 0;
    run_ = 0;
    last_ = kNaN;
    filled_ = false;
  }

 private:
  bool fill(double x) noexcept;
  void resync(double mean) noexcept;
  int period_;
  double inv_n_;
  RingBuffer window_;
  CompensatedSum sum_;
  double m2_ = 0, mean_ = 0, last_ = kNaN;
  int since_exact_ = 0;
  long long run_ = 0;
  bool filled_ = false;
};

// Rolling variance and standard deviation (TA-Lib ta_VAR.c / ta_STDDEV.c use the population
// form, ddof = 0, the default; ddof = 1 is pandas' rolling().std()). STDDEV multiplies by
// `k` (TA-Lib's nbdev, default 1). Lookback n−1.
class Variance {
 public:
  explicit Variance(int period, int ddof = 0);
  double update(double x) noexcept { return m_.update(x) ? m_.variance(ddof_) : kNaN; }
  int lookback() const noexcept { return m_.period() - 1; }
  void reset() noexcept { m_.reset(); }

 private:
  RollingMoments m_;
  int ddof_;
};
class StdDev {
 public:
  explicit StdDev(int period, double k = 1.0, int ddof = 0);
  double update(double x) noexcept { return m_.update(x) ? k_ * std::sqrt(m_.variance(ddof_)) : kNaN; }
  int lookback() const noexcept { return m_.period() - 1; }
  void reset() noexcept { m_.reset(); }

 private:
  RollingMoments m_;
  double k_;
  int ddof_;
};

struct BandsValue {
  double upper = kNaN, middle = kNaN, lower = kNaN, pctb = kNaN, width = kNaN;
};

// Bollinger bands (Bollinger 2001; TA-Lib ta_BBANDS.c with SMA): middle = SMA_n, upper/lower =
// middle ± k·σ with the population σ (ddof = 0; ddof = 1 for the sample form), pctb =
// (C − lower)/(upper − lower) (0.5 when the band has zero width), width = (upper − lower)/
// middle (a fraction; NaN when middle = 0). Lookback n−1.
class BollingerBands {
 public:
  BollingerBands(int period, double k, int ddof = 0);
  BandsValue update(double close) noexcept {
    if (!m_.update(close)) return {};
    BandsValue v;
    v.middle = m_.mean();
    const double dev = k_ * std::sqrt(m_.variance(ddof_));
    v.upper = v.middle + dev;
    v.lower = v.middle - dev;
    const double span = v.upper - v.lower;
    v.pctb = span != 0 ? (close - v.lower) / span : 0.5;
    v.width = v.middle != 0 ? span / v.middle : kNaN;
    return v;
  }
  bool ready() const noexcept { return m_.ready(); }
  int lookback() const noexcept { return m_.period() - 1; }
  void reset() noexcept { m_.reset(); }

 private:
  RollingMoments m_;
  double k_;
  int ddof_;
};

struct ChannelValue {
  double upper = kNaN, middle = kNaN, lower = kNaN;
};

// Donchian channel: highest high and lowest low of the last n bars, current bar included, and
// their midpoint. Lookback n−1.
class Donchian {
 public:
  explicit Donchian(int period);
  ChannelValue update(double high, double low) noexcept {
    const double hh = hh_.update(high), ll = ll_.update(low);
    if (std::isnan(hh) && std::isnan(ll)) return {};
    return {hh, 0.5 * (hh + ll), ll};
  }
  bool ready() const noexcept { return !std::isnan(hh_.value()); }
  int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept {
    hh_.reset();
    ll_.reset();
  }

 private:
  int period_;
  RollingExtreme hh_, ll_;
};

// Keltner channel (TradingView ta.kc defaults): middle = EMA_n(C), upper/lower = middle ±
// multiplier·ATR_m. The ATR is TradingView's (TR₀ = H₀ − L₀) by default; kTaLib available.
// Lookback max(n−1, ATR lookback).
class KeltnerChannels {
 public:
  KeltnerChannels(int ema_period, int atr_period, double multiplier,
                  AtrSeed atr_seed = AtrSeed::kTradingView);
  ChannelValue update(double high, double low, double close) noexcept {
    const double mid = ema_.update(close);
    const double a = atr_.update(high, low, close);
    if (std::isnan(mid) || std::isnan(a)) return {};
    return {mid + mult_ * a, mid, mid - mult_ * a};
  }
  int lookback() const noexcept {
    return ema_.lookback() > atr_.lookback() ? ema_.lookback() : atr_.lookback();
  }
  void reset() noexcept {
    ema_.reset();
    atr_.reset();
  }

 private:
  Ema ema_;
  Atr atr_;
  double mult_;
};

// ---- batch forms ----
Status true_range(std::span<const double> high, std::span<const double> low,
                  std::span<const double> close, std::span<double> out, AtrSeed seed = AtrSeed::kTaLib);
Status atr(std::span<const double> high, std::span<const double> low, std::span<const double> close,
           int period, std::span<double> out, AtrSeed seed = AtrSeed::kTaLib);
Status natr(std::span<const double> high, std::span<const double> low, std::span<const double> close,
            int period, std::span<double> out, AtrSeed seed = AtrSeed::kTaLib);
Status variance(std::span<const double> in, int period, std::span<double> out, int ddof = 0);
Status stddev(std::span<const double> in, int period, std::span<double> out, double k = 1.0, int ddof = 0);
Status bollinger_bands(std::span<const double> close, int period, double k, std::span<double> upper,
                       std::span<double> middle, std::span<double> lower, std::span<double> pctb,
                       std::span<double> width, int ddof = 0);
Status donchian(std::span<const double> high, std::span<const double> low, int period,
                std::span<double> upper, std::span<double> middle, std::span<double> lower);
Status keltner(std::span<const double> high, std::span<const double> low, std::span<const double> close,
               int ema_period, int atr_period, double multiplier, std::span<double> upper,
               std::span<double> middle, std::span<double> lower,
               AtrSeed atr_seed = AtrSeed::kTradingView);

}  // namespace tradeloop::ind
