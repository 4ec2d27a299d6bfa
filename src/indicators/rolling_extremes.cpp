// The batch rolling highest high / lowest low (rolling_extremes.hpp has the method).
#include "rolling_extremes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "simd.hpp"
#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind::detail {

namespace detail_rollx {
using simd::load;
using simd::store;
using simd::V4;

// Bars per block: the two scratch tables of a block (plus the window's overlap) stay in L1/L2.
// Longer windows get longer blocks so that the overlap recomputed per block stays below 1/4.
constexpr std::size_t kBlockBars = 2048;
// The level passes round their length up to whole vectors: the scratch tables end with this many
// spare values (set to the identity, so that what the rounding reads is defined).
constexpr std::size_t kPad = 4;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

// m = inputs x[0 .. m) of the block (the window of its first bar begins at x[0]); writes the
// m − period + 1 extremes to oh/ol. Tables sh/sl hold m + kPad values. Returns true when some
// result is −inf (high) or +inf (low): only NaN or infinities in that window, to resolve.
[[gnu::target_clones("avx2", "default")]] bool block_extremes(const double* xh, const double* xl,
                                                              std::size_t m, std::size_t period, double* sh,
                                                              double* sl, double* oh, double* ol) noexcept {
  // Every step is `a > b ? a : b` (or `<` for the low): the later operand b on ties and when a
  // is NaN, as the streaming scan takes a later value that is at least as good
  // (RollingExtreme::takes); exactly vmaxpd/vminpd. After level 1 every operand is a number.
  // (Written out, not as a helper: a function returning the vector type trips -Wpsabi.)
  constexpr double kInf = __builtin_inf();
  const V4 neg = {-kInf, -kInf, -kInf, -kInf}, pos = {kInf, kInf, kInf, kInf};
  // Level 1: the values, with NaN replaced by the identity (NaN > −inf is false: −inf).
  std::size_t j = 0;
  for (; j + 4 <= m; j += 4) {
    const V4 a = load(xh + j), b = load(xl + j);
    store(sh + j, a > neg ? a : neg);
    store(sl + j, b < pos ? b : pos);
  }
  for (; j < m; ++j) {
    sh[j] = xh[j] > -kInf ? xh[j] : -kInf;
    sl[j] = xl[j] < kInf ? xl[j] : kInf;
  }
  std::fill_n(sh + m, kPad, -kInf);
  std::fill_n(sl + m, kPad, kInf);
  // Levels 2, 4, .., L in place: s[j] covers x[j .. j + 2h) after the pass with step h. The
  // pass reads ahead of what it writes only, so in place is exact.
  std::size_t len = m, h = 1;
  for (; 2 * h <= period; h *= 2) {
    len -= h;
    for (j = 0; j < len; j += 4) {
      const V4 a = load(sh + j), b = load(sh + j + h), c = load(sl + j), d = load(sl + j + h);
      store(sh + j, a > b ? a : b);
      store(sl + j, c < d ? c : d);
    }
  }
  // Bar j of the block: the older run x[j .. j + L) and the newer x[j + period − L .. j + period).
  // The lowest highest high and the highest lowest low ride along, to spot ±inf results.
  const std::size_t newer = period - h, out = m - period + 1;
  V4 least_h = pos, most_l = neg;
  for (j = 0; j + 4 <= out; j += 4) {
    const V4 a = load(sh + j), b = load(sh + j + newer), c = load(sl + j), d = load(sl + j + newer);
    const V4 rh = a > b ? a : b, rl = c < d ? c : d;
    store(oh + j, rh);
    store(ol + j, rl);
    least_h = rh < least_h ? rh : least_h;
    most_l = rl > most_l ? rl : most_l;
  }
  double lh = std::min({least_h[0], least_h[1], least_h[2], least_h[3]});
  double ml = std::max({most_l[0], most_l[1], most_l[2], most_l[3]});
  for (; j < out; ++j) {
    oh[j] = sh[j] > sh[j + newer] ? sh[j] : sh[j + newer];
    ol[j] = sl[j] < sl[j + newer] ? sl[j] : sl[j + newer];
    lh = std::min(lh, oh[j]);
    ml = std::max(ml, ol[j]);
  }
  return lh == -kInf || ml == kInf;
}
#pragma GCC diagnostic pop
}  // namespace detail_rollx

HighLowBlocks::HighLowBlocks(std::span<const double> high, std::span<const double> low, int period)
    : high_(high),
      low_(low),
      period_(static_cast<std::size_t>(period)),
      block_(std::max(detail_rollx::kBlockBars, 4 * period_)),
      next_(period_ - 1) {
  TL_ASSERT(period >= 1 && high.size() == low.size(), "rolling high/low: period >= 1, equal lengths");
  if (high.size() < period_) return;
  const std::size_t bars = std::min(block_, high.size() - next_);
  scratch_h_.resize(bars + period_ - 1 + detail_rollx::kPad);
  scratch_l_.resize(scratch_h_.size());
  hh_.resize(bars);
  ll_.resize(bars);
}

bool HighLowBlocks::next() {
  if (next_ >= high_.size()) return false;
  first_ = next_;
  size_ = std::min(block_, high_.size() - first_);
  next_ = first_ + size_;
  const std::size_t base = first_ + 1 - period_;
  if (detail_rollx::block_extremes(high_.data() + base, low_.data() + base, size_ + period_ - 1, period_,
                                   scratch_h_.data(), scratch_l_.data(), hh_.data(), ll_.data()))
    resolve_infinities();
  return true;
}

// −inf as the highest high: the window holds −inf (the answer) or NaN only (then NaN, as the
// streaming class answers). Likewise +inf as the lowest low.
void HighLowBlocks::resolve_infinities() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < size_; ++k) {
    if (hh_[k] == -kInf && !cursor_h_.any_value(high_.data(), first_ + k, period_)) hh_[k] = kNaN;
    if (ll_[k] == kInf && !cursor_l_.any_value(low_.data(), first_ + k, period_)) ll_[k] = kNaN;
  }
}

bool HighLowBlocks::ValueCursor::any_value(const double* x, std::size_t i, std::size_t period) noexcept {
  for (std::size_t j = std::max(next, i + 1 - period); j <= i; ++j)
    if (!std::isnan(x[j])) last = static_cast<std::ptrdiff_t>(j);
  next = i + 1;
  return last >= static_cast<std::ptrdiff_t>(i + 1 - period);
}

}  // namespace tradeloop::ind::detail
