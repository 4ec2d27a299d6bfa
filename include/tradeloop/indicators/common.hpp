// Building blocks shared by every indicator: NaN warm-up value, parameter checks, a compensated
// running sum, a fixed-size ring buffer, rolling max/min, and the two recursive smoothers
// (EMA and Wilder's) whose seeding conventions the whole library depends on.
//
// Conventions of the whole `tradeloop::ind` namespace (docs/indicators.md has the details):
// - Every streaming class has O(1) `update` (rolling max/min: amortised O(1)), `reset()`,
//   `ready()` (true once the last output was a value) and `lookback()` = index of the first
//   non-NaN output when fed from the first bar. Warm-up outputs are NaN, never a filler.
// - Invalid parameters throw `tradeloop::Exception(ErrorCode::kInvalidArgument, ...)` from the
//   constructor, naming the indicator and the parameter; batch functions return that error as
//   a `Status` instead.
// - Inputs are expected finite. A NaN input never crashes and never touches outputs before it;
//   arithmetic indicators then output NaN while the NaN is inside their window (recursive ones:
//   until `reset()`), comparison-based ones (max/min, patterns) treat it as unordered.
//   The registry (`compute_spec`) refuses series with NaN prices with an error naming the row.
// - Objects are not thread-safe; copy them freely (value semantics).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "tradeloop/core/result.hpp"

// Forces inlining of the per-bar kernels into the batch loops (GCC otherwise declines the
// larger ones, and the state then round-trips through memory on every bar).
#if defined(__GNUC__)
#define TL_IND_HOT [[gnu::always_inline]]
#else
#define TL_IND_HOT
#endif

