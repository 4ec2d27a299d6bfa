// Internal: the batch form of RollingHighLow, shared by the batch functions of the highest-high /
// lowest-low family (donchian, williams_r, stochastic, stoch_rsi, ichimoku).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <vector>

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind::detail {

// For every bar i >= period − 1: hh[i] = the highest of high[i−period+1 .. i] and ll[i] = the
// lowest of low[...], exactly the values RollingHighLow::update returns (bit for bit): NaN never
// enters, a window of NaN only gives NaN, ties give the later value (which only shows for −0 vs
// +0), ±inf are values. The bars are produced in consecutive blocks of a few thousand, so that a
// caller can finish its per-bar work while the block is in cache (`for_each_high_low` below
// walks them). The first block starts at bar period − 1 (the warm-up bars before it are the
// caller's: NaN); there is none when the series is shorter than the window. `high` and `low`
// have the same length (the callers' check_batch checks it) and may be the same span (StochRSI
// passes its RSI as both).
//
// Method: the window extreme by doubling (the sparse table for range-maximum queries, Bender &
// Farach-Colton 2000, "The LCA problem revisited", §3; computed one level at a time, in place):
// with L the largest power of two ≤ period, m_1 = x and m_{2h}[j] = max(m_h[j], m_h[j+h]) give
// m_L[j] = max of x[j .. j+L), and the window of bar i is the union of two such runs,
// max(m_L[i−period+1], m_L[i−L+1]). Every level is a contiguous, branch-free pass that
// vectorises (four bars per AVX2 instruction), so a bar costs about (log2(period) + 2)/4 vector
// max per side whatever the data, where the rescan-when-the-extreme-leaves method
// (RollingExtreme) mispredicts on a random walk. NaN is first replaced by −inf (+inf for the
// low), the identity of max, so that every level is the plain `a > b ? a : b` (ties to the
// later operand b); a result of −inf then means "only NaN or −inf in the window" and is
// resolved by a scalar check (amortised O(1) per bar). Blocks of 2048 bars (4·period beyond
// period 512, so that the window's overlap recomputed per block stays ≤ 1/4).
class HighLowBlocks {
 public:
  // Up to kMaxWindows windows over the same high/low columns, in one pass (Ichimoku's three
  // lines): the levels up to each window's L are shared. Then every block starts at bar
  // longest − 1, and the bars before it of the shorter windows are the caller's.
  static constexpr std::size_t kMaxWindows = 3;
  HighLowBlocks(std::span<const double> high, std::span<const double> low,
                std::initializer_list<int> periods);
  HighLowBlocks(const HighLowBlocks&) = delete;  // windows_ points into out_
  HighLowBlocks& operator=(const HighLowBlocks&) = delete;
  // Computes the next block; false when every bar was produced.
  bool next();
  std::size_t first() const noexcept { return first_; }
  std::size_t size() const noexcept { return size_; }
  // The extremes of window w (in the order given) for bars first() .. first() + size() − 1.
  const double* hh(std::size_t w = 0) const noexcept { return windows_.hh[w]; }
  const double* ll(std::size_t w = 0) const noexcept { return windows_.ll[w]; }

  // The windows and where their extremes go (internal; the kernel's argument).
  struct Windows {
    std::size_t count = 0, longest = 0;
    std::size_t period[kMaxWindows] = {};
    double* hh[kMaxWindows] = {};
    double* ll[kMaxWindows] = {};
  };

 private:
  // "Is there a non-NaN value in x[i−period+1 .. i]?", asked for increasing i: each value is
  // looked at once at most over the whole series.
  struct ValueCursor {
    std::size_t next = 0;
    std::ptrdiff_t last = -1;  // the last non-NaN index seen
    bool any_value(const double* x, std::size_t i, std::size_t period) noexcept;
  };
  void resolve_infinities(std::size_t w);

  std::span<const double> high_, low_;
  Windows windows_;
  std::size_t block_ = 0, first_ = 0, size_ = 0, next_ = 0;
  std::vector<double> scratch_h_, scratch_l_, out_;
  ValueCursor cursor_h_[kMaxWindows], cursor_l_[kMaxWindows];
};

// Calls f(i, HighLow) for every bar i from period − 1 on, in order.
template <class F>
void for_each_high_low(std::span<const double> high, std::span<const double> low, int period, F&& f) {
  HighLowBlocks blocks(high, low, {period});
  while (blocks.next())
    for (std::size_t k = 0; k < blocks.size(); ++k)
      f(blocks.first() + k, HighLow{blocks.hh()[k], blocks.ll()[k]});
}

}  // namespace tradeloop::ind::detail
