// The user guide's indicator API (§4.2, §4.3) in C++: thin wrappers over the batch functions
// that return std::vector (or small structs of vectors), NaN in the warm-up, with the guide's
// default parameters. Bad parameters throw tradeloop::Exception(kInvalidArgument).
//
//   auto rsi = tradeloop::TechnicalIndicators::rsi(series.close(), 14);
//   auto [macd, signal, hist] = tradeloop::TechnicalIndicators::macd(series.close(), 12, 26, 9);
//   auto kc = tradeloop::technical::volatility::keltner_channels(high, low, close);
//   auto cloud = tradeloop::IchimokuCloud().calculate(high, low, close);
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "tradeloop/core/time.hpp"
#include "tradeloop/core/timeframe.hpp"

namespace tradeloop {

using IndicatorSeries = std::vector<double>;
using PriceSpan = std::span<const double>;

struct MacdResult {
  IndicatorSeries macd, signal, hist;
};
struct BandsResult {
  IndicatorSeries upper, middle, lower, pctb, width;
};
struct ChannelResult {
  IndicatorSeries upper, middle, lower;
};
struct StochasticResult {
  IndicatorSeries k, d, fast_k;  // k = slow %K
};
struct AdxResult {
  IndicatorSeries adx, plus_di, minus_di, dx;
};
struct SupertrendResult {
  IndicatorSeries value, direction;  // direction +1 bullish, −1 bearish
};

class TechnicalIndicators {
 public:
  static IndicatorSeries sma(PriceSpan close, int period = 20);
  static IndicatorSeries ema(PriceSpan close, int period = 20);
  static IndicatorSeries rsi(PriceSpan close, int period = 14);
  static MacdResult macd(PriceSpan close, int fast = 12, int slow = 26, int signal = 9);
  // `std` is the band width in standard deviations (the guide's name for k).
  static BandsResult bollinger_bands(PriceSpan close, int period = 20, double std = 2.0);
  static IndicatorSeries atr(PriceSpan high, PriceSpan low, PriceSpan close, int period = 14);
  // %K over `period` bars smoothed by `k_smooth`, %D = SMA(`d_period`) of it.
  static StochasticResult stochastic(PriceSpan high, PriceSpan low, PriceSpan close, int period = 14, int k_smooth = 3,
                                     int d_period = 3);
};

namespace technical {
namespace momentum {
IndicatorSeries cci(PriceSpan high, PriceSpan low, PriceSpan close, int period = 20);
IndicatorSeries williams_r(PriceSpan high, PriceSpan low, PriceSpan close, int period = 14);
}  // namespace momentum
namespace trend {
AdxResult adx(PriceSpan high, PriceSpan low, PriceSpan close, int period = 14);
SupertrendResult supertrend(PriceSpan high, PriceSpan low, PriceSpan close, int period = 10, double multiplier = 3.0);
}  // namespace trend
namespace volatility {
ChannelResult keltner_channels(PriceSpan high, PriceSpan low, PriceSpan close, int period = 20, int atr_period = 10,
                               double multiplier = 2.0);
ChannelResult donchian_channels(PriceSpan high, PriceSpan low, int period = 20);
}  // namespace volatility
namespace volume {
IndicatorSeries obv(PriceSpan close, PriceSpan volume);
// Cumulative from the first bar; with `anchor` (and one timestamp per bar) reset per period.
IndicatorSeries vwap(PriceSpan high, PriceSpan low, PriceSpan close, PriceSpan volume);
IndicatorSeries vwap(std::span<const Timestamp> ts, PriceSpan high, PriceSpan low, PriceSpan close, PriceSpan volume,
            std::optional<Timeframe> anchor);
IndicatorSeries mfi(PriceSpan high, PriceSpan low, PriceSpan close, PriceSpan volume, int period = 14);
}  // namespace volume
}  // namespace technical

struct IchimokuResult {
  IndicatorSeries tenkan_sen, kijun_sen, senkou_span_a, senkou_span_b, chikou_span;
};

// Ichimoku cloud with TradingView's defaults (9, 26, 52, 26); see ind::Ichimoku.
class IchimokuCloud {
 public:
  explicit IchimokuCloud(int tenkan = 9, int kijun = 26, int senkou_b = 52, int displacement = 26);
  IchimokuResult calculate(PriceSpan high, PriceSpan low, PriceSpan close) const;

 private:
  int tenkan_, kijun_, senkou_b_, displacement_;
};

}  // namespace tradeloop
