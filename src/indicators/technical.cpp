// The guide's API over the batch functions.
#include "tradeloop/indicators/technical.hpp"

#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop {

namespace detail_technical {
// Allocates `k` outputs of the input's length, runs `fn` on them and throws on error.
template <class Fn>
std::vector<IndicatorSeries> outputs(std::size_t n, std::size_t k, Fn&& fn) {
  std::vector<IndicatorSeries> out(k, IndicatorSeries(n));
  fn(out).check();
  return out;
}
}  // namespace detail_technical
using detail_technical::outputs;

IndicatorSeries TechnicalIndicators::sma(PriceSpan close, int period) {
  return outputs(close.size(), 1, [&](std::vector<IndicatorSeries>& o) { return ind::sma(close, period, o[0]); })[0];
}
IndicatorSeries TechnicalIndicators::ema(PriceSpan close, int period) {
  return outputs(close.size(), 1, [&](std::vector<IndicatorSeries>& o) { return ind::ema(close, period, o[0]); })[0];
}
IndicatorSeries TechnicalIndicators::rsi(PriceSpan close, int period) {
  return outputs(close.size(), 1, [&](std::vector<IndicatorSeries>& o) { return ind::rsi(close, period, o[0]); })[0];
}
MacdResult TechnicalIndicators::macd(PriceSpan close, int fast, int slow, int signal) {
  auto o = outputs(close.size(), 3,
                   [&](std::vector<IndicatorSeries>& v) { return ind::macd(close, fast, slow, signal, v[0], v[1], v[2]); });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
BandsResult TechnicalIndicators::bollinger_bands(PriceSpan close, int period, double std) {
  auto o = outputs(close.size(), 5, [&](std::vector<IndicatorSeries>& v) {
    return ind::bollinger_bands(close, period, std, v[0], v[1], v[2], v[3], v[4]);
  });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2]), std::move(o[3]), std::move(o[4])};
}
IndicatorSeries TechnicalIndicators::atr(PriceSpan high, PriceSpan low, PriceSpan close, int period) {
  return outputs(close.size(), 1, [&](std::vector<IndicatorSeries>& o) { return ind::atr(high, low, close, period, o[0]); })[0];
}
StochasticResult TechnicalIndicators::stochastic(PriceSpan high, PriceSpan low, PriceSpan close, int period, int k_smooth,
                                                 int d_period) {
  auto o = outputs(close.size(), 3, [&](std::vector<IndicatorSeries>& v) {
    return ind::stochastic(high, low, close, period, k_smooth, d_period, v[0], v[1], v[2]);
  });
  return {std::move(o[1]), std::move(o[2]), std::move(o[0])};
}

namespace technical {
IndicatorSeries momentum::cci(PriceSpan high, PriceSpan low, PriceSpan close, int period) {
  return outputs(close.size(), 1, [&](std::vector<IndicatorSeries>& o) { return ind::cci(high, low, close, period, o[0]); })[0];
}
IndicatorSeries momentum::williams_r(PriceSpan high, PriceSpan low, PriceSpan close, int period) {
  return outputs(close.size(), 1,
                 [&](std::vector<IndicatorSeries>& o) { return ind::williams_r(high, low, close, period, o[0]); })[0];
}
AdxResult trend::adx(PriceSpan high, PriceSpan low, PriceSpan close, int period) {
  auto o = outputs(close.size(), 4,
                   [&](std::vector<IndicatorSeries>& v) { return ind::adx(high, low, close, period, v[0], v[1], v[2], v[3]); });
  return {std::move(o[3]), std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
SupertrendResult trend::supertrend(PriceSpan high, PriceSpan low, PriceSpan close, int period, double multiplier) {
  auto o = outputs(close.size(), 2, [&](std::vector<IndicatorSeries>& v) {
    return ind::supertrend(high, low, close, period, multiplier, v[0], v[1]);
  });
  return {std::move(o[0]), std::move(o[1])};
}
ChannelResult volatility::keltner_channels(PriceSpan high, PriceSpan low, PriceSpan close, int period, int atr_period,
                                           double multiplier) {
  auto o = outputs(close.size(), 3, [&](std::vector<IndicatorSeries>& v) {
    return ind::keltner(high, low, close, period, atr_period, multiplier, v[0], v[1], v[2]);
  });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
ChannelResult volatility::donchian_channels(PriceSpan high, PriceSpan low, int period) {
  auto o = outputs(high.size(), 3,
                   [&](std::vector<IndicatorSeries>& v) { return ind::donchian(high, low, period, v[0], v[1], v[2]); });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
IndicatorSeries volume::obv(PriceSpan close, PriceSpan vol) {
  return outputs(close.size(), 1, [&](std::vector<IndicatorSeries>& o) { return ind::obv(close, vol, o[0]); })[0];
}
IndicatorSeries volume::vwap(PriceSpan high, PriceSpan low, PriceSpan close, PriceSpan vol) {
  return vwap({}, high, low, close, vol, std::nullopt);
}
IndicatorSeries volume::vwap(std::span<const Timestamp> ts, PriceSpan high, PriceSpan low, PriceSpan close, PriceSpan vol,
                    std::optional<Timeframe> anchor) {
  return outputs(close.size(), 1,
                 [&](std::vector<IndicatorSeries>& o) { return ind::vwap(ts, high, low, close, vol, o[0], anchor); })[0];
}
IndicatorSeries volume::mfi(PriceSpan high, PriceSpan low, PriceSpan close, PriceSpan vol, int period) {
  return outputs(close.size(), 1,
                 [&](std::vector<IndicatorSeries>& o) { return ind::mfi(high, low, close, vol, period, o[0]); })[0];
}
}  // namespace technical

IchimokuCloud::IchimokuCloud(int tenkan, int kijun, int senkou_b, int displacement)
    : tenkan_(tenkan), kijun_(kijun), senkou_b_(senkou_b), displacement_(displacement) {
  (void)ind::Ichimoku(tenkan, kijun, senkou_b, displacement);  // validates now, throws on bad input
}

IchimokuResult IchimokuCloud::calculate(PriceSpan high, PriceSpan low, PriceSpan close) const {
  auto o = outputs(close.size(), 5, [&](std::vector<IndicatorSeries>& v) {
    return ind::ichimoku(high, low, close, tenkan_, kijun_, senkou_b_, displacement_, v[0], v[1], v[2], v[3], v[4]);
  });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2]), std::move(o[3]), std::move(o[4])};
}

}  // namespace tradeloop
