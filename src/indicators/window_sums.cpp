#include "window_sums.hpp"

#include <algorithm>

namespace tradeloop::ind::detail {

namespace {

// Bars per block: three buffers of two blocks stay in L1.
constexpr std::size_t kBlock = 256;

struct SumBlock {
  double d[kBlock];  // a − b, rounded
  double e[kBlock];  // its rounding error, then the whole error term of the bar
  double t[kBlock];  // the rounded running sum after the bar
};

// add_diff's first half: d = a − b and its exact rounding error.
TL_IND_HOT inline void run_differences(const double* __restrict a, const double* __restrict b, std::size_t len,
                                       double* __restrict d, double* __restrict e) noexcept {
  for (std::size_t j = 0; j < len; ++j) {
    const double dj = a[j] - b[j];
    d[j] = dj;
    e[j] = CompensatedSum::two_sum_err(a[j], -b[j], dj);
  }
}

// add_diff's error term once the rounded sums are known: the error of t_j = t_{j−1} + d_j
// (t_{−1} = s0) plus the difference's error, summed in add_diff's order.
TL_IND_HOT inline void run_errors(double s0, const double* __restrict t, const double* __restrict d, std::size_t len,
                                  double* __restrict e) noexcept {
  e[0] = CompensatedSum::two_sum_err(s0, d[0], t[0]) + e[0];
  for (std::size_t j = 1; j < len; ++j) e[j] = CompensatedSum::two_sum_err(t[j - 1], d[j], t[j]) + e[j];
}

TL_IND_HOT inline void run(const double* a, const double* b, std::size_t m, CompensatedSum& sum, double scale,
                           double* out) noexcept {
  SumBlock blocks[2];
  double s = sum.sum(), c = sum.compensation();
  // The block whose compensation is still to accumulate (the previous one).
  const SumBlock* prev = nullptr;
  double* prev_out = nullptr;
  std::size_t prev_len = 0;
  for (std::size_t start = 0, k = 0;; start += kBlock, ++k) {
    const std::size_t len = start < m ? std::min(kBlock, m - start) : 0;
    SumBlock& cur = blocks[k & 1];
    if (len > 0) run_differences(a + start, b + start, len, cur.d, cur.e);
    const double s0 = s;
    // The rounded sums of this block and the compensation of the previous one, interleaved.
    const std::size_t both = std::min(len, prev_len);
    std::size_t j = 0;
    for (; j < both; ++j) {
      s += cur.d[j];
      cur.t[j] = s;
      c += prev->e[j];
      prev_out[j] = (prev->t[j] + c) * scale;
    }
    for (std::size_t i = j; i < len; ++i) {
      s += cur.d[i];
      cur.t[i] = s;
    }
    for (std::size_t i = j; i < prev_len; ++i) {
      c += prev->e[i];
      prev_out[i] = (prev->t[i] + c) * scale;
    }
    if (len == 0) break;
    run_errors(s0, cur.t, cur.d, len, cur.e);
    prev = &cur;
    prev_out = out + start;
    prev_len = len;
  }
  sum.set_state(s, c);
}

}  // namespace

// AVX2 where the CPU has it (ifunc dispatch, no FMA): the two vector passes run four bars per
// instruction.
[[gnu::target_clones("avx2", "default")]] void compensated_run(const double* a, const double* b, std::size_t m,
                                                               CompensatedSum& sum, double scale,
                                                               double* out) noexcept {
  run(a, b, m, sum, scale, out);
}

}  // namespace tradeloop::ind::detail