namespace tradeloop::ind {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Largest window accepted by any indicator (TA-Lib's limit as well).
inline constexpr int kMaxPeriod = 100000;

// "rsi: period must be in [2, 100000], got 0". Returns the error; `require_*` throws it.
Status check_int(const char* indicator, const char* param, long long value, long long min,
                 long long max = kMaxPeriod);
Status check_real(const char* indicator, const char* param, double value, double min, double max);
// Throwing forms for constructors; return the checked value.
int require_int(const char* indicator, const char* param, long long value, long long min,
                long long max = kMaxPeriod);
double require_real(const char* indicator, const char* param, double value, double min, double max);

// Rolling second moments over windows up to this length are recomputed exactly (two passes)
// at every bar: as cheap as a rolling update, and immune to the cancellation a rolling update
// suffers when the spread collapses (a window of two nearly equal prices after a large move).
inline constexpr int kExactWindow = 8;

// Running sum with error compensation (Neumaier 1974 / Knuth's TwoSum): the represented sum
// `value()` is the exact sum of all terms rounded once, up to O(n·eps²)·Σ|x|, so a rolling
// window sum does not drift over millions of adds and removes. `add_diff(a, b)` adds a − b
// with the rounding error of the difference kept too; the critical dependency chain is one add.
//
// T is double, or a GCC vector of doubles for a batch loop that keeps several sums with the same
// operations lane by lane: each lane then holds the bits of a scalar CompensatedSum fed that
// lane's values (no FMA is enabled anywhere, so nothing contracts).
template <class T>
class BasicCompensatedSum {
 public:
  TL_IND_HOT void add(T x) noexcept {
    const T t = s_ + x;
    c_ += two_sum_err(s_, x, t);
    s_ = t;
  }
  TL_IND_HOT void add_diff(T a, T b) noexcept {
    const T d = a - b;
    const T e = two_sum_err(a, -b, d);
    const T t = s_ + d;
    c_ += two_sum_err(s_, d, t) + e;
    s_ = t;
  }
  T value() const noexcept { return s_ + c_; }
  void reset() noexcept { s_ = c_ = T{}; }
  // The two halves of the state (the rounded running sum and the accumulated error), for the
  // batch kernel that runs add_diff over whole arrays (src/indicators/window_sums.hpp).
  T sum() const noexcept { return s_; }
  T compensation() const noexcept { return c_; }
  void set_state(T sum, T compensation) noexcept {
    s_ = sum;
    c_ = compensation;
  }
  // Error of t = fl(a + b), exactly: a + b = t + err (Knuth TAOCP vol. 2, 4.2.2).
  static T two_sum_err(T a, T b, T t) noexcept {
    const T bp = t - a;
    return (a - (t - bp)) + (b - bp);
  }

 private:
  T s_{}, c_{};
};
using CompensatedSum = BasicCompensatedSum<double>;

// Window sums of the moving averages (SMA, WMA, VWMA and what is built on them: TRIMA, HMA,
// the stochastic's smoothings, APO/PPO with SMA), KAMA's noise, the ultimate oscillator and
// linear regression's line: running sums of deviations from an anchor,
// recomputed from the window on a fixed schedule. The anchor a is the newest value at the last
// recompute, d = Σ(v − a) over the window, and (WMA) w = Σ (j+1)·(v − a), the oldest with weight
// 1; the mean is a + d/n, the weighted mean a + w/(n(n+1)/2). Between recomputes
// d += x − x_{t−n} and w += n·(x − a) − d_{t−1} are plain adds, but of deviations, not of
// prices: their rounding is relative to the window's spread around a, so the mean stays within
// about one ulp at any price level, and no error outlives an epoch of anchored_epoch(n) bars
// (a compensated running sum, kept for the whole series, carries its past errors for good: its
// WMA ended 6e-8 off after a millionfold fall in price, tests/indicators/published_values_test). The recompute bars are fixed (the first
// full window, then every anchored_epoch(n) bars), so the state at the start of each epoch
// depends on its window alone: the batch forms run several epochs at once (window_sums.hpp)
// with the same bits. A NaN or ±inf leaving the window forces a recompute on that bar as well
// (a NaN poisons exactly the windows that hold it), without moving the schedule.
struct AnchoredSums {
  double a = 0, d = 0, w = 0;
  // One bar after the window is full: x enters, old leaves; `n` = the period (WMA's weight of
  // the newest value). w first, from the d before this bar.
  TL_IND_HOT void step(double x, double old, double n, bool weighted) noexcept {
    if (weighted) w += n * (x - a) - d;
    d += x - old;
  }
  TL_IND_HOT double mean(double scale) const noexcept { return a + d * scale; }
  // The window sum n·a + d (exact when the values are integers, e.g. volumes: zero stays 0).
  TL_IND_HOT double sum(double n) const noexcept { return n * a + d; }
  TL_IND_HOT double weighted_mean(double scale) const noexcept { return a + w * scale; }
};

// A running sum d ← d + u as a four-wide prefix scan computes it, so that a batch kernel can
// step four bars per vector add and give the same bits as the bar-by-bar update. The bars
// after a restart go in groups of four; within a group the increments are combined as the
// scan's two shift-and-add steps do (P0 = u0, P1 = u1 + u0, P2 = (u2 + u1) + u0,
// P3 = (u3 + u2) + (u1 + u0); the lanes shifted in hold −0, the identity of +), and each bar's
// sum is base + P_k, base being the sum after the last whole group.
struct GroupedSum {
  double base = 0, u0 = 0, u1 = 0, u2 = 0;
  int k = 0;  // increments of the current group seen so far
  void restart(double d) noexcept {
    base = d;
    k = 0;
  }
  // Adds u; returns the running sum after it.
  TL_IND_HOT double step(double u) noexcept {
    switch (k) {
      case 0:
        u0 = u;
        k = 1;
        return base + u;
      case 1:
        u1 = u;
        k = 2;
        return base + (u + u0);
      case 2:
        u2 = u;
        k = 3;
        return base + ((u + u1) + u0);
      default:
        k = 0;
        base = base + ((u + u2) + (u1 + u0));
        return base;
    }
  }
};

// AnchoredSums whose d (and w) are stepped as GroupedSum: AnchoredSums::step's increments,
// combined in groups of four from the last recompute, so that a batch kernel can step four
// bars per vector operation with the same bits (linear regression's line).
struct GroupedAnchoredSums {
  AnchoredSums s;
  GroupedSum d_run, w_run;
  // After a recompute: the sums of the window.
  void restart(const AnchoredSums& sums) noexcept {
    s = sums;
    d_run.restart(s.d);
    w_run.restart(s.w);
  }
  TL_IND_HOT void step(double x, double old, double n, bool weighted) noexcept {
    if (weighted) s.w = w_run.step(n * (x - s.a) - s.d);
    s.d = d_run.step(x - old);
  }
};

namespace detail {
// v != 0 (NaN included) as 1 or 0, on the bits: an integer test instead of a floating-point
// compare and its NaN fix-up (the counts of nonzero volumes / true ranges in a window).
TL_IND_HOT inline int nonzero(double v) noexcept {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return static_cast<int>((bits << 1) != 0);
}
// x where c holds, else +0.0 (as `c ? x : 0.0`), by masking the bits: no branch. For choices
// that are random on market data (which of two moves is larger, the sign of a change), where
// GCC compiles `? :` into a branch that mispredicts on a third of the bars or more.
TL_IND_HOT inline double keep_if(bool c, double x) noexcept {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits &= std::uint64_t{0} - static_cast<std::uint64_t>(c);
  std::memcpy(&x, &bits, sizeof bits);
  return x;
}
// The bits of a and b or-ed: a or b where the other is +0.0 (two keep_if of exclusive choices).
TL_IND_HOT inline double bits_or(double a, double b) noexcept {
  std::uint64_t x, y;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  x |= y;
  std::memcpy(&a, &x, sizeof x);
  return a;
}
}  // namespace detail

// The anchored sums (AnchoredSums, their d stepped as GroupedSum) of two series N and D over the
// same window of n values, and the count of nonzero D in it. ΣN/ΣD is VWMA (N = C·V, D = V) and
// each average of the ultimate oscillator (N = BP, D = TR); the count makes a window of zero D
// give the `empty` value exactly, where a sum of deviations can leave a rounding residue. The
// batch kernel (detail::ratio_run) steps the same sums four values per vector operation.
struct RatioSums {
  AnchoredSums num, den;
  GroupedSum num_run, den_run;
  int nonzero = 0;        // D ≠ 0 (NaN included) in the window
  std::size_t epoch = 1;  // values between two scheduled recomputes
  std::size_t since = 0;  // values since the last scheduled recompute
  RatioSums() = default;
  // The first full window is a recompute bar.
  explicit RatioSums(std::size_t epoch_values) : epoch(epoch_values), since(epoch_values - 1) {}
  void reset() noexcept { *this = RatioSums(epoch); }
  void restart(const AnchoredSums& n, const AnchoredSums& d) noexcept {
    num = n;
    den = d;
    num_run.restart(n.d);
    den_run.restart(d.d);
  }
  // Every value pushed, the window full or not: d entered, old_d left (0 while filling).
  TL_IND_HOT void count(double d, double old_d) noexcept {
    nonzero += detail::nonzero(d) - detail::nonzero(old_d);
  }
  // A value once the window is full: the scheduled recompute (every `epoch` values from the
  // first full window) or one where a leaving value is NaN or ±inf, from recompute(num, den);
  // else one step.
  template <class Recompute>
  TL_IND_HOT void push_full(double x_n, double x_d, double old_n, double old_d, Recompute&& recompute) noexcept {
    if (++since == epoch || !std::isfinite(old_n) || !std::isfinite(old_d)) [[unlikely]] {
      if (since == epoch) since = 0;
      AnchoredSums n, d;
      recompute(n, d);
      restart(n, d);
    } else {
      num.d = num_run.step(x_n - old_n);
      den.d = den_run.step(x_d - old_d);
    }
  }
  // ΣN/ΣD over a window of n, or `empty` when ΣD = 0 or every D in the window is 0.
  TL_IND_HOT double ratio(double n, double empty) const noexcept {
    const double d = den.sum(n);
    return (detail::nonzero(d) & static_cast<int>(nonzero != 0)) != 0 ? num.sum(n) / d : empty;
  }
};

// The last `capacity` values pushed. `push` returns the value that fell out (0 while filling).
class RingBuffer {
 public:
  RingBuffer() = default;
  explicit RingBuffer(int capacity)
      : buf_(static_cast<std::size_t>(capacity), 0.0), cap_(static_cast<std::size_t>(capacity)) {}
  TL_IND_HOT double push(double x) noexcept {
    const double old = buf_[pos_];
    buf_[pos_] = x;
    if (++pos_ == cap_) pos_ = 0;
    if (count_ < cap_) ++count_;
    return old;
  }
  bool full() const noexcept { return count_ == cap_; }
  std::size_t size() const noexcept { return count_; }
  std::size_t capacity() const noexcept { return cap_; }
  // k = 0 is the newest value, k = size()-1 the oldest.
  double back(std::size_t k) const noexcept {
    std::size_t i = pos_ + cap_ - 1 - k;  // < 2·cap since k < cap: no division needed
    if (i >= cap_) i -= cap_;
    return buf_[i];
  }
  // Calls f(x) for every stored value, in storage order (not time order): for sums.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < count_; ++i) f(buf_[i]);
  }
  // The values held, in storage order (not time order), for order-free reductions.
  std::span<const double> values() const noexcept { return {buf_.data(), count_}; }
  // Their compensated sum in time order.
  TL_IND_HOT CompensatedSum time_order_sum() const noexcept;
  // The window in time order, oldest first: two contiguous pieces (the second may be empty).
  std::pair<std::span<const double>, std::span<const double>> time_order() const noexcept {
    if (count_ < cap_) return {std::span<const double>(buf_.data(), count_), {}};
    return {std::span<const double>(buf_.data() + pos_, cap_ - pos_), std::span<const double>(buf_.data(), pos_)};
  }
  // The anchored sums of a full window (AnchoredSums above).
  TL_IND_HOT AnchoredSums anchored_sums(bool weighted) const noexcept;
  void reset() noexcept {
    std::fill(buf_.begin(), buf_.end(), 0.0);
    pos_ = count_ = 0;
  }

 private:
  std::vector<double> buf_;
  std::size_t cap_ = 0, pos_ = 0, count_ = 0;
};

// Window sums over a RingBuffer: compensated running sums that restart exactly from the window
// when a non-finite value leaves it. A running sum alone would keep a NaN (or turn inf − inf
// into NaN) for good, so one bad bar would poison every later value; with the restart a NaN
// or ±inf poisons exactly the windows that hold it. The batch loops restart at the same bars,
// with the same sums, so they keep the streaming classes' bits.
namespace detail {
// Σ of the `count` values of a ring (slot `pos` is the next to write) in time order, oldest
// first. Out of line and cold (the restart is
// rare), and given the buffer by value: a call that took the ring's address would make the
// whole indicator object escape, and GCC would then keep its state in memory in every update
// loop (APO/PPO ran 2.5 times slower that way).
[[gnu::cold, gnu::noinline]] inline CompensatedSum ring_sum(const double* buf, std::size_t cap, std::size_t pos,
                                                            std::size_t count) noexcept {
  CompensatedSum s;
  for (std::size_t k = count; k-- > 0;) {
    std::size_t i = pos + cap - 1 - k;  // as RingBuffer::back(k)
    if (i >= cap) i -= cap;
    s.add(buf[i]);
  }
  return s;
}
// The same over n contiguous values, oldest first (the batch loops' restart from the input).
inline CompensatedSum array_sum(const double* w, std::size_t n) noexcept {
  CompensatedSum s;
  for (std::size_t j = 0; j < n; ++j) s.add(w[j]);
  return s;
}
}  // namespace detail

inline CompensatedSum RingBuffer::time_order_sum() const noexcept {
  return detail::ring_sum(buf_.data(), cap_, pos_, count_);
}

namespace detail {
// Bars between two scheduled recomputes: long enough that the O(n) recompute costs at most
// two adds per bar, short enough that the deviations stay small.
inline constexpr std::size_t anchored_epoch(std::size_t n) noexcept { return n * 8 > 512 ? n * 8 : 512; }
// Σ(v − a) and (weighted) Σ (j+1)·(v − a) over the window p1[0..n1) then p2[0..n2), oldest
// first; four partial sums by position mod 4. Out of line (the recompute is rare), given the
// buffers by pointer and returning the two sums in registers: a call that took the address of
// the indicator's own state (a member returned through memory) would make the whole object
// escape, and GCC would then keep every indicator's state in memory in the update loops (APO,
// PPO and MACD ran 2.5 times slower for a Sma inside them; see ring_sum).
struct DeviationSums {
  double d, w;
};
TL_IND_HOT inline DeviationSums deviation_sums_inline(const double* p1, std::size_t n1, const double* p2,
                                                      std::size_t n2, double a, bool weighted) noexcept {
  double d0 = 0, d1 = 0, d2 = 0, d3 = 0, w0 = 0, w1 = 0, w2 = 0, w3 = 0;
  // Value j of the window goes to partial sum j mod 4, in order of j; the four in registers.
  const auto add = [&](std::size_t j, double v) {
    const double y = v - a, wy = static_cast<double>(j + 1) * y;
    switch (j & 3) {
      case 0: d0 += y; w0 += wy; break;
      case 1: d1 += y; w1 += wy; break;
      case 2: d2 += y; w2 += wy; break;
      default: d3 += y; w3 += wy; break;
    }
  };
  std::size_t j = 0;
  for (const auto& [p, len] : {std::pair{p1, n1}, std::pair{p2, n2}}) {
    std::size_t k = 0;
    for (; k < len && (j & 3) != 0; ++k, ++j) add(j, p[k]);
    for (; k + 4 <= len; k += 4, j += 4) {  // j ≡ 0 mod 4: one value per partial sum
      const double y0 = p[k] - a, y1 = p[k + 1] - a, y2 = p[k + 2] - a, y3 = p[k + 3] - a;
      d0 += y0;
      d1 += y1;
      d2 += y2;
      d3 += y3;
      w0 += static_cast<double>(j + 1) * y0;
      w1 += static_cast<double>(j + 2) * y1;
      w2 += static_cast<double>(j + 3) * y2;
      w3 += static_cast<double>(j + 4) * y3;
    }
    for (; k < len; ++k, ++j) add(j, p[k]);
  }
  return {(d0 + d1) + (d2 + d3), weighted ? (w0 + w1) + (w2 + w3) : 0.0};
}
[[gnu::noinline]] inline DeviationSums deviation_sums(const double* p1, std::size_t n1, const double* p2,
                                                      std::size_t n2, double a, bool weighted) noexcept {
  return deviation_sums_inline(p1, n1, p2, n2, a, weighted);
}
// The anchored sums of that window: the anchor is its newest value.
TL_IND_HOT inline AnchoredSums anchored_window(const double* p1, std::size_t n1, const double* p2, std::size_t n2,
                                               bool weighted) noexcept {
  const double a = n2 > 0 ? p2[n2 - 1] : p1[n1 - 1];
  const DeviationSums s = deviation_sums(p1, n1, p2, n2, a, weighted);
  return {a, s.d, s.w};
}
// The same for n contiguous values, inlined (batch loops, where no object can escape).
TL_IND_HOT inline AnchoredSums anchored_window_inline(const double* p, std::size_t n, bool weighted) noexcept {
  const double a = p[n - 1];
  const DeviationSums s = deviation_sums_inline(p, n, nullptr, 0, a, weighted);
  return {a, s.d, s.w};
}
}  // namespace detail

inline AnchoredSums RingBuffer::anchored_sums(bool weighted) const noexcept {
  return detail::anchored_window(buf_.data() + pos_, cap_ - pos_, buf_.data(), pos_, weighted);
}

// The last n values and their anchored sums (AnchoredSums above), recomputed from the window on
// the fixed schedule (the first full window, then every `epoch` values) and when a NaN or ±inf
// leaves it. The streaming side of SMA, WMA (kWeighted), KAMA's noise and linear regression
// (kGrouped: the sums stepped as GroupedAnchoredSums). The batch forms run the same steps
// through detail::for_each_anchored, linear regression's four bars per vector step.
template <bool kWeighted, bool kGrouped = false>
class AnchoredWindow {
 public:
  AnchoredWindow() = default;
  AnchoredWindow(int n, std::size_t epoch) : ring_(n), n_(n), epoch_(epoch), since_(epoch - 1) {}
  // Returns false while the window fills (the sums are then not kept).
  TL_IND_HOT bool push(double x) noexcept {
    const double old = ring_.push(x);  // 0 while the window fills
    if (!ring_.full()) return false;
    if (++since_ == epoch_ || !std::isfinite(old)) [[unlikely]] {
      if (since_ == epoch_) since_ = 0;
      sums_.restart(ring_.anchored_sums(kWeighted));
    } else {
      sums_.step(x, old, n_, kWeighted);
    }
    return true;
  }
  const AnchoredSums& sums() const noexcept { return sums_.s; }
  bool full() const noexcept { return ring_.full(); }
  void reset() noexcept {
    ring_.reset();
    sums_ = {};
    since_ = epoch_ - 1;
  }

