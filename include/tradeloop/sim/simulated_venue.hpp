// SimulatedVenue: the honest bar-level fill model (docs/fills.md is the user-facing statement of
// every rule below; tests/sim/ proves each one with hand-computed cases).
//
// Rules, in short:
//  * An order submitted while the strategy handles bar t is first matched on bar t+1. A market
//    order fills at t+1's OPEN. With FillTiming::kClose, market orders instead fill at bar t's
//    close (Kernel calls fill_at_close); limits and stops still start at t+1.
//  * Inside a bar the price path is open -> nearer extreme -> farther extreme -> close (the
//    extreme closer to the open first; a tie goes to the low first). Orders are matched at the
//    first point of that path where they become fillable; several orders fill in path order.
//  * A gap: if the open is already through a stop or a limit, it fills at the OPEN (a stop is
//    not filled at its stop price, a limit may get the better open price).
//  * A stop-limit whose stop triggers becomes a limit from the trigger point on, and can fill
//    later in the same bar. A stop triggers on the first bar it is matched on.
//  * Stop-loss and take-profit of one OCO pair both reachable within one bar: the stop-loss is
//    assumed to fill first (IntrabarPriority::kStopFirst, the default), unless the take-profit
//    was already fillable at the open; kPath uses the path order instead.
//  * Children of a bracket are submitted when the entry fills and are matched on the rest of
//    that same bar's path, starting at the entry's fill point.
//  * Slippage (adverse) applies to market, stop and trailing-stop fills, never to limit fills;
//    the slipped price is rounded to the tick against the trader. Fees: maker rate for limit
//    fills that rested, taker otherwise, plus a fixed fee on an order's first fill.
//  * Participation cap: at most `participation * bar volume` is filled per bar per symbol; the
//    remainder stays working (partially filled). IOC cancels what is not filled at its first
//    match; FOK fills completely at its first match or is cancelled.
//  * Reduce-only fills are clipped to the open position; with no position to reduce the order
//    is cancelled. Post-only limits that would take liquidity at their first match are rejected.
//  * DAY orders expire before the first bar whose UTC date is later than that of the first bar
//    they were matched on. GTC orders stay until filled or cancelled.
// Not thread-safe (the kernel's thread only).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "tradeloop/engine/interfaces.hpp"
#include "tradeloop/engine/portfolio.hpp"

namespace tradeloop {

enum class SlippageModel {
  kNone,
  kFraction,     // price * fraction
  kTicks,        // ticks * tick_size
  kVolumeShare,  // price * impact * (quantity / bar volume)^2  (Zipline's VolumeShareSlippage)
};
enum class IntrabarPriority { kStopFirst, kPath };
const char* to_string(SlippageModel m) noexcept;
const char* to_string(IntrabarPriority p) noexcept;

struct SlippageConfig {
  SlippageModel model = SlippageModel::kFraction;
  double fraction = 0.0005;  // kFraction (a fraction: 0.0005 = 0.05 %)
  double ticks = 1;          // kTicks
  double impact = 0.1;       // kVolumeShare

  bool operator==(const SlippageConfig&) const = default;
};

// The fill price after slippage, adverse to the trader, rounded to the tick against the trader
// (buys up, sells down); `price` itself when the result would not be positive. `quantity` and
// the bar's `volume` drive the volume-share model. SimulatedVenue and the optimiser's sweep
// both price fills with it.
double slipped_price(const SlippageConfig& slippage, const Instrument& ins, Side side, double price,
                     double quantity, double volume) noexcept;

struct FeeConfig {
  double taker = 0.001;         // fraction of notional for fills that take liquidity
  double maker = 0.001;         // fraction of notional for resting limit fills (negative = rebate)
  double fixed_per_order = 0;   // account currency, charged on an order's first fill

  bool operator==(const FeeConfig&) const = default;
};

struct SimConfig {
  FeeConfig fees;
  SlippageConfig slippage;
  double participation = 0;  // max fraction of a bar's volume filled per bar; 0 = no cap
  IntrabarPriority priority = IntrabarPriority::kStopFirst;

  bool operator==(const SimConfig&) const = default;
};

class SimulatedVenue final : public Venue {
 public:
  // `portfolio` is read for reduce-only clipping and instrument tick sizes; it must outlive
  // the venue.
  SimulatedVenue(const Portfolio& portfolio, SimConfig config);

  void set_listener(VenueListener* listener) noexcept override { listener_ = listener; }
  void submit(const Order& order) override;
  void cancel(OrderId id) override;
  void modify(OrderId id, double quantity, double limit_price, double stop_price) override;
  void on_bar(SymbolId symbol, const Bar& bar, std::size_t index) override;
  void fill_at_close(SymbolId symbol, const Bar& bar, std::size_t index) override;

  const SimConfig& config() const noexcept { return config_; }

 private:
  // What matching needs of an order: its terms and identity, without the kernel's strings
  // (a copy per submitted order is on the hot path of a backtest).
  struct Resting : OrderTerms {
    OrderId id = 0;
    SymbolId symbol_id = 0;
    std::uint64_t oco_group = 0;
    double filled_quantity = 0;
    double remaining() const noexcept { return quantity - filled_quantity; }
  };
  struct Working {
    Resting order;
    bool triggered = false;   // stop / stop-limit / trailing has triggered
    bool rested = false;      // took part in an earlier bar (a resting order: maker fills)
    bool close_out = false;   // the kernel's end-of-data close-out: not volume-capped
    bool trail_active = false;
    double trail_ref = std::numeric_limits<double>::quiet_NaN();  // best price seen
    double start_t = -1;      // >= 0: matched on the current bar from path time start_t
    std::size_t start_bar = 0;  // first bar index it may be matched on
    std::int64_t day = -1;      // UTC day of its first match (DAY orders)
  };
  struct Candidate {
    std::size_t slot = 0;
    double t = 0;
    double price = 0;
    bool maker = false;
  };
  struct Path {
    double p[4];
    double price_at(double t) const noexcept;
  };

  bool evaluate(const Working& w, const Path& path, double t0, Candidate& out) const;
  void match(SymbolId symbol, const Bar& bar, std::size_t index, bool at_close);
  double slipped(const Working& w, double price, double qty, double volume) const;
  void emit(OrderId id, OrderStatus status, Timestamp ts, const char* reason);
  void remove(std::size_t slot);
  std::ptrdiff_t find(OrderId id) const noexcept;

  const Portfolio& portfolio_;
  SimConfig config_;
  VenueListener* listener_ = nullptr;
  std::vector<Working> working_;
  // Reused between bars so that matching does not allocate (match() is never re-entered).
  std::vector<OrderId> scratch_expired_, scratch_took_part_;
  std::vector<Candidate> scratch_candidates_;
  // Set while matching a bar: children submitted now join this bar's path from now_t_.
  bool matching_ = false;
  SymbolId matching_symbol_ = 0;
  std::size_t matching_index_ = 0;
  double now_t_ = 0;
  Timestamp now_ts_ = 0;
};

}  // namespace tradeloop
