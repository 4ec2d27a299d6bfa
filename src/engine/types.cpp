#include "tradeloop/engine/types.hpp"

namespace tradeloop {

const char* to_string(Side s) noexcept { return s == Side::kBuy ? "buy" : "sell"; }

const char* to_string(OrderType t) noexcept {
  switch (t) {
    case OrderType::kMarket: return "market";
    case OrderType::kLimit: return "limit";
    case OrderType::kStop: return "stop";
    case OrderType::kStopLimit: return "stop_limit";
    case OrderType::kTrailingStop: return "trailing_stop";
  }
  return "?";
}

const char* to_string(TimeInForce t) noexcept {
  switch (t) {
    case TimeInForce::kGtc: return "gtc";
    case TimeInForce::kDay: return "day";
    case TimeInForce::kIoc: return "ioc";
    case TimeInForce::kFok: return "fok";
  }
  return "?";
}

const char* to_string(OrderStatus s) noexcept {
  switch (s) {
    case OrderStatus::kNew: return "new";
    case OrderStatus::kAccepted: return "accepted";
    case OrderStatus::kPartiallyFilled: return "partially_filled";
    case OrderStatus::kFilled: return "filled";
    case OrderStatus::kCancelled: return "cancelled";
    case OrderStatus::kRejected: return "rejected";
    case OrderStatus::kExpired: return "expired";
  }
  return "?";
}

const char* to_string(Liquidity l) noexcept { return l == Liquidity::kMaker ? "maker" : "taker"; }

}  // namespace tradeloop