 private:
  // AnchoredSums::step bar by bar, or in GroupedSum's groups of four.
  struct Plain {
    AnchoredSums s;
    void restart(const AnchoredSums& sums) noexcept { s = sums; }
    TL_IND_HOT void step(double x, double old, double n, bool weighted) noexcept { s.step(x, old, n, weighted); }
  };
  RingBuffer ring_;
  double n_ = 1;
  std::size_t epoch_ = 1, since_ = 0;
  std::conditional_t<kGrouped, GroupedAnchoredSums, Plain> sums_;
};
// Σ of the window in time order (oldest first).
TL_IND_HOT inline CompensatedSum sum_of_window(const RingBuffer& w) noexcept { return w.time_order_sum(); }
// `x` entered `w` and `old` left it (0 while it fills): the sum follows.
TL_IND_HOT inline void slide(CompensatedSum& s, const RingBuffer& w, double x, double old) noexcept {
  if (std::isfinite(old)) [[likely]]
    s.add_diff(x, old);
  else
    s = sum_of_window(w);
}
// Two sums whose ratio is the indicator (ΣC·V and ΣV, ...): both restart when either window
// loses a non-finite value, so their windows stay the same bars.
TL_IND_HOT inline void slide2(CompensatedSum& s1, const RingBuffer& w1, double x1, double old1, CompensatedSum& s2,
                              const RingBuffer& w2, double x2, double old2) noexcept {
  if (std::isfinite(old1) && std::isfinite(old2)) [[likely]] {
    s1.add_diff(x1, old1);
    s2.add_diff(x2, old2);
  } else {
    s1 = sum_of_window(w1);
    s2 = sum_of_window(w2);
  }
}

// x_{t−lag}: `push(x_t)` returns the value pushed `lag` calls earlier, NaN before that.
// lag 0 returns x itself.
class Delay {
 public:
  Delay() = default;
  explicit Delay(int lag) : buf_(lag), lag_(lag) {}
  double push(double x) noexcept {
    if (lag_ == 0) return x;
    const bool was_full = buf_.full();
    const double old = buf_.push(x);
    return was_full ? old : kNaN;
  }
  int lag() const noexcept { return lag_; }
  void reset() noexcept { buf_.reset(); }

