// Kernel-level tests: SHA-256 vectors, the order state machine, portfolio accounting (long,
// short, flips, fees), OMS checks (margin, shorting, validation), contingent orders.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "sim/scripted.hpp"
#include "tradeloop/engine/historical_feed.hpp"
#include "tradeloop/engine/kernel.hpp"
#include "tradeloop/engine/portfolio.hpp"

namespace tradeloop::testing {
namespace {

TEST(Sha256, NistVectors) {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf" / "SHA2_Additional.pdf").
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(OrderStateMachine, LegalAndIllegalTransitions) {
  using S = OrderStatus;
  EXPECT_TRUE(is_legal_transition(S::kNew, S::kAccepted));
  EXPECT_TRUE(is_legal_transition(S::kNew, S::kRejected));
  EXPECT_TRUE(is_legal_transition(S::kAccepted, S::kPartiallyFilled));
  EXPECT_TRUE(is_legal_transition(S::kPartiallyFilled, S::kPartiallyFilled));
  EXPECT_TRUE(is_legal_transition(S::kPartiallyFilled, S::kFilled));
  EXPECT_TRUE(is_legal_transition(S::kAccepted, S::kExpired));
  EXPECT_FALSE(is_legal_transition(S::kNew, S::kFilled));
  EXPECT_FALSE(is_legal_transition(S::kAccepted, S::kAccepted));
  EXPECT_FALSE(is_legal_transition(S::kAccepted, S::kRejected));
  for (S terminal : {S::kFilled, S::kCancelled, S::kRejected, S::kExpired})
    for (S to : {S::kNew, S::kAccepted, S::kPartiallyFilled, S::kFilled, S::kCancelled, S::kRejected, S::kExpired})
      EXPECT_FALSE(is_legal_transition(terminal, to)) << to_string(terminal) << " -> " << to_string(to);
}

// A venue that misbehaves: reports a fill for an order it already cancelled.
class RogueVenue final : public Venue {
 public:
  void set_listener(VenueListener* l) noexcept override { l_ = l; }
  void submit(const Order& o) override {
    l_->on_order_update(OrderUpdate{o.id, OrderStatus::kAccepted, o.created_ts, ""});
    l_->on_order_update(OrderUpdate{o.id, OrderStatus::kCancelled, o.created_ts, ""});
    Fill f;
    f.order_id = o.id;
    f.quantity = o.quantity;
    f.price = 100;
    f.symbol_id = o.symbol_id;
    l_->on_fill(f);
  }
  void cancel(OrderId) override {}
  void modify(OrderId, double, double, double) override {}

 private:
  VenueListener* l_ = nullptr;
};

TEST(OrderStateMachine, KernelRejectsAnIllegalTransitionFromTheVenue) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 100, 100, 100}});
  HistoricalClock clock;
  HistoricalFeed feed({&s});
  Portfolio pf(1000, {Instrument{}});
  RogueVenue venue;
  Kernel k(clock, feed, venue, pf, KernelConfig{});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 1)};
  k.set_strategy(&st);
  try {
    k.run();
    FAIL() << "expected an exception";
  } catch (const Exception& e) {
    EXPECT_NE(std::string(e.what()).find("illegal transition from cancelled to filled"), std::string::npos) << e.what();
  }
}

Fill fill(Side side, double qty, double price, double fee = 0, std::size_t bar = 0) {
  Fill f;
  f.side = side;
  f.quantity = qty;
  f.price = price;
  f.fee = fee;
  f.bar_index = bar;
  f.symbol = "X";
  return f;
}

