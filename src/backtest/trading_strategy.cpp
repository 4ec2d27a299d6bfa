#include "tradeloop/backtest/trading_strategy.hpp"

#include "tradeloop/backtest/backtest.hpp"

namespace tradeloop {

Result<std::vector<Trade>> TradingStrategy::backtest() {
  if (data_.empty()) return invalid_argument("TradingStrategy::backtest: no data (call load_data first)");
  BacktestConfig c;
  c.strategy = config;
  c.sim = sim;
  c.sim.fees.taker = c.sim.fees.maker = config.commission_pct;
  c.sim.slippage.fraction = config.slippage_pct;
  c.max_leverage = max_leverage;
  // The run reads a copy of the loaded data; data_ keeps the indicator columns.
  const BarSeries input = data_;
  Backtest bt(c);
  bt.add_data(input);
  auto r = bt.run(*this);
  if (!r.ok()) return r.error();
  result_ = std::move(*r);
  return result_.trades;
}

std::map<std::string, double> TradingStrategy::get_performance_metrics() const {
  std::size_t wins = 0;
  for (const Trade& t : result_.trades) wins += !t.is_open && t.pnl > 0;
  const std::size_t closed = result_.closed_trades();
  return {{"total_return_pct", result_.total_return_pct()},
          {"max_drawdown_pct", result_.max_drawdown_pct()},
          {"total_trades", static_cast<double>(closed)},
          {"win_rate", closed ? 100.0 * static_cast<double>(wins) / static_cast<double>(closed) : 0.0},
          {"final_equity", result_.final_equity}};
}

}  // namespace tradeloop
