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

// VWMA's state: the anchored sums of C·V and V (their d stepped in groups of four, as
// Vwma::update does), and the count of nonzero volumes.
struct VwmaState {
  AnchoredSums pv, v;
  GroupedSum pv_run, v_run;
  int nonzero = 0;
  double value(double nd) const noexcept { return Vwma::value(pv.sum(nd), v.sum(nd), nonzero); }
};

// Vwma::update's recompute at bar t, from the input: the window's products (the same products
// the ring kept) and volumes, and the count of nonzero volumes among them.
void vwma_resync(const double* p, const double* v, std::size_t n, std::size_t t, VwmaState& s) noexcept {
  const std::size_t b = t + 1 - n;
  constexpr std::size_t kStack = 512;
  double small[kStack] = {};
  std::vector<double> big;
  double* w = small;
  if (n > kStack) {
    big.resize(n);
    w = big.data();
  }
  int count = 0;
  for (std::size_t j = 0; j < n; ++j) {
    w[j] = p[b + j] * v[b + j];
    count += nonzero(v[b + j]);
  }
  s.pv = anchored_window(w, n, nullptr, 0, false);
  s.v = anchored_window(v + b, n, nullptr, 0, false);
  s.pv_run.restart(s.pv.d);
  s.v_run.restart(s.v.d);
  s.nonzero = count;
}

// One bar t after the recompute, as Vwma::update.
TL_IND_HOT inline void vwma_bar(const double* p, const double* v, std::size_t n, std::size_t t, VwmaState& s,
                                double* out) noexcept {
  const double old_v = v[t - n], old_pv = p[t - n] * v[t - n];
  s.nonzero += nonzero(v[t]) - nonzero(old_v);
  if (std::isfinite(old_pv) && std::isfinite(old_v)) [[likely]] {
    s.pv.d = s.pv_run.step(p[t] * v[t] - old_pv);
    s.v.d = s.v_run.step(v[t] - old_v);
  } else {
    vwma_resync(p, v, n, t, s);
  }
  out[t] = s.value(static_cast<double>(n));
}

// Bars r..end−1 of one epoch, bar by bar.
void vwma_epoch_run(const double* p, const double* v, std::size_t n, std::size_t r, std::size_t end,
                    double* out) noexcept {
  VwmaState s;
  vwma_resync(p, v, n, r, s);
  out[r] = s.value(static_cast<double>(n));
  for (std::size_t t = r + 1; t < end; ++t) vwma_bar(p, v, n, t, s, out);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // V4 values inside one function only

// One epoch r..end−1 four bars per step: the products, differences and nonzero counts of four
// bars in vectors, their running sums by a prefix scan (GroupedSum's operations: the same bits
// as vwma_bar), the divisions four at a time. Returns false, with the epoch to redo bar by bar,
// when a value leaving the window is NaN or ±inf (Vwma::update then recomputes).
[[gnu::target_clones("avx2", "default")]] bool vwma_epoch_vector(const double* p, const double* v, std::size_t n,
                                                                 std::size_t r, std::size_t end,
                                                                 double* out) noexcept {
  using simd::V4;
  using M4 = long long __attribute__((vector_size(32)));
  VwmaState s;
  vwma_resync(p, v, n, r, s);
  const double nd = static_cast<double>(n);
  out[r] = s.value(nd);
  const V4 zero = {0, 0, 0, 0}, one = {1, 1, 1, 1}, neg0 = {-0.0, -0.0, -0.0, -0.0};
  const V4 na_pv = zero + nd * s.pv.a, na_v = zero + nd * s.v.a, nan = zero + kNaN;
  // GroupedSum's P_0..P_3 of a group's increments by two shift-and-add steps (the lanes shifted
  // in hold −0, and x + −0 = x for every x), then every lane set to lane 3. Macros: a function
  // returning a vector trips -Wpsabi.
#define TL_SCAN(x, out)                                                \
  const V4 out##1 = (x) + __builtin_shufflevector((x), neg0, 4, 0, 1, 2); \
  const V4 out = out##1 + __builtin_shufflevector(out##1, neg0, 4, 5, 0, 1)
#define TL_LAST(x) __builtin_shufflevector((x), (x), 3, 3, 3, 3)
  V4 base_pv = zero + s.pv.d, base_v = zero + s.v.d, base_c = zero + s.nonzero;
  // NaN once a leaving product is NaN or ±inf; it is whenever its volume is (inf·0 is NaN), so
  // this is Vwma::update's test of both.
  V4 leaving = zero;
  std::size_t t = r + 1;
  for (; t + 4 <= end; t += 4) {
    const V4 vt = simd::load(v + t), vo = simd::load(v + t - n);
    const V4 pvo = simd::load(p + t - n) * vo;
    leaving += pvo * 0.0;
    TL_SCAN(simd::load(p + t) * vt - pvo, pv_inc);
    TL_SCAN(vt - vo, v_inc);
    // nonzero(vt) − nonzero(vo) as ±1/0 (v != 0 holds for NaN, as nonzero's bit test does).
    TL_SCAN((V4)((M4)one & (vt != zero)) - (V4)((M4)one & (vo != zero)), nz_inc);
    const V4 pv_sum = base_pv + pv_inc, v_sum = base_v + v_inc, count = base_c + nz_inc;
    base_pv = TL_LAST(pv_sum);
    base_v = TL_LAST(v_sum);
    base_c = TL_LAST(count);
    const V4 num = na_pv + pv_sum, den = na_v + v_sum;
    const M4 ok = (den != zero) & (count != zero);
    simd::store(out + t, (V4)(((M4)(num / den) & ok) | ((M4)nan & ~ok)));
  }
#undef TL_SCAN
#undef TL_LAST
  for (int j = 0; j < 4; ++j)
    if (leaving[j] != leaving[j]) return false;
  // The last bars of the epoch one by one, the group state carried on.
  s.pv.d = base_pv[0];
  s.v.d = base_v[0];
  s.pv_run.restart(s.pv.d);
  s.v_run.restart(s.v.d);
  s.nonzero = static_cast<int>(base_c[0]);
  for (; t < end; ++t) vwma_bar(p, v, n, t, s, out);
  return true;
}
#pragma GCC diagnostic pop

}  // namespace

void anchored_vwma_run(const double* p, const double* v, std::size_t rows, std::size_t n, double* out) noexcept {
  if (rows < n) return;
  const std::size_t K = anchored_epoch(n);
  for (std::size_t r = n - 1; r < rows; r += K) {
    const std::size_t end = std::min(rows, r + K);
    if (!vwma_epoch_vector(p, v, n, r, end, out)) vwma_epoch_run(p, v, n, r, end, out);
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