 private:
  RingBuffer buf_;
  int lag_ = 0;
};

// Highest (kMax) or lowest (kMin) of the last `period` values, and how many bars ago it was
// (ties: the most recent one, as TA-Lib's AROON does). Tulip Indicators' method (max.c,
// aroon.c): keep the index of the current extreme; a new value replaces it when at least as
// good, and the window is rescanned only when the extreme drops out of it. The window is kept
// twice in a buffer of 2n values (each value written at k and k + n), so the rescan reads n
// contiguous values oldest first. O(1) per update on average on price data (a random-walk
// window's extreme sits at its oldest end with probability ~1/√n, so a rescan every few bars);
// worst case O(n) per update on a monotonic run (falling highs for the max). Measured faster
// here than van Herk / Gil-Werman blocks and than a lazy suffix table (docs/indicators.md).
// NaN inputs are skipped: the extreme of the other values in the window (NaN only when every
// value in it is NaN).
enum class Extreme { kMax, kMin };
namespace detail {
// Offset in w[0..count) of the extreme, ties to the later value, NaN skipped (see below).
// Out of line and free of `this`, so that the caller's state can stay in registers.
template <Extreme K>
std::int64_t extreme_offset(const double* w, std::int64_t count) noexcept;
}  // namespace detail
template <Extreme K>
class RollingExtreme {
 public:
  RollingExtreme() = default;
  explicit RollingExtreme(int period)
      : buf_(2 * static_cast<std::size_t>(period)), n_(static_cast<std::size_t>(period)) {}
  // Returns the extreme including x; NaN until `period` values were seen.
  TL_IND_HOT double update(double x) noexcept {
    const std::int64_t t = t_++;
    double* buf = buf_.data();
    buf[pos_] = x;
    buf[pos_ + n_] = x;
    pos_ = pos_ + 1 == n_ ? 0 : pos_ + 1;
    const std::int64_t n = static_cast<std::int64_t>(n_);
    if (best_idx_ <= t - n) [[unlikely]] {
      // The extreme left the window (or this is the first value: best_idx_ starts at kNever).
      // The last min(t+1, n) values are contiguous and end at the copy just written.
      const std::int64_t count = t + 1 < n ? t + 1 : n;
      const double* w = buf + pos_ + n_ - static_cast<std::size_t>(count);
      const std::int64_t k = detail::extreme_offset<K>(w, count);
      best_ = w[k];
      best_idx_ = t - (count - 1) + k;
    } else if (takes(best_, x)) {
      best_ = x;
      best_idx_ = t;
    }
    return t_ >= n ? best_ : kNaN;
  }
  double value() const noexcept { return ready() ? best_ : kNaN; }
  bool ready() const noexcept { return t_ >= static_cast<std::int64_t>(n_); }
  // Bars since the extreme (0 = current bar). Valid once ready.
  int age() const noexcept { return static_cast<int>(t_ - 1 - best_idx_); }
  void reset() noexcept {
    t_ = 0;
    pos_ = 0;
    best_idx_ = kNever;
  }
  // Whether a later value b replaces the extreme a: strictly better or tied (the later wins),
  // or a is NaN; a NaN b never does.
  static bool takes(double a, double b) noexcept {
    return !(K == Extreme::kMax ? a > b : a < b) && !std::isnan(b);
  }

