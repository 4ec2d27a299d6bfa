// Hand-computed cases for every fill rule of docs/fills.md, including the known bugs of other
// engines (each test named after the rule it pins).
#include <gtest/gtest.h>

#include "sim/scripted.hpp"

namespace tradeloop::testing {
namespace {

const Order& order_of(const BacktestResult& r, OrderId id) { return r.orders.at(id - 1); }

TEST(FillRules, MarketOrderFillsAtNextOpen) {
  const BarSeries s = make_series({{100, 101, 99, 100.5}, {102, 103, 101, 102.5}, {103, 104, 102, 103}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 2)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].price, 102.0);  // bar 1's open, not bar 0's close
  EXPECT_EQ(r.fills[0].ts, s.timestamps()[1]);
  EXPECT_EQ(r.fills[0].bar_index, 1u);
  EXPECT_EQ(order_of(r, 1).status, OrderStatus::kFilled);
}

TEST(FillRules, FillAtCloseOptionFillsAtTheDecisionBarsClose) {
  const BarSeries s = make_series({{100, 101, 99, 100.5}, {102, 103, 101, 102.5}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 2)};
  BacktestConfig c = frictionless();
  c.strategy.fill = FillTiming::kClose;
  const auto r = run_script(s, st, c);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].price, 100.5);
  EXPECT_EQ(r.fills[0].bar_index, 0u);
  // Equity row of bar 0 already holds the position, marked at 100.5.
  EXPECT_DOUBLE_EQ(r.equity_curve[0].position_value, 201.0);
}

TEST(FillRules, PeerBugLimitNeverFillsInsideTheBarThatCreatedIt) {
  // Bar 0 trades down to 95; a buy limit at 96 decided on bar 0 must not use bar 0's low.
  const BarSeries s = make_series({{100, 100, 95, 99}, {99, 99.5, 97, 98}, {98, 98, 95.5, 97}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1, OrderType::kLimit, 96)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].bar_index, 2u);  // bar 1 never reaches 96; bar 2 does
  EXPECT_EQ(r.fills[0].price, 96.0);
  EXPECT_EQ(r.fills[0].liquidity, Liquidity::kMaker);
}

TEST(FillRules, LimitGapFillsAtTheOpen) {
  const BarSeries s = make_series({{100, 100, 99, 100}, {94, 95, 93, 94}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1, OrderType::kLimit, 96)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].price, 94.0);  // the better open price
  EXPECT_EQ(r.fills[0].liquidity, Liquidity::kTaker);  // marketable on arrival
}

TEST(FillRules, PeerBugGapThroughStopFillsAtTheOpenNotAtTheStop) {
  const BarSeries s = make_series({{100, 101, 99, 100}, {100, 101, 99.5, 100}, {90, 91, 88, 89}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1)};
  st.script[1] = {req(Side::kSell, 1, OrderType::kStop, 0, 95)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[1].price, 90.0);
  EXPECT_EQ(r.fills[1].bar_index, 2u);
}

TEST(FillRules, PeerBugStopTriggersOnTheFirstBarAfterSubmissionNotTheSecond) {
  const BarSeries s = make_series({{100, 101, 99, 100}, {100, 100.5, 94, 96}, {96, 97, 90, 91}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kSell, 1, OrderType::kStop, 0, 95)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].bar_index, 1u);
  EXPECT_EQ(r.fills[0].price, 95.0);
}

TEST(FillRules, PeerBugTriggeredStopLimitCanStillFillLaterInTheSameBar) {
  // Bar 1: O=100 H=106 L=98 C=103. Low is nearer (2 < 6): path 100 -> 98 -> 106 -> 103.
  // Buy stop 105 triggers on the way up to 106; the limit 104 fills on the way down to 103.
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 106, 98, 103}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1, OrderType::kStopLimit, 104, 105)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].bar_index, 1u);
  EXPECT_EQ(r.fills[0].price, 104.0);
}

