// Market data value types: one OHLCV bar, one trade print, one top-of-book quote.
//
// Bars are stamped with their OPEN time (UTC ns). Prices are in the instrument's quote currency,
// volume in base units unless the source says otherwise (see the data file's provenance).
#pragma once

#include "tradeloop/core/time.hpp"

namespace tradeloop {

struct Bar {
  Timestamp ts = 0;  // open time
  double open = 0, high = 0, low = 0, close = 0, volume = 0;

  bool operator==(const Bar&) const = default;
};

enum class Side { kBuy, kSell };

struct TradeTick {
  Timestamp ts = 0;
  double price = 0;
  double quantity = 0;
  Side aggressor = Side::kBuy;  // side of the taker

  bool operator==(const TradeTick&) const = default;
};

struct QuoteTick {
  Timestamp ts = 0;
  double bid = 0, ask = 0;
  double bid_size = 0, ask_size = 0;

  bool operator==(const QuoteTick&) const = default;
};

}  // namespace tradeloop
