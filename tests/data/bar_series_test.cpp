#include "tradeloop/data/bar_series.hpp"

#include <gtest/gtest.h>

#include "tradeloop/data/instrument.hpp"

namespace tradeloop {
namespace {

TEST(BarSeries, ColumnsStayAligned) {
  BarSeries s("BTC/USDT");
  for (int i = 0; i < 5; ++i) s.push_back(Bar{i * kNanosPerMinute, 1.0 + i, 2.0 + i, 0.5 + i, 1.5 + i, 10.0 * i});
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s.bar(2), (Bar{2 * kNanosPerMinute, 3, 4, 2.5, 3.5, 20}));
  EXPECT_TRUE(s.set_column("rsi", std::vector<double>(5, 50.0)).ok());
  EXPECT_FALSE(s.set_column("short", std::vector<double>(4, 0.0)).ok());
  EXPECT_EQ((*s.column("rsi"))[4], 50.0);
  EXPECT_EQ((*s.column("close"))[0], 1.5);
  EXPECT_FALSE(s.column("nope").ok());
  s.push_back(Bar{5 * kNanosPerMinute, 1, 1, 1, 1, 1});
  EXPECT_EQ(s.column("rsi")->size(), 6u);
  BarSeries part = s.slice(1, 3);
  EXPECT_EQ(part.size(), 2u);
  EXPECT_EQ(part.front().ts, kNanosPerMinute);
  EXPECT_EQ(part.column("rsi")->size(), 2u);
  EXPECT_EQ(s.typical_step(), kNanosPerMinute);
  EXPECT_EQ(s.lower_bound(2 * kNanosPerMinute + 1), 3u);
  EXPECT_TRUE(s.same_data(s.slice(0, 6)));
  EXPECT_FALSE(s.same_data(part));
}

TEST(Instrument, RoundsToTickAndLot) {
  Instrument ins = guess_instrument("BTC/USDT");
  EXPECT_EQ(ins.asset_class, AssetClass::kCrypto);
  EXPECT_EQ(ins.quote_currency, "USDT");
  ins.tick_size = 0.01;
  ins.lot_size = 0.001;
  EXPECT_DOUBLE_EQ(ins.round_price(42000.123), 42000.12);
  EXPECT_DOUBLE_EQ(ins.round_price(42000.125), 42000.13);
  EXPECT_DOUBLE_EQ(ins.round_quantity(0.0129), 0.012);
  EXPECT_DOUBLE_EQ(ins.round_quantity(-0.0129), -0.012);
  Instrument lots;
  lots.lot_size = 0.1;
  EXPECT_DOUBLE_EQ(lots.round_quantity(0.3), 0.3);
  EXPECT_EQ(guess_instrument("EUR/USD").asset_class, AssetClass::kFx);
  EXPECT_EQ(guess_instrument("AAPL").asset_class, AssetClass::kEquity);
}

}  // namespace
}  // namespace tradeloop
