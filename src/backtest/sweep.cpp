// The vectorised sweep (backtest/sweep.hpp). The simulation below mirrors, for market orders,
// Kernel::run/submit/on_fill/close_position/finish (src/engine/kernel.cpp),
// RealtimeStrategy::apply_signal/entry_quantity (src/engine/strategy.cpp) and
// SimulatedVenue::match/slipped (src/sim/simulated_venue.cpp); accounting is the engine's own
// Portfolio. tests/sweep/ compares every supported strategy with run_backtest on real and
// random data (orders, fills, trades, equity curve, order-list hash).
#include "tradeloop/backtest/sweep.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>

#include "tradeloop/backtest/builtin.hpp"
#include "tradeloop/backtest/registry.hpp"
#include "tradeloop/core/thread_pool.hpp"
#include "tradeloop/engine/historical_feed.hpp"
#include "tradeloop/engine/order_checks.hpp"
#include "tradeloop/engine/portfolio.hpp"
#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop {

namespace detail_sweep {

constexpr std::size_t kChunk = 2048;  // bars per cache block: a block's series chunks stay in L2

enum class Act : std::uint8_t { kNone, kBuy, kSell, kClose };

struct Data {
  std::span<const Timestamp> ts;
  std::span<const double> open, high, low, close;
  std::size_t n = 0;
};

// ---------------------------------------------------------------------------------------------
// Indicator series, computed once per distinct key with the batch functions (which share the
// streaming kernels bit for bit, src/indicators/batch.hpp).

using Outputs = std::vector<std::vector<double>>;
using Compute = std::function<Status(const Data&, Outputs&)>;

class SeriesCache {
 public:
  // Registers `key` (computed by `fn` into `n_out` outputs) and returns its slot.
  std::size_t request(const std::string& key, std::size_t n_out, Compute fn) {
    const auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    entries_.push_back({key, n_out, std::move(fn), {}, Status::Ok()});
    index_.emplace(key, entries_.size() - 1);
    return entries_.size() - 1;
  }
  void compute_all(const Data& d, ThreadPool& pool) {
    pool.parallel_for(entries_.size(), [&](std::size_t i) {
      Entry& e = entries_[i];
      e.out.assign(e.n_out, std::vector<double>(d.n));
      e.status = e.fn(d, e.out);
      for (const auto& col : e.out) {  // the warm-up ends after the last NaN
        std::size_t r = col.size();
        while (r > 0 && !std::isnan(col[r - 1])) --r;
        e.ready.push_back(r);
      }
    });
  }
  const Status& status(std::size_t slot) const { return entries_[slot].status; }
  const double* get(std::size_t slot, std::size_t output) const { return entries_[slot].out[output].data(); }
  // First index from which output `output` of `slot` has no NaN.
  std::size_t ready(std::size_t slot, std::size_t output) const { return entries_[slot].ready[output]; }

