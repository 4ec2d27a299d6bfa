// The built-in strategies as C++ classes (what builtin_strategies() builds by name). They are
// public so that the tests, the benchmark and C++ users can run them directly, and so that the
// exact rules are stated in one place; docs/strategies.md repeats them for users.
//
// All of them are event-driven RealtimeStrategy subclasses with streaming indicators (one state
// per symbol, O(1) per bar, no allocation per bar), decide on bar t after it closed, and act
// through apply_signal (sizing, SL/TP and allow_short from the config). "Turns" means: the
// relation on bar t differs from the relation on bar t-1, both defined (no signal on the first
// bar where the indicators are ready).
#pragma once

#include <cmath>
#include <vector>

#include "tradeloop/engine/strategy.hpp"
#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop::builtin {

// Keeps one indicator state per symbol, copied from a prototype at on_start.
template <class State>
class PerSymbol : public RealtimeStrategy {
 public:
  explicit PerSymbol(State prototype) : prototype_(std::move(prototype)) {}
  void on_start() override { states_.assign(symbol_count(), prototype_); }

 protected:
  State& state(SymbolId s) noexcept { return states_[s]; }

 private:
  State prototype_;
  std::vector<State> states_;
};

// S = sign(a - b), with |a - b| <= 1e-11 * |b| counted as equal (0): exact ties happen on
// cent-priced data, and compensated SMAs of equal windows can differ in the last bits.
inline int relation(double a, double b) noexcept {
  const double d = a - b;
  if (std::fabs(d) <= 1e-11 * std::fabs(b)) return 0;
  return d > 0 ? 1 : -1;
}

// Tracks a relation and reports when it turns up (+1 after <= 0) or down (-1 after >= 0).
struct Turn {
  int prev = 0;
  bool have_prev = false;
  // Returns kBuy on a turn up, kSell on a turn down, kHold otherwise; remembers s.
  Signal step(int s) noexcept {
    Signal out = Signal::kHold;
    if (have_prev) {
      if (s == 1 && prev <= 0) out = Signal::kBuy;
      if (s == -1 && prev >= 0) out = Signal::kSell;
    }
    prev = s;
    have_prev = true;
    return out;
  }
};

// sma_cross(fast, slow): S = relation(SMA_fast, SMA_slow) on closes; BUY when S turns +1,
// SELL when S turns -1 (an exit; with allow_short it also opens a short). fast < slow.
struct SmaCrossState {
  ind::Sma fast, slow;
  Turn turn;
};
class SmaCross final : public PerSymbol<SmaCrossState> {
 public:
  SmaCross(int fast, int slow);
  void on_candle(const Candle& c) override;
};

// ma_crossover (the user guide §4.1 example): BUY while EMA_fast > EMA_slow and RSI < overbought;
// SELL while EMA_fast < EMA_slow; HOLD otherwise and during the warm-up (levels, not turns,
// exactly as the guide's generate_signals).
struct MaCrossoverState {
  ind::Ema fast, slow;
  ind::Rsi rsi;
};
class MaCrossover final : public PerSymbol<MaCrossoverState> {
 public:
  MaCrossover(int fast, int slow, int rsi_period, double overbought);
  void on_candle(const Candle& c) override;

 private:
  double overbought_;
};

// rsi_reversion: BUY while RSI < oversold, SELL while RSI > overbought (levels).
class RsiReversion final : public PerSymbol<ind::Rsi> {
 public:
  RsiReversion(int period, double oversold, double overbought);
  void on_candle(const Candle& c) override;

 private:
  double oversold_, overbought_;
};

// bollinger_reversion: exit a long when close >= middle, a short when close <= middle; else BUY
// when close < lower, SELL when close > upper.
class BollingerReversion final : public PerSymbol<ind::BollingerBands> {
 public:
  BollingerReversion(int period, double k);
  void on_candle(const Candle& c) override;
};

// macd_cross: BUY when relation(macd, signal) turns +1, SELL when it turns -1.
struct MacdCrossState {
  ind::Macd macd;
  Turn turn;
};
class MacdCross final : public PerSymbol<MacdCrossState> {
 public:
  MacdCross(int fast, int slow, int signal);
  void on_candle(const Candle& c) override;
};

// donchian_breakout: with the channels of the bars BEFORE t (entry: `period` bars, exit:
// `exit_period` bars): exit a long when close < exit lower, a short when close > exit upper;
// BUY when close > entry upper, SELL when close < entry lower.
struct DonchianState {
  ind::Donchian entry, exit;
  ind::ChannelValue prev_entry, prev_exit;
};
class DonchianBreakout final : public PerSymbol<DonchianState> {
 public:
  DonchianBreakout(int period, int exit_period);
  void on_candle(const Candle& c) override;
};

// supertrend: BUY when the direction turns +1, SELL when it turns -1.
struct SupertrendState {
  ind::Supertrend st;
  Turn turn;
};
class SupertrendStrategy final : public PerSymbol<SupertrendState> {
 public:
  SupertrendStrategy(int period, double multiplier);
  void on_candle(const Candle& c) override;
};

// trend_following_ema: exit a long when EMA_fast < EMA_slow (a short when >); when flat, BUY if
// EMA_fast > EMA_slow and close > EMA_fast, SELL if EMA_fast < EMA_slow and close < EMA_fast;
// every entry carries a trailing stop trailing by atr_mult * ATR (measured at the entry signal).
struct TrendEmaState {
  ind::Ema fast, slow;
  ind::Atr atr;
};
class TrendFollowingEma final : public PerSymbol<TrendEmaState> {
 public:
  TrendFollowingEma(int fast, int slow, int atr_period, double atr_mult);
  void on_candle(const Candle& c) override;

 private:
  double atr_mult_;
};

// mean_reversion_lr: z = LinearRegression(period).zscore of closes. Exit a long when
// z > -exit_z, a short when z < exit_z; when flat, BUY if z < -entry_z with a stop at
// close - atr_mult * ATR, SELL if z > entry_z with a stop at close + atr_mult * ATR (the short
// side needs allow_short = true).
struct MeanRevLrState {
  ind::LinearRegression lr;
  ind::Atr atr;
};
class MeanReversionLr final : public PerSymbol<MeanRevLrState> {
 public:
  MeanReversionLr(int period, double entry_z, double exit_z, int atr_period, double atr_mult);
  void on_candle(const Candle& c) override;

 private:
  double entry_z_, exit_z_, atr_mult_;
};

}  // namespace tradeloop::builtin
