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
using Windows = HighLowBlocks::Windows;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

// m = inputs x[0 .. m) of the block (the window of its first bar, for the longest period,
// begins at x[0]); writes the m − longest + 1 extremes of window w to oh[w]/ol[w]. Tables sh/sl
// hold m + kPad values. Returns a bit per window whose results hold −inf (high) or +inf (low):
// only NaN or infinities in that window, to resolve.
[[gnu::target_clones("avx2", "default")]] unsigned block_extremes(const double* xh, const double* xl,
                                                                  std::size_t m, const Windows& windows,
                                                                  double* sh, double* sl) noexcept {
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
  const std::size_t longest = windows.longest, out = m - longest + 1;
  unsigned infinite = 0;
  // Bar j of the block for a window of n with runs of h = L: the older run x[o + j .. o + j + h)
  // and the newer x[o + j + n − h .. o + j + n), o = longest − n. The lowest highest high and the
  // highest lowest low ride along, to spot ±inf results.
  const auto finish = [&](std::size_t w, std::size_t h) {
    const std::size_t n = windows.period[w], older = longest - n, newer = older + n - h;
    double *oh = windows.hh[w], *ol = windows.ll[w];
    V4 least_h = pos, most_l = neg;
    std::size_t k = 0;
    for (; k + 4 <= out; k += 4) {
      const V4 a = load(sh + older + k), b = load(sh + newer + k);
      const V4 c = load(sl + older + k), d = load(sl + newer + k);
      const V4 rh = a > b ? a : b, rl = c < d ? c : d;
      store(oh + k, rh);
      store(ol + k, rl);
      least_h = rh < least_h ? rh : least_h;
      most_l = rl > most_l ? rl : most_l;
    }
    double lh = std::min({least_h[0], least_h[1], least_h[2], least_h[3]});
    double ml = std::max({most_l[0], most_l[1], most_l[2], most_l[3]});
    for (; k < out; ++k) {
      oh[k] = sh[older + k] > sh[newer + k] ? sh[older + k] : sh[newer + k];
      ol[k] = sl[older + k] < sl[newer + k] ? sl[older + k] : sl[newer + k];
      lh = std::min(lh, oh[k]);
      ml = std::max(ml, ol[k]);
    }
    if (lh == -kInf || ml == kInf) infinite |= 1u << w;
  };
  // Levels 2, 4, .., L in place: s[j] covers x[j .. j + 2h) after the pass with step h (the pass
  // reads ahead of what it writes only, so in place is exact). A window is finished at the level
  // of its own L, before the next level overwrites it.
  for (std::size_t len = m, h = 1;; h *= 2) {
    for (std::size_t w = 0; w < windows.count; ++w)
      if (h <= windows.period[w] && windows.period[w] < 2 * h) finish(w, h);
    if (2 * h > longest) break;
    len -= h;
    for (j = 0; j < len; j += 4) {
      const V4 a = load(sh + j), b = load(sh + j + h), c = load(sl + j), d = load(sl + j + h);
      store(sh + j, a > b ? a : b);
      store(sl + j, c < d ? c : d);
    }
  }
  return infinite;
}
#pragma GCC diagnostic pop
}  // namespace detail_rollx

HighLowBlocks::HighLowBlocks(std::span<const double> high, std::span<const double> low,
                             std::initializer_list<int> periods)
    : high_(high), low_(low) {
  TL_ASSERT(periods.size() >= 1 && periods.size() <= kMaxWindows && high.size() == low.size(),
            "rolling high/low: 1 to 3 windows, equal lengths");
  for (const int p : periods) {
    TL_ASSERT(p >= 1, "rolling high/low: period >= 1");
    windows_.period[windows_.count++] = static_cast<std::size_t>(p);
    windows_.longest = std::max(windows_.longest, static_cast<std::size_t>(p));
  }
  block_ = std::max(detail_rollx::kBlockBars, 4 * windows_.longest);
  next_ = windows_.longest - 1;
  if (high.size() < windows_.longest) return;
  const std::size_t bars = std::min(block_, high.size() - next_);
  scratch_h_.resize(bars + windows_.longest - 1 + detail_rollx::kPad);
  scratch_l_.resize(scratch_h_.size());
  out_.resize(2 * windows_.count * bars);
  for (std::size_t w = 0; w < windows_.count; ++w) {
    windows_.hh[w] = out_.data() + 2 * w * bars;
    windows_.ll[w] = windows_.hh[w] + bars;
  }
}

bool HighLowBlocks::next() {
  if (next_ >= high_.size()) return false;
  first_ = next_;
  size_ = std::min(block_, high_.size() - first_);
  next_ = first_ + size_;
  const std::size_t base = first_ + 1 - windows_.longest;
  const unsigned infinite = detail_rollx::block_extremes(high_.data() + base, low_.data() + base,
                                                         size_ + windows_.longest - 1, windows_,
                                                         scratch_h_.data(), scratch_l_.data());
  for (std::size_t w = 0; w < windows_.count; ++w)
    if (infinite >> w & 1u) resolve_infinities(w);
  return true;
}

// −inf as the highest high: the window holds −inf (the answer) or NaN only (then NaN, as the
// streaming class answers). Likewise +inf as the lowest low.
void HighLowBlocks::resolve_infinities(std::size_t w) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double *hh = windows_.hh[w], *ll = windows_.ll[w];
  const std::size_t n = windows_.period[w];
  for (std::size_t k = 0; k < size_; ++k) {
    if (hh[k] == -kInf && !cursor_h_[w].any_value(high_.data(), first_ + k, n)) hh[k] = kNaN;
    if (ll[k] == kInf && !cursor_l_[w].any_value(low_.data(), first_ + k, n)) ll[k] = kNaN;
  }
}

bool HighLowBlocks::ValueCursor::any_value(const double* x, std::size_t i, std::size_t period) noexcept {
  for (std::size_t j = std::max(next, i + 1 - period); j <= i; ++j)
    if (!std::isnan(x[j])) last = static_cast<std::ptrdiff_t>(j);
  next = i + 1;
  return last >= static_cast<std::ptrdiff_t>(i + 1 - period);
}

}  // namespace tradeloop::ind::detail