 private:
  struct Entry {
    std::string key;
    std::size_t n_out;
    Compute fn;
    Outputs out;
    Status status;
    std::vector<std::size_t> ready;
  };
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t> index_;
};

int iparam(const ParamSet& p, const char* name) { return static_cast<int>(p.get_int(name)); }

std::size_t sma_slot(SeriesCache& c, int period) {
  return c.request("sma/" + std::to_string(period), 1,
                   [period](const Data& d, Outputs& o) { return ind::sma(d.close, period, o[0]); });
}
std::size_t ema_slot(SeriesCache& c, int period) {
  return c.request("ema/" + std::to_string(period), 1,
                   [period](const Data& d, Outputs& o) { return ind::ema(d.close, period, o[0]); });
}
std::size_t rsi_slot(SeriesCache& c, int period) {
  return c.request("rsi/" + std::to_string(period), 1,
                   [period](const Data& d, Outputs& o) { return ind::rsi(d.close, period, o[0]); });
}

Act from_signal(Signal s) noexcept { return s == Signal::kBuy ? Act::kBuy : s == Signal::kSell ? Act::kSell : Act::kNone; }

// builtin::relation, inlined for the hot loop (it lives in another translation unit);
// Keep it in step with builtin.cpp: the identity tests in tests/sweep/ catch any drift.
inline int fast_relation(double a, double b) noexcept {
  const double d = a - b, tol = 1e-11 * std::fabs(b);
  return (d > tol) - (d < -tol);  // 0 when |d| <= tol, else the sign of d (branch-free)
}

// The first u' >= u (< t1) where fast_relation(a[u'], b[u']) != rel: the bars before it leave a
// Turn untouched and signal nothing, so the hot loop skips them with one comparison each.
inline std::size_t skip_same_relation(const double* a, const double* b, std::size_t u, std::size_t t1, int rel) {
  if (rel == 1)
    while (u < t1 && a[u] - b[u] > 1e-11 * std::fabs(b[u])) ++u;
  else if (rel == -1)
    while (u < t1 && a[u] - b[u] < -(1e-11 * std::fabs(b[u]))) ++u;
  else
    while (u < t1 && std::fabs(a[u] - b[u]) <= 1e-11 * std::fabs(b[u])) ++u;
  return u;
}

// builtin::Turn::step only changes state or signals when the relation changes, so it is called
// only then.
inline Act turn_on_change(builtin::Turn& turn, int rel) noexcept {
  if (turn.have_prev && rel == turn.prev) return Act::kNone;
  return from_signal(turn.step(rel));
}

// ---------------------------------------------------------------------------------------------
// Signal policies: one per built-in, each the exact rule of src/backtest/builtin.cpp over
// precomputed series. `decide(t, position)` runs on bar t after it closed; `skip(u, t1)` returns
// the first bar >= u at which decide may act (u itself when the policy cannot tell cheaply).

struct NoSkip {
  std::size_t skip(std::size_t u, std::size_t) const { return u; }
};

struct SmaCrossPolicy {
  std::size_t fs = 0, ss = 0, ready = 0;
  const double *f = nullptr, *s = nullptr;
  builtin::Turn turn;
  void request(SeriesCache& c, const ParamSet& p) {
    fs = sma_slot(c, iparam(p, "fast"));
    ss = sma_slot(c, iparam(p, "slow"));
  }
  void bind(const SeriesCache& c, std::size_t n) {
    f = c.get(fs, 0), s = c.get(ss, 0);
    ready = std::min(n, std::max(c.ready(fs, 0), c.ready(ss, 0)));
  }
  Act decide(std::size_t t, const Data&, double) {
    if (t < ready) return Act::kNone;  // the engine's `ready()` checks
    return turn_on_change(turn, fast_relation(f[t], s[t]));
  }
  std::size_t skip(std::size_t u, std::size_t t1) const {
    return u < ready || !turn.have_prev ? u : skip_same_relation(f, s, u, t1, turn.prev);
  }
};

struct MaCrossoverPolicy : NoSkip {
  std::size_t fs = 0, ss = 0, rs = 0;
  const double *f = nullptr, *s = nullptr, *r = nullptr;
  double overbought = 70;
  void request(SeriesCache& c, const ParamSet& p) {
    fs = ema_slot(c, iparam(p, "fast"));
    ss = ema_slot(c, iparam(p, "slow"));
    rs = rsi_slot(c, iparam(p, "rsi_period"));
    overbought = p.get_double("overbought");
  }
  void bind(const SeriesCache& c, std::size_t) { f = c.get(fs, 0), s = c.get(ss, 0), r = c.get(rs, 0); }
  Act decide(std::size_t t, const Data&, double) {
    const double a = f[t], b = s[t], x = r[t];
    if (std::isnan(a) || std::isnan(b) || std::isnan(x)) return Act::kNone;
    if (a > b && x < overbought) return Act::kBuy;
    return a < b ? Act::kSell : Act::kNone;
  }
};

struct RsiReversionPolicy : NoSkip {
  std::size_t rs = 0;
  const double* r = nullptr;
  double oversold = 30, overbought = 70;
  void request(SeriesCache& c, const ParamSet& p) {
    rs = rsi_slot(c, iparam(p, "period"));
    oversold = p.get_double("oversold");
    overbought = p.get_double("overbought");
  }
  void bind(const SeriesCache& c, std::size_t) { r = c.get(rs, 0); }
  Act decide(std::size_t t, const Data&, double) {
    const double x = r[t];
    if (std::isnan(x)) return Act::kNone;
    if (x < oversold) return Act::kBuy;
    return x > overbought ? Act::kSell : Act::kNone;
  }
};

struct BollingerPolicy : NoSkip {
  std::size_t bs = 0;
  const double *up = nullptr, *mid = nullptr, *lo = nullptr;
  void request(SeriesCache& c, const ParamSet& p) {
    const int period = iparam(p, "period");
    const double k = p.get_double("k");
    bs = c.request("bb/" + std::to_string(period) + "/" + format_number(k), 5, [period, k](const Data& d, Outputs& o) {
      return ind::bollinger_bands(d.close, period, k, o[0], o[1], o[2], o[3], o[4]);
    });
  }
  void bind(const SeriesCache& c, std::size_t) { up = c.get(bs, 0), mid = c.get(bs, 1), lo = c.get(bs, 2); }
  Act decide(std::size_t t, const Data& d, double pos) {
    if (std::isnan(mid[t])) return Act::kNone;
    const double close = d.close[t];
    if ((pos > 0 && close >= mid[t]) || (pos < 0 && close <= mid[t])) return Act::kClose;
    if (close < lo[t]) return Act::kBuy;
    return close > up[t] ? Act::kSell : Act::kNone;
  }
};

struct MacdCrossPolicy {
  std::size_t ms = 0, ready = 0;
  const double *m = nullptr, *sig = nullptr;
  builtin::Turn turn;
  void request(SeriesCache& c, const ParamSet& p) {
    const int fast = iparam(p, "fast"), slow = iparam(p, "slow"), signal = iparam(p, "signal");
    ms = c.request("macd/" + std::to_string(fast) + "/" + std::to_string(slow) + "/" + std::to_string(signal), 3,
                   [=](const Data& d, Outputs& o) { return ind::macd(d.close, fast, slow, signal, o[0], o[1], o[2]); });
  }
  void bind(const SeriesCache& c, std::size_t n) {
    m = c.get(ms, 0), sig = c.get(ms, 1);
    ready = std::min(n, std::max(c.ready(ms, 0), c.ready(ms, 1)));
  }
  Act decide(std::size_t t, const Data&, double) {
    if (std::isnan(sig[t]) || std::isnan(m[t])) return Act::kNone;
    return turn_on_change(turn, fast_relation(m[t], sig[t]));
  }
  std::size_t skip(std::size_t u, std::size_t t1) const {
    return u < ready || !turn.have_prev ? u : skip_same_relation(m, sig, u, t1, turn.prev);
  }
};

std::size_t donchian_slot(SeriesCache& c, int period) {
  return c.request("donchian/" + std::to_string(period), 3, [period](const Data& d, Outputs& o) {
    return ind::donchian(d.high, d.low, period, o[0], o[1], o[2]);
  });
}

struct DonchianPolicy : NoSkip {
  std::size_t es = 0, xs = 0;
  const double *e_up = nullptr, *e_lo = nullptr, *x_up = nullptr, *x_lo = nullptr;
  void request(SeriesCache& c, const ParamSet& p) {
    es = donchian_slot(c, iparam(p, "period"));
    xs = donchian_slot(c, iparam(p, "exit_period"));
  }
  void bind(const SeriesCache& c, std::size_t) { e_up = c.get(es, 0), e_lo = c.get(es, 2), x_up = c.get(xs, 0), x_lo = c.get(xs, 2); }
  // The channels of the bars BEFORE t (NaN at t = 0, like the default ChannelValue).
  Act decide(std::size_t t, const Data& d, double pos) {
    if (t == 0) return Act::kNone;
    const double close = d.close[t];
    if ((pos > 0 && close < x_lo[t - 1]) || (pos < 0 && close > x_up[t - 1])) return Act::kClose;
    if (close > e_up[t - 1]) return Act::kBuy;
    return close < e_lo[t - 1] ? Act::kSell : Act::kNone;
  }
};

struct SupertrendPolicy : NoSkip {
  std::size_t ss = 0;
  const double* dir = nullptr;
  builtin::Turn turn;
  void request(SeriesCache& c, const ParamSet& p) {
    const int period = iparam(p, "period");
    const double mult = p.get_double("multiplier");
    ss = c.request("supertrend/" + std::to_string(period) + "/" + format_number(mult), 2,
                   [=](const Data& d, Outputs& o) { return ind::supertrend(d.high, d.low, d.close, period, mult, o[0], o[1]); });
  }
  void bind(const SeriesCache& c, std::size_t) { dir = c.get(ss, 1); }
  Act decide(std::size_t t, const Data&, double) {
    if (std::isnan(dir[t])) return Act::kNone;
    return turn_on_change(turn, dir[t] > 0 ? 1 : -1);
  }
};

// ---------------------------------------------------------------------------------------------
// The simulator of one parameter set.

struct Ctx {
  Data d;
  const BacktestConfig* cfg = nullptr;
  Instrument ins;
  std::string symbol;
  bool full = false;
  bool at_close = false;
};

// A working order (always a market order here).
struct Working {
  OrderId id = 0;
  Side side = Side::kBuy;
  double quantity = 0;
  double filled = 0;
  bool reduce_only = false;
  bool end_of_data = false;  // tag "end_of_data" (else "signal")
  std::size_t start_bar = 0;  // created_bar + 1
  std::size_t rec = 0;        // index in `orders` (full detail)
};

class SetSim {
 public:
  SetSim(const Ctx& c)
      : c_(c), pf_(c.cfg->strategy.initial_capital, {c.ins}, c.cfg->max_leverage) {}