TEST(Portfolio, LongRoundTripWithFees) {
  Portfolio pf(10000, {Instrument{}});
  pf.apply_fill(fill(Side::kBuy, 10, 100, 1.0, 1), "signal");
  pf.mark(0, 105);
  EXPECT_DOUBLE_EQ(pf.cash(), 10000 - 1000 - 1);
  EXPECT_DOUBLE_EQ(pf.equity(), 10000 - 1 + 50);
  EXPECT_DOUBLE_EQ(pf.unrealized_pnl(0), 50);
  pf.apply_fill(fill(Side::kSell, 10, 110, 1.1, 4), "take_profit");
  EXPECT_DOUBLE_EQ(pf.cash(), 10000 - 1000 - 1 + 1100 - 1.1);
  EXPECT_DOUBLE_EQ(pf.position(0).realized_pnl, 100);
  ASSERT_EQ(pf.trades().size(), 1u);
  const Trade& t = pf.trades()[0];
  EXPECT_FALSE(t.is_open);
  EXPECT_DOUBLE_EQ(t.pnl, 100 - 2.1);
  EXPECT_DOUBLE_EQ(t.fees, 2.1);
  EXPECT_DOUBLE_EQ(t.return_pct, (100 - 2.1) / 1000 * 100);
  EXPECT_EQ(t.bars_held, 3);
  EXPECT_EQ(t.exit_reason, "take_profit");
}

TEST(Portfolio, PeerBugShortProfitIsAGainOfCashNotALoss) {
  // Short 10 at 100, cover at 90: +100. The guide's original code booked it as -100.
  Portfolio pf(10000, {Instrument{}});
  pf.apply_fill(fill(Side::kSell, 10, 100), "signal");
  EXPECT_DOUBLE_EQ(pf.cash(), 11000);  // proceeds of the short sale
  pf.mark(0, 95);
  EXPECT_DOUBLE_EQ(pf.position_value(), -950);
  EXPECT_DOUBLE_EQ(pf.equity(), 10050);
  EXPECT_DOUBLE_EQ(pf.unrealized_pnl(0), 50);
  EXPECT_DOUBLE_EQ(pf.margin_used(), 950);  // gross exposure / max_leverage 1
  EXPECT_EQ(pf.open_positions(), 1u);
  pf.apply_fill(fill(Side::kBuy, 10, 90), "signal");
  EXPECT_EQ(pf.open_positions(), 0u);
  EXPECT_DOUBLE_EQ(pf.cash(), 10100);
  EXPECT_DOUBLE_EQ(pf.equity(), 10100);
  EXPECT_EQ(pf.trades()[0].side, Side::kSell);
  EXPECT_DOUBLE_EQ(pf.trades()[0].pnl, 100);
}

TEST(Portfolio, AveragePricePartialExitAndFlip) {
  Portfolio pf(10000, {Instrument{}});
  pf.apply_fill(fill(Side::kBuy, 10, 100), "signal");
  pf.apply_fill(fill(Side::kBuy, 10, 110), "signal");
  EXPECT_DOUBLE_EQ(pf.position(0).avg_price, 105);
  pf.apply_fill(fill(Side::kSell, 5, 120), "signal");  // partial: +75 realised
  EXPECT_DOUBLE_EQ(pf.position(0).realized_pnl, 75);
  EXPECT_DOUBLE_EQ(pf.position(0).quantity, 15);
  EXPECT_DOUBLE_EQ(pf.position(0).avg_price, 105);
  pf.apply_fill(fill(Side::kSell, 20, 100, 2.0), "signal");  // closes 15 (-75), opens short 5
  EXPECT_DOUBLE_EQ(pf.position(0).quantity, -5);
  EXPECT_DOUBLE_EQ(pf.position(0).avg_price, 100);
  ASSERT_EQ(pf.trades().size(), 2u);
  EXPECT_DOUBLE_EQ(pf.trades()[0].quantity, 20);
  EXPECT_DOUBLE_EQ(pf.trades()[0].entry_price, 105);
  EXPECT_DOUBLE_EQ(pf.trades()[0].exit_price, (5 * 120 + 15 * 100) / 20.0);
  EXPECT_DOUBLE_EQ(pf.trades()[0].pnl, 0 - 1.5);  // 75 - 75, minus 15/20 of the 2.0 fee
  EXPECT_TRUE(pf.trades()[1].is_open);
  EXPECT_DOUBLE_EQ(pf.trades()[1].fees, 0.5);
  EXPECT_DOUBLE_EQ(pf.cash(), 10000 - 1000 - 1100 + 600 + 2000 - 2);
}

