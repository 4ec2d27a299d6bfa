// Internal: CompensatedSum (common.hpp) on two GCC vector lanes, for batch loops that keep two
// window sums with the same operations (VWMA's Σ(C·V) and ΣV, the ultimate oscillator's ΣBP
// and ΣTR): one vector operation does both. Every lane runs exactly CompensatedSum::add_diff's
// IEEE operations in the same order (no FMA: the build has no -march, and lanes do not mix), so
// lane k holds the same bits as a scalar CompensatedSum fed lane k's values.
// TODO(lead): CompensatedSum could become this template with one lane; common.hpp was owned by
// another branch while this was written.
#pragma once

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind::detail {

using Lanes2 = double __attribute__((vector_size(16)));

struct CompensatedSum2 {
  TL_IND_HOT void add_diff(Lanes2 a, Lanes2 b) noexcept {
    const Lanes2 d = a - b;
    const Lanes2 e = two_sum_err(a, -b, d);
    const Lanes2 t = s + d;
    c += two_sum_err(s, d, t) + e;
    s = t;
  }
  Lanes2 value() const noexcept { return s + c; }
  // Error of t = fl(a + b) (Knuth TAOCP vol. 2, 4.2.2), as CompensatedSum computes it.
  static Lanes2 two_sum_err(Lanes2 a, Lanes2 b, Lanes2 t) noexcept {
    const Lanes2 bp = t - a;
    return (a - (t - bp)) + (b - bp);
  }
  Lanes2 s = {0, 0}, c = {0, 0};
};

}  // namespace tradeloop::ind::detail