  // Processes bar t (steps 2-6 of Kernel::run) with decision `decide`.
  template <class Decide>
  void bar(std::size_t t, Decide&& decide) {
    if (!working_.empty()) match(t, false);
    pf_.mark(0, c_.d.close[t]);
    finish_bar(t, decide(t, pf_.position(0).quantity));
  }

  // bar() when the decision was already taken with no working order (so no fill to match).
  template <class Decide>
  void bar_after_decision(std::size_t t, Act a, Decide&& decide) {
    if (!working_.empty()) return bar(t, decide);  // decision not taken yet
    pf_.mark(0, c_.d.close[t]);
    finish_bar(t, a);
  }

  void finish_bar(std::size_t t, Act a) {
    const Data& d = c_.d;
    if (a != Act::kNone) act(a, t);
    if (c_.at_close && !working_.empty()) match(t, true);
    const double q = pf_.position(0).quantity;
    const double pv = q != 0 ? q * d.close[t] * c_.ins.multiplier : 0.0;
    point(d.ts[t], pf_.cash() + pv, pf_.cash(), pv);
  }

  // Bars [t0, t1). The common bar -- no working order, no signal, summary detail -- only adds
  // its equity point to the statistics, with the position and cash held in registers; every
  // other bar takes the general path above.
  template <class Decide, class Skip>
  void bars(std::size_t t0, std::size_t t1, Decide&& decide, Skip&& skip) {
    if (c_.full) {
      for (std::size_t t = t0; t < t1; ++t) bar(t, decide);
      return;
    }
    const double* close = c_.d.close.data();
    const double mult = c_.ins.multiplier;
    std::size_t t = t0;
    while (t < t1) {
      if (!working_.empty()) {  // a fill to match first: the general path
        bar(t++, decide);
        continue;
      }
      // Scan to the next bar with a decision; the bars before it change nothing but equity.
      const double q = pf_.position(0).quantity, cash = pf_.cash();
      std::size_t u = t;
      Act a = Act::kNone;
      for (; (u = skip(u, t1)) < t1; ++u)
        if ((a = decide(u, q)) != Act::kNone) break;
      if (u > t) {
        if (q == 0) fold_.constant_points(cash + 0.0, u - t);
        else fold_.position_points(close + t, u - t, cash, q, mult);
      }
      if (u == t1) break;
      bar_after_decision(u, a, decide);
      t = u + 1;
    }
  }

