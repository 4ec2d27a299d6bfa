#include "window_sums.hpp"

#include "tradeloop/indicators/moving_average.hpp"
#include "simd.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace tradeloop::ind::detail {

namespace {

// Bars per block: three buffers of two blocks stay in L1.
constexpr std::size_t kBlock = 256;

struct SumBlock {
  double d[kBlock];  // a − b, rounded
  double e[kBlock];  // its rounding error, then the whole error term of the bar
  double t[kBlock];  // the rounded running sum after the bar
};

// NaN and ±inf have all exponent bits set. Tested on the high 32 bits: SSE2 compares 32-bit
// lanes (not 64-bit ones), so a loop of these vectorises.
TL_IND_HOT inline std::uint32_t non_finite(double v) noexcept {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (static_cast<std::uint32_t>(bits >> 32) & 0x7ff00000u) == 0x7ff00000u;
}

// add_diff's first half: d = a − b and its exact rounding error. Returns whether a b is NaN or
// ±inf.
TL_IND_HOT inline bool run_differences(const double* __restrict a, const double* __restrict b, std::size_t len,
                                       double* __restrict d, double* __restrict e) noexcept {
  std::uint32_t bad = 0;
  for (std::size_t j = 0; j < len; ++j) {
    const double dj = a[j] - b[j];
    d[j] = dj;
    e[j] = CompensatedSum::two_sum_err(a[j], -b[j], dj);
    bad |= non_finite(b[j]);
  }
  return bad != 0;
}

// add_diff's error term once the rounded sums are known: the error of t_j = t_{j−1} + d_j
// (t_{−1} = s0) plus the difference's error, summed in add_diff's order.
TL_IND_HOT inline void run_errors(double s0, const double* __restrict t, const double* __restrict d, std::size_t len,
                                  double* __restrict e) noexcept {
  e[0] = CompensatedSum::two_sum_err(s0, d[0], t[0]) + e[0];
  for (std::size_t j = 1; j < len; ++j) e[j] = CompensatedSum::two_sum_err(t[j - 1], d[j], t[j]) + e[j];
}

TL_IND_HOT inline std::size_t run(const double* a, const double* b, std::size_t m, CompensatedSum& sum,
                                  double scale, double* out, bool stop_at_non_finite_b) noexcept {
  SumBlock blocks[2];
  double s = sum.sum(), c = sum.compensation();
  // The block whose compensation is still to accumulate (the previous one).
  const SumBlock* prev = nullptr;
  double* prev_out = nullptr;
  std::size_t prev_len = 0;
  std::size_t done = m;
  for (std::size_t start = 0, k = 0;; start += kBlock, ++k) {
    std::size_t len = start < m ? std::min(kBlock, m - start) : 0;
    SumBlock& cur = blocks[k & 1];
    if (len > 0 && run_differences(a + start, b + start, len, cur.d, cur.e) && stop_at_non_finite_b) {
      done = start;  // finish the previous block only
      len = 0;
    }
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
  return done;
}

}  // namespace

// AVX2 where the CPU has it (ifunc dispatch, no FMA): the two vector passes run four bars per
// instruction.
[[gnu::target_clones("avx2", "default")]] std::size_t compensated_run(const double* a, const double* b, std::size_t m,
                                                               CompensatedSum& sum, double scale,
                                                               double* out, bool stop_at_non_finite_b) noexcept {
  return run(a, b, m, sum, scale, out, stop_at_non_finite_b);
}

bool all_finite(const double* x, std::size_t len) noexcept {
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < len; ++i) bad |= non_finite(x[i]);
  return bad == 0;
}

void window_sum_run(const double* x, std::size_t rows, std::size_t n, CompensatedSum& sum, double scale,
                    double* out) noexcept {
  const std::size_t fill = std::min(rows, n);
  for (std::size_t i = 0; i < fill; ++i) {
    sum.add_diff(x[i], 0.0);
    out[i] = sum.value() * scale;
  }
  std::size_t i = fill;
  while (i < rows) {
    // The kernel up to the first block whose leaving values hold a NaN or ±inf, that block
    // bar by bar with the restart, then the kernel again.
    i += compensated_run(x + i, x + i - n, rows - i, sum, scale, out + i, true);
    for (const std::size_t end = std::min(rows, i + kBlock); i < end; ++i) {
      const double old = x[i - n];
      if (std::isfinite(old)) {
        sum.add_diff(x[i], old);
      } else {  // sum_of_window's restart (common.hpp), from the input
        sum = array_sum(x + i + 1 - n, n);
      }
      out[i] = sum.value() * scale;
    }
  }
}

