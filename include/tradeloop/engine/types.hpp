// Value types of trading: orders, fills, closed trades and equity points (STYLE.md §3).
//
// These are the plain records that flow out of the kernel to results, metrics, reports, the
// API and the job store; every later layer reads them, so fields are only ever added. Units:
// prices in the instrument's quote currency, quantities in base units (contracts for
// futures), money (pnl, fees, equity, cash) in the account currency, times in UTC ns.
// `*_pct` fields are percentages (12.5 = 12.5 %), per DESIGN.md §3.
#pragma once

#include <cstdint>
#include <string>

#include "tradeloop/core/time.hpp"
#include "tradeloop/data/bar.hpp"

namespace tradeloop {

using OrderId = std::uint64_t;

enum class OrderType { kMarket, kLimit, kStop, kStopLimit, kTrailingStop };
enum class TimeInForce { kGtc, kDay, kIoc, kFok };
enum class OrderStatus { kNew, kAccepted, kPartiallyFilled, kFilled, kCancelled, kRejected, kExpired };
enum class Liquidity { kTaker, kMaker };

const char* to_string(Side s) noexcept;
const char* to_string(OrderType t) noexcept;
const char* to_string(TimeInForce t) noexcept;
const char* to_string(OrderStatus s) noexcept;

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
