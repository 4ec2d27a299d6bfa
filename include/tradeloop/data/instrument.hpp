// What is traded, and the venue's granularity for it (DESIGN.md §3 "Prices and quantities").
//
// The OMS rounds prices to `tick_size` and quantities down to `lot_size`; an order below
// `min_notional` (price x quantity x multiplier, quote currency) is rejected. A size of 0 means
// "no constraint" (backtests on CSV data with no instrument metadata).
#pragma once

#include <string>

#include "tradeloop/core/result.hpp"

namespace tradeloop {

enum class AssetClass { kCrypto, kEquity, kFx, kFuture, kOption, kCfd, kIndex, kOther };
const char* to_string(AssetClass a) noexcept;
Result<AssetClass> parse_asset_class(std::string_view text);

struct Instrument {
  std::string symbol;          // "BTC/USDT", "AAPL", "EUR/USD"
  std::string venue;           // "binance", "ibkr", "" for a file
  AssetClass asset_class = AssetClass::kCrypto;
  std::string base_currency;   // "BTC"; empty when unknown
  std::string quote_currency;  // "USDT"
  double tick_size = 0;        // price increment; 0 = any
  double lot_size = 0;         // quantity increment; 0 = any
  double min_quantity = 0;
  double min_notional = 0;     // quote currency
  double multiplier = 1;       // contract multiplier (futures, options)

  bool operator==(const Instrument&) const = default;

  // Nearest multiple of tick_size (half away from zero), or the price itself when tick_size is 0.
  double round_price(double price) const noexcept;
  // Largest multiple of lot_size not above |qty| (sign kept), or qty when lot_size is 0.
  double round_quantity(double qty) const noexcept;
  // 24/7 markets annualise with 365 days; session markets with 252 (DESIGN.md §3).
  bool trades_24_7() const noexcept { return asset_class == AssetClass::kCrypto; }
};

// Guesses an instrument from a symbol ("BTC/USDT" -> crypto, "EUR/USD" -> fx, "AAPL" -> equity).
Instrument guess_instrument(std::string_view symbol);

}  // namespace tradeloop
