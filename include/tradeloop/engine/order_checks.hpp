// The account-level order rules, in one place: the kernel's OMS and the optimiser's vectorised
// sweep (backtest/sweep.hpp) both call these, so they size and reject orders identically.
#pragma once

#include <string>

#include "tradeloop/engine/portfolio.hpp"
#include "tradeloop/engine/strategy.hpp"

namespace tradeloop {

// Quantities within this relative tolerance of each other are equal (fills against remainders,
// flat positions after floating-point sums).
inline constexpr double kQuantityEpsilon = 1e-9;

// Pre-trade checks on an order's size, after its prices are rounded to the tick:
// quantity rounded down to the lot size (in place) and > 0, >= min_quantity, notional at
// `ref_price` >= min_notional, no short unless `allow_short`, and the leverage limit (gross
// exposure after the order fills at `ref_price` <= max_leverage x equity). `ref_price` is the
// limit or stop price when the order has one, else the position's mark. Reduce-only orders skip
// the short and leverage checks. Returns the reject reason, or "" when the order passes.
std::string check_order_size(const Portfolio& portfolio, SymbolId symbol, Side side, double& quantity,
                             double ref_price, bool reduce_only, bool allow_short);

// The entry quantity a signal buys or sells under `config.sizing`, capped by the leverage limit
// with room for fees and slippage, rounded down to the lot size; 0 when nothing can be traded.
// `stop_distance` (price units) drives risk sizing; 0 falls back to price x stop_loss_pct.
double sized_entry_quantity(const StrategyConfig& config, const Portfolio& portfolio, SymbolId symbol,
                            double price, double stop_distance) noexcept;

}  // namespace tradeloop
