// Spec parsing, column naming and the BarSeries path of the registry; candlestick patterns on
// hand-made bars.
#include <gtest/gtest.h>

#include <set>

#include "harness.hpp"
#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop::ind::testing {
namespace {

TEST(Spec, ParsesPositionalNamedAndDefaults) {
  auto rsi = parse_spec("rsi(14)");
  ASSERT_TRUE(rsi.ok()) << rsi.error().message;
  EXPECT_EQ(rsi->params.get_int("period"), 14);
  EXPECT_EQ(rsi->column_names(), std::vector<std::string>{"rsi(14)"});

  auto macd = parse_spec("  macd(12,26,9) ");
  ASSERT_TRUE(macd.ok());
  EXPECT_EQ(macd->column_names(),
            (std::vector<std::string>{"macd(12,26,9).macd", "macd(12,26,9).signal", "macd(12,26,9).hist"}));
  EXPECT_EQ(macd->params.get_string("seed"), "sma");

  auto bb = parse_spec("bbands(period=20,k=2)");
  ASSERT_TRUE(bb.ok());
  EXPECT_EQ(bb->params.get_double("k"), 2.0);
  EXPECT_EQ(bb->column_names().front(), "bbands(period=20,k=2).upper");

  auto bare = parse_spec("atr");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->params.get_int("period"), 14);
  auto mixed = parse_spec("ema(50, seed=first)");
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->params.get_string("seed"), "first");
  EXPECT_TRUE(parse_spec("RSI(7)").ok());
}

TEST(Spec, ErrorsAreClearOneLiners) {
  const auto msg = [](std::string_view s) {
    auto r = parse_spec(s);
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_NE(msg("rsx(14)").find("unknown indicator 'rsx'"), std::string::npos);
  EXPECT_NE(msg("rsi(14,3)").find("rsi takes 1 parameter (period)"), std::string::npos) << msg("rsi(14,3)");
  EXPECT_NE(msg("rsi(0)").find("out of range"), std::string::npos) << msg("rsi(0)");
  EXPECT_NE(msg("rsi(-3)").find("out of range"), std::string::npos);
  EXPECT_NE(msg("rsi(14.5)").find("whole number"), std::string::npos) << msg("rsi(14.5)");
  EXPECT_NE(msg("bbands(perod=20)").find("unknown parameter 'perod'"), std::string::npos) << msg("bbands(perod=20)");
  EXPECT_NE(msg("macd(26,12,9)").find("fast (26) must be < slow (12)"), std::string::npos) << msg("macd(26,12,9)");
  EXPECT_NE(msg("rsi(14").find("missing ')'"), std::string::npos);
  EXPECT_NE(msg("ema(seed=first, 20)").find("after a named one"), std::string::npos);
  EXPECT_NE(msg("ema(seed=median)").find("not a valid choice"), std::string::npos) << msg("ema(seed=median)");
  EXPECT_NE(msg("rsi(abc)").find("not a number"), std::string::npos);
  EXPECT_NE(msg("").find("empty"), std::string::npos);
}

TEST(Spec, AddsColumnsToABarSeries) {
  BarSeries s = random_series(200);
  ASSERT_TRUE(add_indicator(s, "rsi(14)").ok());
  ASSERT_TRUE(add_indicator(s, "macd(12,26,9)").ok());
  ASSERT_TRUE(add_indicator(s, "bbands(period=20,k=2)").ok());
  EXPECT_TRUE(s.has_column("rsi(14)"));
  EXPECT_TRUE(s.has_column("macd(12,26,9).signal"));
  EXPECT_TRUE(s.has_column("bbands(period=20,k=2).width"));
  Col direct(200);
  ASSERT_TRUE(rsi(s.close(), 14, direct).ok());
  const auto col = s.column("rsi(14)").value();
  for (std::size_t i = 0; i < 200; ++i) EXPECT_TRUE(close_enough(col[i], direct[i], 0));
  // Longer than the data, and a missing input column.
  const Status too_long = add_indicator(s, "sma(500)");
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().message.find("needs at least 500 bars, the data has 200"), std::string::npos)
      << too_long.error().message;
  BarSeries plain = s.slice(0, 50);
  BarSeries no_bench("X");
  for (std::size_t i = 0; i < 50; ++i) no_bench.push_back(plain.bar(i));
  const Status missing = add_indicator(no_bench, "correl(10)");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("needs a column 'benchmark'"), std::string::npos) << missing.error().message;
}

TEST(Spec, AnchoredVwapRestartsEachDay) {
  BarSeries s("V");
  // Two days of hourly bars at 100 then 200: the anchored VWAP restarts at midnight UTC.
  for (int i = 0; i < 48; ++i) {
    const double p = i < 24 ? 100 : 200;
    s.push_back(Bar{1704067200LL * kNanosPerSecond + i * kNanosPerHour, p, p, p, p, 10});
  }
  ASSERT_TRUE(add_indicator(s, "vwap(anchor=1d)").ok());
  ASSERT_TRUE(add_indicator(s, "vwap").ok());
  EXPECT_EQ(s.column("vwap(anchor=1d)").value()[24], 200.0);
  EXPECT_EQ(s.column("vwap").value()[47], 150.0);
}

