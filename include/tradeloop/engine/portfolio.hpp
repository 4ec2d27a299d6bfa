// Account and portfolio accounting: cash, signed positions, average price, realised and
// unrealised PnL, fees, margin, and the round-trip trades built from fills.
//
// Cash accounting (one account currency, no FX): a fill of signed quantity q (buy > 0,
// sell < 0) at price p moves cash by -q * p * multiplier - fee. A short sale therefore ADDS its
// proceeds to cash and the position is valued negative, so equity = cash + Σ q * mark *
// multiplier rises when a short's price falls (the guide's original code booked a short's
// profit as a loss of cash; tests/engine/portfolio_test.cpp pins the correct numbers).
// Margin: used margin = gross exposure (Σ |q| * mark * multiplier) / max_leverage; the OMS
// rejects an order whose fill would push used margin above equity. Not thread-safe.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "tradeloop/data/instrument.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop {

struct Position {
  double quantity = 0;      // signed: > 0 long, < 0 short, base units
  double avg_price = 0;     // average entry price of the open quantity (0 when flat)
  double realized_pnl = 0;  // gross of fees, account currency, since the start
  double fees = 0;          // all fees paid on this symbol
  double mark = 0;          // last price seen (close of the last bar)

  bool operator==(const Position&) const = default;
};

class Portfolio {
 public:
  // `instruments[i]` describes SymbolId i. max_leverage >= 1 (1 = cash account: gross
  // exposure may not exceed equity).
  Portfolio(double initial_cash, std::vector<Instrument> instruments, double max_leverage = 1.0);

  // Books one fill: cash, position, average price, realised PnL, fees and trades. `reason` is
  // the order's tag, used as the exit reason of a trade the fill closes.
  void apply_fill(const Fill& fill, std::string_view reason);
  // Marks a symbol at `price` (unrealised PnL and equity use the marks).
  void mark(SymbolId symbol, double price) noexcept { positions_[symbol].mark = price; }

  double initial_cash() const noexcept { return initial_cash_; }
  double cash() const noexcept { return cash_; }
  double equity() const noexcept { return cash_ + position_value(); }
  // Signed market value of all positions (short = negative). Inline: the kernel calls it
  // once per bar.
  double position_value() const noexcept {
    double v = 0;
    for (std::size_t i = 0; i < positions_.size(); ++i) v += positions_[i].quantity * positions_[i].mark * multiplier_[i];
    return v;
  }
  double gross_exposure() const noexcept;
  double unrealized_pnl(SymbolId symbol) const noexcept;
  double margin_used() const noexcept { return gross_exposure() / max_leverage_; }
  double max_leverage() const noexcept { return max_leverage_; }
  std::size_t open_positions() const noexcept;

  const Position& position(SymbolId symbol) const noexcept { return positions_[symbol]; }
  std::size_t symbol_count() const noexcept { return positions_.size(); }
  const Instrument& instrument(SymbolId symbol) const noexcept { return instruments_[symbol]; }

  // Closed trades and (at the end) open ones, in the order they were opened. An open trade's
  // exit fields are 0 and its pnl is the unrealised PnL at the mark minus fees so far.
  const std::vector<Trade>& trades() const noexcept { return trades_; }
  std::vector<Trade> take_trades() noexcept { return std::move(trades_); }
  // Room for `n` trades before the trade list grows (see Kernel::reserve).
  void reserve_trades(std::size_t n);
  // Refreshes open trades' pnl/return from the marks; `bar_index[i]` = last bar of symbol i.
  void update_open_trades(const std::vector<std::size_t>& last_bar_index);

 private:
  struct OpenTrade {
    std::ptrdiff_t trade = -1;  // index in trades_
    std::size_t entry_bar = 0;
    double exit_quantity = 0;
    double exit_value = 0;  // Σ exit qty * price
    double realized = 0;    // gross PnL realised so far within this trade
  };
  void open_trade(const Fill& f, double qty, double fee);
  void add_to_trade(SymbolId s, const Fill& f, double qty, double fee);
  void reduce_trade(SymbolId s, const Fill& f, double qty, double fee, double pnl, std::string_view reason);

  double initial_cash_;
  double cash_;
  double max_leverage_;
  std::vector<Instrument> instruments_;
  std::vector<double> multiplier_;  // instruments_[i].multiplier, contiguous for the hot loop
  std::vector<Position> positions_;
  std::vector<OpenTrade> open_;
  std::vector<Trade> trades_;
};

}  // namespace tradeloop