TEST(FillRules, StopLimitTriggeredButUnfilledStaysALimitOnLaterBars) {
  // Bar 1 triggers (high 106 >= 105) but never comes back to 103.5; bar 2 trades down to 103.
  const BarSeries s = make_series({{100, 100, 100, 100}, {104, 106, 104, 105}, {105, 105, 103, 104}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1, OrderType::kStopLimit, 103.5, 105)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].bar_index, 2u);
  EXPECT_EQ(r.fills[0].price, 103.5);
}

OrderRequest bracket(double qty, double sl, double tp) {
  OrderRequest r = req(Side::kBuy, qty);
  r.stop_loss = sl;
  r.take_profit = tp;
  return r;
}

TEST(FillRules, PeerBugStopLossAndTakeProfitInOneBarAssumeTheStopFirst) {
  // Entry at bar 1's open (100); bar 2 spans both 95 and 105 with the high nearer to the open.
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}, {100, 105.5, 94, 100}});
  ScriptedStrategy st;
  st.script[0] = {bracket(1, 95, 105)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[1].price, 95.0);
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_reason, "stop_loss");
  EXPECT_DOUBLE_EQ(r.trades[0].pnl, -5.0);
  // The take-profit was cancelled by its OCO sibling.
  EXPECT_EQ(r.orders[2].tag, "take_profit");
  EXPECT_EQ(r.orders[2].status, OrderStatus::kCancelled);
}

TEST(FillRules, PathOptionUsesThePathOrderForStopLossAndTakeProfit) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}, {100, 105.5, 94, 100}});
  ScriptedStrategy st;
  st.script[0] = {bracket(1, 95, 105)};
  BacktestConfig c = frictionless();
  c.sim.priority = IntrabarPriority::kPath;
  const auto r = run_script(s, st, c);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[1].price, 105.0);  // high is nearer to the open: 100 -> 105.5 first
  EXPECT_EQ(r.trades[0].exit_reason, "take_profit");
}

TEST(FillRules, TakeProfitGappedAtTheOpenWinsEvenWithStopFirst) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}, {106, 107, 94, 100}});
  ScriptedStrategy st;
  st.script[0] = {bracket(1, 95, 105)};
  const auto r = run_script(s, st);
  EXPECT_EQ(r.fills[1].price, 106.0);  // known at the open, before anything else happened
  EXPECT_EQ(r.trades[0].exit_reason, "take_profit");
}

TEST(FillRules, BracketChildrenAreLiveFromTheEntryFillInTheSameBar) {
  // Entry fills at bar 1's open 100; bar 1 then falls to 94: the stop (95) fills in bar 1.
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 100.5, 94, 96}});
  ScriptedStrategy st;
  st.script[0] = {bracket(1, 95, 110)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[1].bar_index, 1u);
  EXPECT_EQ(r.fills[1].price, 95.0);
}

TEST(FillRules, BracketFractionsArePricedFromTheEntryFill) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {200, 201, 199, 200}, {200, 200, 150, 160}});
  ScriptedStrategy st;
  OrderRequest r0 = req(Side::kBuy, 1);
  r0.stop_loss_fraction = 0.1;  // 10 % below the 200 fill = 180
  st.script[0] = {r0};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.orders[1].stop_price, 180.0);
  EXPECT_EQ(r.fills[1].price, 180.0);
}

TEST(FillRules, TrailingStopFollowsThePathAndFillsAtTheTrailLevel) {
  // Submitted at bar 0 (close 100), trail 10 %. Bar 1 path 100 -> 100 -> 120 -> 115: best 120,
  // stop 108. Bar 2: O=115 H=116 L=107: high nearer, 115 -> 116 -> 107 crosses 108.
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 120, 100, 115}, {115, 116, 107, 110}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1)};
  st.on_bar = [](ScriptedStrategy& self, const Candle& c) {
    if (c.index != 0) return;
    OrderRequest t = req(Side::kSell, 1, OrderType::kTrailingStop);
    t.trail_pct = 0.10;
    t.reduce_only = true;
    self.submit(t);
  };
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[1].bar_index, 2u);
  EXPECT_DOUBLE_EQ(r.fills[1].price, 108.0);
}

