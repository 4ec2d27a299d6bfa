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

namespace detail {
// RollingMoments' exact recompute of a window w[0..n) that is not constant: the anchor (the
// mean) and the sums of the deviations and of their squares, each a two-pass sum in four
// interleaved partial sums. Out of line (one per recompute; vectorised), shared by the streaming
// update and the batch kernel: the same bits.
struct ExactMoments {
  double anchor, s1, s2;
};
ExactMoments exact_moments(const double* w, int n, double inv_n) noexcept;
// The running state of RollingMoments between recomputes, for the batch kernels.
struct MomentRun {
  double anchor, s1, s2;
  GroupedSum g1, g2;
  int since;  // bars since the last recompute
};
// The fixed inputs of the batch kernels: the period n, the recompute schedule (one every
// `epoch` bars) and 1/n.
struct MomentShape {
  std::size_t n, epoch;
  double inv_n;
};
// What a kernel saw besides what it computed (a bit set): a value entering or leaving that is
// NaN or ±inf, or a bar k with x[k] == x[k − n + 1] (a constant window ends there only then).
inline constexpr unsigned kMomentNonFinite = 1, kMomentRepeat = 2;
// RollingMoments::step over bars i..end−1 of x (n > kExactWindow, i ≥ n), taking only the
// scheduled recomputes (whose anchor and sums depend on the window alone): right when the
// result has no kMomentNonFinite and no window ending in i..end−1 is constant. Four bars per
// vector step between recomputes (GroupedSum's groups: the same bits as step).
// anchor/s1/s2[k − i] = the sums after bar k.
unsigned moment_run(const double* x, const MomentShape& m, std::size_t i, std::size_t end, MomentRun& st,
                    double* anchor, double* s1, double* s2) noexcept;
// The same, writing out[k] = M2 · scale (the variance) for each bar k instead.
unsigned variance_run(const double* x, const MomentShape& m, std::size_t i, std::size_t end, MomentRun& st,
                      double scale, double* out) noexcept;
}  // namespace detail

// Rolling mean and sum of squared deviations (M2) over the last n values, as plain running
// sums of deviations from an anchor K: S1 = Σ(x − K), S2 = Σ(x − K)², M2 = S2 − S1²/n. Every
// e = 4⌈(n − 1)/4⌉ + 1 updates (n rounded up so that the bars between two recomputes make whole
// groups of four) K moves to the window mean and both sums are recomputed exactly by two passes
// over the window (Chan, Golub & LeVeque 1983; four interleaved partial sums), so rounding never
// accumulates for more than n + 2 bars and the deviations stay small (no cancellation at large
// price levels); amortised O(1). Windows up to kExactWindow are recomputed at every bar. A
// constant window (a run of n equal values) gives exactly 0 and the value itself as the mean.
//
// `update` keeps its own copy of the window (each value stored twice in 2n slots, so the
// window is always n contiguous values, oldest first); the batch forms call `steps` with the
// input array instead. Both run the same arithmetic in the same order: the same bits. The
// running sums are stepped as GroupedSum (common.hpp), so that the batch kernel
// (detail::moment_run) goes four bars per vector step between recomputes.
class RollingMoments {
 public:
  explicit RollingMoments(int period);
  // Returns false until n values were seen.
  TL_IND_HOT bool update(double x) noexcept {
    double* buf = buf_.data();
    const double y = buf[pos_];  // the value leaving the window (0 while filling)
    buf[pos_] = x;
    buf[pos_ + n_] = x;
    pos_ = pos_ + 1 == n_ ? 0 : pos_ + 1;
    return step(x, y, buf + pos_);
  }
  // One bar: x enters, y (the value n bars earlier; ignored until the window is full) leaves,
  // w = the n values of the window ending at x, oldest first (read only when full).
  TL_IND_HOT bool step(double x, double y, const double* w) noexcept {
    run_ = (x == last_) ? run_ + 1 : 1;
    last_ = x;
    if (!filled_) [[unlikely]] {
      if (++count_ < period_) return false;
      filled_ = true;
      resync(w);
      return true;
    }
    // A non-finite value leaving the window leaves NaN in the running sums: recompute then,
    // not up to n bars later.
    if (run_ >= period_ || !finite(y) || ++since_exact_ == epoch_ || period_ <= kExactWindow) [[unlikely]] {
      resync(w);
      return true;
    }
    const double d = x - anchor_, o = y - anchor_, u = d - o;
    s1_ = g1_.step(u);
    s2_ = g2_.step(u * (d + o));  // d² − o², rounded once
    return true;
  }
  // The batch twin of `step` over bars b..e−1 of `in` (the whole input; bars before b were
  // fed already): anchor/s1/s2[i − b] = the sums after bar i. The same state transitions and
  // arithmetic as calling step bar by bar, so the same bits; between two exact recomputes it
  // runs a tight loop with the state in registers (no resync test, branch-free run counting).
  TL_IND_HOT void steps(std::span<const double> in, std::size_t b, std::size_t e, double* anchor, double* s1_out,
                        double* s2_out) noexcept {
    walk(
        in, b, e,
        [&](const double* x, const detail::MomentShape& m, std::size_t i, std::size_t end, detail::MomentRun& st) {
          return detail::moment_run(x, m, i, end, st, anchor + (i - b), s1_out + (i - b), s2_out + (i - b));
        },
        [&](std::size_t i, const Sums& sm) {
          anchor[i - b] = sm.anchor;
          s1_out[i - b] = sm.s1;
          s2_out[i - b] = sm.s2;
        });
  }
  // `steps` with the outputs left to the caller: fast(x, shape, i, end, run) is a batch kernel
  // over bars i..end−1 (moment_run's contract) writing the outputs of those bars, and
  // slow(i, sums) writes the outputs of bar i from its sums. Bars the kernel's result does not
  // allow are done again bar by bar.
  template <class Fast, class Slow>
  TL_IND_HOT void walk(std::span<const double> in, std::size_t b, std::size_t e, Fast&& fast, Slow&& f) noexcept {
    const double* x = in.data();
    std::size_t i = b;
    std::size_t slow_until = b;  // a block the fast path refused goes bar by bar
    while (i < e) {
      if (filled_ && period_ > kExactWindow && i >= slow_until) {
        const std::size_t end = std::min(e, i + kFastBlock);
        if (fast_steps(x, i, end, fast)) {
          i = end;
          continue;
        }
        slow_until = end;
      }
      if (filled_ && period_ > kExactWindow && since_exact_ + 1 < epoch_) {
        // Bars i.. that neither complete the count to the next recompute nor a constant window.
        const std::size_t stop = std::min(e, i + static_cast<std::size_t>(epoch_ - 1 - since_exact_));
        const std::size_t start = i;
        const double a = anchor_;
        double s1 = s1_, s2 = s2_, last = last_;
        GroupedSum g1 = g1_, g2 = g2_;
        long long run = run_;
        for (; i < stop; ++i) {
          const double xi = x[i];
          const double yi = x[i - n_];
          const long long next = xi == last ? run + 1 : 1;
          // A constant window, or a non-finite value leaving: the general step recomputes.
          if (next >= period_ || !finite(yi)) [[unlikely]] break;
          run = next;
          last = xi;
          const double d = xi - a, o = yi - a, u = d - o;
          s1 = g1.step(u);
          s2 = g2.step(u * (d + o));
          f(i, Sums{a, s1, s2});
        }
        s1_ = s1;
        s2_ = s2;
        g1_ = g1;
        g2_ = g2;
        last_ = last;
        run_ = run;
        since_exact_ += static_cast<int>(i - start);
        if (i == e) break;
      }
      const double y = i >= n_ ? x[i - n_] : 0.0;
      step(x[i], y, i + 1 >= n_ ? x + (i + 1 - n_) : nullptr);
      f(i, sums());
      ++i;
    }
  }
  bool ready() const noexcept { return filled_; }