  // Kernel::finish: close-out at the last close, the re-recorded last point, open trades.
  void finish() {
    const Data& d = c_.d;
    const std::size_t last = d.n - 1;
    pf_.mark(0, d.close[last]);  // the fast path marks lazily
    if (c_.cfg->strategy.close_at_end && d.n > 0) {
      const bool had_position = pf_.position(0).quantity != 0;
      close_position(last, true);
      if (had_position) {
        match(last, true);
        const double q = pf_.position(0).quantity;
        const double pv = q != 0 ? q * pf_.position(0).mark * c_.ins.multiplier : 0.0;
        replace_last_point(pf_.cash() + pv, pf_.cash(), pv);
      }
    }
    flush_point();
    pf_.update_open_trades({last});
  }

  SweepRun take(std::size_t bars) {
    SweepRun r;
    r.result.symbols = {c_.symbol};
    r.result.trades = pf_.trades();
    r.result.orders = std::move(orders_);
    r.result.fills = std::move(fills_);
    r.result.equity_curve = std::move(equity_);
    r.result.bars_processed = bars;
    r.result.initial_capital = c_.cfg->strategy.initial_capital;
    r.result.final_equity = fold_.have_last ? fold_.last : r.result.initial_capital;
    r.returns = fold_.s;
    r.order_count = next_id_ - 1;
    return r;
  }

 private:
  // ---- orders (Kernel::submit + validate_and_round for market orders) ----------------------
  void submit(std::size_t t, Side side, double quantity, bool reduce_only, bool end_of_data) {
    const OrderId id = next_id_++;
    std::string why = validate(quantity, side, reduce_only);
    if (c_.full) {  // the order record, as Kernel::submit_linked builds it
      Order o;
      o.id = id;
      o.symbol = c_.symbol;
      o.side = side;
      o.quantity = quantity;
      o.reduce_only = reduce_only;
      o.tag = end_of_data ? "end_of_data" : "signal";
      o.created_ts = o.updated_ts = c_.d.ts[t];
      o.created_bar = t;
      o.status = why.empty() ? OrderStatus::kAccepted : OrderStatus::kRejected;  // venue accepts at created_ts
      o.reject_reason = std::move(why);
      orders_.push_back(std::move(o));
      if (orders_.back().status == OrderStatus::kRejected) return;
    } else if (!why.empty()) {
      return;
    }
    working_.push_back(Working{id, side, quantity, 0, reduce_only, end_of_data, t + 1, orders_.size() - (c_.full ? 1 : 0)});
  }

