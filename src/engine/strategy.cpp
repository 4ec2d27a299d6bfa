#include "tradeloop/engine/strategy.hpp"

#include <cmath>
#include <limits>

#include "tradeloop/engine/kernel.hpp"
#include "tradeloop/engine/order_checks.hpp"

namespace tradeloop {

const char* to_string(Sizing s) noexcept {
  switch (s) {
    case Sizing::kRisk: return "risk";
    case Sizing::kFraction: return "fraction";
    case Sizing::kUnits: return "units";
    case Sizing::kNotional: return "notional";
    case Sizing::kAllIn: return "all_in";
  }
  return "?";
}

const char* to_string(FillTiming f) noexcept { return f == FillTiming::kClose ? "close" : "next_open"; }

const char* to_string(Signal s) noexcept {
  switch (s) {
    case Signal::kHold: return "HOLD";
    case Signal::kBuy: return "BUY";
    case Signal::kSell: return "SELL";
  }
  return "?";
}

namespace detail_strategy {
Kernel& need(Kernel* k) {
  if (!k) throw Exception(ErrorCode::kInvalidArgument, "strategy helpers may only be called while a kernel runs the strategy");
  return *k;
}
}  // namespace detail_strategy

OrderId RealtimeStrategy::order_on_current(Side side, double quantity, double price, double stop_loss,
                                            double take_profit) {
  OrderRequest r;
  r.symbol = current_symbol();
  r.side = side;
  r.type = price > 0 ? OrderType::kLimit : OrderType::kMarket;
  r.quantity = quantity;
  r.limit_price = price;
  r.stop_loss = stop_loss;
  r.take_profit = take_profit;
  return submit(r);
}

OrderId RealtimeStrategy::buy(double quantity, double price, double stop_loss, double take_profit) {
  return order_on_current(Side::kBuy, quantity, price, stop_loss, take_profit);
}

OrderId RealtimeStrategy::sell(double quantity, double price, double stop_loss, double take_profit) {
  return order_on_current(Side::kSell, quantity, price, stop_loss, take_profit);
}

OrderId RealtimeStrategy::submit(const OrderRequest& request) { return detail_strategy::need(kernel_).submit(request); }
bool RealtimeStrategy::cancel(OrderId id) { return detail_strategy::need(kernel_).cancel(id); }
bool RealtimeStrategy::modify(OrderId id, double quantity, double limit_price, double stop_price) {
  return detail_strategy::need(kernel_).modify(id, quantity, limit_price, stop_price);
}

void RealtimeStrategy::close_all_positions(std::string_view reason) {
  Kernel& k = detail_strategy::need(kernel_);
  for (SymbolId s = 0; s < k.portfolio().symbol_count(); ++s) k.close_position(s, reason);
}

void RealtimeStrategy::close_position(SymbolId symbol, std::string_view reason) {
  detail_strategy::need(kernel_).close_position(symbol, reason);
}

double RealtimeStrategy::position() const noexcept { return position(current_symbol()); }
double RealtimeStrategy::position(SymbolId symbol) const noexcept {
  return kernel_ ? kernel_->portfolio().position(symbol).quantity : 0.0;
}
double RealtimeStrategy::cash() const noexcept { return kernel_ ? kernel_->portfolio().cash() : config.initial_capital; }
double RealtimeStrategy::equity() const noexcept { return kernel_ ? kernel_->portfolio().equity() : config.initial_capital; }
const Order* RealtimeStrategy::order(OrderId id) const noexcept { return kernel_ ? kernel_->order(id) : nullptr; }
bool RealtimeStrategy::has_working_entry(SymbolId symbol) const noexcept {
  return kernel_ && kernel_->has_working_entry(symbol);
}
SymbolId RealtimeStrategy::current_symbol() const noexcept { return kernel_ ? kernel_->current_symbol() : 0; }
const std::string& RealtimeStrategy::symbol_name(SymbolId symbol) const noexcept {
  return detail_strategy::need(kernel_).feed().history(symbol).symbol();
}
std::size_t RealtimeStrategy::symbol_count() const noexcept { return kernel_ ? kernel_->feed().symbol_count() : 0; }
BarHistory RealtimeStrategy::history() const noexcept { return history(current_symbol()); }
BarHistory RealtimeStrategy::history(SymbolId symbol) const noexcept {
  return kernel_ ? kernel_->history(symbol) : BarHistory();
}
Timestamp RealtimeStrategy::now() const noexcept { return kernel_ ? kernel_->now() : 0; }

double RealtimeStrategy::entry_quantity(SymbolId symbol, double price, double stop_distance) const noexcept {
  if (!kernel_) return 0;
  return sized_entry_quantity(config, kernel_->portfolio(), symbol, price, stop_distance);
}

void RealtimeStrategy::apply_signal(Signal signal, const Candle& candle, std::string_view reason) {
  apply_signal(signal, candle, reason, EntryExits{});
}

void RealtimeStrategy::apply_signal(Signal signal, const Candle& candle, std::string_view reason,
                                    const EntryExits& exits) {
  if (signal == Signal::kHold) return;
  Kernel& k = detail_strategy::need(kernel_);
  const SymbolId s = candle.symbol;
  const double pos = position(s);
  const bool buy_signal = signal == Signal::kBuy;
  if ((buy_signal && pos < 0) || (!buy_signal && pos > 0)) k.close_position(s, reason);
  if (buy_signal ? pos > 0 : pos < 0) return;        // already positioned that way
  if (!buy_signal && !config.allow_short) return;   // SELL only exits
  if (k.has_working_entry(s)) return;
  // Other symbols holding a position or an entry on its way both count toward max_positions.
  const Portfolio& pf = k.portfolio();
  std::size_t others = 0;
  for (SymbolId o = 0; o < pf.symbol_count(); ++o)
    others += o != s && (pf.position(o).quantity != 0 || k.has_working_entry(o));
  if (others >= static_cast<std::size_t>(config.max_positions)) return;
  const double stop_distance = exits.stop_loss > 0 ? std::fabs(candle.close - exits.stop_loss) : exits.trail_amount;
  const double q = entry_quantity(s, candle.close, stop_distance);
  if (!(q > 0)) return;
  OrderRequest r;
  r.symbol = s;
  r.side = buy_signal ? Side::kBuy : Side::kSell;
  r.quantity = q;
  r.stop_loss = exits.stop_loss;
  r.take_profit = exits.take_profit;
  r.stop_loss_fraction = exits.stop_loss > 0 ? 0 : config.stop_loss_pct;
  r.take_profit_fraction = exits.take_profit > 0 ? 0 : config.take_profit_pct;
  r.tag = std::string(reason);
  if (exits.trail_amount <= 0) {
    k.submit(r);
    return;
  }
  OrderRequest trail;
  trail.symbol = s;
  trail.side = buy_signal ? Side::kSell : Side::kBuy;
  trail.type = OrderType::kTrailingStop;
  trail.trail_amount = exits.trail_amount;
  trail.reduce_only = true;
  trail.tag = "trailing_stop";
  k.submit_oto(r, trail);
}

// ---------------------------------------------------------------- SignalStrategy

double SignalStrategy::at(std::string_view name, std::size_t i) const {
  auto col = data_.column(name);
  if (!col.ok() || i >= col->size()) return std::numeric_limits<double>::quiet_NaN();
  return (*col)[i];
}

void SignalStrategy::on_start() {
  Kernel& k = detail_strategy::need(kernel());
  if (data_.empty()) data_ = k.feed().history(0);
  calculate_indicators();
  signals_ = generate_signals();
  if (signals_.size() != data_.size())
    throw Exception(ErrorCode::kInvalidArgument, "generate_signals returned " + std::to_string(signals_.size()) +
                                                     " signals for " + std::to_string(data_.size()) + " bars");
}

void SignalStrategy::on_candle(const Candle& candle) {
  if (candle.symbol != 0 || candle.index >= signals_.size()) return;
  apply_signal(signals_[candle.index].signal, candle, "signal");
}

}  // namespace tradeloop