TEST(FillRules, TrailingStopByAmountWithActivationPrice) {
  // Trail 5 once price reached 110. Bar 1 tops at 108 (not active); bar 2 reaches 112 then
  // falls to 105: stop 107.
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 108, 100, 104}, {104, 112, 104, 105}, {105, 105, 100, 101}});
  ScriptedStrategy st;
  st.on_bar = [](ScriptedStrategy& self, const Candle& c) {
    if (c.index != 0) return;
    OrderRequest t = req(Side::kSell, 1, OrderType::kTrailingStop);
    t.trail_amount = 5;
    t.activation_price = 110;
    self.submit(t);
  };
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  // Bar 2: O=104 H=112 L=104 C=105; low nearer (0 < 8): 104 -> 104 -> 112 -> 105. Activated at
  // 110, best 112, stop 107; the last segment 112 -> 105 crosses 107.
  EXPECT_EQ(r.fills[0].bar_index, 2u);
  EXPECT_DOUBLE_EQ(r.fills[0].price, 107.0);
}

TEST(FillRules, IocCancelsWhatDoesNotFillAtItsFirstMatch) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}, {95, 96, 90, 91}});
  ScriptedStrategy st;
  OrderRequest r0 = req(Side::kBuy, 1, OrderType::kLimit, 97);
  r0.tif = TimeInForce::kIoc;
  st.script[0] = {r0};
  const auto r = run_script(s, st);
  EXPECT_TRUE(r.fills.empty());
  EXPECT_EQ(r.orders[0].status, OrderStatus::kCancelled);
}

TEST(FillRules, FokNeedsTheWholeQuantityUnderTheParticipationCap) {
  const BarSeries s = make_series({{100, 100, 100, 100, 50}, {100, 101, 99, 100, 50}});
  ScriptedStrategy st;
  OrderRequest a = req(Side::kBuy, 10);
  a.tif = TimeInForce::kFok;
  OrderRequest b = req(Side::kBuy, 4);
  b.tif = TimeInForce::kFok;
  st.script[0] = {a, b};
  BacktestConfig c = frictionless();
  c.sim.participation = 0.1;  // 5 units per bar
  const auto r = run_script(s, st, c);
  EXPECT_EQ(r.orders[0].status, OrderStatus::kCancelled);
  EXPECT_EQ(r.orders[1].status, OrderStatus::kFilled);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].quantity, 4.0);
}

TEST(FillRules, ParticipationCapGivesPartialFillsOverSeveralBars) {
  const BarSeries s = make_series({{100, 100, 100, 100, 100}, {101, 101, 101, 101, 100}, {102, 102, 102, 102, 100},
                                   {103, 103, 103, 103, 100}, {104, 104, 104, 104, 100}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 25)};
  BacktestConfig c = frictionless();
  c.sim.participation = 0.1;  // 10 per bar
  const auto r = run_script(s, st, c);
  ASSERT_EQ(r.fills.size(), 3u);
  EXPECT_EQ(r.fills[0].quantity, 10.0);
  EXPECT_EQ(r.fills[0].price, 101.0);
  EXPECT_EQ(r.fills[1].quantity, 10.0);
  EXPECT_EQ(r.fills[1].price, 102.0);
  EXPECT_EQ(r.fills[2].quantity, 5.0);
  EXPECT_EQ(r.fills[2].price, 103.0);
  EXPECT_EQ(r.orders[0].status, OrderStatus::kFilled);
  EXPECT_DOUBLE_EQ(r.orders[0].avg_fill_price, (10 * 101.0 + 10 * 102.0 + 5 * 103.0) / 25);
  // The strategy saw the partial state.
  EXPECT_EQ(st.updates[1].second, OrderStatus::kPartiallyFilled);
}

