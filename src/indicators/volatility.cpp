// Volatility: constructors, the exact resync of the rolling moments, batch forms.
#include "tradeloop/indicators/volatility.hpp"

#include <algorithm>

#include "batch.hpp"

namespace tradeloop::ind {

using detail::run_batch;

Atr::Atr(int period, AtrSeed seed) : tr_(seed), s_(require_int("atr", "period", period, 1), 1.0 / period) {}

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
// The batch forms of the rolling-moment indicators: the same kernel as the streaming classes
// (RollingMoments::step through step_at), reading the window from the input (no ring copy).
namespace detail_vol {
// Checks spans and parameters (the streaming constructor's checks), then runs f(i, m) for
// every bar with the moments updated to bar i (ready or not).
template <class Make, class F>
Status run_moments(const char* name, std::span<const double> in, std::initializer_list<std::span<double>> outs,
                   int period, Make&& make, F&& f) {
  TL_RETURN_IF_ERROR(run_batch(name, {in}, outs, make, [](auto&, std::size_t) {}));  // validates
  const RollingMoments made(period);
  RollingMoments m = made;  // a non-escaping copy, see batch.hpp
  for (std::size_t i = 0; i < in.size(); ++i) f(i, step_at(m, in, i), m);
  return Status::Ok();
}
// The bands of one block from its means and variances. Restrict pointers: without them GCC
// gives up vectorising for want of alias checks between the six columns.
void bands_block(std::size_t len, double k, const double* __restrict close, const double* __restrict mean,
                 const double* __restrict var, double* __restrict upper, double* __restrict middle,
                 double* __restrict lower, double* __restrict pctb, double* __restrict width) noexcept {
  for (std::size_t i = 0; i < len; ++i) {
    const BandsValue v = BollingerBands::finish(close[i], mean[i], var[i], k);
    upper[i] = v.upper;
    middle[i] = v.middle;
    lower[i] = v.lower;
    pctb[i] = v.pctb;
    width[i] = v.width;
  }
}
}  // namespace detail_vol

Status variance(std::span<const double> in, int period, std::span<double> out, int ddof) {
  return detail_vol::run_moments("variance", in, {out}, period, [&] { return Variance(period, ddof); },
                                 [&](std::size_t i, bool ready, const RollingMoments& m) {
                                   out[i] = ready ? m.variance(ddof) : kNaN;
                                 });
}
Status stddev(std::span<const double> in, int period, std::span<double> out, double k, int ddof) {
  return detail_vol::run_moments("stddev", in, {out}, period, [&] { return StdDev(period, k, ddof); },
                                 [&](std::size_t i, bool ready, const RollingMoments& m) {
                                   out[i] = k * std::sqrt(ready ? m.variance(ddof) : kNaN);
                                 });
}
// Blocks of kBlock bars: the rolling moments (a serial recurrence) into two small buffers that
// stay in L1, then the bands of the block, whose square roots and divisions vectorise. Each
// output is written once (the traffic of five output columns is most of the cost). Same
// operations as BollingerBands::update, so the same bits.
Status bollinger_bands(std::span<const double> close, int period, double k, std::span<double> upper,
                       std::span<double> middle, std::span<double> lower, std::span<double> pctb,
                       std::span<double> width, int ddof) {
  TL_RETURN_IF_ERROR(run_batch("bbands", {close}, {upper, middle, lower, pctb, width},
                               [&] { return BollingerBands(period, k, ddof); },  // validates
                               [](BollingerBands&, std::size_t) {}));
  const RollingMoments made(period);
  RollingMoments m = made;  // a non-escaping copy, see batch.hpp
  constexpr std::size_t kBlock = 256;
  double mean[kBlock], var[kBlock];
  for (std::size_t b = 0; b < close.size(); b += kBlock) {
    const std::size_t e = std::min(close.size(), b + kBlock);
    for (std::size_t i = b; i < e; ++i) {
      const bool ready = step_at(m, close, i);
      mean[i - b] = ready ? m.mean() : kNaN;
      var[i - b] = ready ? m.variance(ddof) : kNaN;
    }
    detail_vol::bands_block(e - b, k, close.data() + b, mean, var, upper.data() + b, middle.data() + b,
                            lower.data() + b, pctb.data() + b, width.data() + b);
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