  // Kernel::validate_and_round for a market order: the reject reason, or "" (quantity rounded in place).
  std::string validate(double& quantity, Side side, bool reduce_only) const {
    return check_order_size(pf_, 0, side, quantity, pf_.position(0).mark, reduce_only, c_.cfg->strategy.allow_short);
  }

  void cancel(std::size_t k, const char* reason) {
    if (c_.full) {
      Order& o = orders_[working_[k].rec];
      o.status = OrderStatus::kCancelled;
      o.updated_ts = venue_now_;
      o.reject_reason = reason;
    }
    working_.erase(working_.begin() + static_cast<std::ptrdiff_t>(k));
  }

  // Kernel::close_position: cancel the symbol's working orders, then a reduce-only market exit.
  void close_position(std::size_t t, bool end_of_data) {
    while (!working_.empty()) cancel(0, "position closed");
    const double q = pf_.position(0).quantity;
    if (q == 0) return;
    submit(t, q > 0 ? Side::kSell : Side::kBuy, std::fabs(q), true, end_of_data);
  }

  // RealtimeStrategy::apply_signal / entry_quantity (no stops: the sweep rejects SL/TP configs).
  void act(Act a, std::size_t t) {
    if (a == Act::kClose) return close_position(t, false);
    const StrategyConfig& sc = c_.cfg->strategy;
    const double pos = pf_.position(0).quantity;
    const bool buy = a == Act::kBuy;
    if ((buy && pos < 0) || (!buy && pos > 0)) close_position(t, false);
    if (buy ? pos > 0 : pos < 0) return;
    if (!buy && !sc.allow_short) return;
    for (const Working& w : working_)
      if (!w.reduce_only) return;  // has_working_entry
    const std::size_t others = pf_.open_positions() - (pos != 0 ? 1 : 0);
    if (others >= static_cast<std::size_t>(sc.max_positions)) return;
    const double q = entry_quantity(c_.d.close[t]);
    if (!(q > 0)) return;
    submit(t, buy ? Side::kBuy : Side::kSell, q, false, false);
  }

  double entry_quantity(double price) const { return sized_entry_quantity(c_.cfg->strategy, pf_, 0, price, 0); }

  // ---- fills (SimulatedVenue::match for market orders + Kernel::on_fill) -------------------
  double slipped(Side side, double price) const { return slipped_price(c_.cfg->sim.slippage, c_.ins, side, price, 0, 0); }

  void match(std::size_t t, bool at_close) {
    if (working_.empty()) return;  // the venue only looks at a bar when it has working orders
    const Data& d = c_.d;
    venue_now_ = d.ts[t];
    const double base = at_close ? d.close[t] : d.open[t];
    // Eligible orders fill at the path start in id order (ids increase along working_).
    for (std::size_t k = 0; k < working_.size();) {
      Working& w = working_[k];
      const bool eligible = at_close ? w.start_bar == t + 1 : w.start_bar <= t;
      if (!eligible) {
        ++k;
        continue;
      }
      double qty = w.quantity - w.filled;
      if (w.reduce_only) {
        const double pos = pf_.position(0).quantity;
        const bool reduces = w.side == Side::kBuy ? pos < 0 : pos > 0;
        if (!reduces) {
          cancel(k, "reduce-only order has no position to reduce");
          continue;
        }
        qty = std::fmin(qty, std::fabs(pos));
      }
      if (!(qty > 0)) {
        ++k;
        continue;
      }
      const double price = slipped(w.side, base);
      const SimConfig& sim = c_.cfg->sim;
      double fee = sim.fees.taker * qty * price * c_.ins.multiplier;
      if (w.filled == 0) fee += sim.fees.fixed_per_order;
      Fill f;
      f.order_id = w.id;
      f.ts = d.ts[t];
      f.symbol = c_.symbol;
      f.side = w.side;
      f.quantity = qty;
      f.price = price;
      f.fee = fee;
      f.liquidity = Liquidity::kTaker;
      f.symbol_id = 0;
      f.bar_index = t;
      // Kernel::on_fill
      const double old_filled = w.filled;
      const double filled = old_filled + qty;
      const bool done = w.quantity - filled <= kQuantityEpsilon * w.quantity;
      if (c_.full) {
        Order& o = orders_[w.rec];
        o.avg_fill_price = o.filled_quantity == 0 ? price : (o.avg_fill_price * o.filled_quantity + price * qty) / filled;
        o.filled_quantity = done ? o.quantity : filled;
        o.status = done ? OrderStatus::kFilled : OrderStatus::kPartiallyFilled;
        o.updated_ts = f.ts;
        fills_.push_back(f);
      }
      w.filled = filled;
      pf_.apply_fill(f, w.end_of_data ? "end_of_data" : "signal");
      if (done) working_.erase(working_.begin() + static_cast<std::ptrdiff_t>(k));
      else ++k;
      if (pf_.position(0).quantity == 0) {  // reduce-only orders are void once flat
        for (std::size_t j = 0; j < working_.size();) {
          if (working_[j].reduce_only && working_[j].id != f.order_id) {
            if (j < k) --k;
            cancel(j, "position closed");
          } else {
            ++j;
          }
        }
      }
    }
  }

