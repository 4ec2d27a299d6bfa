// Internal: the rolling moments of a whole input in blocks (RollingMoments::steps), shared by
// the batch forms of variance, stddev, Bollinger bands and linear regression's z-score.
#pragma once

#include <algorithm>
#include <span>

#include "tradeloop/indicators/volatility.hpp"

namespace tradeloop::ind::detail {

// The rolling moments of `in` in blocks of kMomentBlock bars: the running sums of a block (a
// serial recurrence, RollingMoments::steps) into three small buffers that stay in L1, then
// finish(b, len, anchor, s1, s2) turns the block's sums into outputs in a vectorised pass.
// Each output is written once; the warm-up is filled with NaN afterwards.
constexpr std::size_t kMomentBlock = 256;
template <class Finish>
inline void moments_in_blocks(std::span<const double> in, int period, Finish&& finish) {
  const RollingMoments made(period);
  RollingMoments m = made;  // a non-escaping copy, see batch.hpp
  double anchor[kMomentBlock], s1[kMomentBlock], s2[kMomentBlock];
  for (std::size_t b = 0; b < in.size(); b += kMomentBlock) {
    const std::size_t e = std::min(in.size(), b + kMomentBlock);
    m.steps(in, b, e, anchor, s1, s2);
    finish(b, e - b, anchor, s1, s2);
  }
}
}  // namespace tradeloop::ind::detail