namespace {

// out[t] = the window's mean, or with kTwice (HMA's second stage) 2·out[t] − the mean, out then
// holding the half-length WMA: Hma::update's 2·half − full, written in place.
template <bool kWeighted, bool kTwice>
TL_IND_HOT inline void put_mean(double* out, std::size_t t, const AnchoredSums& s, double scale) noexcept {
  const double m = kWeighted ? s.weighted_mean(scale) : s.mean(scale);
  out[t] = kTwice ? 2 * out[t] - m : m;
}

template <bool kWeighted, bool kTwice>
void anchored_run(const double* x, std::size_t rows, std::size_t n, double scale, double* out) noexcept {
  for_each_anchored<kWeighted>(x, rows, n, anchored_epoch(n), [&](std::size_t t, const AnchoredSums& s) {
    put_mean<kWeighted, kTwice>(out, t, s, scale);
  });
}

// The anchored sums of the window of N and D values ending at value j (N = a·b or a, D = b), for
// a recompute: the products as the streaming ring kept them.
template <bool kProduct>
void ratio_window(const double* a, const double* b, std::size_t n, std::size_t j, AnchoredSums& num,
                  AnchoredSums& den) noexcept {
  const std::size_t from = j + 1 - n;
  if constexpr (kProduct) {
    constexpr std::size_t kStack = 512;
    double small[kStack];
    std::vector<double> big;
    double* w = small;
    if (n > kStack) {
      big.resize(n);
      w = big.data();
    }
    for (std::size_t q = 0; q < n; ++q) w[q] = a[from + q] * b[from + q];
    num = anchored_window(w, n, nullptr, 0, false);
  } else {
    num = anchored_window(a + from, n, nullptr, 0, false);
  }
  den = anchored_window(b + from, n, nullptr, 0, false);
}

// Value j pushed into the streaming class: RatioSums::count, then push_full once the window is
// full; out = the ratio (NaN before).
template <bool kProduct>
TL_IND_HOT inline void ratio_push(const double* a, const double* b, std::size_t n, std::size_t j, RatioSums& s,
                                  double empty, double* out) noexcept {
  const bool leaving = j >= n;  // the window was full before this value
  const double x_d = b[j], old_d = leaving ? b[j - n] : 0.0;
  const double x_n = kProduct ? a[j] * x_d : a[j];
  const double old_n = leaving ? (kProduct ? a[j - n] * old_d : a[j - n]) : 0.0;
  s.count(x_d, old_d);
  if (j + 1 < n) {
    *out = kNaN;
    return;
  }
  s.push_full(x_n, x_d, old_n, old_d,
              [&](AnchoredSums& num, AnchoredSums& den) { ratio_window<kProduct>(a, b, n, j, num, den); });
  *out = s.ratio(static_cast<double>(n), empty);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // V4 values inside functions only

// ratio_push over values j0..j1−1 (j0 ≥ n), four values per vector step between the scheduled
// recomputes: the differences, the nonzero counts and their running sums by prefix scans
// (GroupedSum's operations: the same bits), the divisions four at a time. Returns false, with
// s unchanged, when a value leaving the window is NaN or ±inf (the streaming class then
// recomputes there).
// kCount = false when no D among those the span reads is 0: the count then stays n and is not
// scanned.
template <bool kProduct, bool kCount>
[[gnu::always_inline]] inline bool ratio_vector(const double* a, const double* b, std::size_t n, std::size_t j0,
                                                std::size_t j1, RatioSums& s_in, double empty, double* out) noexcept {
  using simd::V4;
  using M4 = long long __attribute__((vector_size(32)));
  RatioSums s = s_in;
  const double nd = static_cast<double>(n);
  const V4 zero = {0, 0, 0, 0}, one = {1, 1, 1, 1}, empty4 = zero + empty;
  V4 leaving = zero;  // NaN once a leaving N or D is NaN or ±inf
  std::size_t j = j0;
  while (j < j1) {
    // Values j..stop−1 are stepped; value stop (when inside) is the scheduled recompute.
    const std::size_t stop = std::min(j1, j + (s.epoch - 1 - s.since));
    for (; j < stop && s.num_run.k != 0; ++j) {  // up to a group's start
      if (!std::isfinite(b[j - n]) || !std::isfinite(kProduct ? a[j - n] * b[j - n] : a[j - n])) return false;
      ratio_push<kProduct>(a, b, n, j, s, empty, out + (j - j0));
    }
    if (j + 4 <= stop) {
      const V4 na_n = zero + nd * s.num.a, na_d = zero + nd * s.den.a;
      V4 base_n = zero + s.num.d, base_d = zero + s.den.d, base_c = zero + s.nonzero;
      for (; j + 4 <= stop; j += 4) {
        const V4 xb = simd::load(b + j), ob = simd::load(b + j - n);
        const V4 xn = kProduct ? simd::load(a + j) * xb : simd::load(a + j);
        const V4 on = kProduct ? simd::load(a + j - n) * ob : simd::load(a + j - n);
        // A product is NaN or ±inf whenever its D is (inf·0 is NaN).
        leaving += kProduct ? on * 0.0 : on * 0.0 + ob * 0.0;
        TL_SIMD_SCAN(xn - on, n_inc);
        TL_SIMD_SCAN(xb - ob, d_inc);
        const V4 n_sum = base_n + n_inc, d_sum = base_d + d_inc;
        base_n = TL_SIMD_LAST(n_sum);
        base_d = TL_SIMD_LAST(d_sum);
        const V4 num = na_n + n_sum, den = na_d + d_sum;
        M4 ok = den != zero;
        if constexpr (kCount) {
          // nonzero(d) − nonzero(old d) as ±1/0 (d != 0 holds for NaN, as nonzero's bit test does).
          TL_SIMD_SCAN((V4)((M4)one & (xb != zero)) - (V4)((M4)one & (ob != zero)), c_inc);
          const V4 count = base_c + c_inc;
          base_c = TL_SIMD_LAST(count);
          ok &= count != zero;
        }
        simd::store(out + (j - j0), ok ? num / den : empty4);
        s.since += 4;
      }
      s.num.d = base_n[0];
      s.den.d = base_d[0];
      s.num_run.restart(s.num.d);
      s.den_run.restart(s.den.d);
      if constexpr (kCount) s.nonzero = static_cast<int>(base_c[0]);
    }
    for (; j < stop; ++j) {
      if (!std::isfinite(b[j - n]) || !std::isfinite(kProduct ? a[j - n] * b[j - n] : a[j - n])) return false;
      ratio_push<kProduct>(a, b, n, j, s, empty, out + (j - j0));
    }
    if (j == j1) break;
    ratio_push<kProduct>(a, b, n, j, s, empty, out + (j - j0));  // the scheduled recompute
    ++j;
  }
  for (int q = 0; q < 4; ++q)
    if (leaving[q] != leaving[q]) return false;
  s_in = s;
  return true;
}
// Whether a D among b[from..to) is ±0 (then the spans count nonzero D values).
bool any_zero(const double* b, std::size_t from, std::size_t to) noexcept {
  unsigned zero = 0;
  for (std::size_t q = from; q < to; ++q) zero |= b[q] == 0.0;
  return zero != 0;
}
[[gnu::target_clones("avx2", "default")]] bool ratio_vector_product(const double* a, const double* b, std::size_t n,
                                                                    std::size_t j0, std::size_t j1, RatioSums& s,
                                                                    double empty, double* out) noexcept {
  return any_zero(b, j0 - n, j1) ? ratio_vector<true, true>(a, b, n, j0, j1, s, empty, out)
                                 : ratio_vector<true, false>(a, b, n, j0, j1, s, empty, out);
}
[[gnu::target_clones("avx2", "default")]] bool ratio_vector_plain(const double* a, const double* b, std::size_t n,
                                                                  std::size_t j0, std::size_t j1, RatioSums& s,
                                                                  double empty, double* out) noexcept {
  return any_zero(b, j0 - n, j1) ? ratio_vector<false, true>(a, b, n, j0, j1, s, empty, out)
                                 : ratio_vector<false, false>(a, b, n, j0, j1, s, empty, out);
}
#pragma GCC diagnostic pop

}  // namespace

void ratio_run(const double* a, const double* b, bool product, std::size_t n, std::size_t j0, std::size_t j1,
               RatioSums& s, double empty, double* out) noexcept {
  constexpr std::size_t kSpan = 2048;  // values per vector attempt: a NaN costs one span bar by bar
  const auto push = [&](std::size_t q) {
    if (product)
      ratio_push<true>(a, b, n, q, s, empty, out + (q - j0));
    else
      ratio_push<false>(a, b, n, q, s, empty, out + (q - j0));
  };
  std::size_t j = j0;
  for (; j < j1 && j < n; ++j) push(j);
  while (j < j1) {
    const std::size_t e = std::min(j1, j + kSpan);
    const bool done = product ? ratio_vector_product(a, b, n, j, e, s, empty, out + (j - j0))
                              : ratio_vector_plain(a, b, n, j, e, s, empty, out + (j - j0));
    if (!done)
      for (std::size_t q = j; q < e; ++q) push(q);
    j = e;
  }
}

void anchored_mean_run(const double* x, std::size_t rows, std::size_t n, bool weighted, double scale,
                       double* out) noexcept {
  if (weighted)
    anchored_run<true, false>(x, rows, n, scale, out);
  else
    anchored_run<false, false>(x, rows, n, scale, out);
}

void anchored_wma_twice_minus(const double* x, std::size_t rows, std::size_t n, double scale,
                              double* half) noexcept {
  anchored_run<true, true>(x, rows, n, scale, half);
}

}  // namespace tradeloop::ind::detail
