// The kernel: one thread, one clock, one event loop, the OMS and the accounting.
//
// For every closed bar from the DataFeed (time order, ties by SymbolId) the kernel
//   1. advances the clock to the bar's time and expires nothing itself;
//   2. lets the venue match working orders on the bar (SimulatedVenue; a real venue ignores
//      it) -- fills and order updates come back through VenueListener and are booked at once;
//   3. marks the symbol at the bar's close;
//   4. calls strategy.on_candle (orders it submits are first matched on the NEXT bar, or at
//      this bar's close with FillTiming::kClose);
//   5. after the last symbol of a timestamp, appends one EquityPoint (equity after that bar's
//      fills, marked at the close).
// At the end it optionally closes every position at the last close ("end_of_data"), refreshes
// open trades and calls on_stop. A single historical series is walked column by column and its
// data checked block by block (HistoricalFeed::check_rows) before each block is delivered: a bad
// row throws Exception(kInvalidArgument) naming it, before the strategy sees its block.
//
// OMS: every order moves through the state machine of engine/types.hpp; an update that would
// be an illegal transition throws Exception(kInternal) naming the order and both states.
// Before an order reaches the venue the OMS rounds price to the tick and quantity down to the
// lot (Instrument), rejects a quantity that rounds to 0 or is below min_quantity/min_notional,
// rejects a short when shorts are not allowed, rejects an order whose fill at the last price
// would push used margin above equity (leverage limit), then asks the PreTradeRisk hook.
// Contingent orders: a bracket's stop-loss and take-profit are an OCO pair submitted when the
// entry has filled (OTO); a fill of one cancels the other; closing a position cancels them.
//
// Ownership: the kernel borrows clock, feed, venue, portfolio and strategy; they must outlive
// run(). Not thread-safe: call everything from the thread that calls run().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeloop/engine/interfaces.hpp"
#include "tradeloop/engine/portfolio.hpp"
#include "tradeloop/engine/strategy.hpp"

namespace tradeloop {

class HistoricalFeed;

struct KernelConfig {
  FillTiming fill = FillTiming::kNextOpen;
  bool allow_short = false;
  bool close_at_end = true;
  bool record_equity = true;  // one EquityPoint per timestamp
};

class Kernel final : public VenueListener {
 public:
  Kernel(Clock& clock, DataFeed& feed, Venue& venue, Portfolio& portfolio, KernelConfig config);
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  void set_strategy(RealtimeStrategy* strategy) noexcept;
  void set_risk(PreTradeRisk* risk) noexcept { risk_ = risk; }
  // Expected number of bars: reserves the equity curve (no reallocation in the loop) and room
  // for one order per 16 bars.
  void reserve(std::size_t bars);

  // Runs until the feed is exhausted. Errors thrown by user code propagate as exceptions.
  void run();

  // ---- OMS (also reachable through the strategy helpers) ----
  // Always returns the new order's id; a rejected order is recorded with status kRejected.
  OrderId submit(const OrderRequest& request);
  // Two orders that cancel each other when either fills (OCO).
  std::pair<OrderId, OrderId> submit_oco(const OrderRequest& a, const OrderRequest& b);
  // `child` is submitted when `parent` has filled (OTO; child.quantity 0 = the parent's
  // filled quantity). Returns the parent's id.
  OrderId submit_oto(const OrderRequest& parent, const OrderRequest& child);
  bool cancel(OrderId id, std::string_view reason = "cancelled");
  bool modify(OrderId id, double quantity, double limit_price, double stop_price);
  void close_position(SymbolId symbol, std::string_view reason);
  const Order* order(OrderId id) const noexcept;
  bool has_working_entry(SymbolId symbol) const noexcept;

  // ---- VenueListener ----
  void on_order_update(const OrderUpdate& update) override;
  void on_fill(const Fill& fill) override;

