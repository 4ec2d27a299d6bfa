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
// Four partial sums in the lanes of one vector, combined pairwise: four independent addition
// chains instead of one. w[q] goes to lane q mod 4 for q < 4⌊n/4⌋; the last n mod 4 values to
// the top lanes of one more (overlapping) load of w[n−4..n), whose lanes already summed are
// zeroed. Everything stays in registers. Inlined into the batch kernel (its latency then
// overlaps the bars before the recompute; a call was 6 % slower) and behind exact_moments for
// the streaming side.
[[gnu::always_inline]] inline double lane_sum(simd::V4 v) noexcept {
  const simd::V4 t = v + __builtin_shufflevector(v, v, 1, 0, 3, 2);  // (v0 + v1, ·, v2 + v3, ·)
  return t[0] + t[2];
}
[[gnu::always_inline]] inline ExactMoments exact_moments_here(const double* w, std::size_t n,
                                                              double inv_n) noexcept {
  using simd::V4;
  using M4 = long long __attribute__((vector_size(32)));
  const V4 zero = {0, 0, 0, 0};
  const std::size_t full = n & ~std::size_t{3}, rest = n - full;
  // The tail: lanes 4 − rest.. of w[n − 4..n) (n < 4: w[0..n) in the low lanes).
  const M4 lane = {0, 1, 2, 3};
  M4 used;
  V4 tail = zero;
  if (n >= 4) {
    used = lane >= static_cast<long long>(rest != 0 ? 4 - rest : 4);
    const V4 t = simd::load(w + n - 4);
    tail = used ? t : zero;
  } else {
    used = lane < static_cast<long long>(n);
    for (std::size_t q = 0; q < n; ++q) tail[q] = w[q];
  }
  ExactMoments e;
  V4 acc = tail;
  for (std::size_t q = 0; q < full; q += 4) acc += simd::load(w + q);
  e.anchor = lane_sum(acc) * inv_n;
  const V4 a = TL_SIMD_SPLAT(e.anchor);
  const V4 dt = used ? tail - a : zero;
  V4 d1 = dt, d2 = dt * dt;
  for (std::size_t q = 0; q < full; q += 4) {
    const V4 d = simd::load(w + q) - a;
    d1 += d;
    d2 += d * d;
  }
  e.s1 = lane_sum(d1);
  e.s2 = lane_sum(d2);
  return e;
}
[[gnu::target_clones("avx2", "default")]] ExactMoments exact_moments(const double* w, int n, double inv_n) noexcept {
  return exact_moments_here(w, static_cast<std::size_t>(n), inv_n);
}

