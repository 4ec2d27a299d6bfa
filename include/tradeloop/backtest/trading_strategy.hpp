// The guide's `TradingStrategy` (user guide §4-§5): subclass it, implement
// calculate_indicators() and generate_signals(), then
//
//   MyStrategy s(12, 26);
//   s.config.initial_capital = 10000;
//   s.config.risk_per_trade = 0.02;   // fractions, as the guide's comments say
//   s.load_data(series);
//   auto trades = s.backtest().value();
//   auto metrics = s.get_performance_metrics();  // total_return_pct, win_rate, max_drawdown_pct, ...
//   const auto& equity = s.equity_curve();
//
// backtest() runs the strategy through the same kernel and SimulatedVenue as everything else
// (the signal style is an adapter onto the event style, engine/strategy.hpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tradeloop/backtest/config.hpp"
#include "tradeloop/backtest/result.hpp"
#include "tradeloop/engine/strategy.hpp"

namespace tradeloop {

class TradingStrategy : public SignalStrategy {
 public:
  void load_data(BarSeries data) { data_ = std::move(data); }
  // Runs the backtest on the loaded data with `config` (the guide keys) and `sim` (venue
  // models; commission_pct / slippage_pct of config override its rates). Returns the trades.
  Result<std::vector<Trade>> backtest();

  SimConfig sim;
  double max_leverage = 1;

  const BacktestResult& result() const noexcept { return result_; }
  const std::vector<EquityPoint>& equity_curve() const noexcept { return result_.equity_curve; }
  const std::vector<Trade>& trades() const noexcept { return result_.trades; }
  // The trades as CSV text (the `get_trades_dataframe()` of the guide).
  std::string get_trades_csv() const { return trades_csv(result_.trades); }
  // total_return_pct, max_drawdown_pct (percentages), total_trades, win_rate (percentage of
  // closed trades with pnl > 0), final_equity. The full set is analysis::PerformanceAnalyzer.
  std::map<std::string, double> get_performance_metrics() const;

 private:
  BacktestResult result_;
};

}  // namespace tradeloop
