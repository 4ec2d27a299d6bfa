// Moving averages: constructors (parameter checks), KAMA's update and the batch forms.
#include "tradeloop/indicators/moving_average.hpp"

#include <cmath>

#include "batch.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;

Sma::Sma(int period)
    : period_(require_int("sma", "period", period, 1)), inv_n_(1.0 / period), window_(period) {}

Ema::Ema(int period, EmaSeed seed)
    : ExpAverage(ExpSmoother(require_int("ema", "period", period, 1), 2.0 / (period + 1), seed)) {}

Rma::Rma(int period) : ExpAverage(ExpSmoother(require_int("rma", "period", period, 1), 1.0 / period)) {}

Wma::Wma(int period)
    : period_(require_int("wma", "period", period, 1)),
      inv_denom_(2.0 / (static_cast<double>(period) * (period + 1))),
      window_(period) {}

Dema::Dema(int period)
    : e1_(require_int("dema", "period", period, 1), 2.0 / (period + 1)), e2_(period, 2.0 / (period + 1)) {}

Tema::Tema(int period)
    : e1_(require_int("tema", "period", period, 1), 2.0 / (period + 1)),
      e2_(period, 2.0 / (period + 1)),
      e3_(period, 2.0 / (period + 1)) {}

// TA-Lib ta_TRIMA.c: odd n -> SMA(SMA(x, (n+1)/2), (n+1)/2); even n -> SMA(SMA(x, n/2), n/2+1).
Trima::Trima(int period)
    : a_(require_int("trima", "period", period, 1) % 2 ? (period + 1) / 2 : period / 2),
      b_(period % 2 ? (period + 1) / 2 : period / 2 + 1) {}

Kama::Kama(int period)
    : period_(require_int("kama", "period", period, 1)), prices_(period + 1), diffs_(period) {}

double Kama::update(double x) noexcept {
  // TA-Lib ta_KAMA.c constants: fastest = 2/(2+1), slowest = 2/(30+1).
  constexpr double kFast = 2.0 / 3.0, kSlow = 2.0 / 31.0;
  const double prev = count_ > 0 ? prices_.back(0) : x;
  prices_.push(x);
  ++count_;
  if (count_ > 1) noise_.add_diff(std::fabs(x - prev), diffs_.push(std::fabs(x - prev)));
  if (count_ <= period_) {
    kama_ = x;  // KAMA_{n-1} = x_{n-1}
    return kNaN;
  }
  const double change = x - prices_.back(static_cast<std::size_t>(period_));
  const double noise = noise_.value();
  // TA-Lib: ER = 1 when the noise is 0 or <= the (signed) change.
  const double er = (noise <= change || noise == 0) ? 1.0 : std::fabs(change / noise);
  const double sc = er * (kFast - kSlow) + kSlow;
  kama_ = (x - kama_) * (sc * sc) + kama_;
  return kama_;
}

Hma::Hma(int period)
    : half_(require_int("hma", "period", period, 2) / 2),
      full_(period),
      out_(static_cast<int>(std::floor(std::sqrt(static_cast<double>(period))))) {}

Vwma::Vwma(int period) : pv_(require_int("vwma", "period", period, 1)), v_(period) {}

Zlema::Zlema(int period)
    : lag_((require_int("zlema", "period", period, 1) - 1) / 2),
      lagbuf_(lag_ + 1),
      ema_(period, 2.0 / (period + 1)) {}

Status sma(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Sma>("sma", in, out, period);
}
Status ema(std::span<const double> in, int period, std::span<double> out, EmaSeed seed) {
  return run_simple<Ema>("ema", in, out, period, seed);
}
Status rma(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Rma>("rma", in, out, period);
}
Status wma(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Wma>("wma", in, out, period);
}
Status dema(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Dema>("dema", in, out, period);
}
Status tema(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Tema>("tema", in, out, period);
}
Status trima(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Trima>("trima", in, out, period);
}
Status kama(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Kama>("kama", in, out, period);
}
Status hma(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Hma>("hma", in, out, period);
}
Status zlema(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Zlema>("zlema", in, out, period);
}
Status vwma(std::span<const double> price, std::span<const double> volume, int period, std::span<double> out) {
  return run_batch("vwma", {price, volume}, {out}, [&] { return Vwma(period); },
                   [&](Vwma& ind, std::size_t i) { out[i] = ind.update(price[i], volume[i]); });
}

}  // namespace tradeloop::ind