// The kernel behind moment_run and variance_run: RollingMoments::step's arithmetic over bars
// i..end−1 with only the scheduled recomputes. The sink writes what the caller wants:
// sink.one(k, anchor, s1, s2) for bar k, sink.four(k, anchor, s1, s2) for bars k..k+3 (V4s).
// What moment_run's contract needs checked is gathered on the way: the running S1 of each
// stretch is NaN or ±inf when any value entering or leaving in it was (its increments are
// x − x_{t−n} in deviations), and x[k] == x[k − n + 1] is tested for every bar.
template <class Sink>
[[gnu::always_inline]] inline unsigned moment_kernel(const double* x, const MomentShape& m, std::size_t i,
                                                     std::size_t end, MomentRun& st_in, const Sink& sink) noexcept {
  using simd::V4;
  using M4 = long long __attribute__((vector_size(32)));
  const std::size_t n = m.n;
  MomentRun st = st_in;
  M4 repeat = {0, 0, 0, 0};
  bool repeat1 = false;
  double stretch_s1 = 0;  // Σ of each stretch's last S1: finite when every S1 was
  // Bars k..k+3, one group: GroupedSum's P_0..P_3 (TL_SIMD_SCAN) added to the bases; lane 3
  // is the next base.
  const auto group = [&](std::size_t k, const V4& a, V4& b1, V4& b2) {
    const V4 xk = simd::load(x + k), xo = simd::load(x + k - n);
    repeat |= xk == simd::load(x + k + 1 - n);
    const V4 d = xk - a, o = xo - a, u = d - o;
    TL_SIMD_SCAN(u, p1);
    TL_SIMD_SCAN(u * (d + o), p2);
    const V4 sum1 = b1 + p1, sum2 = b2 + p2;
    b1 = TL_SIMD_LAST(sum1);
    b2 = TL_SIMD_LAST(sum2);
    sink.four(k, a, sum1, sum2);
  };
  // RollingMoments::step's arithmetic for bar k (no recompute).
  const auto scalar = [&](std::size_t k) {
    const double d = x[k] - st.anchor, o = x[k - n] - st.anchor, u = d - o;
    st.s1 = st.g1.step(u);
    st.s2 = st.g2.step(u * (d + o));
    repeat1 |= x[k] == x[k + 1 - n];
    sink.one(k, st.anchor, st.s1, st.s2);
  };
  std::size_t k = i;
  while (k < end) {
    if (st.since == 0 && k + m.epoch <= end) {
      // Whole stretches, each ending on its recompute: groups of four only, and no state but
      // the anchor and the two sums.
      const std::size_t len = m.epoch - 1;
      double anchor = st.anchor;
      V4 b1 = TL_SIMD_SPLAT(st.s1), b2 = TL_SIMD_SPLAT(st.s2);
      do {
        const ExactMoments e = exact_moments_here(x + k + len + 1 - n, n, m.inv_n);  // ahead, as below
        const V4 a = TL_SIMD_SPLAT(anchor);
        for (const std::size_t stop = k + len; k < stop; k += 4) group(k, a, b1, b2);
        stretch_s1 += b1[0];
        repeat1 |= x[k] == x[k + 1 - n];  // the recompute at bar k
        anchor = e.anchor;
        b1 = TL_SIMD_SPLAT(e.s1);
        b2 = TL_SIMD_SPLAT(e.s2);
        sink.one(k, e.anchor, e.s1, e.s2);
        ++k;
      } while (k + m.epoch <= end);
      st.anchor = anchor;
      st.s1 = b1[0];
      st.s2 = b2[0];
      st.g1.restart(st.s1);
      st.g2.restart(st.s2);
      continue;
    }
    // Bars k..stop−1 are stepped; bar stop (when inside) is the next recompute.
    const std::size_t stop = std::min(end, k + (m.epoch - 1 - static_cast<std::size_t>(st.since)));
    st.since += static_cast<int>(stop - k);
    // The next recompute first: it does not depend on the bars before it, so its latency
    // overlaps theirs.
    const ExactMoments e = stop < end ? exact_moments_here(x + stop + 1 - n, n, m.inv_n) : ExactMoments{};
    for (; k < stop && st.g1.k != 0; ++k) scalar(k);  // up to a group's start
    if (k + 4 <= stop) {  // whole groups of four
      const V4 a = TL_SIMD_SPLAT(st.anchor);
      V4 b1 = TL_SIMD_SPLAT(st.g1.base), b2 = TL_SIMD_SPLAT(st.g2.base);
      for (; k + 4 <= stop; k += 4) group(k, a, b1, b2);
      st.g1.base = st.s1 = b1[0];
      st.g2.base = st.s2 = b2[0];
    }
    for (; k < stop; ++k) scalar(k);
    stretch_s1 += st.s1;
    if (k == end) break;
    // The scheduled recompute at bar k.
    repeat1 |= x[k] == x[k + 1 - n];
    st.anchor = e.anchor;
    st.s1 = e.s1;
    st.s2 = e.s2;
    st.g1.restart(e.s1);
    st.g2.restart(e.s2);
    st.since = 0;
    sink.one(k, st.anchor, st.s1, st.s2);
    ++k;
  }
  stretch_s1 += st.s1;
  st_in = st;
  const bool repeated = repeat1 || (repeat[0] | repeat[1] | repeat[2] | repeat[3]) != 0;
  return (stretch_s1 - stretch_s1 == 0 ? 0u : kMomentNonFinite) | (repeated ? kMomentRepeat : 0u);
}

