// Internal: CompensatedSum::add_diff run over whole arrays, with the bits of the scalar loop.
//
// add_diff's critical path is one add per bar (s <- s + d). Everything else (the difference
// d = a - b and its rounding error, the error of s + d, their sum) depends on no earlier bar
// once the rounded running sums are known. So the kernel splits each block of bars into a vector
// pass for d and its error, a serial pass for the rounded sums, a vector pass for the summed
// errors, and a serial pass that accumulates the compensation; the two serial passes of
// consecutive blocks share one loop, so their two add chains overlap instead of adding up.
// Every value goes through the IEEE operations of the scalar add_diff in the same order (no FMA
// is enabled, so nothing contracts): the same bits as a CompensatedSum fed bar by bar.
#pragma once

#include <cstddef>

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind::detail {

// For i in [0, m): sum.add_diff(a[i], b[i]); out[i] = sum.value() * scale. `sum` ends in the
// state after the last step. a and b may overlap (a window's entering and leaving values are
// the same array shifted); out must not overlap either.
void compensated_run(const double* a, const double* b, std::size_t m, CompensatedSum& sum, double scale,
                     double* out) noexcept;

}  // namespace tradeloop::ind::detail
