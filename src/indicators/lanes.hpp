// Internal: BasicCompensatedSum (common.hpp) on two GCC vector lanes, for batch loops that keep two
// window sums with the same operations (VWMA's Σ(C·V) and ΣV, the ultimate oscillator's ΣBP
// and ΣTR): one vector operation does both. Every lane runs exactly CompensatedSum::add_diff's
// IEEE operations in the same order (no FMA: the build has no -march, and lanes do not mix), so
// lane k holds the same bits as a scalar CompensatedSum fed lane k's values.
#pragma once

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind::detail {

using Lanes2 = double __attribute__((vector_size(16)));

// CompensatedSum on the two lanes.
using CompensatedSum2 = BasicCompensatedSum<Lanes2>;

}  // namespace tradeloop::ind::detail