TEST(FillRules, ReduceOnlyIsClippedToThePositionAndVoidWithoutOne) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 100, 100, 100}, {100, 100, 100, 100}, {100, 100, 100, 100}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 5)};
  OrderRequest ro = req(Side::kSell, 10);
  ro.reduce_only = true;
  st.script[1] = {ro};
  st.script[2] = {ro};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[1].quantity, 5.0);
  EXPECT_EQ(r.orders[2].status, OrderStatus::kCancelled);
  EXPECT_NE(r.orders[2].reject_reason.find("reduce"), std::string::npos);
}

TEST(FillRules, PostOnlyThatWouldTakeLiquidityIsCancelled) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}, {100, 101, 99, 100}});
  ScriptedStrategy st;
  OrderRequest a = req(Side::kBuy, 1, OrderType::kLimit, 105);  // marketable at the open
  a.post_only = true;
  OrderRequest b = req(Side::kBuy, 1, OrderType::kLimit, 99.5);  // rests, then fills as maker
  b.post_only = true;
  st.script[0] = {a, b};
  const auto r = run_script(s, st);
  EXPECT_EQ(r.orders[0].status, OrderStatus::kCancelled);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].order_id, 2u);
  EXPECT_EQ(r.fills[0].liquidity, Liquidity::kMaker);
}

TEST(FillRules, DayOrderExpiresAtTheNextUtcDate) {
  // Hourly bars from 22:00: the order placed at 22:00 is first matched at 23:00 and expires
  // before the 00:00 bar of the next day (which would have filled it).
  std::vector<Ohlcv> rows = {{100, 100, 100, 100}, {100, 100, 99, 100}, {100, 100, 90, 95}};
  BarSeries s("TEST/USD");
  const Timestamp t0 = kT0 - 2 * kNanosPerHour;
  for (std::size_t i = 0; i < rows.size(); ++i)
    s.push_back(Bar{t0 + static_cast<Timestamp>(i) * kNanosPerHour, rows[i].o, rows[i].h, rows[i].l, rows[i].c, 1000});
  ScriptedStrategy st;
  OrderRequest a = req(Side::kBuy, 1, OrderType::kLimit, 95);
  a.tif = TimeInForce::kDay;
  st.script[0] = {a};
  const auto r = run_script(s, st);
  EXPECT_TRUE(r.fills.empty());
  EXPECT_EQ(r.orders[0].status, OrderStatus::kExpired);
}

TEST(FillRules, SlippageModels) {
  const BarSeries s = make_series({{100, 100, 100, 100, 100}, {100, 100, 100, 100, 100}});
  auto run_with = [&](SlippageConfig sc, double tick, Side side) {
    ScriptedStrategy st;
    st.script[0] = {req(side, 10)};
    BacktestConfig c = frictionless();
    c.sim.slippage = sc;
    c.tick_size = tick;
    return run_script(s, st, c).fills.at(0).price;
  };
  EXPECT_DOUBLE_EQ(run_with({SlippageModel::kFraction, 0.001, 0, 0}, 0, Side::kBuy), 100.1);
  EXPECT_DOUBLE_EQ(run_with({SlippageModel::kFraction, 0.001, 0, 0}, 0, Side::kSell), 99.9);
  EXPECT_DOUBLE_EQ(run_with({SlippageModel::kTicks, 0, 2, 0}, 0.5, Side::kBuy), 101.0);
  // share = 10 / 100 = 0.1; impact 0.1 * 0.1^2 = 0.001 -> 100.1
  EXPECT_DOUBLE_EQ(run_with({SlippageModel::kVolumeShare, 0, 0, 0.1}, 0, Side::kBuy), 100.1);
  // Rounded to the tick against the trader: 100.1 -> 100.5 for a buy, 99.9 -> 99.5 for a sell.
  EXPECT_DOUBLE_EQ(run_with({SlippageModel::kFraction, 0.001, 0, 0}, 0.5, Side::kBuy), 100.5);
  EXPECT_DOUBLE_EQ(run_with({SlippageModel::kFraction, 0.001, 0, 0}, 0.5, Side::kSell), 99.5);
}

