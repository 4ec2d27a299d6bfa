// Candlestick patterns (Nison 1991, "Japanese Candlestick Charting Techniques"), output as
// TA-Lib does: +100 bullish, −100 bearish, 0 none (doji and marubozu: +100 / ±100 by colour).
//
// "Long", "small" and "doji" are relative to the average body and range of the 10 bars before
// the current one (TA-Lib's default averaging period), so the first value is at index 10
// (lookback 10). The exact rules of each pattern are in docs/indicators.md; they follow
// Nison's definitions with TA-Lib-like thresholds but are not bit-identical to TA-Lib's CDL*
// functions (TA-Lib's candle settings differ per pattern).
#pragma once

#include <array>
#include <span>

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind {

enum class CandlePattern {
  kDoji,
  kHammer,
  kInvertedHammer,
  kHangingMan,
  kShootingStar,
  kEngulfing,
  kHarami,
  kPiercing,
  kDarkCloudCover,
  kMorningStar,
  kEveningStar,
  kThreeWhiteSoldiers,
  kThreeBlackCrows,
  kMarubozu,
};
inline constexpr int kCandlePatternCount = 14;
// Registry name without the "cdl_" prefix: "doji", "three_white_soldiers", ...
const char* to_string(CandlePattern p) noexcept;

class CandleDetector {
 public:
  static constexpr int kAvgPeriod = 10;
  explicit CandleDetector(CandlePattern pattern) : pattern_(pattern) {}
  double update(double open, double high, double low, double close) noexcept;
  int lookback() const noexcept { return kAvgPeriod; }
  void reset() noexcept {
    count_ = 0;
    pos_ = 0;
  }

 private:
  struct Candle {
    double o = 0, h = 0, l = 0, c = 0;
    double body = 0, range = 0;  // computed once when the bar arrives
  };
  // k = 0: current bar, 1: previous, ...
  const Candle& at(int k) const noexcept {
    int i = pos_ - 1 - k;  // pos_ = next slot; k < kSize
    if (i < 0) i += kSize;
    return bars_[static_cast<std::size_t>(i)];
  }
  double detect() const noexcept;
  static constexpr int kSize = kAvgPeriod + 1;
  CandlePattern pattern_;
  std::array<Candle, kSize> bars_{};
  long long count_ = 0;
  int pos_ = 0;
};

Status candle_pattern(std::span<const double> open, std::span<const double> high, std::span<const double> low,
                      std::span<const double> close, CandlePattern pattern, std::span<double> out);

}  // namespace tradeloop::ind