TEST(Portfolio, MultiplierScalesMoney) {
  Instrument fut;
  fut.multiplier = 50;
  Portfolio pf(100000, {fut});
  pf.apply_fill(fill(Side::kBuy, 2, 4000), "signal");
  pf.mark(0, 4010);
  EXPECT_DOUBLE_EQ(pf.unrealized_pnl(0), 2 * 10 * 50);
  EXPECT_DOUBLE_EQ(pf.equity(), 100000 + 1000);
}

TEST(Oms, ShortSellingNeedsAllowShort) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 100, 100, 100}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kSell, 1)};
  BacktestConfig c = frictionless();
  c.strategy.allow_short = false;
  const auto r = run_script(s, st, c);
  EXPECT_EQ(r.orders[0].status, OrderStatus::kRejected);
  EXPECT_NE(r.orders[0].reject_reason.find("allow_short"), std::string::npos);
}

TEST(Oms, LeverageLimitRejectsOversizedOrders) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 100, 100, 100}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 150), req(Side::kBuy, 90)};
  BacktestConfig c = frictionless();
  c.strategy.initial_capital = 10000;
  const auto r = run_script(s, st, c);
  EXPECT_EQ(r.orders[0].status, OrderStatus::kRejected);  // 15000 > 1 x 10000
  EXPECT_NE(r.orders[0].reject_reason.find("insufficient margin"), std::string::npos);
  EXPECT_EQ(r.orders[1].status, OrderStatus::kFilled);
  c.max_leverage = 2;
  ScriptedStrategy st2;
  st2.script[0] = {req(Side::kBuy, 150)};
  EXPECT_EQ(run_script(s, st2, c).orders[0].status, OrderStatus::kFilled);
}

TEST(Oms, InvalidRequestsAreRejectedWithAReason) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 100, 100, 100}});
  ScriptedStrategy st;
  OrderRequest trail = req(Side::kSell, 1, OrderType::kTrailingStop);
  trail.trail_pct = 2;  // 200 %: not a fraction
  st.script[0] = {req(Side::kBuy, -1), req(Side::kBuy, 1, OrderType::kLimit), req(Side::kBuy, 1, OrderType::kStop), trail};
  const auto r = run_script(s, st);
  for (const auto& o : r.orders) {
    EXPECT_EQ(o.status, OrderStatus::kRejected);
    EXPECT_FALSE(o.reject_reason.empty());
  }
  EXPECT_NE(r.orders[3].reject_reason.find("fraction"), std::string::npos);
}

TEST(Oms, OcoCancelsTheSiblingAndOtoWaitsForTheParent) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 106, 99, 105}, {105, 106, 90, 95}});
  ScriptedStrategy st;
  st.on_bar = [](ScriptedStrategy& self, const Candle& c) {
    if (c.index != 0) return;
    Kernel* k = self.kernel();
    OrderRequest a = req(Side::kBuy, 1, OrderType::kLimit, 98);
    OrderRequest b = req(Side::kBuy, 1, OrderType::kStop, 0, 104);
    k->submit_oco(a, b);
    OrderRequest child = req(Side::kSell, 0, OrderType::kStop, 0, 92);
    child.reduce_only = true;
    child.tag = "stop_loss";
    k->submit_oto(b, child);  // a second stop entry, with a protective child
  };
  const auto r = run_script(s, st);
  // Orders: 1 limit(98) [oco], 2 stop(104) [oco], 3 stop(104) parent, 4 child (after 3 fills).
  EXPECT_EQ(r.orders[0].status, OrderStatus::kCancelled);
  EXPECT_EQ(r.orders[1].status, OrderStatus::kFilled);
  EXPECT_EQ(r.orders[2].status, OrderStatus::kFilled);
  ASSERT_EQ(r.orders.size(), 4u);
  EXPECT_EQ(r.orders[3].parent_id, 3u);
  EXPECT_DOUBLE_EQ(r.orders[3].quantity, 1);
  EXPECT_EQ(r.orders[3].status, OrderStatus::kFilled);
  EXPECT_EQ(r.fills.back().price, 92.0);
}

