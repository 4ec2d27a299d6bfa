#include "tradeloop/engine/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "tradeloop/core/memory.hpp"
#include "tradeloop/core/params.hpp"
#include "tradeloop/engine/historical_feed.hpp"
#include "tradeloop/engine/order_checks.hpp"

namespace tradeloop {

namespace detail_kernel {
// Quantities that differ by less than this share of the order size count as equal, so that
// binary noise in partial-fill sums never leaves a 1e-17 remainder working.
Side opposite(Side s) { return s == Side::kBuy ? Side::kSell : Side::kBuy; }
}  // namespace detail_kernel

Kernel::Kernel(Clock& clock, DataFeed& feed, Venue& venue, Portfolio& portfolio, KernelConfig config)
    : clock_(clock), feed_(feed), venue_(venue), portfolio_(portfolio), config_(config) {
  const std::size_t n = feed_.symbol_count();
  TL_ASSERT(portfolio_.symbol_count() == n, "portfolio and feed must have the same symbols");
  last_index_.assign(n, 0);
  working_ids_.assign(n, {});
  venue_.set_listener(this);
}

void Kernel::set_strategy(RealtimeStrategy* strategy) noexcept {
  strategy_ = strategy;
  if (strategy_) strategy_->kernel_ = this;
}

void Kernel::reserve(std::size_t bars) {
  reserve_advised(equity_, bars);
  // Orders, fills and trades are reserved for one order per 16 bars (address space only: a
  // strategy that trades less never touches the rest), so a busy strategy appends without
  // moving 250-byte orders through doubling copies or faulting in each copy's pages.
  const std::size_t orders = bars / 16 + 16;
  reserve_advised(orders_, orders);
  reserve_advised(fills_, orders);
  portfolio_.reserve_trades(orders / 2);
}

BarHistory Kernel::history(SymbolId symbol) const noexcept {
  return BarHistory(&feed_.history(symbol), seen_bars_[symbol]);
}

inline void Kernel::record_equity(Timestamp ts, double pv) {
  if (!config_.record_equity) return;
  const double eq = portfolio_.cash() + pv;
  double dd = 0;
  if (equity_.empty() || eq >= peak_equity_) {
    peak_equity_ = eq;
  } else if (eq == equity_.back().equity) {
    dd = equity_.back().drawdown_pct;  // flat account: same value, no division
  } else if (peak_equity_ > 0) {
    dd = (eq / peak_equity_ - 1.0) * 100.0;
  }
  equity_.push_back(EquityPoint{ts, eq, portfolio_.cash(), pv, dd});
}

inline void Kernel::step(const Candle& c, bool at_close) {
  const SymbolId s = c.symbol;
  current_symbol_ = s;
  last_index_[s] = c.index;
  seen_bars_[s] = c.index + 1;
  // A venue only needs the bar when it holds orders of this symbol (the hot path of a
  // backtest is a bar with no working order: no virtual call, no matching).
  if (!working_ids_[s].empty()) venue_.on_bar(s, c.bar(), c.index);
  portfolio_.mark(s, c.close);
  strategy_->on_candle(c);
  if (at_close && !working_ids_[s].empty()) venue_.fill_at_close(s, c.bar(), c.index);
}

template <class Feed, class ClockT>
void Kernel::loop(Feed& feed, ClockT& clock) {
  MarketEvent e;
  Timestamp current = 0;
  bool have = false;
  const bool at_close = config_.fill == FillTiming::kClose;
  while (feed.next(e)) {
    if (have && e.bar.ts != current) record_equity(current, portfolio_.position_value());
    current = e.bar.ts;
    have = true;
    clock.advance_to(e.bar.ts);
    ++bars_processed_;
    const Bar& b = e.bar;
    step(Candle{b.ts, b.open, b.high, b.low, b.close, b.volume, e.symbol, e.index}, at_close);
  }
  if (have) record_equity(current, portfolio_.position_value());
}

// One historical series (the common backtest): a plain walk over its columns, one equity row
// per bar, with no merge and no event copy; the data check runs block by block in the same walk.
void Kernel::loop_single(HistoricalFeed& feed, HistoricalClock& clock) {
  const BarSeries& series = feed.history(0);
  const std::size_t n = series.size();
  const bool at_close = config_.fill == FillTiming::kClose;
  // Column pointers in locals survive the strategy's virtual call (members would be reloaded).
  const Timestamp* ts = series.timestamps().data();
  const double *open = series.open().data(), *high = series.high().data(), *low = series.low().data(),
               *close = series.close().data(), *volume = series.volume().data();
  const double multiplier = portfolio_.instrument(0).multiplier;
  for (std::size_t start = 0; start < n; start += HistoricalFeed::kCheckBlock) {
    const std::size_t end = std::min(n, start + HistoricalFeed::kCheckBlock);
    // Bad data is an error before the strategy sees any bar of its block (the run is then
    // abandoned: Backtest returns the error, no result).
    if (Status st = HistoricalFeed::check_rows(series, start, end); !st.ok()) throw Exception(st.error());
    for (std::size_t i = start; i < end; ++i) {
      clock.advance_to(ts[i]);
      step(Candle{ts[i], open[i], high[i], low[i], close[i], volume[i], 0, i}, at_close);
      const Position& p = portfolio_.position(0);
      record_equity(ts[i], p.quantity * p.mark * multiplier);  // == position_value() for one symbol
    }
  }
  bars_processed_ += n;
  feed.skip_to_end();
}

void Kernel::run() {
  TL_ASSERT(strategy_ != nullptr, "Kernel::run needs a strategy");
  seen_bars_.assign(feed_.symbol_count(), 0);
  strategy_->on_start();
  auto* hfeed = dynamic_cast<HistoricalFeed*>(&feed_);
  auto* hclock = dynamic_cast<HistoricalClock*>(&clock_);
  if (hfeed && hclock && hfeed->symbol_count() == 1)
    loop_single(*hfeed, *hclock);
  else if (hfeed && hclock)
    loop(*hfeed, *hclock);
  else
    loop(feed_, clock_);
  finish();
}

void Kernel::finish() {
  if (config_.close_at_end && bars_processed_ > 0) {
    bool closed = false;
    for (SymbolId s = 0; s < portfolio_.symbol_count(); ++s) {
      if (seen_bars_[s] == 0) continue;
      current_symbol_ = s;
      const bool had_position = portfolio_.position(s).quantity != 0;
      close_position(s, "end_of_data");
      if (had_position) {
        venue_.fill_at_close(s, feed_.history(s).bar(last_index_[s]), last_index_[s]);
        closed = true;
      }
    }
    if (closed && config_.record_equity && !equity_.empty()) {
      // The last row is the state after that bar's fills: include the close-out.
      const Timestamp ts = equity_.back().ts;
      equity_.pop_back();
      if (!equity_.empty()) {
        peak_equity_ = equity_.front().equity;
        for (const auto& p : equity_) peak_equity_ = std::max(peak_equity_, p.equity);
      }
      record_equity(ts, portfolio_.position_value());
    }
  }
  portfolio_.update_open_trades(last_index_);
  strategy_->on_stop();
}

// ---------------------------------------------------------------- OMS

Order& Kernel::order_ref(OrderId id) {
  if (id == 0 || id > orders_.size())
    throw Exception(ErrorCode::kInternal, "venue reported unknown order id " + std::to_string(id));
  return orders_[id - 1];
}

const Order* Kernel::order(OrderId id) const noexcept {
  return id == 0 || id > orders_.size() ? nullptr : &orders_[id - 1];
}

void Kernel::transition(Order& o, OrderStatus to, Timestamp ts) {
  if (!is_legal_transition(o.status, to))
    throw Exception(ErrorCode::kInternal, "order " + std::to_string(o.id) + ": illegal transition from " +
                                              to_string(o.status) + " to " + to_string(to));
  o.status = to;
  o.updated_ts = ts;
}

Status Kernel::validate_and_round(Order& o) const {
  const Instrument& ins = portfolio_.instrument(o.symbol_id);
  auto finite_nonneg = [](double v) { return std::isfinite(v) && v >= 0; };
  if (!std::isfinite(o.quantity) || o.quantity <= 0)
    return invalid_argument("quantity must be > 0, got " + format_number(o.quantity));
  if (!finite_nonneg(o.limit_price) || !finite_nonneg(o.stop_price) || !finite_nonneg(o.trail_pct) ||
      !finite_nonneg(o.trail_amount) || !finite_nonneg(o.activation_price))
    return invalid_argument("prices must be finite and >= 0");
  const bool needs_limit = o.type == OrderType::kLimit || o.type == OrderType::kStopLimit;
  const bool needs_stop = o.type == OrderType::kStop || o.type == OrderType::kStopLimit;
  if (needs_limit && o.limit_price <= 0) return invalid_argument(std::string(to_string(o.type)) + " order needs limit_price > 0");
  if (needs_stop && o.stop_price <= 0) return invalid_argument(std::string(to_string(o.type)) + " order needs stop_price > 0");
  if (o.type == OrderType::kTrailingStop && !((o.trail_pct > 0 && o.trail_pct < 1) || o.trail_amount > 0))
    return invalid_argument("trailing stop needs trail_pct in (0, 1) (a fraction) or trail_amount > 0");
  if (o.post_only && o.type != OrderType::kLimit) return invalid_argument("post_only applies to limit orders only");
  if (o.limit_price > 0) o.limit_price = ins.round_price(o.limit_price);
  if (o.stop_price > 0) o.stop_price = ins.round_price(o.stop_price);
  const double ref = o.limit_price > 0 ? o.limit_price : o.stop_price > 0 ? o.stop_price : portfolio_.position(o.symbol_id).mark;
  std::string why = check_order_size(portfolio_, o.symbol_id, o.side, o.quantity, ref, o.reduce_only, config_.allow_short);
  if (!why.empty()) return invalid_argument(std::move(why));
  return Status::Ok();
}

void Kernel::reject(Order& o, std::string reason) {
  o.reject_reason = std::move(reason);
  transition(o, OrderStatus::kRejected, clock_.now());
}

OrderId Kernel::submit(const OrderRequest& r) { return submit_linked(r, 0, 0); }

OrderId Kernel::submit_linked(const OrderRequest& r, OrderId parent, std::uint64_t oco_group) {
  reserve_for_append(orders_);
  Order& o = orders_.emplace_back();  // built in place: an Order is 250 bytes with three strings
  o.id = orders_.size();
  o.parent_id = parent;
  o.oco_group = oco_group;
  o.symbol_id = r.symbol;
  static_cast<OrderTerms&>(o) = r;
  o.tag = r.tag;
  o.created_ts = clock_.now();
  o.updated_ts = o.created_ts;
  const OrderId id = o.id;
  Status st;
  if (r.symbol >= feed_.symbol_count()) {
    st = invalid_argument("unknown symbol id " + std::to_string(r.symbol));
  } else {
    o.symbol = feed_.history(r.symbol).symbol();
    o.created_bar = last_index_[r.symbol];
    st = validate_and_round(o);
    if (st.ok() && risk_) st = risk_->check(o, portfolio_);
  }
  if (!st.ok()) {
    reject(o, st.error().message);
    if (strategy_) strategy_->on_order(o);
    return id;
  }
  const bool bracket = r.stop_loss > 0 || r.take_profit > 0 || r.stop_loss_fraction > 0 || r.take_profit_fraction > 0;
  if (bracket) {
    const std::uint64_t group = next_oco_++;
    OrderRequest child;
    child.symbol = r.symbol;
    child.side = detail_kernel::opposite(r.side);
    child.reduce_only = true;
    if (r.stop_loss > 0 || r.stop_loss_fraction > 0) {
      child.type = OrderType::kStop;
      child.stop_price = r.stop_loss;
      child.stop_loss_fraction = r.stop_loss_fraction;
      child.tag = "stop_loss";
      pending_children_.push_back(PendingChild{id, group, child});
    }
    if (r.take_profit > 0 || r.take_profit_fraction > 0) {
      child.type = OrderType::kLimit;
      child.stop_price = 0;
      child.stop_loss_fraction = 0;
      child.limit_price = r.take_profit;
      child.take_profit_fraction = r.take_profit_fraction;
      child.tag = "take_profit";
      pending_children_.push_back(PendingChild{id, group, child});
    }
  }
  working_ids_[r.symbol].push_back(id);
  venue_.submit(orders_[id - 1]);
  return id;
}

std::pair<OrderId, OrderId> Kernel::submit_oco(const OrderRequest& a, const OrderRequest& b) {
  const std::uint64_t group = next_oco_++;
  const OrderId ia = submit_linked(a, 0, group);
  const OrderId ib = submit_linked(b, 0, group);
  return {ia, ib};
}

OrderId Kernel::submit_oto(const OrderRequest& parent, const OrderRequest& child) {
  const OrderId id = submit(parent);
  if (orders_[id - 1].status != OrderStatus::kRejected) pending_children_.push_back(PendingChild{id, 0, child});
  return id;
}

bool Kernel::cancel(OrderId id, std::string_view reason) {
  const Order* o = order(id);
  if (!o || is_terminal(o->status) || o->status == OrderStatus::kNew) return false;
  cancel_reason_ = std::string(reason);
  venue_.cancel(id);
  cancel_reason_.clear();
  return true;
}

bool Kernel::modify(OrderId id, double quantity, double limit_price, double stop_price) {
  const Order* o = order(id);
  if (!o || is_terminal(o->status)) return false;
  if (quantity < 0 || limit_price < 0 || stop_price < 0) return false;
  const Instrument& ins = portfolio_.instrument(o->symbol_id);
  const double q = quantity > 0 ? ins.round_quantity(quantity) : 0;
  if (quantity > 0 && q <= o->filled_quantity) return false;
  Order& m = orders_[id - 1];
  if (q > 0) m.quantity = q;
  if (limit_price > 0) m.limit_price = ins.round_price(limit_price);
  if (stop_price > 0) m.stop_price = ins.round_price(stop_price);
  m.updated_ts = clock_.now();
  venue_.modify(id, m.quantity, m.limit_price, m.stop_price);
  return true;
}

void Kernel::close_position(SymbolId symbol, std::string_view reason) {
  for_each_working(symbol, [&](OrderId id) { cancel(id, "position closed"); });
  std::erase_if(pending_children_, [&](const PendingChild& c) { return orders_[c.parent - 1].symbol_id == symbol; });
  const double q = portfolio_.position(symbol).quantity;
  if (q == 0) return;
  OrderRequest r;
  r.symbol = symbol;
  r.side = q > 0 ? Side::kSell : Side::kBuy;
  r.quantity = std::fabs(q);
  r.reduce_only = true;
  r.tag = std::string(reason);
  submit(r);
}

bool Kernel::has_working_entry(SymbolId symbol) const noexcept {
  for (OrderId id : working_ids_[symbol])
    if (!orders_[id - 1].reduce_only) return true;
  return false;
}

void Kernel::retire(const Order& o) {
  auto& ids = working_ids_[o.symbol_id];
  std::erase(ids, o.id);
}

void Kernel::on_order_update(const OrderUpdate& u) {
  Order& o = order_ref(u.order_id);
  transition(o, u.status, u.ts);
  if (!u.reason.empty())
    o.reject_reason = u.reason;
  else if (u.status == OrderStatus::kCancelled && !cancel_reason_.empty())
    o.reject_reason = cancel_reason_;
  if (is_terminal(o.status)) {
    retire(o);
    const OrderId id = o.id;
    if (o.filled_quantity > 0)
      activate_children(id);
    else
      std::erase_if(pending_children_, [&](const PendingChild& c) { return c.parent == id; });
  }
  if (strategy_) strategy_->on_order(orders_[u.order_id - 1]);
}

void Kernel::on_fill(const Fill& fill) {
  Order& o = order_ref(fill.order_id);
  TL_ASSERT(fill.quantity > 0, "fill quantity must be > 0");
  TL_ASSERT(fill.quantity <= o.remaining() * (1 + kQuantityEpsilon), "fill larger than the order's remainder");
  const double filled = o.filled_quantity + fill.quantity;
  o.avg_fill_price = o.filled_quantity == 0 ? fill.price
                                            : (o.avg_fill_price * o.filled_quantity + fill.price * fill.quantity) / filled;
  o.filled_quantity = filled;
  const bool done = o.quantity - filled <= kQuantityEpsilon * o.quantity;
  if (done) o.filled_quantity = o.quantity;
  transition(o, done ? OrderStatus::kFilled : OrderStatus::kPartiallyFilled, fill.ts);
  reserve_for_append(fills_);
  fills_.push_back(fill);
  Fill& f = fills_.back();
  if (f.symbol.empty()) f.symbol = o.symbol;  // venues may leave it to the kernel
  f.symbol_id = o.symbol_id;
  portfolio_.apply_fill(f, o.tag);
  const OrderId id = o.id;
  const SymbolId s = o.symbol_id;
  const std::uint64_t group = o.oco_group;
  if (done) retire(o);
  if (group != 0)
    for_each_working(s, [&](OrderId other) {
      if (other != id && orders_[other - 1].oco_group == group) cancel(other, "oco");
    });
  if (portfolio_.position(s).quantity == 0)  // nothing left to reduce: reduce-only orders are void
    for_each_working(s, [&](OrderId other) {
      if (other != id && orders_[other - 1].reduce_only) cancel(other, "position closed");
    });
  const std::size_t fill_index = fills_.size() - 1;  // `f` may move when children fill
  if (done) activate_children(id);
  if (strategy_) {
    strategy_->on_fill(fills_[fill_index]);
    strategy_->on_order(orders_[id - 1]);
  }
}

void Kernel::activate_children(OrderId parent_id) {
  std::vector<PendingChild> mine;
  std::erase_if(pending_children_, [&](const PendingChild& c) {
    if (c.parent != parent_id) return false;
    mine.push_back(c);
    return true;
  });
  const Order& parent = orders_[parent_id - 1];
  const double fill_price = parent.avg_fill_price;
  const double qty = parent.filled_quantity;
  const bool long_entry = parent.side == Side::kBuy;
  for (PendingChild& c : mine) {
    OrderRequest r = c.request;
    if (r.quantity <= 0) r.quantity = qty;
    if (r.stop_loss_fraction > 0 && r.stop_price <= 0)
      r.stop_price = fill_price * (long_entry ? 1 - r.stop_loss_fraction : 1 + r.stop_loss_fraction);
    if (r.take_profit_fraction > 0 && r.limit_price <= 0)
      r.limit_price = fill_price * (long_entry ? 1 + r.take_profit_fraction : 1 - r.take_profit_fraction);
    r.stop_loss_fraction = r.take_profit_fraction = 0;
    submit_linked(r, parent_id, c.oco_group);
  }
}

}  // namespace tradeloop