  // ---- equity points (Kernel::record_equity) and the running statistics --------------------
  // The statistics lag one point behind, because Kernel::finish may replace the last point.
  struct Fold {
    SweepReturnStats s;
    bool have_last = false, started = false;
    double last = 0, prev = 0;

    void point(double e) {
      if (have_last) add(last);
      have_last = true;
      last = e;
    }
    // k >= 1 points of the same equity (flat, nothing working).
    void constant_points(double e, std::size_t k) {
      point(e);
      if (--k > 0) point(e), --k;
      if (k > 0 && started && prev == e) s.n += k;  // k more zero returns
      else for (; k > 0; --k) point(e);
    }
    // k >= 1 points of a held position: e_i = cash + q * close[i] * mult (Kernel::record_equity).
    // The state lives in locals so that the loop runs from registers.
    void position_points(const double* close, std::size_t k, double cash, double q, double mult) {
      point(cash + q * close[0] * mult);
      std::size_t i = 1;
      if (!started && i < k) add(last), last = cash + q * close[i++] * mult;
      double p = prev, sum = s.sum, sq = s.sum_sq, peak = s.peak_equity, mdd = s.max_drawdown, lim = trough_limit;
      double e = last;
      if (i < k) s.n += k - i;
      // Branch-free: an unchanged equity gives r = 0 exactly and cannot be a new peak or trough.
      for (; i < k; ++i) {
        const double r = e / p - 1.0;
        sum += r;
        sq += r * r;
        p = e;
        peak = std::max(peak, e);
        if (e < peak * lim) [[unlikely]] {
          const double dd = e / peak - 1.0;
          if (dd < mdd) mdd = dd, lim = (1.0 + dd) * (1.0 + 1e-12);
        }
        e = cash + q * close[i] * mult;
      }
      prev = p, s.sum = sum, s.sum_sq = sq, s.peak_equity = peak, s.max_drawdown = mdd, trough_limit = lim;
      last = e;
    }
    // Adds one equity point: the analyzer's simple returns and drawdown from the running peak.
    void add(double e) {
      if (!started) {
        started = true;
        s.first_equity = s.peak_equity = prev = e;
        return;
      }
      ++s.n;
      if (e == prev) return;  // a zero return: no new peak or trough
      const double r = e / prev - 1.0;
      s.sum += r;
      s.sum_sq += r * r;
      prev = e;
      s.peak_equity = std::max(s.peak_equity, e);
      // Divide only when the point may be a new trough (the margin covers rounding).
      if (e < s.peak_equity * trough_limit) [[unlikely]] {
        const double dd = e / s.peak_equity - 1.0;
        if (dd < s.max_drawdown) {
          s.max_drawdown = dd;
          trough_limit = (1.0 + dd) * (1.0 + 1e-12);
        }
      }
    }
    double trough_limit = 1.0 + 1e-12;  // (1 + max_drawdown) with a rounding margin
  };

  void point(Timestamp ts, double eq, double cash, double pv) {
    fold_.point(eq);
    if (!c_.full) return;
    if (equity_.empty() || eq > peak_) peak_ = eq;
    const double dd = peak_ > 0 ? (eq / peak_ - 1.0) * 100.0 : 0.0;
    equity_.push_back(EquityPoint{ts, eq, cash, pv, dd});
  }

