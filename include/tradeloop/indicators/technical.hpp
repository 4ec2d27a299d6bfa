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

using Series = std::vector<double>;
using Prices = std::span<const double>;

struct MacdResult {
  Series macd, signal, hist;
};
struct BandsResult {
  Series upper, middle, lower, pctb, width;
};
struct ChannelResult {
  Series upper, middle, lower;
};
struct StochasticResult {
  Series k, d, fast_k;  // k = slow %K
};
struct AdxResult {
  Series adx, plus_di, minus_di, dx;
};
struct SupertrendResult {
  Series value, direction;  // direction +1 bullish, −1 bearish
};

class TechnicalIndicators {
 public:
  static Series sma(Prices close, int period = 20);
  static Series ema(Prices close, int period = 20);
  static Series rsi(Prices close, int period = 14);
  static MacdResult macd(Prices close, int fast = 12, int slow = 26, int signal = 9);
  // `std` is the band width in standard deviations (the guide's name for k).
  static BandsResult bollinger_bands(Prices close, int period = 20, double std = 2.0);
  static Series atr(Prices high, Prices low, Prices close, int period = 14);
  // %K over `period` bars smoothed by `k_smooth`, %D = SMA(`d_period`) of it.
  static StochasticResult stochastic(Prices high, Prices low, Prices close, int period = 14, int k_smooth = 3,
                                     int d_period = 3);
};

namespace technical {
namespace momentum {
Series cci(Prices high, Prices low, Prices close, int period = 20);
Series williams_r(Prices high, Prices low, Prices close, int period = 14);
}  // namespace momentum
namespace trend {
AdxResult adx(Prices high, Prices low, Prices close, int period = 14);
SupertrendResult supertrend(Prices high, Prices low, Prices close, int period = 10, double multiplier = 3.0);
}  // namespace trend
namespace volatility {
ChannelResult keltner_channels(Prices high, Prices low, Prices close, int period = 20, int atr_period = 10,
                               double multiplier = 2.0);
ChannelResult donchian_channels(Prices high, Prices low, int period = 20);
}  // namespace volatility
namespace volume {
Series obv(Prices close, Prices volume);
// Cumulative from the first bar; with `anchor` (and one timestamp per bar) reset per period.
Series vwap(Prices high, Prices low, Prices close, Prices volume);
Series vwap(std::span<const Timestamp> ts, Prices high, Prices low, Prices close, Prices volume,
            std::optional<Timeframe> anchor);
Series mfi(Prices high, Prices low, Prices close, Prices volume, int period = 14);
}  // namespace volume
}  // namespace technical

struct IchimokuResult {
  Series tenkan_sen, kijun_sen, senkou_span_a, senkou_span_b, chikou_span;
};

// Ichimoku cloud with TradingView's defaults (9, 26, 52, 26); see ind::Ichimoku.
class IchimokuCloud {
 public:
  explicit IchimokuCloud(int tenkan = 9, int kijun = 26, int senkou_b = 52, int displacement = 26);
  IchimokuResult calculate(Prices high, Prices low, Prices close) const;

 private:
  int tenkan_, kijun_, senkou_b_, displacement_;
};

}  // namespace tradeloop
