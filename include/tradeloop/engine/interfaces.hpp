// The swappable edges of the kernel (DESIGN.md §1): clock, data feed, venue, pre-trade risk.
//
// Backtest, paper and live differ only in which implementations of these interfaces the
// `Kernel` is given: a historical clock + a merged-history feed + the SimulatedVenue for a
// backtest; a real-time clock + a WebSocket feed + an exchange venue for live. The kernel calls
// them from its one thread; implementations that do I/O on other threads must hand results to
// the kernel thread themselves (post events), never call the kernel concurrently.
#pragma once

#include <cstddef>
#include <string>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/time.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop {

class Portfolio;

// Time as the kernel sees it. A historical clock jumps to each event's time; a real-time clock
// reads the system clock. Times are UTC ns.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const noexcept = 0;
  // The kernel reports the time of the event it is about to process.
  virtual void advance_to(Timestamp ts) noexcept = 0;
};

// Time = the last event's time (never reads the wall clock, so runs are replayable).
class HistoricalClock final : public Clock {
 public:
  Timestamp now() const noexcept override { return now_; }
  void advance_to(Timestamp ts) noexcept override { now_ = ts; }

 private:
  Timestamp now_ = 0;
};

// One closed bar of one symbol.
struct MarketEvent {
  SymbolId symbol = 0;
  std::size_t index = 0;  // index of the bar in history(symbol)
  Bar bar;
};

// Where closed bars come from, in time order (ties: lower SymbolId first).
class DataFeed {
 public:
  virtual ~DataFeed() = default;
  virtual std::size_t symbol_count() const noexcept = 0;
  // Every bar delivered so far for `symbol` is in history(symbol) at its event's index; later
  // rows may exist (a historical feed holds the whole file) and must never be shown to a
  // strategy -- the kernel truncates views at the current index (no look-ahead).
  virtual const BarSeries& history(SymbolId symbol) const noexcept = 0;
  // Next event; false when the feed is exhausted (a live feed blocks until one arrives).
  virtual bool next(MarketEvent& out) = 0;
};

// The venue's side of the conversation: order state changes and fills, posted to the kernel.
class VenueListener {
 public:
  virtual ~VenueListener() = default;
  virtual void on_order_update(const OrderUpdate& update) = 0;
  virtual void on_fill(const Fill& fill) = 0;
};

// Where orders go. submit/cancel/modify are requests; the answer arrives as events through the
// listener (accepted, rejected, fills, cancelled, expired), possibly later. The kernel has
// already validated and rounded the order (tick/lot, margin, pre-trade risk).
class Venue {
 public:
  virtual ~Venue() = default;
  virtual void set_listener(VenueListener* listener) noexcept = 0;
  virtual void submit(const Order& order) = 0;
  virtual void cancel(OrderId id) = 0;
  // New quantity / limit / stop (0 = unchanged).
  virtual void modify(OrderId id, double quantity, double limit_price, double stop_price) = 0;
  // A bar of `symbol` closed. A simulated venue matches its resting orders against it (before
  // the strategy sees the bar); a real venue ignores it (its own matching engine is the truth).
  // The kernel calls it only while the venue holds working orders of that symbol.
  virtual void on_bar(SymbolId /*symbol*/, const Bar& /*bar*/, std::size_t /*index*/) {}
  // Market orders created while handling this bar fill at its close (`fill = close`, and the
  // end-of-data close-out). A real venue ignores it.
  virtual void fill_at_close(SymbolId /*symbol*/, const Bar& /*bar*/, std::size_t /*index*/) {}
};

// Pre-trade risk hook (the `risk` layer supplies real rules later: max position, exposure,
// daily loss, kill switch). Called by the OMS for every new order after rounding, before it
// reaches the venue; an error rejects the order with the error's message as the reason.
class PreTradeRisk {
 public:
  virtual ~PreTradeRisk() = default;
  virtual Status check(const Order& order, const Portfolio& portfolio) = 0;
};

}  // namespace tradeloop