  void replace_last_point(double eq, double cash, double pv) {
    fold_.last = eq;
    if (!c_.full || equity_.empty()) return;
    const Timestamp ts = equity_.back().ts;
    equity_.pop_back();
    if (!equity_.empty()) {
      peak_ = equity_.front().equity;
      for (const auto& p : equity_) peak_ = std::max(peak_, p.equity);
    }
    if (equity_.empty() || eq > peak_) peak_ = eq;
    const double dd = peak_ > 0 ? (eq / peak_ - 1.0) * 100.0 : 0.0;
    equity_.push_back(EquityPoint{ts, eq, cash, pv, dd});
  }

  void flush_point() {
    if (fold_.have_last) fold_.add(fold_.last);
  }

  const Ctx& c_;
  Portfolio pf_;
  std::vector<Working> working_;
  OrderId next_id_ = 1;
  Timestamp venue_now_ = 0;
  std::vector<Order> orders_;
  std::vector<Fill> fills_;
  std::vector<EquityPoint> equity_;
  double peak_ = 0;
  Fold fold_;
};

// ---------------------------------------------------------------------------------------------
// Running a batch: validate sets, request series, compute them once, simulate blocks of sets
// chunk by chunk (each chunk of every series a block touches stays in cache across the block).

class Runner {
 public:
  virtual ~Runner() = default;
  virtual void run(const Ctx& ctx, std::span<const ParamSet> sets, std::span<SweepRun> out, ThreadPool& pool,
                   const std::function<bool(std::size_t)>& tick) const = 0;
};

template <class Policy>
class PolicyRunner final : public Runner {
 public:
  explicit PolicyRunner(std::string name) : name_(std::move(name)) {}

  void run(const Ctx& ctx, std::span<const ParamSet> sets, std::span<SweepRun> out, ThreadPool& pool,
           const std::function<bool(std::size_t)>& tick) const override {
    const std::size_t n = sets.size();
    SeriesCache cache;
    std::vector<Policy> policies(n);
    std::vector<char> ok(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      // The engine's own parameter resolution and checks (defaults, ranges, fast < slow).
      auto resolved = resolve(sets[i]);
      if (!resolved) {
        out[i].status = resolved.error();
        continue;
      }
      try {
        policies[i].request(cache, *resolved);
        ok[i] = 1;
      } catch (const Exception& e) {
        out[i].status = e.error();
      }
    }
    cache.compute_all(ctx.d, pool);
    for (std::size_t i = 0; i < n; ++i)
      if (ok[i]) policies[i].bind(cache, ctx.d.n);

    constexpr std::size_t kBlock = 16;  // sets sharing a chunk: their series chunks fit in L2
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    std::atomic<bool> stop{false};
    pool.parallel_for(blocks, [&](std::size_t b) {
      if (stop.load(std::memory_order_relaxed)) return;
      const std::size_t lo = b * kBlock, hi = std::min(n, lo + kBlock);
      std::vector<std::unique_ptr<SetSim>> sims(hi - lo);
      for (std::size_t i = lo; i < hi; ++i)
        if (ok[i]) sims[i - lo] = std::make_unique<SetSim>(ctx);
      for (std::size_t c0 = 0; c0 < ctx.d.n; c0 += kChunk) {
        const std::size_t c1 = std::min(ctx.d.n, c0 + kChunk);
        for (std::size_t i = lo; i < hi; ++i) {
          SetSim* sim = sims[i - lo].get();
          if (!sim) continue;
          Policy pol = policies[i];  // a local copy keeps the series pointers in registers
          sim->bars(c0, c1, [&](std::size_t t, double pos) { return pol.decide(t, ctx.d, pos); },
                    [&](std::size_t u, std::size_t end) { return pol.skip(u, end); });
          policies[i] = pol;
        }
      }
      for (std::size_t i = lo; i < hi; ++i) {
        if (SetSim* sim = sims[i - lo].get()) {
          sim->finish();
          out[i] = sim->take(ctx.d.n);
        }
        if (tick && !tick(i)) stop.store(true, std::memory_order_relaxed);
      }
    });
  }