 private:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min() / 2;
  std::vector<double> buf_;
  std::size_t n_ = 1, pos_ = 0;
  std::int64_t t_ = 0, best_idx_ = kNever;
  double best_ = 0;
};
using RollingMax = RollingExtreme<Extreme::kMax>;
using RollingMin = RollingExtreme<Extreme::kMin>;

// Highest high and lowest low of the last n bars, current bar included (channels, %K, %R,
// Aroon, Ichimoku lines). NaN until n bars were seen.
struct HighLow {
  double hh = kNaN, ll = kNaN;
  double mid() const noexcept { return 0.5 * (hh + ll); }  // Donchian middle, Ichimoku lines
};
class RollingHighLow {
 public:
  RollingHighLow() = default;
  explicit RollingHighLow(int period) : hh_(period), ll_(period) {}
  TL_IND_HOT HighLow update(double high, double low) noexcept { return {hh_.update(high), ll_.update(low)}; }
  bool ready() const noexcept { return hh_.ready(); }
  // Bars since the highest high / lowest low (0 = current bar).
  int high_age() const noexcept { return hh_.age(); }
  int low_age() const noexcept { return ll_.age(); }
  double mid() const noexcept { return HighLow{hh_.value(), ll_.value()}.mid(); }
  void reset() noexcept {
    hh_.reset();
    ll_.reset();
  }

