// Volatility: constructors, the exact resync of the rolling moments, batch forms.
#include "tradeloop/indicators/volatility.hpp"

#include <algorithm>

#include "batch.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;

Atr::Atr(int period, AtrSeed seed) : tr_(seed), s_(require_int("atr", "period", period, 1), 1.0 / period) {}

RollingMoments::RollingMoments(int period)
    : period_(require_int("variance", "period", period, 1)),
      inv_n_(1.0 / period),
      inv_n1_(period > 1 ? 1.0 / (period - 1) : kNaN),
      window_(period) {}

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
// Two passes: the rolling moments (a serial recurrence), then the bands, whose square roots
// and divisions vectorise. Same operations as BollingerBands::update, so the same bits.
Status bollinger_bands(std::span<const double> close, int period, double k, std::span<double> upper,
                       std::span<double> middle, std::span<double> lower, std::span<double> pctb,
                       std::span<double> width, int ddof) {
  TL_RETURN_IF_ERROR(run_batch("bbands", {close}, {upper, middle, lower, pctb, width},
                               [&] { return BollingerBands(period, k, ddof); },  // validates
                               [](BollingerBands&, std::size_t) {}));
  const RollingMoments made(period);
  RollingMoments m = made;  // a non-escaping copy, see batch.hpp
  std::size_t first = close.size();
  for (std::size_t i = 0; i < close.size(); ++i) {
    if (m.update(close[i])) {
      first = std::min(first, i);
      middle[i] = m.mean();
      width[i] = m.variance(ddof);
    }
  }
  for (std::size_t i = 0; i < std::min(first, close.size()); ++i)
    upper[i] = middle[i] = lower[i] = pctb[i] = width[i] = kNaN;
  for (std::size_t i = first; i < close.size(); ++i) {
    const BandsValue v = BollingerBands::finish(close[i], middle[i], width[i], k);
    upper[i] = v.upper;
    lower[i] = v.lower;
    pctb[i] = v.pctb;
    width[i] = v.width;
  }
  return Status::Ok();
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
