// Properties over thousands of random order sequences, determinism, and no look-ahead.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <thread>

#include "backtest/random_series.hpp"
#include "tradeloop/core/rng.hpp"

namespace tradeloop::testing {
namespace {

// Submits random orders of every type and TIF, random brackets, random cancels, and checks
// position == Σ signed fills inside the run at every bar.
class RandomTrader : public RealtimeStrategy {
 public:
  explicit RandomTrader(std::uint64_t seed) : rng_(seed) {}
  double signed_fills = 0;
  bool position_matched = true;

  void on_fill(const Fill& f) override { signed_fills += f.side == Side::kBuy ? f.quantity : -f.quantity; }
  void on_candle(const Candle& c) override {
    if (std::fabs(position() - signed_fills) > 1e-9) position_matched = false;
    const int n = static_cast<int>(rng_.below(3));
    for (int i = 0; i < n; ++i) ids_.push_back(submit(random_request(c)));
    if (rng_.uniform() < 0.2 && !ids_.empty()) cancel(ids_[rng_.below(ids_.size())]);
    if (rng_.uniform() < 0.05) close_all_positions("signal");
  }

 private:
  OrderRequest random_request(const Candle& c) {
    OrderRequest r;
    r.side = rng_.uniform() < 0.5 ? Side::kBuy : Side::kSell;
    r.quantity = 1 + std::floor(rng_.uniform() * 20);
    r.type = static_cast<OrderType>(rng_.below(5));
    r.tif = static_cast<TimeInForce>(rng_.below(4));
    const double off = c.close * 0.02 * rng_.uniform();
    const double sgn = r.side == Side::kBuy ? -1 : 1;  // limits away from the market, stops beyond it
    if (r.type == OrderType::kLimit) {
      r.limit_price = c.close + sgn * off;
    }
    if (r.type == OrderType::kStop) {
      r.stop_price = c.close - sgn * off;
    }
    if (r.type == OrderType::kStopLimit) {
      r.stop_price = c.close - sgn * off;
      r.limit_price = r.stop_price - sgn * c.close * 0.005 * rng_.uniform();
    }
    if (r.type == OrderType::kTrailingStop) {
      if (rng_.uniform() < 0.5)
        r.trail_pct = 0.005 + 0.02 * rng_.uniform();
      else
        r.trail_amount = c.close * 0.01;
    }
    r.reduce_only = rng_.uniform() < 0.15;
    r.post_only = r.type == OrderType::kLimit && rng_.uniform() < 0.2;
    if (rng_.uniform() < 0.2) {
      r.stop_loss_fraction = 0.01 + 0.02 * rng_.uniform();
      r.take_profit_fraction = 0.01 + 0.03 * rng_.uniform();
    }
    return r;
  }
  Rng rng_;
  std::vector<OrderId> ids_;
};

struct Check {
  std::size_t fills = 0;
};

// Independent re-computation of the account from the fills, bar by bar.
Check check_run(const BarSeries& s, const BacktestResult& r, const BacktestConfig& c) {
  Check out;
  std::map<std::size_t, std::vector<const Fill*>> by_bar;
  for (const auto& f : r.fills) by_bar[f.bar_index].push_back(&f);
  double cash = c.strategy.initial_capital, pos = 0;
  EXPECT_EQ(r.equity_curve.size(), s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (const Fill* f : by_bar[i]) {
      const double q = f->side == Side::kBuy ? f->quantity : -f->quantity;
      cash -= q * f->price + f->fee;
      pos += q;
      const Order& o = r.orders.at(f->order_id - 1);
      // No fill before its order's bar + 1 (children: from the bar they were released in;
      // fill=close and the end-of-data close-out: the order's own bar, at its close).
      const bool same_bar_ok = o.parent_id != 0 || c.strategy.fill == FillTiming::kClose || o.tag == "end_of_data";
      EXPECT_GE(f->bar_index, o.created_bar + (same_bar_ok ? 0 : 1)) << "order " << o.id;
      if (c.sim.slippage.model == SlippageModel::kNone) {
        EXPECT_GE(f->price, s.low()[i] - 1e-9) << "order " << o.id;
        EXPECT_LE(f->price, s.high()[i] + 1e-9) << "order " << o.id;
      }
      ++out.fills;
    }
    const EquityPoint& p = r.equity_curve[i];
    EXPECT_NEAR(p.cash, cash, 1e-6 * std::fabs(cash) + 1e-6) << "bar " << i;
    EXPECT_NEAR(p.equity, cash + pos * s.close()[i], 1e-6 * std::fabs(p.equity) + 1e-6) << "bar " << i;
    EXPECT_NEAR(p.position_value, pos * s.close()[i], 1e-6 * std::fabs(p.equity) + 1e-6) << "bar " << i;
  }
  // Orders end in a consistent state.
  for (const auto& o : r.orders) {
    EXPECT_LE(o.filled_quantity, o.quantity * (1 + 1e-9));
    if (o.status == OrderStatus::kFilled) {
      EXPECT_DOUBLE_EQ(o.filled_quantity, o.quantity);
    }
    if (o.status == OrderStatus::kRejected || o.status == OrderStatus::kNew) {
      EXPECT_EQ(o.filled_quantity, 0);
    }
  }
  return out;
}

TEST(Properties, RandomOrderSequencesKeepTheBooksStraight) {
  std::size_t total_fills = 0, total_orders = 0;
  // 1,000 independent random order sequences (120 bars each, every configuration variant).
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const BarSeries s = random_walk(120, seed);
    BacktestConfig c = frictionless();
    c.strategy.initial_capital = 1e6;
    c.max_leverage = 5;
    c.strategy.close_at_end = seed % 2 == 0;
    c.strategy.fill = seed % 3 == 0 ? FillTiming::kClose : FillTiming::kNextOpen;
    c.sim.participation = seed % 4 == 0 ? 0.05 : 0;
    c.sim.priority = seed % 5 == 0 ? IntrabarPriority::kPath : IntrabarPriority::kStopFirst;
    if (seed % 6 == 0) {
      c.sim.fees = FeeConfig{0.001, -0.0001, 0.5};
      c.sim.slippage = SlippageConfig{SlippageModel::kFraction, 0.001, 0, 0};
    }
    RandomTrader t(seed);
    Backtest bt(c);
    bt.add_data(s);
    const BacktestResult r = bt.run(t).value();
    EXPECT_TRUE(t.position_matched) << "seed " << seed;
    total_fills += check_run(s, r, c).fills;
    total_orders += r.orders.size();
  }
  EXPECT_GT(total_orders, 100000u);
  EXPECT_GT(total_fills, 20000u);
}

TEST(Determinism, TheSameRunTwiceIsByteIdentical) {
  const BarSeries s = random_walk(2000, 7);
  auto once = [&] {
    BacktestConfig c = default_backtest_config();
    c.strategy.stop_loss_pct = 0.02;
    c.strategy.take_profit_pct = 0.03;
    const BacktestResult r = run_backtest({s}, "ma_crossover", {}, c).value();
    return trades_csv(r.trades) + equity_csv(r.equity_curve) + orders_csv(r.orders) + fills_csv(r.fills);
  };
  const std::string a = once(), b = once();
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, b);
  RandomTrader t1(3), t2(3);
  auto run_t = [&](RandomTrader& t) {
    Backtest bt(frictionless());
    bt.add_data(s);
    const auto r = bt.run(t).value();
    return orders_csv(r.orders) + fills_csv(r.fills) + equity_csv(r.equity_curve);
  };
  EXPECT_EQ(run_t(t1), run_t(t2));
}