 private:
  static constexpr std::size_t kFastBlock = 1024;
  // The batch kernel `fast` over bars i..end−1 (filled, n > kExactWindow, i ≥ n) on a copy of
  // the state, kept when no value entering or leaving was NaN or ±inf and no window among them
  // is constant, so that `step` would have taken no forced recompute (only the scheduled ones,
  // whose anchor and sums depend on the window alone). Returns false, with nothing changed,
  // otherwise (the outputs it wrote are then written again bar by bar).
  template <class Fast>
  TL_IND_HOT bool fast_steps(const double* x, std::size_t i, std::size_t end, Fast& fast) noexcept {
    // A local copy (not a pointer into *this, which would keep the whole object in memory).
    detail::MomentRun st{anchor_, s1_, s2_, g1_, g2_, since_exact_};
    const unsigned seen = fast(x, detail::MomentShape{n_, static_cast<std::size_t>(epoch_), inv_n_}, i, end, st);
    if (seen & detail::kMomentNonFinite) return false;
    if (seen & detail::kMomentRepeat) {  // count the runs as `step` does
      double last = last_;
      long long run = run_;
      for (std::size_t k = i; k < end; ++k) {
        run = x[k] == last ? run + 1 : 1;
        last = x[k];
        if (run >= period_) return false;
      }
    }
    anchor_ = st.anchor;
    s1_ = st.s1;
    s2_ = st.s2;
    g1_ = st.g1;
    g2_ = st.g2;
    since_exact_ = st.since;
    // The run of equal values ending at the last bar (shorter than n here), as step counts it.
    last_ = x[end - 1];
    long long run = 1;
    while (run < period_ && static_cast<std::size_t>(run) < end && x[end - 1 - run] == last_) ++run;
    run_ = run;
    return true;
  }