TEST(Registry, ListsEveryEntryWithDefaultsAndLookback) {
  std::set<std::string> names;
  for (const auto& info : registry()) {
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate " << info.name;
    EXPECT_FALSE(info.outputs.empty());
    EXPECT_FALSE(info.inputs.empty());
    auto p = resolve_params(info.params, {}, info.name);
    ASSERT_TRUE(p.ok()) << info.name;
    for (const auto& ps : info.params) EXPECT_TRUE(ps.validate(ps.default_value).ok()) << info.name << "." << ps.name;
    EXPECT_GE(info.lookback(p.value()), 0);
  }
}

// ---- candlestick patterns on hand-made bars ----
struct Ohlc {
  double o, h, l, c;
};

// Ten quiet bars (body 1, range 2) drifting `trend` per bar, then the pattern bars.
double detect(CandlePattern p, std::vector<Ohlc> pattern, double trend = 0) {
  CandleDetector d(p);
  double last = 0;
  double base = 100 - 12 * trend;
  for (int i = 0; i < 10; ++i, base += trend) last = d.update(base, base + 1.5, base - 0.5, base + (i % 2 ? 1 : -1) * 1.0);
  for (const Ohlc& b : pattern) last = d.update(b.o, b.h, b.l, b.c);
  return last;
}

TEST(Candles, EachPatternFiresOnItsTextbookShape) {
  EXPECT_EQ(detect(CandlePattern::kDoji, {{100, 101, 99, 100.05}}), 100);
  EXPECT_EQ(detect(CandlePattern::kDoji, {{100, 101, 99, 101}}), 0);
  // Hammer after a decline, hanging man after a rise: same shape.
  const Ohlc hammer{90, 90.6, 87, 90.5};
  EXPECT_EQ(detect(CandlePattern::kHammer, {hammer}, -1), 100);
  EXPECT_EQ(detect(CandlePattern::kHammer, {hammer}, +1), 0);
  const Ohlc hanging{110, 110.6, 107, 110.5};
  EXPECT_EQ(detect(CandlePattern::kHangingMan, {hanging}, +1), -100);
  const Ohlc star{110, 113.5, 109.95, 110.5};
  EXPECT_EQ(detect(CandlePattern::kShootingStar, {star}, +1), -100);
  EXPECT_EQ(detect(CandlePattern::kInvertedHammer, {{90, 93.5, 89.95, 90.5}}, -1), 100);
  EXPECT_EQ(detect(CandlePattern::kEngulfing, {{101, 101.2, 99.8, 100}, {99.8, 101.6, 99.7, 101.5}}), 100);
  EXPECT_EQ(detect(CandlePattern::kEngulfing, {{100, 101.2, 99.8, 101}, {101.2, 101.3, 99.5, 99.6}}), -100);
  EXPECT_EQ(detect(CandlePattern::kHarami, {{103, 103.2, 99.8, 100}, {101, 101.6, 100.9, 101.3}}), 100);
  EXPECT_EQ(detect(CandlePattern::kHarami, {{100, 103.2, 99.8, 103}, {101.5, 101.9, 101.2, 101.7}}), -100);
  EXPECT_EQ(detect(CandlePattern::kPiercing, {{103, 103.1, 99.9, 100}, {99.5, 102.2, 99.4, 102}}), 100);
  EXPECT_EQ(detect(CandlePattern::kDarkCloudCover, {{100, 103.1, 99.9, 103}, {103.5, 103.6, 100.9, 101}}), -100);
  EXPECT_EQ(detect(CandlePattern::kMorningStar,
                   {{104, 104.1, 99.9, 100}, {99.2, 99.5, 98.8, 99.3}, {99.6, 102.5, 99.5, 102.3}}),
            100);
  EXPECT_EQ(detect(CandlePattern::kEveningStar,
                   {{100, 104.1, 99.9, 104}, {104.7, 105, 104.5, 104.8}, {104.4, 104.5, 101.5, 101.7}}),
            -100);
  EXPECT_EQ(detect(CandlePattern::kThreeWhiteSoldiers,
                   {{100, 101.6, 99.9, 101.5}, {101, 102.6, 100.9, 102.5}, {102, 103.6, 101.9, 103.5}}),
            100);
  EXPECT_EQ(detect(CandlePattern::kThreeBlackCrows,
                   {{103.5, 103.6, 101.9, 102}, {102.5, 102.6, 100.9, 101}, {101.5, 101.6, 99.9, 100}}),
            -100);
  EXPECT_EQ(detect(CandlePattern::kMarubozu, {{100, 103, 100, 103}}), 100);
  EXPECT_EQ(detect(CandlePattern::kMarubozu, {{103, 103, 100, 100}}), -100);
  // A plain bar fires nothing (except doji, which it is not).
  for (int k = 0; k < kCandlePatternCount; ++k)
    EXPECT_EQ(detect(static_cast<CandlePattern>(k), {{100, 101.5, 99.5, 101}}), 0) << to_string(static_cast<CandlePattern>(k));
}

}  // namespace
}  // namespace tradeloop::ind::testing
