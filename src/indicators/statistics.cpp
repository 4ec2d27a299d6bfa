// Rolling statistics: linear regression, z-score, correlation, beta.
#include "tradeloop/indicators/statistics.hpp"

#include <algorithm>
#include <memory>
#include <numbers>
#include <utility>

#include "batch.hpp"
#include "moments.hpp"
#include "simd.hpp"
#include "window_sums.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;

namespace detail_stats {

// PairMoments' exact recompute: anchors at the window means, then every sum afresh, newest pair
// first. `storage_sums()` gives the plain sums {Σx, Σy} of the window in ring storage order
// (slot k holds bar b with b mod n = k), `back(k)` the k-th newest pair {x, y}. Both
// PairMoments (from its rings) and the batch linreg kernel (from the input) call this, so they
// produce the same bits.
template <class StorageSums, class Back>
TL_IND_HOT inline void resync_pair_sums(PairSums& s, double& ax, double& ay, std::size_t n,
                                        StorageSums&& storage_sums, Back&& back) noexcept {
  const auto [mx, my] = storage_sums();
  ax = mx / n;
  ay = my / n;
  s.reset();
  for (std::size_t k = 0; k < n; ++k) {
    const auto [x, y] = back(k);
    s.add(x - ax, y - ay);
  }
}

// The line through a window of n from the anchored sums d = Σy', w = Σ (j+1)·y' (y' = y − a,
// j = 0 oldest), with Sxx = Σ(j − (n−1)/2)² = n(n²−1)/12 and Sxy = w − (n+1)/2·d:
//   slope = Sxy/Sxx = w·12/(n(n²−1)) − d·6/(n(n−1)),
//   value (at j = n−1) = a + w·6/(n(n+1)) − d·2/n   (= 3·WMA − 2·SMA),
//   intercept (at j = 0) = a + d·4/n − w·6/(n(n+1)).
// Each output is two products and two adds from the sums, computed only where wanted.
using detail::LinRegConsts;

TL_IND_HOT inline double slope_of(const AnchoredSums& s, const LinRegConsts& c) noexcept {
  return s.w * c.inv_sxx - s.d * c.d_slope;
}
TL_IND_HOT inline double value_of(const AnchoredSums& s, const LinRegConsts& c) noexcept {
  return s.a + (s.w * c.w_value - s.d * c.d_value);
}
TL_IND_HOT inline double intercept_of(const AnchoredSums& s, const LinRegConsts& c) noexcept {
  return s.a + (s.d * c.d_intercept - s.w * c.w_value);
}
TL_IND_HOT inline double sxy_of(const AnchoredSums& s, const LinRegConsts& c) noexcept { return s.w - c.half1 * s.d; }
TL_IND_HOT inline double angle_of(double slope) noexcept { return std::atan(slope) * (180.0 / std::numbers::pi); }
// The residual's z-score; NaN where the window holds a NaN.
TL_IND_HOT inline double zscore_of(double y, double value, double slope, double sxy, double syy, int period) noexcept {
  if (std::isnan(syy) || std::isnan(value)) return kNaN;
  const double sse = syy - sxy * slope;
  return syy > 0 && sse > 1e-10 * syy ? (y - value) / std::sqrt(sse / period) : 0.0;
}

// The wanted outputs of bar t from the line's sums (out: value, slope, intercept, angle,
// forecast; null: not wanted), and Sxy for the z-score.
TL_IND_HOT inline void put_line(std::size_t t, const AnchoredSums& s, const LinRegConsts& c, double* const out[6],
                                double* sxy_out) noexcept {
  const double slope = slope_of(s, c), value = value_of(s, c);
  if (out[0] != nullptr) out[0][t] = value;
  if (out[1] != nullptr) out[1][t] = slope;
  if (out[2] != nullptr) out[2][t] = intercept_of(s, c);
  if (out[3] != nullptr) out[3][t] = angle_of(slope);
  if (out[4] != nullptr) out[4][t] = value + slope;
  if (sxy_out != nullptr) sxy_out[t] = sxy_of(s, c);
}

// Bars r..end−1 of one epoch bar by bar, as LinearRegression::update (recomputes included).
void line_epoch(const double* y, std::size_t n, std::size_t r, std::size_t end, const LinRegConsts& c,
                double* const out[6], double* sxy_out) noexcept {
  const double nd = static_cast<double>(n);
  GroupedAnchoredSums g;
  g.restart(detail::anchored_window(y + r + 1 - n, n, nullptr, 0, true));
  put_line(r, g.s, c, out, sxy_out);
  for (std::size_t t = r + 1; t < end; ++t) {
    if (std::isfinite(y[t - n])) [[likely]]
      g.step(y[t], y[t - n], nd, true);
    else
      g.restart(detail::anchored_window(y + t + 1 - n, n, nullptr, 0, true));
    put_line(t, g.s, c, out, sxy_out);
  }
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // V4 values inside one function only

// One epoch r..end−1 four bars per step: GroupedAnchoredSums' two running sums by vector prefix
// scans (the same operations, so the same bits as line_epoch), the outputs four at a time.
// Returns false, with the epoch to redo bar by bar, when a value leaving the window is NaN or
// ±inf (LinearRegression::update then recomputes).
[[gnu::target_clones("avx2", "default")]] bool line_epoch_vector(const double* y, std::size_t n, std::size_t r,
                                                                 std::size_t end, const LinRegConsts& c,
                                                                 double* const out[6], double* sxy_out) noexcept {
  using detail::simd::V4;
  const double nd = static_cast<double>(n);
  GroupedAnchoredSums g;
  g.restart(detail::anchored_window(y + r + 1 - n, n, nullptr, 0, true));
  put_line(r, g.s, c, out, sxy_out);
  const V4 zero = {0, 0, 0, 0};
  const V4 a = zero + g.s.a, n4 = zero + nd;
  V4 base_d = zero + g.s.d, base_w = zero + g.s.w;
  V4 leaving = zero;  // NaN once a leaving value is NaN or ±inf
  std::size_t t = r + 1;
  for (; t + 4 <= end; t += 4) {
    const V4 x = detail::simd::load(y + t), old = detail::simd::load(y + t - n);
    leaving += old * 0.0;
    TL_SIMD_SCAN(x - old, d_inc);
    const V4 d = base_d + d_inc;
    // w's increments take d before each bar: base_d, then d's first three lanes.
    TL_SIMD_SCAN(n4 * (x - a) - __builtin_shufflevector(d, base_d, 4, 0, 1, 2), w_inc);
    const V4 w = base_w + w_inc;
    base_d = TL_SIMD_LAST(d);
    base_w = TL_SIMD_LAST(w);
    const V4 value = a + (w * c.w_value - d * c.d_value);
    const V4 slope = w * c.inv_sxx - d * c.d_slope;
    if (out[0] != nullptr) detail::simd::store(out[0] + t, value);
    if (out[1] != nullptr) detail::simd::store(out[1] + t, slope);
    if (out[2] != nullptr) detail::simd::store(out[2] + t, a + (d * c.d_intercept - w * c.w_value));
    if (out[3] != nullptr)
      for (int j = 0; j < 4; ++j) out[3][t + j] = angle_of(slope[j]);
    if (out[4] != nullptr) detail::simd::store(out[4] + t, value + slope);
    if (sxy_out != nullptr) detail::simd::store(sxy_out + t, w - c.half1 * d);
  }
  for (int j = 0; j < 4; ++j)
    if (leaving[j] != leaving[j]) return false;
  // The last bars of the epoch one by one, the group state carried on: line_epoch's loop,
  // written again (a shared function taking the state by reference cost 12 % here).
  g.restart(AnchoredSums{g.s.a, base_d[0], base_w[0]});
  for (; t < end; ++t) {
    if (std::isfinite(y[t - n])) [[likely]]
      g.step(y[t], y[t - n], nd, true);
    else
      g.restart(detail::anchored_window(y + t + 1 - n, n, nullptr, 0, true));
    put_line(t, g.s, c, out, sxy_out);
  }
  return true;
}
#pragma GCC diagnostic pop

// Batch LinearRegression, the line: epochs of LinearRegression::epoch(n) bars from the first
// full window, each recomputed from its window and four bars per vector step (the same bits as
// update). A null output is not written.
void linreg_lines(const double* y, std::size_t rows, int period, double* const out[6], double* sxy_out) noexcept {
  const std::size_t n = static_cast<std::size_t>(period), K = LinearRegression::epoch(period);
  const LinRegConsts c(period);
  for (std::size_t r = n - 1; r < rows; r += K) {
    const std::size_t end = std::min(rows, r + K);
    if (K < 8 || !line_epoch_vector(y, n, r, end, c, out, sxy_out)) line_epoch(y, n, r, end, c, out, sxy_out);
  }
}

// out: value, slope, intercept, angle, forecast, zscore (null: not wanted). The z-score takes
// Syy from the rolling moments (the streaming class's RollingMoments, run by
// moments_in_blocks) and the line's value, slope and Sxy, kept in scratch columns when those
// outputs are not wanted.
void linreg_kernel(std::span<const double> in, int period, double* const out_in[6]) {
  const double* y = in.data();
  const std::size_t rows = in.size(), n = static_cast<std::size_t>(period);
  for (std::size_t t = 0; t + 1 < n && t < rows; ++t)
    for (int k = 0; k < 6; ++k)
      if (out_in[k] != nullptr) out_in[k][t] = kNaN;
  if (rows < n) return;
  double* out[6];
  std::copy(out_in, out_in + 6, out);
  std::unique_ptr<double[]> scratch;
  double* sxy = nullptr;
  if (out[5] != nullptr) {
    scratch.reset(new double[3 * rows]);  // every slot that is read is written first
    if (out[0] == nullptr) out[0] = scratch.get();
    if (out[1] == nullptr) out[1] = scratch.get() + rows;
    sxy = scratch.get() + 2 * rows;
  }
  linreg_lines(y, rows, period, out, sxy);
  if (out[5] == nullptr) return;
  const double inv_n = 1.0 / period;
  detail::moments_in_blocks(in, period, [&](std::size_t b, std::size_t len, const double*, const double* s1,
                                            const double* s2) {
    for (std::size_t j = b < n - 1 ? std::min(len, n - 1 - b) : 0; j < len; ++j) {  // past the warm-up
      const std::size_t t = b + j;
      out[5][t] = zscore_of(y[t], out[0][t], out[1][t], sxy[t], RollingMoments::m2_of(s1[j], s2[j], inv_n), period);
    }
  });
}

}  // namespace detail_stats

LinearRegression::LinearRegression(int period)
    : period_(require_int("linreg", "period", period, 2)),
      consts_(period),
      window_(period, epoch(period)),
      moments_(period) {}

LinRegValue LinearRegression::fit(const AnchoredSums& s, double syy, double y, const detail::LinRegConsts& c) noexcept {
  using namespace detail_stats;
  LinRegValue v;
  v.slope = slope_of(s, c);
  v.value = value_of(s, c);
  v.intercept = intercept_of(s, c);
  v.forecast = v.value + v.slope;
  v.angle = angle_of(v.slope);
  v.zscore = zscore_of(y, v.value, v.slope, sxy_of(s, c), syy, c.period);
  return v;
}

ZScore::ZScore(int period) : m_(require_int("zscore", "period", period, 1)) {}

PairMoments::PairMoments(int period) : period_(period), xs_(period), ys_(period) {}

bool PairMoments::update(double x, double y) noexcept {
  if (!anchored_) {
    ax_ = x;
    ay_ = y;
    anchored_ = true;
  }
  run_x_ = x == last_x_ ? run_x_ + 1 : 1;
  run_y_ = y == last_y_ ? run_y_ + 1 : 1;
  last_x_ = x;
  last_y_ = y;
  const bool was_full = xs_.full();
  const double rx = xs_.push(x), ry = ys_.push(y);
  const double ox = rx - ax_, oy = ry - ay_;
  s_.add(x - ax_, y - ay_);
  if (was_full) s_.remove(ox, oy);
  if (!xs_.full()) return false;
  // A non-finite value leaving the window left NaN in the running sums: recompute now, not up
  // to n bars later.
  if (++since_exact_ >= period_ || period_ <= kExactWindow || !(std::isfinite(rx) && std::isfinite(ry))) resync();
  return true;
}

// Re-anchors at the window means and recomputes every sum (amortised O(1), no drift).
void PairMoments::resync() noexcept {
  // Both rings were pushed in lockstep, so storage index k is the same bar in each.
  detail_stats::resync_pair_sums(
      s_, ax_, ay_, xs_.size(),
      [&] {
        double mx = 0, my = 0;
        xs_.for_each([&](double v) { mx += v; });
        ys_.for_each([&](double v) { my += v; });
        return std::pair{mx, my};
      },
      [&](std::size_t k) { return std::pair{xs_.back(k), ys_.back(k)}; });
  since_exact_ = 0;
}

void PairMoments::reset() noexcept {
  xs_.reset();
  ys_.reset();
  s_.reset();
  since_exact_ = 0;
  run_x_ = run_y_ = 0;
  last_x_ = last_y_ = kNaN;
  anchored_ = false;
}

Correlation::Correlation(int period) : m_(require_int("correl", "period", period, 1)) {}

Beta::Beta(int period) : m_(require_int("beta", "period", period, 1)) {}

double Beta::update(double asset, double benchmark) noexcept {
  if (!has_prev_) {
    has_prev_ = true;
    prev_a_ = asset;
    prev_b_ = benchmark;
    return kNaN;
  }
  const double ra = prev_a_ != 0 ? (asset - prev_a_) / prev_a_ : 0.0;
  const double rb = prev_b_ != 0 ? (benchmark - prev_b_) / prev_b_ : 0.0;
  prev_a_ = asset;
  prev_b_ = benchmark;
  if (!m_.update(rb, ra)) return kNaN;
  const double var = m_.sxx();
  return var != 0 ? m_.sxy() / var : 0.0;
}

// ---- batch forms ----
Status linear_regression(std::span<const double> in, int period, std::span<double> value, std::span<double> slope,
                         std::span<double> intercept, std::span<double> angle, std::span<double> forecast,
                         std::span<double> zscore) {
  // An empty output span is not computed (TA-Lib's LINEARREG, _SLOPE, ... are one call each).
  TL_RETURN_IF_ERROR(detail::check_batch("linreg", {in}, {}, [&] { return LinearRegression(period); }));
  TL_RETURN_IF_ERROR(
      detail::check_outputs("linreg", in.size(), {value, slope, intercept, angle, forecast, zscore}, true));
  double* out[6];
  int k = 0;
  for (std::span<double> o : {value, slope, intercept, angle, forecast, zscore}) out[k++] = o.empty() ? nullptr : o.data();
  detail_stats::linreg_kernel(in, period, out);
  return Status::Ok();
}
Status zscore(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<ZScore>("zscore", in, out, period);
}
Status correlation(std::span<const double> x, std::span<const double> y, int period, std::span<double> out) {
  return run_batch("correl", {x, y}, {out}, [&] { return Correlation(period); },
                   [&](Correlation& c, std::size_t i) { out[i] = c.update(x[i], y[i]); });
}
Status beta(std::span<const double> asset, std::span<const double> benchmark, int period, std::span<double> out) {
  return run_batch("beta", {asset, benchmark}, {out}, [&] { return Beta(period); },
                   [&](Beta& b, std::size_t i) { out[i] = b.update(asset[i], benchmark[i]); });
}

}  // namespace tradeloop::ind