TEST(FillRules, LimitFillsNeverSlip) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 95, 97}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1, OrderType::kLimit, 96)};
  BacktestConfig c = frictionless();
  c.sim.slippage = SlippageConfig{SlippageModel::kFraction, 0.01, 0, 0};
  EXPECT_EQ(run_script(s, st, c).fills.at(0).price, 96.0);
}

TEST(FillRules, FeeModelsTakerMakerAndFixedPerOrder) {
  const BarSeries s = make_series({{100, 100, 100, 100, 100}, {100, 101, 95, 97, 100}, {97, 98, 96, 97, 100}, {97, 98, 96, 97, 100}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 10), req(Side::kBuy, 10, OrderType::kLimit, 96)};
  st.script[1] = {req(Side::kBuy, 8)};
  BacktestConfig c = frictionless();
  c.sim.fees = FeeConfig{0.001, 0.0002, 1.5};
  c.sim.participation = 0.05;  // 5 per bar: the third order fills in two parts
  const auto r = run_script(s, st, c);
  // Bar 1: market 5 @100 (taker, first fill: 0.5 + 1.5); the limit gets no volume left at 96.
  ASSERT_GE(r.fills.size(), 2u);
  EXPECT_DOUBLE_EQ(r.fills[0].fee, 0.001 * 5 * 100 + 1.5);
  // Bar 2: market rest 5 @97 (taker, not first: 0.485).
  EXPECT_DOUBLE_EQ(r.fills[1].fee, 0.001 * 5 * 97);
  EXPECT_EQ(r.fills[1].order_id, 1u);
  // Total fixed fees: one per order that filled at all.
  double fixed = 0;
  for (const auto& f : r.fills) fixed += f.fee - (f.liquidity == Liquidity::kMaker ? 0.0002 : 0.001) * f.quantity * f.price;
  std::size_t filled_orders = 0;
  for (const auto& o : r.orders) filled_orders += o.filled_quantity > 0;
  EXPECT_NEAR(fixed, 1.5 * static_cast<double>(filled_orders), 1e-9);
}

TEST(FillRules, MakerFeeForARestingLimit) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 95, 97}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 10, OrderType::kLimit, 96)};
  BacktestConfig c = frictionless();
  c.sim.fees = FeeConfig{0.001, 0.0002, 0};
  const auto r = run_script(s, st, c);
  EXPECT_DOUBLE_EQ(r.fills.at(0).fee, 0.0002 * 10 * 96);
}

TEST(FillRules, TickAndLotRounding) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1.27, OrderType::kLimit, 100.26), req(Side::kBuy, 0.05)};
  BacktestConfig c = frictionless();
  c.tick_size = 0.5;
  c.lot_size = 0.1;
  const auto r = run_script(s, st, c);
  EXPECT_DOUBLE_EQ(r.orders[0].quantity, 1.2);
  EXPECT_DOUBLE_EQ(r.orders[0].limit_price, 100.5);
  EXPECT_EQ(r.orders[1].status, OrderStatus::kRejected);  // 0.05 rounds to 0 lots
  EXPECT_NE(r.orders[1].reject_reason.find("lot size"), std::string::npos);
}

TEST(FillRules, MinNotionalRejects) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 0.05)};
  BacktestConfig c = frictionless();
  c.min_notional = 10;
  const auto r = run_script(s, st, c);
  EXPECT_EQ(r.orders[0].status, OrderStatus::kRejected);
}