 private:
  RollingMax hh_;
  RollingMin ll_;
};

// How an exponential average gets its first value.
enum class EmaSeed {
  kSma,    // TA-Lib / TTR: the SMA of the first n values, first output at n−1 (default)
  kFirst,  // pandas ewm(adjust=False) / TradingView ta.ema: the first value, output from bar 0
};

// Exponential smoothing v = (1 − α)·v + α·x, seeded per `EmaSeed`. Used with α = 2/(n+1) (EMA)
// and α = 1/n (Wilder's smoothing, RMA). TA-Lib writes v += α·(x − v) (ta_EMA.c); the form
// here is the same number up to rounding (≤ a few ulps, tested against TA-Lib's form at
// 1e-9) and has a shorter dependency chain (one multiply and one add per bar).
class ExpSmoother {
 public:
  ExpSmoother() = default;
  ExpSmoother(int period, double alpha, EmaSeed seed = EmaSeed::kSma)
      : alpha_(alpha), beta_(1.0 - alpha), period_(seed == EmaSeed::kSma ? period : 1) {}
  TL_IND_HOT double update(double x) noexcept {
    if (count_ >= period_) [[likely]] {
      value_ = value_ * beta_ + x * alpha_;
      return value_;
    }
    seed_sum_ += x;
    if (++count_ < period_) return kNaN;
    value_ = seed_sum_ / period_;
    return value_;
  }
  // update() once ready(): the same arithmetic without the seed test, for batch loops that
  // have passed the warm-up.
  TL_IND_HOT double update_ready(double x) noexcept {
    value_ = value_ * beta_ + x * alpha_;
    return value_;
  }
  double value() const noexcept { return count_ >= period_ ? value_ : kNaN; }
  bool ready() const noexcept { return count_ >= period_; }
  int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept {
    value_ = seed_sum_ = 0;
    count_ = 0;
  }

