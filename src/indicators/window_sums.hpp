// Internal: window sums run over whole arrays, with the bits of the streaming classes.
//
// The anchored sums (common.hpp, AnchoredSums) of SMA, WMA, VWMA and linear regression: their
// recompute schedule is fixed, so each epoch depends on its window alone and several run side
// by side (for_each_anchored, anchored_mean_run); VWMA's and the ultimate oscillator's go four
// bars per vector step (ratio_run), as linear regression's do (statistics.cpp, line_epoch_vector).
//
// CompensatedSum::add_diff over whole arrays (CCI's window sum): add_diff's critical path is one
// add per bar (s <- s + d). Everything else (the difference d = a - b and its rounding error,
// the error of s + d, their sum) depends on no earlier bar once the rounded running sums are
// known. So the kernel splits each block of bars into a vector pass for d and its error, a
// serial pass for the rounded sums, a vector pass for the summed errors, and a serial pass that
// accumulates the compensation; the two serial passes of consecutive blocks share one loop, so
// their two add chains overlap instead of adding up.
// Every value goes through the IEEE operations of the scalar code in the same order (no FMA is
// enabled, so nothing contracts): the same bits as the streaming classes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind::detail {

// For i in [0, m): sum.add_diff(a[i], b[i]); out[i] = sum.value() * scale. `sum` ends in the
// state after the last step. a and b may overlap (a window's entering and leaving values are
// the same array shifted); out must not overlap either. Returns m; with stop_at_non_finite_b,
// stops before the first block of bars (a few hundred) whose b holds a NaN or ±inf and returns
// the number of bars done (`sum` then holds the state after them).
std::size_t compensated_run(const double* a, const double* b, std::size_t m, CompensatedSum& sum, double scale,
                            double* out, bool stop_at_non_finite_b = false) noexcept;

// The window sum of x over n bars for every bar: out[i] = (the sum after bar i) · scale, the
// values before bar 0 counting as 0 (as a filling ring returns): `slide` (common.hpp) bar by
// bar. compensated_run up to the first block whose leaving values hold a NaN or ±inf, that
// block bar by bar with the restart from the window, then compensated_run again. The same bits
// as the streaming classes.
void window_sum_run(const double* x, std::size_t rows, std::size_t n, CompensatedSum& sum, double scale,
                    double* out) noexcept;

// True when x[0..len) holds no NaN or ±inf (vectorised, no early exit).
bool all_finite(const double* x, std::size_t len) noexcept;

// For every bar t ≥ n − 1 of x[0..rows): put(t, sums), the anchored sums (common.hpp) of the
// window ending at t as the streaming classes keep them: recomputed at bar n − 1 and every K
// bars after, and where a NaN or ±inf leaves the window. An epoch's state depends on its
// window alone, so four epochs run side by side (their add chains overlap; the serial
// dependency of one chain is what bounds a single running sum) wherever none of their leaving
// values is NaN or ±inf, and bar by bar otherwise. The same operations per value as the
// streaming step: the same bits. Tried and slower: a vector of the four lanes' states built
// from four strided loads per bar (3×), and the differences and a + sum·scale moved into
// vector passes over chunks (0.8× for SMA).
template <bool kWeighted, class Put>
TL_IND_HOT inline void for_each_anchored(const double* x, std::size_t rows, std::size_t n, std::size_t K,
                                         Put&& put) noexcept {
  if (rows < n) return;
  const double weight = static_cast<double>(n);
  const auto epoch = [&](std::size_t r, std::size_t end) {  // bar by bar, restarts included
    AnchoredSums s = anchored_window(x + r + 1 - n, n, nullptr, 0, kWeighted);
    put(r, s);
    for (std::size_t t = r + 1; t < end; ++t) {
      const double old = x[t - n];
      if (std::isfinite(old)) [[likely]]
        s.step(x[t], old, weight, kWeighted);
      else
        s = anchored_window(x + t + 1 - n, n, nullptr, 0, kWeighted);
      put(t, s);
    }
  };
  constexpr std::size_t kLanes = 4;
  std::size_t r = n - 1;  // the first recompute bar
  for (; r + kLanes * K <= rows; r += kLanes * K) {
    if (!all_finite(x + r + 1 - n, kLanes * K - 1)) {  // the values leaving after each epoch's first bar
      for (std::size_t l = 0; l < kLanes; ++l) epoch(r + l * K, r + (l + 1) * K);
      continue;
    }
    AnchoredSums s[kLanes];
    for (std::size_t l = 0; l < kLanes; ++l) {
      s[l] = anchored_window_inline(x + r + l * K + 1 - n, n, kWeighted);
      put(r + l * K, s[l]);
    }
    for (std::size_t k = 1; k < K; ++k)
#pragma GCC unroll 4
      for (std::size_t l = 0; l < kLanes; ++l) {
        const std::size_t t = r + l * K + k;
        s[l].step(x[t], x[t - n], weight, kWeighted);
        put(t, s[l]);
      }
  }
  for (; r < rows; r += K) epoch(r, std::min(rows, r + K));
}

// The streaming Sma (weighted = false) or Wma (true) over x[0..rows): out[i] = the mean of the
// window ending at bar i (times `scale`: 1/n, or 2/(n(n+1))) for i ≥ n − 1; out[0..n−1) is
// left alone. The anchored sums of common.hpp, four epochs at a time: the same bits as update.
void anchored_mean_run(const double* x, std::size_t rows, std::size_t n, bool weighted, double scale,
                       double* out) noexcept;

// HMA's middle stage: half[i] = 2·half[i] − WMA_n(x)[i] for i ≥ n − 1, the WMA as
// anchored_mean_run(weighted) computes it (half[0..n−1) is left alone).
void anchored_wma_twice_minus(const double* x, std::size_t rows, std::size_t n, double scale,
                              double* half) noexcept;

// RatioSums (common.hpp) over values j0..j1−1 of two arrays, as the streaming classes push
// them: N = a·b and D = b (product: VWMA's C·V and V), or N = a and D = b (the ultimate
// oscillator's BP and TR); a window of n, the scheduled recompute every s.epoch values.
// out[j − j0] = the ratio after value j (`empty` for a window of zero D, NaN before the window
// is full). Four values per vector step between recomputes (GroupedSum's operations: the same
// bits) wherever no value leaving the window is NaN or ±inf, value by value elsewhere.
void ratio_run(const double* a, const double* b, bool product, std::size_t n, std::size_t j0, std::size_t j1,
               RatioSums& s, double empty, double* out) noexcept;



}  // namespace tradeloop::ind::detail
