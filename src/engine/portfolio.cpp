#include "tradeloop/engine/portfolio.hpp"

#include <cmath>

#include "tradeloop/core/memory.hpp"
#include "tradeloop/core/result.hpp"

namespace tradeloop {

Portfolio::Portfolio(double initial_cash, std::vector<Instrument> instruments, double max_leverage)
    : initial_cash_(initial_cash),
      cash_(initial_cash),
      max_leverage_(max_leverage),
      instruments_(std::move(instruments)),
      positions_(instruments_.size()),
      open_(instruments_.size()) {
  TL_ASSERT(max_leverage_ >= 1, "max_leverage must be >= 1");
  for (const auto& ins : instruments_) multiplier_.push_back(ins.multiplier);
}

void Portfolio::reserve_trades(std::size_t n) { reserve_advised(trades_, n); }

double Portfolio::gross_exposure() const noexcept {
  double v = 0;
  for (std::size_t i = 0; i < positions_.size(); ++i)
    v += std::fabs(positions_[i].quantity) * positions_[i].mark * instruments_[i].multiplier;
  return v;
}

double Portfolio::unrealized_pnl(SymbolId s) const noexcept {
  const Position& p = positions_[s];
  return p.quantity * (p.mark - p.avg_price) * instruments_[s].multiplier;
}

std::size_t Portfolio::open_positions() const noexcept {
  std::size_t n = 0;
  for (const auto& p : positions_) n += p.quantity != 0;
  return n;
}

void Portfolio::apply_fill(const Fill& f, std::string_view reason) {
  TL_ASSERT(f.symbol_id < positions_.size(), "fill for an unknown symbol");
  TL_ASSERT(f.quantity > 0 && std::isfinite(f.quantity), "fill quantity must be finite and > 0");
  TL_ASSERT(f.price > 0 && std::isfinite(f.price), "fill price must be finite and > 0");
  const SymbolId s = f.symbol_id;
  const double mult = instruments_[s].multiplier;
  const double q = f.side == Side::kBuy ? f.quantity : -f.quantity;
  Position& p = positions_[s];
  cash_ -= q * f.price * mult + f.fee;
  p.fees += f.fee;
  if (p.mark == 0) p.mark = f.price;
  const double old = p.quantity;
  if (old == 0 || (old > 0) == (q > 0)) {  // open or add
    const double now = old + q;
    p.avg_price = (std::fabs(old) * p.avg_price + f.quantity * f.price) / std::fabs(now);
    p.quantity = now;
    if (old == 0)
      open_trade(f, f.quantity, f.fee);
    else
      add_to_trade(s, f, f.quantity, f.fee);
    return;
  }
  // Reduce, close or flip.
  const double close_qty = std::fmin(f.quantity, std::fabs(old));
  const double pnl = close_qty * (f.price - p.avg_price) * (old > 0 ? 1.0 : -1.0) * mult;
  const double close_fee = f.fee * (close_qty / f.quantity);
  p.realized_pnl += pnl;
  const double rest = f.quantity - close_qty;
  const bool flat = close_qty == std::fabs(old);
  p.quantity = flat ? 0.0 : old + q;
  reduce_trade(s, f, close_qty, close_fee, pnl, reason);
  if (flat) p.avg_price = 0;
  if (rest > 0) {  // flipped: the rest opens a new trade the other way
    p.quantity = q > 0 ? rest : -rest;
    p.avg_price = f.price;
    open_trade(f, rest, f.fee - close_fee);
  }
}

void Portfolio::open_trade(const Fill& f, double qty, double fee) {
  Trade t;
  t.symbol = f.symbol;
  t.side = f.side;
  t.quantity = qty;
  t.entry_time = f.ts;
  t.entry_price = f.price;
  t.fees = fee;
  t.is_open = true;
  reserve_for_append(trades_);
  trades_.push_back(std::move(t));
  open_[f.symbol_id] = OpenTrade{static_cast<std::ptrdiff_t>(trades_.size() - 1), f.bar_index, 0, 0, 0};
}

void Portfolio::add_to_trade(SymbolId s, const Fill& f, double qty, double fee) {
  Trade& t = trades_[static_cast<std::size_t>(open_[s].trade)];
  t.entry_price = (t.entry_price * t.quantity + f.price * qty) / (t.quantity + qty);
  t.quantity += qty;
  t.fees += fee;
}

void Portfolio::reduce_trade(SymbolId s, const Fill& f, double qty, double fee, double pnl, std::string_view reason) {
  OpenTrade& ot = open_[s];
  TL_ASSERT(ot.trade >= 0, "a reducing fill without an open trade");
  Trade& t = trades_[static_cast<std::size_t>(ot.trade)];
  ot.exit_quantity += qty;
  ot.exit_value += qty * f.price;
  ot.realized += pnl;
  t.fees += fee;
  if (positions_[s].quantity != 0) return;  // partial exit: the trade stays open
  t.exit_time = f.ts;
  t.exit_price = ot.exit_value / ot.exit_quantity;
  t.pnl = ot.realized - t.fees;
  const double basis = t.entry_price * t.quantity * instruments_[s].multiplier;
  t.return_pct = basis > 0 ? t.pnl / basis * 100.0 : 0.0;
  t.exit_reason = std::string(reason);
  t.bars_held = static_cast<std::int64_t>(f.bar_index) - static_cast<std::int64_t>(ot.entry_bar);
  t.is_open = false;
  ot = OpenTrade{};
}

void Portfolio::update_open_trades(const std::vector<std::size_t>& last_bar_index) {
  for (SymbolId s = 0; s < open_.size(); ++s) {
    const OpenTrade& ot = open_[s];
    if (ot.trade < 0) continue;
    Trade& t = trades_[static_cast<std::size_t>(ot.trade)];
    t.pnl = ot.realized + unrealized_pnl(s) - t.fees;
    const double basis = t.entry_price * t.quantity * instruments_[s].multiplier;
    t.return_pct = basis > 0 ? t.pnl / basis * 100.0 : 0.0;
    if (s < last_bar_index.size())
      t.bars_held = static_cast<std::int64_t>(last_bar_index[s]) - static_cast<std::int64_t>(ot.entry_bar);
  }
}

}  // namespace tradeloop
