// The strategy APIs (user guide §4 and §8, in C++ style).
//
// `RealtimeStrategy` is the event-driven API every strategy ends up as: the kernel calls
// on_start, then on_candle for every closed bar (after the venue matched resting orders on
// it), on_order / on_fill as the venue reports, and on_stop. The helpers (buy, sell,
// close_all_positions, submit, cancel, position, cash, equity, history) talk to the kernel
// that runs the strategy; they may be called only from inside those callbacks.
//
// `SignalStrategy` is the guide's `TradingStrategy` style (calculate_indicators adds columns to
// the data frame, generate_signals returns one TradeSignal per bar) as an ADAPTER onto the
// event API: on_start computes the signals once over the strategy's data, on_candle(t) acts
// on signal t after bar t closed -- so the order fills at t+1's open at the earliest, exactly
// like an event-driven strategy. Indicators must be causal (value t from bars <= t); the
// adapter cannot detect a centred or forward-looking column written by user code.
//
// `StrategyConfig` holds the guide's keys. Every rate is a FRACTION (0.02 = 2 %).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop {

class Kernel;

enum class Sizing {
  kRisk,      // risk_per_trade * equity / (stop distance); needs stop_loss_pct > 0
  kFraction,  // fraction * equity of notional
  kUnits,     // fixed `units` per entry
  kNotional,  // fixed `notional` (quote currency) per entry
  kAllIn,     // all equity (fraction = 1), fees and slippage left aside
};
enum class FillTiming { kNextOpen, kClose };
const char* to_string(Sizing s) noexcept;
const char* to_string(FillTiming f) noexcept;

struct StrategyConfig {
  double initial_capital = 10000;  // account currency
  double risk_per_trade = 0.02;    // fraction of equity risked per trade (sizing = risk)
  double stop_loss_pct = 0;        // fraction below/above the entry fill; 0 = no stop
  double take_profit_pct = 0;      // fraction; 0 = no target
  double commission_pct = 0.001;   // fraction of notional per fill
  double slippage_pct = 0.0005;    // fraction of price, adverse, on market/stop fills
  int max_positions = 1;           // symbols with an open position at once
  bool allow_short = false;
  Sizing sizing = Sizing::kFraction;
  double fraction = 1.0;  // sizing = fraction: share of equity per entry (fraction)
  double units = 1;       // sizing = units
  double notional = 1000; // sizing = notional
  FillTiming fill = FillTiming::kNextOpen;
  bool close_at_end = true;  // close open positions at the last bar's close ("end_of_data")

  bool operator==(const StrategyConfig&) const = default;
};

enum class Signal { kHold, kBuy, kSell };
const char* to_string(Signal s) noexcept;

struct TradeSignal {
  Timestamp timestamp = 0;
  Signal signal = Signal::kHold;
  double confidence = 0;  // [0, 1], informative
  std::map<std::string, std::string> metadata;  // e.g. {"reason": "EMA crossover + RSI ok"}
};

// Read-only view of one symbol's bars up to and including the current one (never later bars).
class BarHistory {
 public:
  BarHistory() = default;
  BarHistory(const BarSeries* s, std::size_t count) noexcept : s_(s), n_(count) {}
  std::size_t size() const noexcept { return n_; }
  // ago(0) = the current bar, ago(1) = the previous one; precondition: k < size().
  Bar ago(std::size_t k) const noexcept { return s_->bar(n_ - 1 - k); }
  std::span<const Timestamp> timestamps() const noexcept { return s_->timestamps().first(n_); }
  std::span<const double> open() const noexcept { return s_->open().first(n_); }
  std::span<const double> high() const noexcept { return s_->high().first(n_); }
  std::span<const double> low() const noexcept { return s_->low().first(n_); }
  std::span<const double> close() const noexcept { return s_->close().first(n_); }
  std::span<const double> volume() const noexcept { return s_->volume().first(n_); }

 private:
  const BarSeries* s_ = nullptr;
  std::size_t n_ = 0;
};

class RealtimeStrategy {
 public:
  RealtimeStrategy() = default;
  RealtimeStrategy(const RealtimeStrategy&) = delete;
  RealtimeStrategy& operator=(const RealtimeStrategy&) = delete;
  virtual ~RealtimeStrategy() = default;