TEST(FillRules, SeveralOrdersFillInPathOrder) {
  // Path 100 -> 96 -> 104 -> 101 (low nearer): the buy limit at 97 fills before the sell
  // limit at 103 even though the sell was submitted first.
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 104, 96, 101}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kSell, 1, OrderType::kLimit, 103), req(Side::kBuy, 1, OrderType::kLimit, 97)};
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[0].order_id, 2u);
  EXPECT_EQ(r.fills[1].order_id, 1u);
}

}  // namespace
}  // namespace tradeloop::testing

namespace tradeloop::testing {
namespace {

TEST(FillRules, ModifiedLimitFillsAtItsNewPrice) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 98, 99}, {99, 100, 96.5, 97}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1, OrderType::kLimit, 95)};
  st.on_bar = [](ScriptedStrategy& self, const Candle& c) {
    if (c.index == 1) self.kernel()->modify(self.ids.at(0), 0, 97, 0);
  };
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].bar_index, 2u);  // bar 1 reached 98 only
  EXPECT_EQ(r.fills[0].price, 97.0);
  EXPECT_EQ(r.orders[0].limit_price, 97.0);
}

TEST(FillRules, BuyTrailingStopCoversAShort) {
  // Short at bar 1's open (100); buy trailing 5 from the bar-0 close 100. Bar 1 path
  // 100 -> 100 -> 90 -> 92 (high nearer: 0 < 10): best 90, stop 95. Bar 2 O=92 H=96 L=91:
  // low nearer (1 < 4): 92 -> 91 (best stays 90) -> 96 crosses the stop 95 -> fill at 95.
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 100, 90, 92}, {92, 96, 91, 95}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kSell, 1)};
  st.on_bar = [](ScriptedStrategy& self, const Candle& c) {
    if (c.index != 0) return;
    OrderRequest t = req(Side::kBuy, 1, OrderType::kTrailingStop);
    t.trail_amount = 5;
    t.reduce_only = true;
    self.submit(t);
  };
  const auto r = run_script(s, st);
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[1].bar_index, 2u);
  EXPECT_DOUBLE_EQ(r.fills[1].price, 95.0);
  EXPECT_DOUBLE_EQ(r.trades.at(0).pnl, 5.0);
}

TEST(FillRules, DayOrderOnDailyBarsLivesForOneBar) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}, {100, 101, 90, 95}}, kNanosPerDay);
  ScriptedStrategy st;
  OrderRequest a = req(Side::kBuy, 1, OrderType::kLimit, 95);
  a.tif = TimeInForce::kDay;
  st.script[0] = {a};
  const auto r = run_script(s, st);
  EXPECT_TRUE(r.fills.empty());
  EXPECT_EQ(r.orders[0].status, OrderStatus::kExpired);
}

TEST(FillRules, MaxPositionsLimitsEntriesAcrossSymbols) {
  const BarSeries a = make_series({{10, 10, 10, 10}, {10, 10, 10, 10}, {10, 10, 10, 10}}, kNanosPerMinute, "A");
  const BarSeries b = make_series({{20, 20, 20, 20}, {20, 20, 20, 20}, {20, 20, 20, 20}}, kNanosPerMinute, "B");
  class BuyEverything : public RealtimeStrategy {
    void on_candle(const Candle& c) override { apply_signal(Signal::kBuy, c); }
  };
  BacktestConfig c = frictionless();
  c.strategy.max_positions = 1;
  c.strategy.sizing = Sizing::kUnits;
  Backtest bt(c);
  bt.add_data(a).add_data(b);
  BuyEverything s;
  const auto r = bt.run(s).value();
  // Bar 0: A signals first and sends its entry; B then sees A's working entry and stays out
  // (working entries count toward max_positions like positions).
  std::size_t entries = 0;
  for (const auto& o : r.orders) entries += !o.reduce_only;
  EXPECT_EQ(entries, 1u);
  EXPECT_EQ(r.orders.at(0).symbol, "A");
  EXPECT_EQ(r.equity_curve.size(), 3u);  // one row per timestamp, not per symbol-bar
}

}  // namespace
}  // namespace tradeloop::testing
