// The outputs of a backtest: trades, orders, fills and the equity curve (one row per bar).
//
// CSV layouts (times ISO 8601 UTC, numbers in shortest round-trip form):
//   trades: entry_time,exit_time,symbol,side,quantity,entry_price,exit_price,pnl,return_pct,
//           fees,exit_reason,bars_held          (an open trade has empty exit fields)
//   equity: timestamp,equity,cash,position_value,drawdown_pct
//   orders: id,parent_id,created_time,symbol,side,type,tif,quantity,limit_price,stop_price,
//           status,filled_quantity,avg_fill_price,updated_time,tag
//   fills:  order_id,time,symbol,side,quantity,price,fee,liquidity
// The canonical order list is the orders CSV without its header; its SHA-256 pins a run's
// complete order flow in the golden regression tests (any drift in fills, fees' effect on
// sizing, or ordering changes it).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop {

struct BacktestResult {
  std::vector<std::string> symbols;  // SymbolId -> name
  std::vector<Trade> trades;
  std::vector<Order> orders;
  std::vector<Fill> fills;
  std::vector<EquityPoint> equity_curve;
  std::size_t bars_processed = 0;
  double initial_capital = 0;
  double final_equity = 0;

  // (final / initial - 1) * 100.
  double total_return_pct() const noexcept;
  // Deepest drawdown of the equity curve in percent, <= 0 (-12.5 = a 12.5 % fall from the
  // running peak); the same sign convention as EquityPoint::drawdown_pct and the analysis layer.
  double max_drawdown_pct() const noexcept;
  // Closed trades only.
  std::size_t closed_trades() const noexcept;

  std::string canonical_order_list() const;
  std::string order_list_sha256() const;
};

std::string trades_csv(const std::vector<Trade>& trades);
std::string equity_csv(const std::vector<EquityPoint>& curve);
std::string orders_csv(const std::vector<Order>& orders);
std::string fills_csv(const std::vector<Fill>& fills);
// Writes text to a file; the error names the path.
Status write_text_file(const std::string& path, const std::string& text);

}  // namespace tradeloop
