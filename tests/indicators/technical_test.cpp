// The guide's API: the wrappers return what the batch functions compute.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop::ind::testing {
namespace {

TEST(GuideApi, WrappersMatchTheBatchFunctions) {
  const BarSeries s = random_series(300);
  const auto h = s.high(), l = s.low(), c = s.close(), v = s.volume();
  Col want(300);
  ASSERT_TRUE(rsi(c, 14, want).ok());
  const IndicatorSeries got = TechnicalIndicators::rsi(c);
  for (std::size_t i = 0; i < 300; ++i) EXPECT_TRUE(close_enough(got[i], want[i], 0));
  const auto [m, sig, hist] = TechnicalIndicators::macd(c);
  EXPECT_TRUE(std::isnan(m[24]));
  EXPECT_FALSE(std::isnan(m[25]));
  EXPECT_FALSE(std::isnan(hist[33]));
  const BandsResult bb = TechnicalIndicators::bollinger_bands(c, 20, 2.0);
  EXPECT_GT(bb.upper[50], bb.lower[50]);
  const StochasticResult st = TechnicalIndicators::stochastic(h, l, c);
  EXPECT_FALSE(std::isnan(st.d[17]));
  EXPECT_EQ(TechnicalIndicators::atr(h, l, c).size(), 300u);
  EXPECT_EQ(TechnicalIndicators::sma(c, 5).size(), 300u);
  EXPECT_EQ(TechnicalIndicators::ema(c, 5).size(), 300u);
  EXPECT_EQ(technical::momentum::cci(h, l, c).size(), 300u);
  EXPECT_LE(technical::momentum::williams_r(h, l, c)[100], 0.0);
  EXPECT_FALSE(std::isnan(technical::trend::adx(h, l, c).adx[27]));
  const SupertrendResult str = technical::trend::supertrend(h, l, c, 10, 3);
  EXPECT_TRUE(str.direction[9] == 1 || str.direction[9] == -1);
  EXPECT_EQ(technical::volatility::keltner_channels(h, l, c).middle.size(), 300u);
  EXPECT_EQ(technical::volatility::donchian_channels(h, l, 20).upper.size(), 300u);
  EXPECT_EQ(technical::volume::obv(c, v)[0], 0.0);
  EXPECT_FALSE(std::isnan(technical::volume::vwap(h, l, c, v)[0]));
  EXPECT_FALSE(std::isnan(technical::volume::mfi(h, l, c, v)[14]));
  const IchimokuResult ich = IchimokuCloud().calculate(h, l, c);
  EXPECT_FALSE(std::isnan(ich.senkou_span_b[77]));
  EXPECT_TRUE(std::isnan(ich.senkou_span_b[76]));
  EXPECT_EQ(ich.chikou_span[0], c[26]);
  EXPECT_TRUE(std::isnan(ich.chikou_span[299]));
  EXPECT_THROW(TechnicalIndicators::rsi(c, 0), Exception);
  EXPECT_THROW(IchimokuCloud(0), Exception);
}

}  // namespace
}  // namespace tradeloop::ind::testing