  virtual void on_start() {}
  virtual void on_candle(const Candle& candle) = 0;
  virtual void on_tick(SymbolId /*symbol*/, double /*price*/) {}
  virtual void on_order(const Order& /*order*/) {}
  virtual void on_fill(const Fill& /*fill*/) {}
  virtual void on_stop() {}

  StrategyConfig config;

 protected:
  // Orders on the symbol of the candle being handled. price 0 = market, > 0 = limit;
  // stop_loss / take_profit (prices, 0 = none) make it a bracket. Returns the order id (the
  // order may be rejected: see on_order / order(id)).
  OrderId buy(double quantity, double price = 0, double stop_loss = 0, double take_profit = 0);
  OrderId sell(double quantity, double price = 0, double stop_loss = 0, double take_profit = 0);
  OrderId submit(const OrderRequest& request);
  bool cancel(OrderId id);
  bool modify(OrderId id, double quantity, double limit_price, double stop_price);
  // Cancels working orders and closes every position at market; `reason` becomes the trades'
  // exit_reason.
  void close_all_positions(std::string_view reason = "signal");
  void close_position(SymbolId symbol, std::string_view reason = "signal");

  double position() const noexcept;  // signed quantity of the current symbol
  double position(SymbolId symbol) const noexcept;
  double cash() const noexcept;
  double equity() const noexcept;
  const Order* order(OrderId id) const noexcept;
  // Whether a non-reduce-only order is working on the symbol (an entry not yet filled).
  bool has_working_entry(SymbolId symbol) const noexcept;
  SymbolId current_symbol() const noexcept;
  const std::string& symbol_name(SymbolId symbol) const noexcept;
  std::size_t symbol_count() const noexcept;
  BarHistory history() const noexcept;  // current symbol, bars <= current
  BarHistory history(SymbolId symbol) const noexcept;
  Timestamp now() const noexcept;

  // Entry size for `price` under config.sizing (0 when the sizing gives nothing). Sizing =
  // risk uses `stop_distance` (price units) when > 0, else price * stop_loss_pct.
  double entry_quantity(SymbolId symbol, double price, double stop_distance = 0) const noexcept;
  // The guide's signal semantics (docs/strategies.md "Signals"): BUY closes a short and opens a
  // long (sized by the config, with stop_loss_pct / take_profit_pct children), SELL closes a
  // long and, with allow_short, opens a short; HOLD does nothing. At most one working entry
  // per symbol, and at most max_positions symbols holding a position or a working entry.
  // `exits` overrides the config's fractions with absolute prices (an ATR stop) and can add a
  // trailing stop child (OTO) trailing by `trail_amount` price units.
  struct EntryExits {
    double stop_loss = 0;     // price; 0 = config.stop_loss_pct from the fill (if set)
    double take_profit = 0;   // price; 0 = config.take_profit_pct from the fill (if set)
    double trail_amount = 0;  // price units; 0 = no trailing stop
  };
  void apply_signal(Signal signal, const Candle& candle, std::string_view reason = "signal");
  void apply_signal(Signal signal, const Candle& candle, std::string_view reason, const EntryExits& exits);
  // The kernel running this strategy (nullptr outside a run): full OMS access (submit_oco, ...).
  Kernel* kernel() const noexcept { return kernel_; }

 private:
  OrderId order_on_current(Side side, double quantity, double price, double stop_loss, double take_profit);
  friend class Kernel;
  Kernel* kernel_ = nullptr;
};

// The guide's TradingStrategy style as an adapter onto RealtimeStrategy (single symbol: the
// first data series of the run).
class SignalStrategy : public RealtimeStrategy {
 public:
  // Adds indicator columns to data() (data().set_column("ema_fast", ...)).
  virtual void calculate_indicators() = 0;
  // One signal per row of data(), in row order.
  virtual std::vector<TradeSignal> generate_signals() = 0;

  // The strategy's data frame: the run's first series (copied at on_start) plus its columns.
  BarSeries& data() noexcept { return data_; }
  const BarSeries& data() const noexcept { return data_; }
  // Column helper for calculate_indicators: value of `name` at row i (NaN if absent).
  double at(std::string_view name, std::size_t i) const;

  void on_start() override;
  void on_candle(const Candle& candle) override;

 protected:
  // Set by load_data (TradingStrategy) or copied from the run's data in on_start.
  BarSeries data_;

 private:
  std::vector<TradeSignal> signals_;
};

}  // namespace tradeloop
