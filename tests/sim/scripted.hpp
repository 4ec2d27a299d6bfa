// Test helpers: hand-made bar series and a strategy that submits scripted orders at given bars.
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/engine/kernel.hpp"

namespace tradeloop::testing {

struct Ohlcv {
  double o, h, l, c, v = 1000;
};

inline constexpr Timestamp kT0 = 1704067200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z

inline BarSeries make_series(const std::vector<Ohlcv>& rows, Duration step = kNanosPerMinute, std::string symbol = "TEST/USD") {
  BarSeries s(std::move(symbol));
  for (std::size_t i = 0; i < rows.size(); ++i)
    s.push_back(Bar{kT0 + static_cast<Timestamp>(i) * step, rows[i].o, rows[i].h, rows[i].l, rows[i].c, rows[i].v});
  return s;
}

// Submits `script[bar index]` on that bar (symbol 0); a callback may do more.
class ScriptedStrategy : public RealtimeStrategy {
 public:
  std::map<std::size_t, std::vector<OrderRequest>> script;
  std::function<void(ScriptedStrategy&, const Candle&)> on_bar;
  std::vector<OrderId> ids;
  std::vector<Fill> fills_seen;
  std::vector<std::pair<OrderId, OrderStatus>> updates;

  void on_candle(const Candle& c) override {
    if (c.symbol == 0)
      if (auto it = script.find(c.index); it != script.end())
        for (const auto& r : it->second) ids.push_back(submit(r));
    if (on_bar) on_bar(*this, c);
  }
  void on_fill(const Fill& f) override { fills_seen.push_back(f); }
  void on_order(const Order& o) override { updates.emplace_back(o.id, o.status); }

  // Exposed helpers for callbacks.
  using RealtimeStrategy::apply_signal;
  using RealtimeStrategy::close_all_positions;
  using RealtimeStrategy::kernel;
  using RealtimeStrategy::position;
  using RealtimeStrategy::submit;
};

// A configuration with no costs: fills are exactly the rule's price.
inline BacktestConfig frictionless() {
  BacktestConfig c = default_backtest_config();
  c.strategy.commission_pct = 0;
  c.strategy.slippage_pct = 0;
  c.sim.fees = FeeConfig{0, 0, 0};
  c.sim.slippage.model = SlippageModel::kNone;
  c.strategy.initial_capital = 1'000'000;
  c.strategy.close_at_end = false;
  c.strategy.allow_short = true;
  return c;
}

inline OrderRequest req(Side side, double qty, OrderType type = OrderType::kMarket, double limit = 0, double stop = 0) {
  OrderRequest r;
  r.side = side;
  r.quantity = qty;
  r.type = type;
  r.limit_price = limit;
  r.stop_price = stop;
  return r;
}

inline BacktestResult run_script(const BarSeries& s, ScriptedStrategy& strat, const BacktestConfig& c = frictionless()) {
  Backtest bt(c);
  bt.add_data(s);
  return bt.run(strat).value();
}

}  // namespace tradeloop::testing