  // ---- state and results ----
  const Portfolio& portfolio() const noexcept { return portfolio_; }
  const DataFeed& feed() const noexcept { return feed_; }
  Timestamp now() const noexcept { return clock_.now(); }
  SymbolId current_symbol() const noexcept { return current_symbol_; }
  std::size_t current_index(SymbolId symbol) const noexcept { return last_index_[symbol]; }
  BarHistory history(SymbolId symbol) const noexcept;
  const KernelConfig& config() const noexcept { return config_; }

  const std::vector<Order>& orders() const noexcept { return orders_; }
  const std::vector<Fill>& fills() const noexcept { return fills_; }
  const std::vector<EquityPoint>& equity_curve() const noexcept { return equity_; }
  std::size_t bars_processed() const noexcept { return bars_processed_; }
  // Moves the results out after run() (no copy of a 1M-row equity curve); the kernel is then
  // spent.
  std::vector<Order> take_orders() noexcept { return std::move(orders_); }
  std::vector<Fill> take_fills() noexcept { return std::move(fills_); }
  std::vector<EquityPoint> take_equity_curve() noexcept { return std::move(equity_); }

 private:
  Order& order_ref(OrderId id);
  OrderId submit_linked(const OrderRequest& request, OrderId parent, std::uint64_t oco_group);
  void transition(Order& o, OrderStatus to, Timestamp ts);
  Status validate_and_round(Order& o) const;
  void reject(Order& o, std::string reason);
  void retire(const Order& o);
  void activate_children(OrderId parent);
  // Inlined into the event loop (one row per bar: call overhead would be a third of its cost).
  [[gnu::always_inline]] inline void record_equity(Timestamp ts, double position_value);
  // The event loop, instantiated for the historical feed and clock (calls devirtualised and
  // inlined: the backtest hot path) and for the abstract interfaces (paper, live).
  template <class Feed, class ClockT>
  void loop(Feed& feed, ClockT& clock);
  void loop_single(HistoricalFeed& feed, HistoricalClock& clock);
  // Steps 1-4 for one bar (shared by both loops).
  [[gnu::always_inline]] inline void step(const Candle& candle, bool at_close);
  // Calls fn(id) for a snapshot of the symbol's working orders (fn may cancel them: a venue may
  // answer synchronously and edit the list). No allocation for up to 16 orders.
  template <class Fn>
  void for_each_working(SymbolId symbol, Fn fn) {
    const std::vector<OrderId>& ids = working_ids_[symbol];
    if (ids.size() <= 16) {
      OrderId buf[16];
      const std::size_t n = ids.size();
      for (std::size_t i = 0; i < n; ++i) buf[i] = ids[i];
      for (std::size_t i = 0; i < n; ++i) fn(buf[i]);
      return;
    }
    const std::vector<OrderId> copy = ids;
    for (OrderId id : copy) fn(id);
  }
  void finish();

  Clock& clock_;
  DataFeed& feed_;
  Venue& venue_;
  Portfolio& portfolio_;
  KernelConfig config_;
  RealtimeStrategy* strategy_ = nullptr;
  PreTradeRisk* risk_ = nullptr;

  std::vector<Order> orders_;  // orders_[id - 1]
  // Contingent children waiting for their parent to fill (OTO; brackets).
  struct PendingChild {
    OrderId parent = 0;
    std::uint64_t oco_group = 0;
    OrderRequest request;
  };
  std::vector<PendingChild> pending_children_;
  std::vector<Fill> fills_;
  std::vector<EquityPoint> equity_;
  std::vector<std::size_t> last_index_;
  std::vector<std::size_t> seen_bars_;  // bars delivered so far per symbol (history length)
  std::vector<std::vector<OrderId>> working_ids_;  // sent, not terminal, per symbol
  std::string cancel_reason_;
  std::uint64_t next_oco_ = 1;
  std::size_t bars_processed_ = 0;
  double peak_equity_ = 0;
  SymbolId current_symbol_ = 0;
  bool have_bar_ = false;
};

// Lowercase hex SHA-256 (FIPS 180-4) of a byte string; used for the canonical order list.
std::string sha256_hex(std::string_view data);

}  // namespace tradeloop