 private:
  Result<ParamSet> resolve(const ParamSet& given) const {
    const StrategyInfo* info = builtin_strategies().find(name_);
    auto r = resolve_params(info->params, given, name_);
    if (!r) return r;
    auto s = builtin_strategies().create(name_, *r);  // runs the factory's own checks
    if (!s) return std::move(s).error();
    return r;
  }
  std::string name_;
};

struct Entry {
  const char* name;
  std::unique_ptr<Runner> (*make)();
};

template <class P>
std::unique_ptr<Runner> make_runner_for(const char* name) {
  return std::make_unique<PolicyRunner<P>>(name);
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> e = {
      {"sma_cross", [] { return make_runner_for<SmaCrossPolicy>("sma_cross"); }},
      {"ma_crossover", [] { return make_runner_for<MaCrossoverPolicy>("ma_crossover"); }},
      {"rsi_reversion", [] { return make_runner_for<RsiReversionPolicy>("rsi_reversion"); }},
      {"bollinger_reversion", [] { return make_runner_for<BollingerPolicy>("bollinger_reversion"); }},
      {"macd_cross", [] { return make_runner_for<MacdCrossPolicy>("macd_cross"); }},
      {"donchian_breakout", [] { return make_runner_for<DonchianPolicy>("donchian_breakout"); }},
      {"supertrend", [] { return make_runner_for<SupertrendPolicy>("supertrend"); }},
  };
  return e;
}

Status unsupported(const std::string& why) { return Status(Error{ErrorCode::kUnsupported, why + " is not supported by the sweep"}); }

}  // namespace detail_sweep

const std::vector<std::string>& sweep_strategies() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& e : detail_sweep::entries()) v.emplace_back(e.name);
    return v;
  }();
  return names;
}

Status sweep_supports(std::string_view strategy, const BacktestConfig& config, const std::vector<BarSeries>& data) {
  using detail_sweep::unsupported;
  const auto& names = sweep_strategies();
  if (std::find(names.begin(), names.end(), strategy) == names.end())
    return unsupported("strategy '" + std::string(strategy) + "'");
  if (data.size() != 1) return unsupported(std::to_string(data.size()) + " data series (one is)");
  if (data.front().empty()) return invalid_argument("sweep: the data series is empty");
  const StrategyConfig& s = config.strategy;
  if (s.stop_loss_pct > 0) return unsupported("stop_loss_pct > 0");
  if (s.take_profit_pct > 0) return unsupported("take_profit_pct > 0");
  if (s.sizing == Sizing::kRisk) return unsupported("sizing = risk");
  if (config.sim.participation > 0) return unsupported("a participation cap");
  if (config.sim.slippage.model == SlippageModel::kVolumeShare) return unsupported("slippage_model = volume_share");
  return Status::Ok();
}

struct ParameterSweep::Impl {
  detail_sweep::Ctx ctx;
  BacktestConfig config;
  std::string strategy;
  std::unique_ptr<detail_sweep::Runner> runner;
  Status data_status;  // what the engine says about the data (unsorted timestamps, ...)
};

ParameterSweep::ParameterSweep(const std::vector<BarSeries>& data, std::string strategy, BacktestConfig config)
    : impl_(std::make_unique<Impl>()) {
  sweep_supports(strategy, config, data).check();
  Impl& m = *impl_;
  m.config = std::move(config);
  m.strategy = std::move(strategy);
  m.data_status = HistoricalFeed::check_sorted(data.front());
  for (const auto& e : detail_sweep::entries())
    if (m.strategy == e.name) m.runner = e.make();
  const BarSeries& s = data.front();
  m.ctx.d = {s.timestamps(), s.open(), s.high(), s.low(), s.close(), s.size()};
  m.ctx.cfg = &m.config;
  m.ctx.ins = instrument_for(m.config, s.symbol());
  m.ctx.symbol = s.symbol();
  m.ctx.at_close = m.config.strategy.fill == FillTiming::kClose;
}

ParameterSweep::~ParameterSweep() = default;

const std::string& ParameterSweep::strategy() const noexcept { return impl_->strategy; }

void ParameterSweep::run(std::span<const ParamSet> sets, std::span<SweepRun> out, ThreadPool& pool, SweepDetail detail,
                         const std::function<bool(std::size_t)>& tick) const {
  TL_ASSERT(out.size() == sets.size(), "ParameterSweep::run: out.size() != sets.size()");
  if (!impl_->data_status.ok()) {  // the engine refuses such data for every set: so do we
    for (std::size_t i = 0; i < sets.size(); ++i) {
      out[i].status = impl_->data_status;
      if (tick) tick(i);
    }
    return;
  }
  detail_sweep::Ctx ctx = impl_->ctx;
  ctx.full = detail == SweepDetail::kFull;
  impl_->runner->run(ctx, sets, out, pool, tick);
}

SweepRun ParameterSweep::run_one(const ParamSet& params, SweepDetail detail) const {
  ThreadPool pool(1);
  std::vector<SweepRun> out(1);
  run(std::span<const ParamSet>(&params, 1), out, pool, detail);
  return std::move(out[0]);
}

}  // namespace tradeloop
