// Rolling statistics: linear regression, z-score, correlation, beta.
#include "tradeloop/indicators/statistics.hpp"

#include <numbers>

#include "batch.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;

LinearRegression::LinearRegression(int period)
    : period_(require_int("linreg", "period", period, 2)),
      sxx_(static_cast<double>(period) * (static_cast<double>(period) * period - 1) / 12.0),
      mean_i_((period - 1) / 2.0),
      moments_(period),
      window_(period) {}

LinRegValue LinearRegression::update(double x) noexcept {
  moments_.update(x);
  const double prev_sum = sum_.value();
  const double old = window_.push(x);
  // T = Σ j·y_j (j = 0 oldest): shifting the window gives T' = T − (S − old) + (n−1)·x. The
  // zeros standing for bars before the first make the recurrence exact while filling.
  weighted_.add((period_ - 1) * x);
  weighted_.add_diff(old, prev_sum);
  sum_.add_diff(x, old);
  if (!window_.full()) return {};
  const double n = period_;
  const double s = sum_.value();
  const double sxy = weighted_.value() - mean_i_ * s;
  LinRegValue v;
  v.slope = sxy / sxx_;
  v.intercept = s / n - v.slope * mean_i_;
  v.value = v.intercept + v.slope * (n - 1);
  v.forecast = v.intercept + v.slope * n;
  v.angle = std::atan(v.slope) * (180.0 / std::numbers::pi);
  const double syy = moments_.m2();
  const double sse = syy - sxy * v.slope;
  // A fit exact up to rounding has no meaningful residual spread: z = 0.
  v.zscore = sse > 1e-12 * syy ? (x - v.value) / std::sqrt(sse / n) : 0.0;
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
  const bool was_full = xs_.full();
  const double ox = xs_.push(x) - ax_, oy = ys_.push(y) - ay_;
  const double dx = x - ax_, dy = y - ay_;
  sx_.add(dx);
  sy_.add(dy);
  sxx_.add(dx * dx);
  syy_.add(dy * dy);
  sxy_.add(dx * dy);
  if (was_full) {
    sx_.add(-ox);
    sy_.add(-oy);
    sxx_.add(-ox * ox);
    syy_.add(-oy * oy);
    sxy_.add(-ox * oy);
  }
  if (!xs_.full()) return false;
  if (++since_exact_ >= period_) resync();
  return true;
}

// Re-anchors at the window means and recomputes every sum (amortised O(1), no drift).
void PairMoments::resync() noexcept {
  const std::size_t n = xs_.size();
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < n; ++k) {
    mx += xs_.back(k);
    my += ys_.back(k);
  }
  ax_ = mx / n;
  ay_ = my / n;
  for (CompensatedSum* s : {&sx_, &sy_, &sxx_, &syy_, &sxy_}) s->reset();
  for (std::size_t k = 0; k < n; ++k) {
    const double dx = xs_.back(k) - ax_, dy = ys_.back(k) - ay_;
    sx_.add(dx);
    sy_.add(dy);
    sxx_.add(dx * dx);
    syy_.add(dy * dy);
    sxy_.add(dx * dy);
  }
  since_exact_ = 0;
}

double PairMoments::sxx() const noexcept {
  const double v = sxx_.value() - sx_.value() * sx_.value() / period_;
  return v > 0 ? v : 0.0;
}
double PairMoments::syy() const noexcept {
  const double v = syy_.value() - sy_.value() * sy_.value() / period_;
  return v > 0 ? v : 0.0;
}
double PairMoments::sxy() const noexcept { return sxy_.value() - sx_.value() * sy_.value() / period_; }

void PairMoments::reset() noexcept {
  xs_.reset();
  ys_.reset();
  for (CompensatedSum* s : {&sx_, &sy_, &sxx_, &syy_, &sxy_}) s->reset();
  since_exact_ = 0;
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
  return run_batch("linreg", {in}, {value, slope, intercept, angle, forecast, zscore},
                   [&] { return LinearRegression(period); },
                   [&](LinearRegression& lr, std::size_t i) {
                     const LinRegValue v = lr.update(in[i]);
                     value[i] = v.value;
                     slope[i] = v.slope;
                     intercept[i] = v.intercept;
                     angle[i] = v.angle;
                     forecast[i] = v.forecast;
                     zscore[i] = v.zscore;
                   });
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
