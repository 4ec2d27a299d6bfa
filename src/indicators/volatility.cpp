// Volatility: constructors, the exact resync of the rolling moments, batch forms.
#include "tradeloop/indicators/volatility.hpp"

#include "batch.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;

Atr::Atr(int period, AtrSeed seed) : tr_(seed), s_(require_int("atr", "period", period, 1), 1.0 / period) {}

RollingMoments::RollingMoments(int period)
    : period_(require_int("variance", "period", period, 1)), inv_n_(1.0 / period), window_(period) {}

bool RollingMoments::fill(double x) noexcept {
  sum_.add(x);
  if (!window_.full()) return false;
  filled_ = true;
  mean_ = run_ >= period_ ? x : sum_.value() * inv_n_;
  resync(mean_);
  return true;
}

// Two-pass M2 around the exact mean (Chan, Golub & LeVeque 1983: the stable way).
void RollingMoments::resync(double mean) noexcept {
  double m2 = 0;
  for (std::size_t k = 0; k < window_.size(); ++k) {
    const double d = window_.back(k) - mean;
    m2 += d * d;
  }
  m2_ = m2;
  since_exact_ = 0;
}

Variance::Variance(int period, int ddof)
    : m_(period), ddof_(require_int("variance", "ddof", ddof, 0, period > 1 ? 1 : 0)) {}

StdDev::StdDev(int period, double k, int ddof)
    : m_(period),
      k_(require_real("stddev", "k", k, 0, 1e6)),
      ddof_(require_int("stddev", "ddof", ddof, 0, period > 1 ? 1 : 0)) {}

BollingerBands::BollingerBands(int period, double k, int ddof)
    : m_(require_int("bbands", "period", period, 1)),
      k_(require_real("bbands", "k", k, 0, 1e6)),
      ddof_(require_int("bbands", "ddof", ddof, 0, period > 1 ? 1 : 0)) {}

Donchian::Donchian(int period)
    : period_(require_int("donchian", "period", period, 1)), hh_(period, Extreme::kMax), ll_(period, Extreme::kMin) {}

KeltnerChannels::KeltnerChannels(int ema_period, int atr_period, double multiplier, AtrSeed atr_seed)
    : ema_(require_int("keltner", "period", ema_period, 1)),
      atr_(require_int("keltner", "atr_period", atr_period, 1), atr_seed),
      mult_(require_real("keltner", "multiplier", multiplier, 0, 1e6)) {}

// ---- batch forms ----
Status true_range(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  std::span<double> out, AtrSeed seed) {
  return run_batch("trange", {high, low, close}, {out}, [&] { return TrueRange(seed); },
                   [&](TrueRange& t, std::size_t i) { out[i] = t.update(high[i], low[i], close[i]); });
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
Status variance(std::span<const double> in, int period, std::span<double> out, int ddof) {
  return run_simple<Variance>("variance", in, out, period, ddof);
}
Status stddev(std::span<const double> in, int period, std::span<double> out, double k, int ddof) {
  return run_simple<StdDev>("stddev", in, out, period, k, ddof);
}
Status bollinger_bands(std::span<const double> close, int period, double k, std::span<double> upper,
                       std::span<double> middle, std::span<double> lower, std::span<double> pctb,
                       std::span<double> width, int ddof) {
  return run_batch("bbands", {close}, {upper, middle, lower, pctb, width},
                   [&] { return BollingerBands(period, k, ddof); },
                   [&](BollingerBands& b, std::size_t i) {
                     const BandsValue v = b.update(close[i]);
                     upper[i] = v.upper;
                     middle[i] = v.middle;
                     lower[i] = v.lower;
                     pctb[i] = v.pctb;
                     width[i] = v.width;
                   });
}
Status donchian(std::span<const double> high, std::span<const double> low, int period, std::span<double> upper,
                std::span<double> middle, std::span<double> lower) {
  return run_batch("donchian", {high, low}, {upper, middle, lower}, [&] { return Donchian(period); },
                   [&](Donchian& d, std::size_t i) {
                     const ChannelValue v = d.update(high[i], low[i]);
                     upper[i] = v.upper;
                     middle[i] = v.middle;
                     lower[i] = v.lower;
                   });
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