[[gnu::target_clones("avx2", "default")]] unsigned moment_run(const double* x, const MomentShape& m, std::size_t i,
                                                              std::size_t end, MomentRun& st, double* anchor,
                                                              double* s1, double* s2) noexcept {
  struct {
    double *anchor, *s1, *s2;
    std::size_t i;
    [[gnu::always_inline]] void one(std::size_t k, double a, double v1, double v2) const noexcept {
      anchor[k - i] = a;
      s1[k - i] = v1;
      s2[k - i] = v2;
    }
    [[gnu::always_inline]] void four(std::size_t k, simd::V4 a, simd::V4 v1, simd::V4 v2) const noexcept {
      simd::store(anchor + (k - i), a);
      simd::store(s1 + (k - i), v1);
      simd::store(s2 + (k - i), v2);
    }
  } sink{anchor, s1, s2, i};
  return moment_kernel(x, m, i, end, st, sink);
}

[[gnu::target_clones("avx2", "default")]] unsigned variance_run(const double* x, const MomentShape& m,
                                                                std::size_t i, std::size_t end, MomentRun& st,
                                                                double scale, double* out) noexcept {
  struct {
    double *out, inv_n, scale;
    [[gnu::always_inline]] void one(std::size_t k, double, double v1, double v2) const noexcept {
      out[k] = RollingMoments::m2_of(v1, v2, inv_n) * scale;
    }
    // m2_of's operations, four bars at a time.
    [[gnu::always_inline]] void four(std::size_t k, simd::V4, simd::V4 v1, simd::V4 v2) const noexcept {
      const simd::V4 zero = {0, 0, 0, 0}, v = v2 - v1 * v1 * inv_n;
      simd::store(out + k, (v < zero ? zero : v) * scale);
    }
  } sink{out, m.inv_n, scale};
  return moment_kernel(x, m, i, end, st, sink);
}
#pragma GCC diagnostic pop

}  // namespace detail

RollingMoments::RollingMoments(int period)
    : period_(require_int("variance", "period", period, 1)),
      epoch_(4 * ((period + 2) / 4) + 1),
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
}  // namespace detail_vol

// Variance and stddev write their outputs from the kernel (detail::variance_run); the bars the
// fast path leaves go through the streaming class's step, finished with the same operations.
namespace detail_vol {
// k·√v over y[b..e): StdDev::update's operations after Variance's (vectorised).
[[gnu::target_clones("avx2", "default")]] void scaled_root(double* __restrict y, std::size_t b, std::size_t e,
                                                           double k) noexcept {
  for (std::size_t i = b; i < e; ++i) y[i] = k * std::sqrt(y[i]);
}
// The variance into out, or with `root` k·√variance (the standard deviation).
void variance_into(std::span<const double> in, int period, int ddof, bool root, double k, std::span<double> out) {
  const RollingMoments made(period);
  RollingMoments m = made;  // a non-escaping copy, see batch.hpp
  const double inv_n = made.inv_n(), scale = made.variance_scale(ddof);
  double* y = out.data();
  m.walk(
      in, 0, in.size(),
      [&](const double* x, const detail::MomentShape& shape, std::size_t i, std::size_t end,
          detail::MomentRun& st) {
        const unsigned seen = detail::variance_run(x, shape, i, end, st, scale, y);
        if (root) scaled_root(y, i, end, k);
        return seen;
      },
      [&](std::size_t i, const RollingMoments::Sums& sm) {
        const double v = RollingMoments::m2_of(sm.s1, sm.s2, inv_n) * scale;
        y[i] = root ? k * std::sqrt(v) : v;
      });
  detail::fill_warm_up({out}, static_cast<std::size_t>(period - 1));
}
}  // namespace detail_vol

Status variance(std::span<const double> in, int period, std::span<double> out, int ddof) {
  TL_RETURN_IF_ERROR(detail::check_batch("variance", {in}, {out}, [&] { return Variance(period, ddof); }));
  detail_vol::variance_into(in, period, ddof, false, 1.0, out);
  return Status::Ok();
}
Status stddev(std::span<const double> in, int period, std::span<double> out, double k, int ddof) {
  TL_RETURN_IF_ERROR(detail::check_batch("stddev", {in}, {out}, [&] { return StdDev(period, k, ddof); }));
  detail_vol::variance_into(in, period, ddof, true, k, out);
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