TEST(Oms, ClosingAPositionCancelsItsBracketChildren) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 101, 99, 100}, {100, 101, 99, 100}, {100, 101, 99, 100}});
  ScriptedStrategy st;
  OrderRequest e = req(Side::kBuy, 1);
  e.stop_loss = 90;
  e.take_profit = 120;
  st.script[0] = {e};
  st.on_bar = [](ScriptedStrategy& self, const Candle& c) {
    if (c.index == 1) self.close_all_positions("signal");
  };
  const auto r = run_script(s, st);
  ASSERT_EQ(r.orders.size(), 4u);
  EXPECT_EQ(r.orders[1].status, OrderStatus::kCancelled);
  EXPECT_EQ(r.orders[2].status, OrderStatus::kCancelled);
  EXPECT_EQ(r.orders[3].status, OrderStatus::kFilled);
  EXPECT_EQ(r.trades.at(0).exit_reason, "signal");
}

TEST(Kernel, EquityCurveHasOneRowPerBarAndCloseAtEnd) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 110, 100, 110}, {110, 120, 110, 120}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 10)};
  BacktestConfig c = frictionless();
  c.strategy.initial_capital = 10000;
  c.strategy.close_at_end = true;
  const auto r = run_script(s, st, c);
  ASSERT_EQ(r.equity_curve.size(), 3u);
  EXPECT_DOUBLE_EQ(r.equity_curve[0].equity, 10000);
  EXPECT_DOUBLE_EQ(r.equity_curve[1].equity, 10100);  // bought 10 @100, marked 110
  EXPECT_DOUBLE_EQ(r.equity_curve[2].equity, 10200);
  EXPECT_DOUBLE_EQ(r.equity_curve[2].position_value, 0);  // closed at the last close
  EXPECT_EQ(r.trades.at(0).exit_reason, "end_of_data");
  EXPECT_DOUBLE_EQ(r.trades.at(0).exit_price, 120);
  EXPECT_DOUBLE_EQ(r.final_equity, 10200);
}

TEST(Kernel, MultiSymbolEventsInTimeOrder) {
  const BarSeries a = make_series({{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}, 2 * kNanosPerMinute, "A");
  const BarSeries b = make_series({{2, 2, 2, 2}, {2, 2, 2, 2}, {2, 2, 2, 2}}, 3 * kNanosPerMinute, "B");
  HistoricalFeed feed({&a, &b});
  MarketEvent e;
  std::vector<std::pair<SymbolId, Timestamp>> seen;
  while (feed.next(e)) seen.emplace_back(e.symbol, e.bar.ts - kT0);
  const Duration m = kNanosPerMinute;
  const std::vector<std::pair<SymbolId, Timestamp>> want = {{0, 0}, {1, 0}, {0, 2 * m}, {1, 3 * m}, {0, 4 * m}, {1, 6 * m}};
  EXPECT_EQ(seen, want);
}

TEST(Kernel, UnsortedDataIsRejectedNamingTheRow) {
  BarSeries s = make_series({{1, 1, 1, 1}, {1, 1, 1, 1}});
  s.mutable_timestamps()[1] = s.timestamps()[0];
  Backtest bt(frictionless());
  bt.add_data(s);
  ScriptedStrategy st;
  auto r = bt.run(st);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("row 2"), std::string::npos) << r.error().message;
}

TEST(Kernel, NonFinitePricesAreAnErrorNotAnAssert) {
  BarSeries s = make_series({{1, 1, 1, 1}, {1, 1, 1, 1}});
  s.mutable_close()[1] = std::nan("");
  Backtest bt(frictionless());
  bt.add_data(s);
  ScriptedStrategy st;
  auto r = bt.run(st);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("finite"), std::string::npos) << r.error().message;
}

