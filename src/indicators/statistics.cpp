// Rolling statistics: linear regression, z-score, correlation, beta.
#include "tradeloop/indicators/statistics.hpp"

#include <numbers>
#include <utility>

#include "batch.hpp"

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

// The fitted line from the centred sums (x = bar number, so Sxx never comes from a constant
// run): shared by LinearRegression::update and the batch kernel.
TL_IND_HOT inline LinRegValue linreg_fit(double sxx, double syy, double sxy, double mean, double x,
                                         int period) noexcept {
  const double half = (period - 1) / 2.0;  // current bar minus the window's mean bar number
  LinRegValue v;
  v.slope = sxy / sxx;
  v.value = mean + v.slope * half;
  v.intercept = mean - v.slope * half;
  v.forecast = v.value + v.slope;
  v.angle = std::atan(v.slope) * (180.0 / std::numbers::pi);
  const double sse = syy - sxy * v.slope;
  v.zscore = sse > 1e-10 * syy ? (x - v.value) / std::sqrt(sse / period) : 0.0;
  return v;
}

// Plain sum of get(b) over the window of n bars ending at bar t, in the storage order of a
// RingBuffer pushed once per bar from bar 0 (slot k holds the bar b ≡ k mod n), as
// RingBuffer::for_each visits it.
template <class Get>
TL_IND_HOT inline double ring_order_sum(std::size_t t, std::size_t n, Get&& get) noexcept {
  const std::size_t start = t + 1 - n, r = (t + 1) % n;  // r = slot of bar `start`
  const std::size_t first = r == 0 ? start : start + n - r;  // the bar in slot 0
  double s = 0;
  for (std::size_t b = first; b <= t; ++b) s += get(b);
  for (std::size_t b = start; b < first; ++b) s += get(b);
  return s;
}

// Batch LinearRegression: PairMoments::update with x = bar number, the window read from the
// input instead of the rings, the state in registers. The same operations in the same order
// as the streaming class, so the same bits (x rises strictly, so its run of equal values is
// always 1).
void linreg_kernel(const double* y, std::size_t rows, int period, double* value, double* slope,
                   double* intercept, double* angle, double* forecast, double* zscore) noexcept {
  const std::size_t n = static_cast<std::size_t>(period);
  PairSums s;
  double ax = 0, ay = 0, last_y = kNaN;
  long long run_y = 0;
  int since_exact = 0;
  for (std::size_t t = 0; t < rows; ++t) {
    const double x = static_cast<double>(t), yt = y[t];
    if (t == 0) {
      ax = x;
      ay = yt;
    }
    run_y = yt == last_y ? run_y + 1 : 1;
    last_y = yt;
    s.add(x - ax, yt - ay);
    if (t >= n) s.remove(static_cast<double>(t - n) - ax, y[t - n] - ay);
    if (t + 1 < n) {
      value[t] = slope[t] = intercept[t] = angle[t] = forecast[t] = zscore[t] = kNaN;
      continue;
    }
    if (++since_exact >= period || period <= kExactWindow || (t >= n && !std::isfinite(y[t - n]))) {
      resync_pair_sums(
          s, ax, ay, n,
          [&] {
            return std::pair{ring_order_sum(t, n, [](std::size_t b) { return static_cast<double>(b); }),
                             ring_order_sum(t, n, [&](std::size_t b) { return y[b]; })};
          },
          [&](std::size_t k) { return std::pair{static_cast<double>(t - k), y[t - k]}; });
      since_exact = 0;
    }
    const LinRegValue v = linreg_fit(s.cxx(1, period), s.cyy(run_y, period), s.cxy(1, run_y, period),
                                     s.mean_y(run_y, last_y, ay, period), yt, period);
    value[t] = v.value;
    slope[t] = v.slope;
    intercept[t] = v.intercept;
    angle[t] = v.angle;
    forecast[t] = v.forecast;
    zscore[t] = v.zscore;
  }
}

}  // namespace detail_stats

LinearRegression::LinearRegression(int period) : m_(require_int("linreg", "period", period, 2)) {}

LinRegValue LinearRegression::update(double x) noexcept {
  if (!m_.update(t_++, x)) return {};
  return detail_stats::linreg_fit(m_.sxx(), m_.syy(), m_.sxy(), m_.mean_y(), x, m_.period());
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
  TL_RETURN_IF_ERROR(detail::check_batch("linreg", {in}, {value, slope, intercept, angle, forecast, zscore},
                                         [&] { return LinearRegression(period); }));
  detail_stats::linreg_kernel(in.data(), in.size(), period, value.data(), slope.data(), intercept.data(),
                              angle.data(), forecast.data(), zscore.data());
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
