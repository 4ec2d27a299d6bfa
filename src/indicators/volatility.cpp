// Volatility: constructors, the exact resync of the rolling moments, batch forms.
#include "tradeloop/indicators/volatility.hpp"

#include <algorithm>

#include "batch.hpp"
#include "moments.hpp"
#include "rolling_extremes.hpp"
#include "simd.hpp"

namespace tradeloop::ind {

using detail::run_batch;

Atr::Atr(int period, AtrSeed seed) : tr_(seed), s_(require_int("atr", "period", period, 1), 1.0 / period) {}

namespace detail {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // V4 values inside these functions only
// Four partial sums, lanes k mod 4 of one vector, combined pairwise: four independent addition
// chains instead of one. Inlined into the batch kernel (its latency then overlaps the bars
// before the recompute; a call was 6 % slower) and behind exact_moments for the streaming side.
[[gnu::always_inline]] inline ExactMoments exact_moments_here(const double* w, std::size_t n,
                                                              double inv_n) noexcept {
  using simd::V4;
  const V4 zero = {0, 0, 0, 0};
  ExactMoments e;
  V4 acc = zero;
  std::size_t q = 0;
  for (; q + 4 <= n; q += 4) acc += simd::load(w + q);
  for (int j = 0; q < n; ++q, ++j) acc[j] += w[q];
  e.anchor = ((acc[0] + acc[1]) + (acc[2] + acc[3])) * inv_n;
  const V4 a = zero + e.anchor;
  V4 d1 = zero, d2 = zero;
  for (q = 0; q + 4 <= n; q += 4) {
    const V4 d = simd::load(w + q) - a;
    d1 += d;
    d2 += d * d;
  }
  for (int j = 0; q < n; ++q, ++j) {
    const double d = w[q] - e.anchor;
    d1[j] += d;
    d2[j] += d * d;
  }
  e.s1 = (d1[0] + d1[1]) + (d1[2] + d1[3]);
  e.s2 = (d2[0] + d2[1]) + (d2[2] + d2[3]);
  return e;
}
[[gnu::target_clones("avx2", "default")]] ExactMoments exact_moments(const double* w, int n, double inv_n) noexcept {
  return exact_moments_here(w, static_cast<std::size_t>(n), inv_n);
}

[[gnu::target_clones("avx2", "default")]] void moment_run(const double* x, std::size_t n, std::size_t i,
                                                          std::size_t end, double inv_n, MomentRun& st_in,
                                                          double* anchor, double* s1, double* s2) noexcept {
  using simd::V4;
  MomentRun st = st_in;
  const V4 zero = {0, 0, 0, 0};
  // RollingMoments::step's arithmetic for bar k (no recompute).
  const auto scalar = [&](std::size_t k) {
    const double d = x[k] - st.anchor, o = x[k - n] - st.anchor;
    st.s1 = st.g1.step(d - o);
    st.s2 = st.g2.step(d * d - o * o);
    anchor[k - i] = st.anchor;
    s1[k - i] = st.s1;
    s2[k - i] = st.s2;
  };
  std::size_t k = i;
  while (k < end) {
    // Bars k..stop−1 are stepped; bar stop (when inside) is the next recompute.
    const std::size_t stop = std::min(end, k + (n - 1 - static_cast<std::size_t>(st.since)));
    st.since += static_cast<int>(stop - k);
    // The next recompute first: it does not depend on the bars before it, so its latency
    // overlaps theirs.
    const ExactMoments e = stop < end ? exact_moments_here(x + stop + 1 - n, n, inv_n) : ExactMoments{};
    for (; k < stop && st.g1.k != 0; ++k) scalar(k);  // up to a group's start
    if (k + 4 <= stop) {
      // Whole groups of four: GroupedSum's P_0..P_3 (TL_SIMD_SCAN), added to the base.
      const V4 a = zero + st.anchor;
      V4 b1 = zero + st.g1.base, b2 = zero + st.g2.base;
      for (; k + 4 <= stop; k += 4) {
        const V4 d = simd::load(x + k) - a, o = simd::load(x + k - n) - a;
        TL_SIMD_SCAN(d - o, u);
        TL_SIMD_SCAN(d * d - o * o, v);
        const V4 sum1 = b1 + u, sum2 = b2 + v;
        b1 = TL_SIMD_LAST(sum1);
        b2 = TL_SIMD_LAST(sum2);
        simd::store(anchor + (k - i), a);
        simd::store(s1 + (k - i), sum1);
        simd::store(s2 + (k - i), sum2);
      }
      st.g1.base = st.s1 = b1[0];
      st.g2.base = st.s2 = b2[0];
    }
    for (; k < stop; ++k) scalar(k);
    if (k == end) break;
    // The scheduled recompute at bar k.
    st.anchor = e.anchor;
    st.s1 = e.s1;
    st.s2 = e.s2;
    st.g1.restart(e.s1);
    st.g2.restart(e.s2);
    st.since = 0;
    anchor[k - i] = st.anchor;
    s1[k - i] = st.s1;
    s2[k - i] = st.s2;
    ++k;
  }
  st_in = st;
}
#pragma GCC diagnostic pop

}  // namespace detail

RollingMoments::RollingMoments(int period)
    : period_(require_int("variance", "period", period, 1)),
      inv_n_(1.0 / period),
      inv_n1_(period > 1 ? 1.0 / (period - 1) : kNaN),
      buf_(2 * static_cast<std::size_t>(period), 0.0),
      n_(static_cast<std::size_t>(period)) {}

Variance::Variance(int period, int ddof)
    : m_(period), ddof_(require_int("variance", "ddof", ddof, 0, period > 1 ? 1 : 0)) {}

StdDev::StdDev(int period, double k, int ddof) : var_(period, ddof), k_(require_real("stddev", "k", k, 0, 1e6)) {}

BollingerBands::BollingerBands(int period, double k, int ddof)
    : m_(require_int("bbands", "period", period, 1)),
      k_(require_real("bbands", "k", k, 0, 1e6)),
      ddof_(require_int("bbands", "ddof", ddof, 0, period > 1 ? 1 : 0)) {}

Donchian::Donchian(int period)
    : period_(require_int("donchian", "period", period, 1)), hl_(period) {}

KeltnerChannels::KeltnerChannels(int ema_period, int atr_period, double multiplier, AtrSeed atr_seed)
    : ema_(require_int("keltner", "period", ema_period, 1)),
      atr_(require_int("keltner", "atr_period", atr_period, 1), atr_seed),
      mult_(require_real("keltner", "multiplier", multiplier, 0, 1e6)) {}

// ---- batch forms ----
Status true_range(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  std::span<double> out, AtrSeed seed) {
  // Bar 0 through the class (its seed rule), then one independent expression per bar with the
  // previous close read from the input: the same selects as TrueRange::update, vectorised.
  TL_RETURN_IF_ERROR(
      detail::check_batch("trange", {high, low, close}, {out}, [&] { return TrueRange(seed); }));
  if (close.empty()) return Status::Ok();
  TrueRange first(seed);
  out[0] = first.update(high[0], low[0], close[0]);
  const double *__restrict h = high.data(), *__restrict l = low.data(), *__restrict c = close.data();
  double* __restrict y = out.data();
  for (std::size_t i = 1; i < close.size(); ++i) {
    const double prev = c[i - 1];
    const double hi = h[i] > prev ? h[i] : prev;
    const double lo = l[i] < prev ? l[i] : prev;
    y[i] = hi - lo;
  }
  return Status::Ok();
}
Status atr(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period,
           std::span<double> out, AtrSeed seed) {
  return run_batch("atr", {high, low, close}, {out}, [&] { return Atr(period, seed); },
                   [&](Atr& a, std::size_t i) { out[i] = a.update(high[i], low[i], close[i]); });
}
Status natr(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period,
            std::span<double> out, AtrSeed seed) {
  return run_batch("natr", {high, low, close}, {out}, [&] { return Natr(period, seed); },
                   [&](Natr& a, std::size_t i) { out[i] = a.update(high[i], low[i], close[i]); });
}
// The batch forms of the rolling-moment indicators: the same kernel as the streaming classes
// (RollingMoments::steps), reading the window from the input (no ring copy).
namespace detail_vol {
// The variance of a block from its running sums: Variance::update's operations.
[[gnu::target_clones("avx2", "default")]] void variance_block(std::size_t len, double inv_n, double scale,
                                                              const double* __restrict s1,
                                                              const double* __restrict s2,
                                                              double* __restrict out) noexcept {
  for (std::size_t i = 0; i < len; ++i) out[i] = RollingMoments::m2_of(s1[i], s2[i], inv_n) * scale;
}
// The bands of one block from the running sums its serial pass stored (the moments and
// BollingerBands::finish: the streaming class's operations, so the same bits). Restrict
// pointers: without them GCC gives up vectorising for want of alias checks between the
// columns. AVX2 where the CPU has it (ifunc dispatch; no FMA, so no contraction changes a
// rounding): four square roots and divisions per instruction instead of two.
[[gnu::target_clones("avx2", "default")]] void bands_block(
    std::size_t len, double k, double inv_n, double scale, const double* __restrict close,
    const double* __restrict anchor, const double* __restrict s1, const double* __restrict s2,
    double* __restrict upper, double* __restrict middle, double* __restrict lower, double* __restrict pctb,
    double* __restrict width) noexcept {
  for (std::size_t i = 0; i < len; ++i) {
    const double mean = RollingMoments::mean_of(anchor[i], s1[i], inv_n);
    const double var = RollingMoments::m2_of(s1[i], s2[i], inv_n) * scale;
    const BandsValue v = BollingerBands::finish(close[i], mean, var, k);
    upper[i] = v.upper;
    middle[i] = v.middle;
    lower[i] = v.lower;
    pctb[i] = v.pctb;
    width[i] = v.width;
  }
}
// The three bands alone (no %B, no width: no division), the same operations as finish.
[[gnu::target_clones("avx2", "default")]] void bands3_block(std::size_t len, double k, double inv_n, double scale,
                                                            const double* __restrict anchor,
                                                            const double* __restrict s1,
                                                            const double* __restrict s2, double* __restrict upper,
                                                            double* __restrict middle,
                                                            double* __restrict lower) noexcept {
  for (std::size_t i = 0; i < len; ++i) {
    const double mean = RollingMoments::mean_of(anchor[i], s1[i], inv_n);
    const double dev = k * std::sqrt(RollingMoments::m2_of(s1[i], s2[i], inv_n) * scale);
    middle[i] = mean;
    upper[i] = mean + dev;
    lower[i] = mean - dev;
  }
}
// stddev of a block from its running sums: k·√variance, Variance/StdDev::update's operations.
[[gnu::target_clones("avx2", "default")]] void stddev_block(std::size_t len, double k, double inv_n, double scale,
                                                            const double* __restrict s1, const double* __restrict s2,
                                                            double* __restrict out) noexcept {
  for (std::size_t i = 0; i < len; ++i) out[i] = k * std::sqrt(RollingMoments::m2_of(s1[i], s2[i], inv_n) * scale);
}
}  // namespace detail_vol

Status variance(std::span<const double> in, int period, std::span<double> out, int ddof) {
  TL_RETURN_IF_ERROR(detail::check_batch("variance", {in}, {out}, [&] { return Variance(period, ddof); }));
  const RollingMoments made(period);
  const double inv_n = made.inv_n(), scale = made.variance_scale(ddof);
  detail::moments_in_blocks(in, period, [&](std::size_t b, std::size_t len, const double*, const double* s1,
                                                const double* s2) {
    detail_vol::variance_block(len, inv_n, scale, s1, s2, out.data() + b);
  });
  detail::fill_warm_up({out}, static_cast<std::size_t>(period - 1));
  return Status::Ok();
}
Status stddev(std::span<const double> in, int period, std::span<double> out, double k, int ddof) {
  TL_RETURN_IF_ERROR(detail::check_batch("stddev", {in}, {out}, [&] { return StdDev(period, k, ddof); }));
  const RollingMoments made(period);
  const double inv_n = made.inv_n(), scale = made.variance_scale(ddof);
  detail::moments_in_blocks(in, period, [&](std::size_t b, std::size_t len, const double*, const double* s1,
                                                const double* s2) {
    detail_vol::stddev_block(len, k, inv_n, scale, s1, s2, out.data() + b);
  });
  detail::fill_warm_up({out}, static_cast<std::size_t>(period - 1));
  return Status::Ok();
}
// Through moments_in_blocks: the bands' square roots and divisions vectorise. Same operations
// as BollingerBands::update, so the same bits.
Status bollinger_bands(std::span<const double> close, int period, double k, std::span<double> upper,
                       std::span<double> middle, std::span<double> lower, std::span<double> pctb,
                       std::span<double> width, int ddof) {
  // An empty output span is not computed (TA-Lib's and Tulip's BBANDS give the three bands
  // only); without %B and width the finish has no division.
  TL_RETURN_IF_ERROR(detail::check_batch("bbands", {close}, {}, [&] { return BollingerBands(period, k, ddof); }));
  TL_RETURN_IF_ERROR(detail::check_outputs("bbands", close.size(), {upper, middle, lower, pctb, width}, true));
  const RollingMoments made(period);
  const double inv_n = made.inv_n(), scale = made.variance_scale(ddof);
  const bool ratios = !pctb.empty() || !width.empty();
  double skip[5][detail::kMomentBlock];  // where an unwanted output goes
  const auto at = [&](std::span<double> o, int slot, std::size_t b) { return o.empty() ? skip[slot] : o.data() + b; };
  detail::moments_in_blocks(close, period, [&](std::size_t b, std::size_t len, const double* anchor,
                                                   const double* s1, const double* s2) {
    if (ratios)
      detail_vol::bands_block(len, k, inv_n, scale, close.data() + b, anchor, s1, s2, at(upper, 0, b),
                              at(middle, 1, b), at(lower, 2, b), at(pctb, 3, b), at(width, 4, b));
    else
      detail_vol::bands3_block(len, k, inv_n, scale, anchor, s1, s2, at(upper, 0, b), at(middle, 1, b),
                               at(lower, 2, b));
  });
  // The warm-up (the streaming class returns an empty BandsValue until n values were seen).
  detail::fill_warm_up({upper, middle, lower, pctb, width}, static_cast<std::size_t>(period - 1));
  return Status::Ok();
}
Status donchian(std::span<const double> high, std::span<const double> low, int period, std::span<double> upper,
                std::span<double> middle, std::span<double> lower) {
  TL_RETURN_IF_ERROR(
      detail::check_batch("donchian", {high, low}, {upper, middle, lower}, [&] { return Donchian(period); }));
  detail::fill_warm_up({upper, middle, lower}, static_cast<std::size_t>(period - 1));
  detail::for_each_high_low(high, low, period, [&](std::size_t i, HighLow r) {
    upper[i] = r.hh;
    middle[i] = r.mid();
    lower[i] = r.ll;
  });
  return Status::Ok();
}
Status keltner(std::span<const double> high, std::span<const double> low, std::span<const double> close,
               int ema_period, int atr_period, double multiplier, std::span<double> upper, std::span<double> middle,
               std::span<double> lower, AtrSeed atr_seed) {
  return run_batch("keltner", {high, low, close}, {upper, middle, lower},
                   [&] { return KeltnerChannels(ema_period, atr_period, multiplier, atr_seed); },
                   [&](KeltnerChannels& kc, std::size_t i) {
                     const ChannelValue v = kc.update(high[i], low[i], close[i]);
                     upper[i] = v.upper;
                     middle[i] = v.middle;
                     lower[i] = v.lower;
                   });
}

}  // namespace tradeloop::ind