 private:
  double alpha_ = 1, beta_ = 0, value_ = 0, seed_sum_ = 0;
  int period_ = 1, count_ = 0;
};

// ExpSmoother's average stepped over pairs of bars, for the smoothers chained inside DEMA and
// TEMA: bars are paired by the owner's bar count (bar 2k with 2k+1). On the first bar of a
// pair the output is v·β + x·α while v, the value at the end of the last pair, stays; on the
// second, v ← v·β² + (x₀·αβ + x·α), which is the output. The same average up to rounding, with
// one multiply and one add per two bars on the serial chain (a chain of three smoothers is
// bound by that latency). A second bar whose first was not stepped (the first bar after the
// seed) takes one ordinary step. Seeded with the SMA of the first n values, like ExpSmoother.
class PairedSmoother {
 public:
  PairedSmoother() = default;
  PairedSmoother(int period, double alpha)
      : alpha_(alpha), beta_(1.0 - alpha), beta2_(beta_ * beta_), ab_(alpha * beta_), period_(period) {}
  // x on a bar that is the second of its pair (`second`) or the first.
  TL_IND_HOT double update(double x, bool second) noexcept {
    if (count_ < period_) [[unlikely]] {
      seed_sum_ += x;
      if (++count_ < period_) return kNaN;
      v_ = out_ = seed_sum_ / period_;
      return out_;
    }
    return step(x, second);
  }
  // update() once ready().
  TL_IND_HOT double step(double x, bool second) noexcept {
    if (!second) {
      x0_ = x;
      half_ = true;
      out_ = v_ * beta_ + x * alpha_;
    } else {
      v_ = half_ ? v_ * beta2_ + (x0_ * ab_ + x * alpha_) : v_ * beta_ + x * alpha_;
      half_ = false;
      out_ = v_;
    }
    return out_;
  }
  // A whole pair (x0 on the first bar, x1 on the second) from a pair boundary: the outputs of
  // both bars. The batch loops' form of two step() calls.
  TL_IND_HOT void pair(double x0, double x1, double& o0, double& o1) noexcept {
    o0 = v_ * beta_ + x0 * alpha_;
    v_ = v_ * beta2_ + (x0 * ab_ + x1 * alpha_);
    o1 = v_;
    out_ = o1;
  }
  bool ready() const noexcept { return count_ >= period_; }
  int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept {
    v_ = out_ = seed_sum_ = x0_ = 0;
    count_ = 0;
    half_ = false;
  }

 private:
  double alpha_ = 1, beta_ = 0, beta2_ = 0, ab_ = 0;
  double v_ = 0, out_ = 0, seed_sum_ = 0, x0_ = 0;
  int period_ = 1, count_ = 0;
  bool half_ = false;  // the first bar of a pair was stepped: x0_ is waiting for the second
};

}  // namespace tradeloop::ind