// One series is checked block by block inside the kernel's loop: a bad row far into the data is
// still an error naming it, and the strategy never receives a bar of the block that holds it.
TEST(Kernel, BadRowLateInTheDataStopsTheRunBeforeItsBlockIsDelivered) {
  struct Counting final : RealtimeStrategy {
    std::size_t bars = 0;
    bool saw_bad = false;
    void on_candle(const Candle& c) override {
      ++bars;
      saw_bad |= !(c.close > 0 && std::isfinite(c.close));
    }
  };
  const std::size_t n = 3 * HistoricalFeed::kCheckBlock + 10;
  std::vector<Ohlcv> rows(n, Ohlcv{100, 101, 99, 100});
  for (std::size_t bad : {std::size_t{5}, HistoricalFeed::kCheckBlock + 17, n - 1}) {
    BarSeries s = make_series(rows);
    s.mutable_close()[bad] = std::nan("");
    Backtest bt(frictionless());
    bt.add_data(s);
    Counting st;
    auto r = bt.run(st);
    ASSERT_FALSE(r.ok()) << "bad row " << bad;
    EXPECT_NE(r.error().message.find("row " + std::to_string(bad + 1) + " "), std::string::npos) << r.error().message;
    EXPECT_FALSE(st.saw_bad);
    EXPECT_EQ(st.bars, bad / HistoricalFeed::kCheckBlock * HistoricalFeed::kCheckBlock);
  }
}

// The feed's check runs vectorised over blocks of rows; it must agree with the plain rule
// (every price finite and > 0, every timestamp after the previous one) for a bad value at any
// row and column, including block edges, the odd last row and the first row, and must not
// reject what is merely unusual (prices near DBL_MAX whose sum overflows, times before 1970).
TEST(HistoricalFeed, CheckFindsEveryBadRowAndNothingElse) {
  const std::size_t n = 3 * 4096 + 3;
  BarSeries base;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = 100 + static_cast<double>(i % 7);
    base.push_back(Bar{static_cast<Timestamp>(i) * kNanosPerMinute - 5 * kNanosPerMinute, p, p + 1, p - 1, p, 10});
  }
  ASSERT_TRUE(HistoricalFeed::check_series(base).ok()) << "times cross 1970-01-01 at row 6";
  BarSeries huge = base;
  for (std::size_t i = 0; i < n; ++i) huge.mutable_high()[i] = std::numeric_limits<double>::max();
  EXPECT_TRUE(HistoricalFeed::check_series(huge).ok()) << "finite prices whose sum overflows are valid";
  const double bad_prices[] = {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity()};
  const std::size_t rows[] = {0, 1, 4094, 4095, 4096, 4097, 8191, 8192, n - 2, n - 1};
  for (std::size_t row : rows) {
    for (int col = 0; col < 4; ++col)
      for (double v : bad_prices) {
        BarSeries s = base;
        std::span<double> c = col == 0 ? s.mutable_open() : col == 1 ? s.mutable_high() : col == 2 ? s.mutable_low() : s.mutable_close();
        c[row] = v;
        const Status st = HistoricalFeed::check_series(s);
        ASSERT_FALSE(st.ok()) << "row " << row << " col " << col << " value " << v;
        EXPECT_NE(st.error().message.find("row " + std::to_string(row + 1) + " "), std::string::npos) << st.error().message;
      }
    if (row == 0) continue;
    for (Timestamp delta : {Timestamp{0}, Timestamp{-1}, -kNanosPerDay, std::numeric_limits<Timestamp>::min() / 2}) {
      BarSeries s = base;
      s.mutable_timestamps()[row] = s.timestamps()[row - 1] + delta;
      const Status st = HistoricalFeed::check_series(s);
      ASSERT_FALSE(st.ok()) << "row " << row << " delta " << delta;
      EXPECT_NE(st.error().message.find("row " + std::to_string(row + 1) + ":"), std::string::npos) << st.error().message;
    }
  }
  // A fall of more than 2^63 ns (year 2262 to 1677, then rising again) is still a fall, though
  // its difference wraps around in 64 bits.
  BarSeries wrap = base;
  wrap.mutable_timestamps()[4000] = std::numeric_limits<Timestamp>::max() - 1;
  for (std::size_t r = 4001; r < n; ++r)
    wrap.mutable_timestamps()[r] = std::numeric_limits<Timestamp>::min() + static_cast<Timestamp>(r) * kNanosPerMinute;
  const Status st = HistoricalFeed::check_series(wrap);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("row 4002:"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace tradeloop::testing