 public:
  // The running sums, and the moments as functions of them: the batch forms store the sums
  // bar by bar in a serial pass and finish the moments in a vectorised one, with these same
  // operations (so the same bits as the members below).
  struct Sums {
    double anchor, s1, s2;
  };
  Sums sums() const noexcept { return {anchor_, s1_, s2_}; }
  static double mean_of(double anchor, double s1, double inv_n) noexcept { return anchor + s1 * inv_n; }
  // Σ(x − mean)² over the window, ≥ 0.
  static double m2_of(double s1, double s2, double inv_n) noexcept {
    const double v = s2 - s1 * s1 * inv_n;
    return v < 0 ? 0.0 : v;  // NaN (a non-finite value in the window) stays NaN
  }
  // 1/n for ddof = 0, 1/(n − 1) for ddof = 1: variance = M2 · variance_scale(ddof).
  double variance_scale(int ddof) const noexcept { return ddof == 0 ? inv_n_ : inv_n1_; }
  double inv_n() const noexcept { return inv_n_; }
  double mean() const noexcept { return mean_of(anchor_, s1_, inv_n_); }
  double m2() const noexcept { return m2_of(s1_, s2_, inv_n_); }
  // Population (ddof = 0) or sample (ddof = 1) variance.
  double variance(int ddof) const noexcept { return m2() * variance_scale(ddof); }
  int period() const noexcept { return period_; }
  void reset() noexcept {
    std::fill(buf_.begin(), buf_.end(), 0.0);
    pos_ = 0;
    s1_ = s2_ = anchor_ = 0;
    g1_ = g2_ = {};
    since_exact_ = count_ = 0;
    run_ = 0;
    last_ = kNaN;
    filled_ = false;
  }

 private:
  static bool finite(double v) noexcept { return v - v == 0; }  // false for ±inf and NaN
  // Inline on purpose: an out-of-line call would let `this` escape and keep the state in
  // memory inside batch loops.
  TL_IND_HOT void resync(const double* w) noexcept {
    since_exact_ = 0;
    if (run_ >= period_) {  // constant window
      anchor_ = last_;
      s1_ = s2_ = 0;
    } else {
      const detail::ExactMoments e = detail::exact_moments(w, period_, inv_n_);
      anchor_ = e.anchor;
      s1_ = e.s1;
      s2_ = e.s2;
    }
    g1_.restart(s1_);
    g2_.restart(s2_);
  }
  int period_, epoch_;  // a recompute every epoch_ bars
  double inv_n_, inv_n1_;
  std::vector<double> buf_;
  std::size_t n_, pos_ = 0;
  double s1_ = 0, s2_ = 0, anchor_ = 0, last_ = kNaN;
  GroupedSum g1_, g2_;  // s1_ and s2_ stepped in groups of four (the batch: vectors)
  int since_exact_ = 0, count_ = 0;
  long long run_ = 0;
  bool filled_ = false;
};

// Rolling variance and standard deviation (TA-Lib ta_VAR.c / ta_STDDEV.c use the population
// form, ddof = 0, the default; ddof = 1 is pandas' rolling().std()). STDDEV multiplies by
// `k` (TA-Lib's nbdev, default 1). Lookback n−1.
class Variance {
 public:
  explicit Variance(int period, int ddof = 0);
  TL_IND_HOT double update(double x) noexcept { return m_.update(x) ? m_.variance(ddof_) : kNaN; }
  int lookback() const noexcept { return m_.period() - 1; }
  void reset() noexcept { m_.reset(); }

 private:
  RollingMoments m_;
  int ddof_;
};
class StdDev {
 public:
  explicit StdDev(int period, double k = 1.0, int ddof = 0);
  TL_IND_HOT double update(double x) noexcept { return k_ * std::sqrt(var_.update(x)); }  // NaN stays NaN
  int lookback() const noexcept { return var_.lookback(); }
  void reset() noexcept { var_.reset(); }

 private:
  Variance var_;
  double k_;
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
  TL_IND_HOT BandsValue update(double close) noexcept {
    if (!m_.update(close)) return {};
    return finish(close, m_.mean(), m_.variance(ddof_), k_);
  }
  // The bands from the window mean and variance (shared with the two-pass batch form).
  // One division and selects only, so that the batch form's second pass vectorises (with
  // -fno-trapping-math, see src/indicators/CMakeLists.txt, GCC if-converts the selects).
  static BandsValue finish(double close, double mean, double var, double k) noexcept {
    BandsValue v;
    v.middle = mean;
    const double dev = k * std::sqrt(var);
    v.upper = mean + dev;
    v.lower = mean - dev;
    const double span = v.upper - v.lower;
    const double safe_span = span != 0 ? span : 1.0, safe_mean = mean != 0 ? mean : 1.0;
    const double r = 1.0 / (safe_span * safe_mean);
    v.pctb = span != 0 ? (close - v.lower) * safe_mean * r : 0.5;
    v.width = mean != 0 ? span * span * r : kNaN;
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
    const HighLow r = hl_.update(high, low);
    if (!hl_.ready()) return {};
    return {r.hh, r.mid(), r.ll};
  }
  bool ready() const noexcept { return hl_.ready(); }
  int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept { hl_.reset(); }

 private:
  int period_;
  RollingHighLow hl_;
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
// Every output span is optional: an empty one is not computed (the three bands alone, as TA-Lib's
// BBANDS gives them, need no division).
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
