// The guide's API over the batch functions.
#include "tradeloop/indicators/technical.hpp"

#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop {

namespace detail_technical {
// Allocates `k` outputs of the input's length, runs `fn` on them and throws on error.
template <class Fn>
std::vector<Series> outputs(std::size_t n, std::size_t k, Fn&& fn) {
  std::vector<Series> out(k, Series(n));
  fn(out).check();
  return out;
}
}  // namespace detail_technical
using detail_technical::outputs;

Series TechnicalIndicators::sma(Prices close, int period) {
  return outputs(close.size(), 1, [&](std::vector<Series>& o) { return ind::sma(close, period, o[0]); })[0];
}
Series TechnicalIndicators::ema(Prices close, int period) {
  return outputs(close.size(), 1, [&](std::vector<Series>& o) { return ind::ema(close, period, o[0]); })[0];
}
Series TechnicalIndicators::rsi(Prices close, int period) {
  return outputs(close.size(), 1, [&](std::vector<Series>& o) { return ind::rsi(close, period, o[0]); })[0];
}
MacdResult TechnicalIndicators::macd(Prices close, int fast, int slow, int signal) {
  auto o = outputs(close.size(), 3,
                   [&](std::vector<Series>& v) { return ind::macd(close, fast, slow, signal, v[0], v[1], v[2]); });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
BandsResult TechnicalIndicators::bollinger_bands(Prices close, int period, double std) {
  auto o = outputs(close.size(), 5, [&](std::vector<Series>& v) {
    return ind::bollinger_bands(close, period, std, v[0], v[1], v[2], v[3], v[4]);
  });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2]), std::move(o[3]), std::move(o[4])};
}
Series TechnicalIndicators::atr(Prices high, Prices low, Prices close, int period) {
  return outputs(close.size(), 1, [&](std::vector<Series>& o) { return ind::atr(high, low, close, period, o[0]); })[0];
}
StochasticResult TechnicalIndicators::stochastic(Prices high, Prices low, Prices close, int period, int k_smooth,
                                                 int d_period) {
  auto o = outputs(close.size(), 3, [&](std::vector<Series>& v) {
    return ind::stochastic(high, low, close, period, k_smooth, d_period, v[0], v[1], v[2]);
  });
  return {std::move(o[1]), std::move(o[2]), std::move(o[0])};
}

namespace technical {
Series momentum::cci(Prices high, Prices low, Prices close, int period) {
  return outputs(close.size(), 1, [&](std::vector<Series>& o) { return ind::cci(high, low, close, period, o[0]); })[0];
}
Series momentum::williams_r(Prices high, Prices low, Prices close, int period) {
  return outputs(close.size(), 1,
                 [&](std::vector<Series>& o) { return ind::williams_r(high, low, close, period, o[0]); })[0];
}
AdxResult trend::adx(Prices high, Prices low, Prices close, int period) {
  auto o = outputs(close.size(), 4,
                   [&](std::vector<Series>& v) { return ind::adx(high, low, close, period, v[0], v[1], v[2], v[3]); });
  return {std::move(o[3]), std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
SupertrendResult trend::supertrend(Prices high, Prices low, Prices close, int period, double multiplier) {
  auto o = outputs(close.size(), 2, [&](std::vector<Series>& v) {
    return ind::supertrend(high, low, close, period, multiplier, v[0], v[1]);
  });
  return {std::move(o[0]), std::move(o[1])};
}
ChannelResult volatility::keltner_channels(Prices high, Prices low, Prices close, int period, int atr_period,
                                           double multiplier) {
  auto o = outputs(close.size(), 3, [&](std::vector<Series>& v) {
    return ind::keltner(high, low, close, period, atr_period, multiplier, v[0], v[1], v[2]);
  });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
ChannelResult volatility::donchian_channels(Prices high, Prices low, int period) {
  auto o = outputs(high.size(), 3,
                   [&](std::vector<Series>& v) { return ind::donchian(high, low, period, v[0], v[1], v[2]); });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2])};
}
Series volume::obv(Prices close, Prices vol) {
  return outputs(close.size(), 1, [&](std::vector<Series>& o) { return ind::obv(close, vol, o[0]); })[0];
}
Series volume::vwap(Prices high, Prices low, Prices close, Prices vol) {
  return vwap({}, high, low, close, vol, std::nullopt);
}
Series volume::vwap(std::span<const Timestamp> ts, Prices high, Prices low, Prices close, Prices vol,
                    std::optional<Timeframe> anchor) {
  return outputs(close.size(), 1,
                 [&](std::vector<Series>& o) { return ind::vwap(ts, high, low, close, vol, o[0], anchor); })[0];
}
Series volume::mfi(Prices high, Prices low, Prices close, Prices vol, int period) {
  return outputs(close.size(), 1,
                 [&](std::vector<Series>& o) { return ind::mfi(high, low, close, vol, period, o[0]); })[0];
}
}  // namespace technical

IchimokuCloud::IchimokuCloud(int tenkan, int kijun, int senkou_b, int displacement)
    : tenkan_(tenkan), kijun_(kijun), senkou_b_(senkou_b), displacement_(displacement) {
  (void)ind::Ichimoku(tenkan, kijun, senkou_b, displacement);  // validates now, throws on bad input
}

IchimokuResult IchimokuCloud::calculate(Prices high, Prices low, Prices close) const {
  auto o = outputs(close.size(), 5, [&](std::vector<Series>& v) {
    return ind::ichimoku(high, low, close, tenkan_, kijun_, senkou_b_, displacement_, v[0], v[1], v[2], v[3], v[4]);
  });
  return {std::move(o[0]), std::move(o[1]), std::move(o[2]), std::move(o[3]), std::move(o[4])};
}

}  // namespace tradeloop
