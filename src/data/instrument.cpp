#include "tradeloop/data/instrument.hpp"

#include <array>
#include <cmath>

namespace tradeloop {

const char* to_string(AssetClass a) noexcept {
  switch (a) {
    case AssetClass::kCrypto: return "crypto";
    case AssetClass::kEquity: return "equity";
    case AssetClass::kFx: return "fx";
    case AssetClass::kFuture: return "future";
    case AssetClass::kOption: return "option";
    case AssetClass::kCfd: return "cfd";
    case AssetClass::kIndex: return "index";
    case AssetClass::kOther: return "other";
  }
  return "other";
}

Result<AssetClass> parse_asset_class(std::string_view text) {
  static constexpr std::array kAll = {AssetClass::kCrypto, AssetClass::kEquity, AssetClass::kFx,
                                      AssetClass::kFuture, AssetClass::kOption, AssetClass::kCfd,
                                      AssetClass::kIndex,  AssetClass::kOther};
  for (AssetClass a : kAll)
    if (text == to_string(a)) return a;
  return invalid_argument("unknown asset class '" + std::string(text) +
                          "': expected crypto, equity, fx, future, option, cfd, index or other");
}

double Instrument::round_price(double price) const noexcept {
  if (tick_size <= 0) return price;
  const double n = std::round(price / tick_size);
  // Multiply by the tick and clean the binary noise to the tick's decimals.
  const double r = n * tick_size;
  const double decimals = std::max(0.0, -std::floor(std::log10(tick_size)) + 1);
  const double scale = std::pow(10.0, std::min(decimals, 15.0));
  return std::round(r * scale) / scale;
}

double Instrument::round_quantity(double qty) const noexcept {
  if (lot_size <= 0) return qty;
  // A tiny epsilon keeps 0.3 / 0.1 = 2.9999999999999996 at 3 lots.
  const double n = std::floor(std::fabs(qty) / lot_size + 1e-9);
  const double decimals = std::max(0.0, -std::floor(std::log10(lot_size)) + 1);
  const double scale = std::pow(10.0, std::min(decimals, 15.0));
  const double r = std::round(n * lot_size * scale) / scale;
  return qty < 0 ? -r : r;
}

Instrument guess_instrument(std::string_view symbol) {
  static constexpr std::array<std::string_view, 9> kFiat = {"USD", "EUR", "GBP", "JPY", "CHF",
                                                            "AUD", "CAD", "NZD", "SEK"};
  Instrument ins;
  ins.symbol = std::string(symbol);
  const auto slash = symbol.find('/');
  if (slash == std::string_view::npos) {
    ins.asset_class = AssetClass::kEquity;
    ins.quote_currency = "USD";
    return ins;
  }
  ins.base_currency = std::string(symbol.substr(0, slash));
  std::string_view quote = symbol.substr(slash + 1);
  if (auto colon = quote.find(':'); colon != std::string_view::npos) quote = quote.substr(0, colon);
  ins.quote_currency = std::string(quote);
  auto is_fiat = [&](std::string_view c) {
    for (auto f : kFiat)
      if (f == c) return true;
    return false;
  };
  ins.asset_class = is_fiat(ins.base_currency) && is_fiat(ins.quote_currency) ? AssetClass::kFx : AssetClass::kCrypto;
  return ins;
}

}  // namespace tradeloop