TEST(Determinism, ConcurrentRunsInSeveralThreadsAreIdentical) {
  const BarSeries s = random_walk(3000, 9);
  auto run_once = [&] {
    const BacktestResult r = run_backtest({s}, "macd_cross", {}, default_backtest_config()).value();
    return orders_csv(r.orders) + equity_csv(r.equity_curve);
  };
  const std::string want = run_once();
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) threads.emplace_back([&, i] { got[i] = run_once(); });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, want);
}

// Knows bar t completely (it was handed to it) and bets that bar t+1 repeats bar t's move. An
// engine that filled at bar t's open (look-ahead) would earn Σ|close - open|; here the order
// fills at t+1's open and the bet is a coin flip on a random walk.
class Oracle : public RealtimeStrategy {
 public:
  bool saw_future = false;
  void on_candle(const Candle& c) override {
    const BarHistory h = history();
    if (h.size() != c.index + 1 || h.ago(0).close != c.close || h.close().size() != c.index + 1) saw_future = true;
    const double want = c.close > c.open ? 1 : -1;
    const double pos = position();
    if (pos != want) {
      OrderRequest r;
      r.side = want > pos ? Side::kBuy : Side::kSell;
      r.quantity = std::fabs(want - pos);
      submit(r);
    }
  }
};

TEST(NoLookAhead, AnOracleOnTheCurrentBarCannotProfitFromTheNextOne) {
  const BarSeries s = random_walk(20000, 11);
  for (FillTiming fill : {FillTiming::kNextOpen, FillTiming::kClose}) {
    BacktestConfig c = frictionless();
    c.strategy.fill = fill;
    c.strategy.initial_capital = 1e6;
    Oracle o;
    Backtest bt(c);
    bt.add_data(s);
    const BacktestResult r = bt.run(o).value();
    EXPECT_FALSE(o.saw_future);
    double cheat = 0, sq = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const double d = s.close()[i] - s.open()[i];
      cheat += std::fabs(d);
      sq += d * d;
    }
    const double pnl = r.final_equity - c.strategy.initial_capital;
    // A 1-unit bet per bar on a martingale: pnl ~ N(0, sqrt(Σ d²)); allow 4 sigma.
    EXPECT_LT(std::fabs(pnl), 4 * std::sqrt(sq)) << "pnl " << pnl;
    EXPECT_LT(std::fabs(pnl), 0.05 * cheat) << "pnl " << pnl << " vs look-ahead profit " << cheat;
  }
}

}  // namespace
}  // namespace tradeloop::testing
