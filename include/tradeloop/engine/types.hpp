// Value types of trading: orders, fills, closed trades and equity points (STYLE.md §3).
//
// These are the plain records that flow out of the kernel to results, metrics, reports, the
// API and the job store; every later layer reads them, so fields are only ever added. Units:
// prices in the instrument's quote currency, quantities in base units (contracts for
// futures), money (pnl, fees, equity, cash) in the account currency, times in UTC ns.
// `*_pct` fields are percentages (12.5 = 12.5 %), per DESIGN.md §3.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "tradeloop/core/time.hpp"
#include "tradeloop/data/bar.hpp"

namespace tradeloop {

using OrderId = std::uint64_t;  // 1, 2, 3, ... in submission order; 0 = none
using SymbolId = std::uint32_t;  // index of the symbol in the run's data (0 = the first --data)

enum class OrderType { kMarket, kLimit, kStop, kStopLimit, kTrailingStop };
enum class TimeInForce { kGtc, kDay, kIoc, kFok };
enum class OrderStatus { kNew, kAccepted, kPartiallyFilled, kFilled, kCancelled, kRejected, kExpired };
enum class Liquidity { kTaker, kMaker };

const char* to_string(Side s) noexcept;
const char* to_string(OrderType t) noexcept;
const char* to_string(TimeInForce t) noexcept;
const char* to_string(OrderStatus s) noexcept;
const char* to_string(Liquidity l) noexcept;

// Terminal states accept no further transition.
constexpr bool is_terminal(OrderStatus s) noexcept {
  return s == OrderStatus::kFilled || s == OrderStatus::kCancelled || s == OrderStatus::kRejected ||
         s == OrderStatus::kExpired;
}
// The order state machine (DESIGN.md §2 engine):
//   new -> accepted | rejected
//   accepted -> partially_filled | filled | cancelled | expired
//   partially_filled -> partially_filled | filled | cancelled | expired
// Anything else (a fill after a cancel, a second accept, leaving a terminal state) is illegal.
constexpr bool is_legal_transition(OrderStatus from, OrderStatus to) noexcept {
  switch (from) {
    case OrderStatus::kNew: return to == OrderStatus::kAccepted || to == OrderStatus::kRejected;
    case OrderStatus::kAccepted:
    case OrderStatus::kPartiallyFilled:
      return to == OrderStatus::kPartiallyFilled || to == OrderStatus::kFilled || to == OrderStatus::kCancelled ||
             to == OrderStatus::kExpired;
    default: return false;
  }
}

// What a strategy asks for ("what", STYLE.md §4); the venue decides how it fills.
// Prices in quote currency; 0 means "not set" for every optional price. Trailing stops trail by
// `trail_pct` (a FRACTION: 0.02 = 2 %) or by `trail_amount` (price units), optionally only once
// the price has reached `activation_price`. `stop_loss`/`take_profit` (prices) turn the request
// into a bracket: the entry plus an OCO pair of children (a stop and a limit, reduce-only)
// submitted when the entry fills (OTO). `OrderTerms` are the fields a request and the order the
// OMS tracks share, so the OMS copies them in one assignment.
struct OrderTerms {
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  TimeInForce tif = TimeInForce::kGtc;
  double quantity = 0;  // > 0, base units; rounded down to the lot size
  double limit_price = 0;
  double stop_price = 0;
  double trail_pct = 0;
  double trail_amount = 0;
  double activation_price = 0;
  bool reduce_only = false;
  bool post_only = false;

  bool operator==(const OrderTerms&) const = default;
};

struct OrderRequest : OrderTerms {
  SymbolId symbol = 0;
  double stop_loss = 0;
  double take_profit = 0;
  // Alternative to the absolute prices: children priced from the entry's average fill price,
  // as FRACTIONS (0.02 = 2 % below a long entry for the stop). Used when the price is 0.
  double stop_loss_fraction = 0;
  double take_profit_fraction = 0;
  // Why the order exists; becomes the trade's exit_reason when it closes one ("signal",
  // "stop_loss", "take_profit", "trailing_stop", "end_of_data", or any user text).
  std::string tag = "signal";
};

// An order as the OMS tracks it: the request's terms plus identity, links and state.
struct Order : OrderTerms {
  OrderId id = 0;
  OrderId parent_id = 0;        // the entry of a bracket / OTO trigger; 0 = none
  std::uint64_t oco_group = 0;  // orders sharing a non-zero group cancel each other on a fill
  SymbolId symbol_id = 0;
  std::string symbol;
  std::string tag;
  Timestamp created_ts = 0;        // time of the bar whose handling created it
  std::size_t created_bar = 0;     // index of that bar in its symbol's series
  Timestamp updated_ts = 0;
  OrderStatus status = OrderStatus::kNew;
  double filled_quantity = 0;
  double avg_fill_price = 0;
  std::string reject_reason;

  double remaining() const noexcept { return quantity - filled_quantity; }
  bool operator==(const Order&) const = default;
};

// A state change reported by a venue (fills are reported separately as `Fill`).
// A closed bar as a strategy receives it: the bar plus where it comes from.
struct Candle {
  Timestamp ts = 0;  // open time
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
  SymbolId symbol = 0;
  std::size_t index = 0;  // index of the bar in its symbol's series

  Bar bar() const noexcept { return Bar{ts, open, high, low, close, volume}; }
  bool operator==(const Candle&) const = default;
};

struct OrderUpdate {
  OrderId order_id = 0;
  OrderStatus status = OrderStatus::kAccepted;
  Timestamp ts = 0;
  std::string reason;  // why a reject/cancel/expiry happened; empty otherwise

  bool operator==(const OrderUpdate&) const = default;
};

// One execution.
struct Fill {
  OrderId order_id = 0;
  Timestamp ts = 0;
  std::string symbol;
  Side side = Side::kBuy;
  double quantity = 0;  // > 0
  double price = 0;
  double fee = 0;  // account currency, >= 0 (a rebate is negative)
  Liquidity liquidity = Liquidity::kTaker;
  // Added by the engine (after the original fields, so positional initialisation still works):
  SymbolId symbol_id = 0;
  std::size_t bar_index = 0;  // index of the bar (in its symbol's series) during which it filled

  bool operator==(const Fill&) const = default;
};

// A round trip: from the fill that opened a position to the fill that closed it (or still open).
struct Trade {
  std::string symbol;
  Side side = Side::kBuy;  // kBuy = long trade, kSell = short trade
  double quantity = 0;     // > 0
  Timestamp entry_time = 0;
  Timestamp exit_time = 0;  // 0 while open
  double entry_price = 0;   // average entry
  double exit_price = 0;    // average exit; 0 while open
  double pnl = 0;           // net of fees, account currency
  double return_pct = 0;    // pnl / (entry_price * quantity * multiplier) * 100
  double fees = 0;          // entry + exit fees
  std::string exit_reason;  // "signal", "stop_loss", "take_profit", "trailing_stop", "end_of_data", ...
  std::int64_t bars_held = 0;
  bool is_open = false;

  bool operator==(const Trade&) const = default;
};

// The account after one bar's fills, marked at that bar's close.
struct EquityPoint {
  Timestamp ts = 0;
  double equity = 0;          // cash + position_value
  double cash = 0;
  double position_value = 0;  // signed market value of all positions (short = negative)
  double drawdown_pct = 0;    // (equity / running max - 1) * 100, <= 0

  bool operator==(const EquityPoint&) const = default;
};

}  // namespace tradeloop
