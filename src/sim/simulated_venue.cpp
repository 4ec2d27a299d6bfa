// The bar fill model of docs/fills.md. Every order is matched against one price path per bar:
// open -> nearer extreme -> farther extreme -> close, parameterised by a "path time" t in
// [0, 3] (t = 0 the open, t = k the k-th vertex, fractions in between, linear in price). An
// order's fill time is the first t at which it becomes fillable; orders fill in fill-time
// order, so a bracket's children (submitted by the kernel from inside a parent's fill) join
// the same bar at the parent's fill time.
#include "tradeloop/sim/simulated_venue.hpp"

#include <algorithm>
#include <cmath>

namespace tradeloop {

namespace detail_sim {

constexpr double kNoCap = std::numeric_limits<double>::infinity();

std::int64_t utc_day(Timestamp ts) { return ts >= 0 ? ts / kNanosPerDay : (ts - kNanosPerDay + 1) / kNanosPerDay; }

bool is_stop_like(OrderType t) {
  return t == OrderType::kStop || t == OrderType::kStopLimit || t == OrderType::kTrailingStop;
}

// First path time >= t0 at which the price is <= x (below) or >= x (above), starting from
// price p0 at t0. At the start point the fill price is p0 (a gap through x); inside a
// segment it is x.
bool first_touch(const double (&p)[4], double t0, double p0, double x, bool below, double& t, double& price) {
  if (below ? p0 <= x : p0 >= x) {
    t = t0;
    price = p0;
    return true;
  }
  int k = static_cast<int>(t0);
  double a = p0, ta = t0;
  for (; k < 3; ++k) {
    const double b = p[k + 1];
    if (below ? b <= x : b >= x) {
      t = ta + (k + 1 - ta) * ((x - a) / (b - a));
      price = x;
      return true;
    }
    a = b;
    ta = k + 1;
  }
  return false;
}

// Rounds a slipped price to the tick, against the trader (buys up, sells down).
double round_adverse(const Instrument& ins, double price, Side side) {
  if (ins.tick_size <= 0) return price;
  const double n = price / ins.tick_size;
  const double k = side == Side::kBuy ? std::ceil(n - 1e-9) : std::floor(n + 1e-9);
  return ins.round_price(k * ins.tick_size);
}

}  // namespace detail_sim

const char* to_string(SlippageModel m) noexcept {
  switch (m) {
    case SlippageModel::kNone: return "none";
    case SlippageModel::kFraction: return "fraction";
    case SlippageModel::kTicks: return "ticks";
    case SlippageModel::kVolumeShare: return "volume_share";
  }
  return "?";
}

const char* to_string(IntrabarPriority p) noexcept { return p == IntrabarPriority::kPath ? "path" : "stop_first"; }

double SimulatedVenue::Path::price_at(double t) const noexcept {
  if (t >= 3) return p[3];
  const int k = static_cast<int>(t);
  const double frac = t - k;
  return frac == 0 ? p[k] : p[k] + (p[k + 1] - p[k]) * frac;
}

SimulatedVenue::SimulatedVenue(const Portfolio& portfolio, SimConfig config)
    : portfolio_(portfolio), config_(config) {}

std::ptrdiff_t SimulatedVenue::find(OrderId id) const noexcept {
  for (std::size_t i = 0; i < working_.size(); ++i)
    if (working_[i].order.id == id) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

void SimulatedVenue::emit(OrderId id, OrderStatus status, Timestamp ts, const char* reason) {
  if (listener_) listener_->on_order_update(OrderUpdate{id, status, ts, reason ? reason : ""});
}

void SimulatedVenue::remove(std::size_t slot) { working_.erase(working_.begin() + static_cast<std::ptrdiff_t>(slot)); }

void SimulatedVenue::submit(const Order& order) {
  Working& w = working_.emplace_back();
  static_cast<OrderTerms&>(w.order) = order;
  w.order.id = order.id;
  w.order.symbol_id = order.symbol_id;
  w.order.oco_group = order.oco_group;
  w.order.filled_quantity = order.filled_quantity;
  w.close_out = order.tag == "end_of_data";
  w.start_bar = order.created_bar + 1;
  if (matching_ && order.symbol_id == matching_symbol_) {
    // A contingent child released by a fill in the bar being matched: it joins the rest of
    // this bar's path from the parent's fill time.
    w.start_bar = matching_index_;
    w.start_t = now_t_;
  }
  if (order.type == OrderType::kTrailingStop) {
    // The trail starts from the last price the account was marked at (the close of the bar
    // that created the order).
    const double mark = portfolio_.position(order.symbol_id).mark;
    const double last = mark > 0 ? mark : std::numeric_limits<double>::quiet_NaN();
    w.trail_ref = last;
    const bool sell = order.side == Side::kSell;
    w.trail_active = order.activation_price <= 0 || (!std::isnan(last) && (sell ? last >= order.activation_price
                                                                                : last <= order.activation_price));
  }
  emit(order.id, OrderStatus::kAccepted, order.created_ts, nullptr);
}

void SimulatedVenue::cancel(OrderId id) {
  const std::ptrdiff_t i = find(id);
  if (i < 0) return;
  remove(static_cast<std::size_t>(i));
  emit(id, OrderStatus::kCancelled, now_ts_, nullptr);
}

void SimulatedVenue::modify(OrderId id, double quantity, double limit_price, double stop_price) {
  const std::ptrdiff_t i = find(id);
  if (i < 0) return;
  Resting& o = working_[static_cast<std::size_t>(i)].order;
  if (quantity > 0) o.quantity = quantity;
  if (limit_price > 0) o.limit_price = limit_price;
  if (stop_price > 0) o.stop_price = stop_price;
}

// Trailing stop walk from t0: updates the best price seen and the activation along the path;
// a fill happens on a segment moving against the position through the (then fixed) stop.
namespace detail_sim {
struct TrailState {
  bool active;
  double ref;
};
double trail_stop(const OrderTerms& o, double ref) {
  const bool sell = o.side == Side::kSell;
  if (o.trail_pct > 0) return sell ? ref * (1 - o.trail_pct) : ref * (1 + o.trail_pct);
  return sell ? ref - o.trail_amount : ref + o.trail_amount;
}
void trail_see(const OrderTerms& o, TrailState& s, double price) {
  const bool sell = o.side == Side::kSell;
  if (!s.active && (o.activation_price <= 0 || (sell ? price >= o.activation_price : price <= o.activation_price))) {
    s.active = true;
    s.ref = price;
  }
  if (s.active) s.ref = std::isnan(s.ref) ? price : (sell ? std::fmax(s.ref, price) : std::fmin(s.ref, price));
}
// Returns true and the fill (t, price) if the stop is hit; `s` ends as the state at the end
// of the walk (or at the fill).
bool trail_walk(const OrderTerms& o, TrailState& s, const double (&p)[4], double t0, double p0, double& t, double& price) {
  const bool sell = o.side == Side::kSell;
  auto hit = [&](double x) { return s.active && !std::isnan(s.ref) && (sell ? x <= trail_stop(o, s.ref) : x >= trail_stop(o, s.ref)); };
  if (hit(p0)) {
    t = t0;
    price = p0;
    return true;
  }
  trail_see(o, s, p0);
  double a = p0, ta = t0;
  for (int k = static_cast<int>(t0); k < 3; ++k) {
    const double b = p[k + 1];
    const bool against = sell ? b < a : b > a;
    if (against && hit(b)) {
      const double x = trail_stop(o, s.ref);
      t = ta + (k + 1 - ta) * ((x - a) / (b - a));
      price = x;
      return true;
    }
    // Moving in favour the stop follows; the activation level may be crossed on the way.
    if (!s.active && o.activation_price > 0 && (sell ? b >= o.activation_price : b <= o.activation_price)) {
      s.active = true;
      s.ref = b;
    }
    trail_see(o, s, b);
    a = b;
    ta = k + 1;
  }
  return false;
}
}  // namespace detail_sim

bool SimulatedVenue::evaluate(const Working& w, const Path& path, double t0, Candidate& out) const {
  const Resting& o = w.order;
  const bool buy = o.side == Side::kBuy;
  const double p0 = path.price_at(t0);
  double t = 0, price = 0;
  out.maker = false;
  auto as_limit = [&](double from_t, double from_p) {
    if (!detail_sim::first_touch(path.p, from_t, from_p, o.limit_price, buy, t, price)) return false;
    out.t = t;
    out.price = price;
    out.maker = t > from_t || w.rested;  // it rested in the book, then the market came to it
    return true;
  };
  switch (o.type) {
    case OrderType::kMarket:
      out.t = t0;
      out.price = p0;
      return true;
    case OrderType::kLimit: return as_limit(t0, p0);
    case OrderType::kStop:
      if (w.triggered) {
        out.t = t0;
        out.price = p0;
        return true;
      }
      if (!detail_sim::first_touch(path.p, t0, p0, o.stop_price, !buy, t, price)) return false;
      out.t = t;
      out.price = price;
      return true;
    case OrderType::kStopLimit: {
      if (w.triggered) return as_limit(t0, p0);
      if (!detail_sim::first_touch(path.p, t0, p0, o.stop_price, !buy, t, price)) return false;
      return as_limit(t, price);
    }
    case OrderType::kTrailingStop: {
      if (w.triggered) {
        out.t = t0;
        out.price = p0;
        return true;
      }
      detail_sim::TrailState s{w.trail_active, w.trail_ref};
      if (!detail_sim::trail_walk(o, s, path.p, t0, p0, t, price)) return false;
      out.t = t;
      out.price = price;
      return true;
    }
  }
  return false;
}

double slipped_price(const SlippageConfig& slippage, const Instrument& ins, Side side, double price,
                     double quantity, double volume) noexcept {
  const double dir = side == Side::kBuy ? 1.0 : -1.0;
  double p = price;
  switch (slippage.model) {
    case SlippageModel::kNone: break;
    case SlippageModel::kFraction: p = price * (1 + dir * slippage.fraction); break;
    case SlippageModel::kTicks: p = price + dir * slippage.ticks * ins.tick_size; break;
    case SlippageModel::kVolumeShare: {
      const double share = volume > 0 ? std::fmin(quantity / volume, 1.0) : 1.0;
      p = price * (1 + dir * slippage.impact * share * share);
      break;
    }
  }
  p = detail_sim::round_adverse(ins, p, side);
  return p > 0 ? p : price;
}

double SimulatedVenue::slipped(const Working& w, double price, double qty, double volume) const {
  const Resting& o = w.order;
  return slipped_price(config_.slippage, portfolio_.instrument(o.symbol_id), o.side, price, qty, volume);
}

void SimulatedVenue::on_bar(SymbolId symbol, const Bar& bar, std::size_t index) { match(symbol, bar, index, false); }

void SimulatedVenue::fill_at_close(SymbolId symbol, const Bar& bar, std::size_t index) {
  match(symbol, bar, index, true);
}

void SimulatedVenue::match(SymbolId symbol, const Bar& bar, std::size_t index, bool at_close) {
  bool any = false;
  for (const Working& w : working_) any |= w.order.symbol_id == symbol;
  if (!any) return;
  now_ts_ = bar.ts;
  Path path;
  if (at_close) {
    path = Path{{bar.close, bar.close, bar.close, bar.close}};
  } else if (bar.high - bar.open < bar.open - bar.low) {
    path = Path{{bar.open, bar.high, bar.low, bar.close}};
  } else {
    path = Path{{bar.open, bar.low, bar.high, bar.close}};
  }
  bool any_day = false;  // the UTC day costs a 64-bit division: only when a DAY order exists
  for (const Working& w : working_) any_day |= w.order.symbol_id == symbol && w.order.tif == TimeInForce::kDay;
  const std::int64_t day = any_day ? detail_sim::utc_day(bar.ts) : 0;
  // Which orders take part, and from which path time.
  std::vector<OrderId>& expired = scratch_expired_;
  expired.clear();
  for (Working& w : working_) {
    if (w.order.symbol_id != symbol) continue;
    if (at_close) {
      const bool eligible = w.order.type == OrderType::kMarket && w.start_bar == index + 1;
      w.start_t = eligible ? 3.0 : -1.0;
      continue;
    }
    if (w.start_bar > index) continue;
    if (w.order.tif == TimeInForce::kDay) {
      if (w.day >= 0 && day > w.day) {
        expired.push_back(w.order.id);
        continue;
      }
      if (w.day < 0) w.day = day;
    }
    if (w.start_t < 0) w.start_t = 0;
  }
  for (OrderId id : expired) {
    remove(static_cast<std::size_t>(find(id)));
    emit(id, OrderStatus::kExpired, bar.ts, "day order expired");
  }
  matching_ = true;
  matching_symbol_ = symbol;
  matching_index_ = index;
  double capacity = config_.participation > 0 ? config_.participation * bar.volume : detail_sim::kNoCap;
  std::vector<OrderId>& took_part = scratch_took_part_;
  took_part.clear();
  std::vector<Candidate>& cands = scratch_candidates_;
  for (;;) {
    cands.clear();
    for (std::size_t i = 0; i < working_.size(); ++i) {
      const Working& w = working_[i];
      if (w.order.symbol_id != symbol || w.start_t < 0) continue;
      Candidate c;
      if (!evaluate(w, path, w.start_t, c)) continue;
      c.slot = i;
      cands.push_back(c);
    }
    if (cands.empty()) break;
    auto earlier = [&](const Candidate& a, const Candidate& b) {
      if (a.t != b.t) return a.t < b.t;
      return working_[a.slot].order.id < working_[b.slot].order.id;
    };
    Candidate best = *std::min_element(cands.begin(), cands.end(), earlier);
    {
      const Resting& bo = working_[best.slot].order;
      if (config_.priority == IntrabarPriority::kStopFirst && bo.oco_group != 0 && bo.type == OrderType::kLimit &&
          best.t > working_[best.slot].start_t) {
        for (const Candidate& c : cands) {
          const Resting& co = working_[c.slot].order;
          if (co.oco_group == bo.oco_group && detail_sim::is_stop_like(co.type)) {
            best = c;
            break;
          }
        }
      }
    }
    Working& w = working_[best.slot];
    const OrderId id = w.order.id;
    const double from_t = w.start_t;
    w.start_t = -1;  // at most one fill per order per bar
    if (std::find(took_part.begin(), took_part.end(), id) == took_part.end()) took_part.push_back(id);
    if (w.order.post_only && w.order.type == OrderType::kLimit && best.t == from_t && !w.rested) {
      remove(best.slot);
      emit(id, OrderStatus::kCancelled, bar.ts, "post-only order would take liquidity");
      continue;
    }
    // Quantity: reduce-only clip, participation cap, FOK all-or-nothing.
    double qty = w.order.remaining();
    if (w.order.reduce_only) {
      const double pos = portfolio_.position(symbol).quantity;
      const bool reduces = w.order.side == Side::kBuy ? pos < 0 : pos > 0;
      if (!reduces) {
        remove(best.slot);
        emit(id, OrderStatus::kCancelled, bar.ts, "reduce-only order has no position to reduce");
        continue;
      }
      qty = std::fmin(qty, std::fabs(pos));
    }
    const bool capped = !w.close_out;
    if (capped) qty = std::fmin(qty, capacity);
    if (w.order.tif == TimeInForce::kFok && qty < w.order.remaining() * (1 - 1e-9)) {
      remove(best.slot);
      emit(id, OrderStatus::kCancelled, bar.ts, "fill-or-kill order could not fill completely");
      continue;
    }
    if (!(qty > 0)) {
      if (w.order.type != OrderType::kLimit) w.triggered = true;  // a stop hit with no volume left
      continue;
    }
    const bool taker_fill = !best.maker;
    const bool slips = w.order.type == OrderType::kMarket || w.order.type == OrderType::kStop ||
                       w.order.type == OrderType::kTrailingStop;
    const double price = slips ? slipped(w, best.price, qty, bar.volume) : best.price;
    const Instrument& ins = portfolio_.instrument(symbol);
    const double rate = taker_fill ? config_.fees.taker : config_.fees.maker;
    double fee = rate * qty * price * ins.multiplier;
    if (w.order.filled_quantity == 0) fee += config_.fees.fixed_per_order;
    if (capped) capacity -= qty;
    w.order.filled_quantity += qty;
    if (w.order.type != OrderType::kLimit) w.triggered = true;
    const bool complete = w.order.remaining() <= 1e-9 * w.order.quantity;
    Fill f;
    f.order_id = id;
    f.ts = bar.ts;
    // f.symbol is left to the kernel (it names the order's symbol): no string copy here.
    f.side = w.order.side;
    f.quantity = qty;
    f.price = price;
    f.fee = fee;
    f.liquidity = taker_fill ? Liquidity::kTaker : Liquidity::kMaker;
    f.symbol_id = symbol;
    f.bar_index = index;
    if (complete) remove(best.slot);
    now_t_ = best.t;
    if (listener_) listener_->on_fill(f);
  }
  matching_ = false;
  // End of bar: IOC/FOK remainders are cancelled; triggers and trails advance over the bar.
  for (OrderId id : took_part) {
    const std::ptrdiff_t i = find(id);
    if (i < 0) continue;
    const TimeInForce tif = working_[static_cast<std::size_t>(i)].order.tif;
    if (tif == TimeInForce::kIoc || tif == TimeInForce::kFok) {
      remove(static_cast<std::size_t>(i));
      emit(id, OrderStatus::kCancelled, bar.ts, "immediate-or-cancel remainder cancelled");
    }
  }
  std::vector<OrderId>& ioc_unfilled = scratch_expired_;
  ioc_unfilled.clear();
  for (Working& w : working_) {
    if (w.order.symbol_id != symbol || w.start_t < 0) continue;  // not in this bar, or done
    const double t0 = w.start_t;
    w.start_t = -1;
    const Resting& o = w.order;
    if (o.tif == TimeInForce::kIoc || o.tif == TimeInForce::kFok) {
      ioc_unfilled.push_back(o.id);
      continue;
    }
    if (at_close) continue;
    const double p0 = path.price_at(t0);
    double t = 0, price = 0;
    if (o.type == OrderType::kStopLimit && !w.triggered)
      w.triggered = detail_sim::first_touch(path.p, t0, p0, o.stop_price, o.side == Side::kSell, t, price);
    if (o.type == OrderType::kTrailingStop && !w.triggered) {
      detail_sim::TrailState s{w.trail_active, w.trail_ref};
      detail_sim::trail_walk(o, s, path.p, t0, p0, t, price);
      w.trail_active = s.active;
      w.trail_ref = s.ref;
    }
  }
  for (OrderId id : ioc_unfilled) {
    remove(static_cast<std::size_t>(find(id)));
    emit(id, OrderStatus::kCancelled, bar.ts, "immediate-or-cancel order found no fill");
  }
  // Everything that took part in this bar now rests in the book. Orders still working that
  // were only partly filled take part again from the next bar's open.
  if (!at_close)
    for (Working& w : working_)
      if (w.order.symbol_id == symbol && w.start_bar <= index) w.rested = true;
}

}  // namespace tradeloop
