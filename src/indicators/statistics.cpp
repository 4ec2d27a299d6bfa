// Rolling statistics: linear regression, z-score, correlation, beta.
#include "tradeloop/indicators/statistics.hpp"

#include <numbers>

#include "batch.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;

LinearRegression::LinearRegression(int period) : m_(require_int("linreg", "period", period, 2)) {}

LinRegValue LinearRegression::update(double x) noexcept {
  if (!m_.update(t_++, x)) return {};
  const double half = (m_.period() - 1) / 2.0;  // current bar minus the window's mean bar number
  const double sxx = m_.sxx(), sxy = m_.sxy(), syy = m_.syy();
  LinRegValue v;
  v.slope = sxy / sxx;
  const double mean = m_.mean_y();
  v.value = mean + v.slope * half;
  v.intercept = mean - v.slope * half;
  v.forecast = v.value + v.slope;
  v.angle = std::atan(v.slope) * (180.0 / std::numbers::pi);
  const double sse = syy - sxy * v.slope;
  v.zscore = sse > 1e-10 * syy ? (x - v.value) / std::sqrt(sse / m_.period()) : 0.0;
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
  if (++since_exact_ >= period_ || period_ <= kExactWindow) resync();
  return true;
}

// Re-anchors at the window means and recomputes every sum (amortised O(1), no drift).
void PairMoments::resync() noexcept {
  const std::size_t n = xs_.size();
  double mx = 0, my = 0;
  xs_.for_each([&](double v) { mx += v; });
  ys_.for_each([&](double v) { my += v; });
  ax_ = mx / n;
  ay_ = my / n;
  for (CompensatedSum* s : {&sx_, &sy_, &sxx_, &syy_, &sxy_}) s->reset();
  // Both rings were pushed in lockstep, so storage index k is the same bar in each.
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
  if (run_x_ >= period_) return 0.0;
  const double v = sxx_.value() - sx_.value() * sx_.value() / period_;
  return v > 0 ? v : 0.0;
}
double PairMoments::syy() const noexcept {
  if (run_y_ >= period_) return 0.0;
  const double v = syy_.value() - sy_.value() * sy_.value() / period_;
  return v > 0 ? v : 0.0;
}
double PairMoments::sxy() const noexcept {
  if (run_x_ >= period_ || run_y_ >= period_) return 0.0;
  return sxy_.value() - sx_.value() * sy_.value() / period_;
}
double PairMoments::mean_y() const noexcept { return run_y_ >= period_ ? last_y_ : ay_ + sy_.value() / period_; }

void PairMoments::reset() noexcept {
  xs_.reset();
  ys_.reset();
  for (CompensatedSum* s : {&sx_, &sy_, &sxx_, &syy_, &sxy_}) s->reset();
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
