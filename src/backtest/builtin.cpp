#include "tradeloop/backtest/builtin.hpp"

#include <cmath>

namespace tradeloop::builtin {

SmaCross::SmaCross(int fast, int slow) : PerSymbol(SmaCrossState{ind::Sma(fast), ind::Sma(slow), {}}) {}

void SmaCross::on_candle(const Candle& c) {
  SmaCrossState& st = state(c.symbol);
  const double f = st.fast.update(c.close);
  const double s = st.slow.update(c.close);
  if (!st.slow.ready() || !st.fast.ready()) return;
  const Signal sig = st.turn.step(relation(f, s));
  if (sig != Signal::kHold) apply_signal(sig, c);
}

MaCrossover::MaCrossover(int fast, int slow, int rsi_period, double overbought)
    : PerSymbol(MaCrossoverState{ind::Ema(fast), ind::Ema(slow), ind::Rsi(rsi_period)}), overbought_(overbought) {}

void MaCrossover::on_candle(const Candle& c) {
  MaCrossoverState& st = state(c.symbol);
  const double f = st.fast.update(c.close);
  const double s = st.slow.update(c.close);
  const double r = st.rsi.update(c.close);
  if (std::isnan(f) || std::isnan(s) || std::isnan(r)) return;
  if (f > s && r < overbought_)
    apply_signal(Signal::kBuy, c);
  else if (f < s)
    apply_signal(Signal::kSell, c);
}

RsiReversion::RsiReversion(int period, double oversold, double overbought)
    : PerSymbol(ind::Rsi(period)), oversold_(oversold), overbought_(overbought) {}

void RsiReversion::on_candle(const Candle& c) {
  const double r = state(c.symbol).update(c.close);
  if (std::isnan(r)) return;
  if (r < oversold_)
    apply_signal(Signal::kBuy, c);
  else if (r > overbought_)
    apply_signal(Signal::kSell, c);
}

BollingerReversion::BollingerReversion(int period, double k) : PerSymbol(ind::BollingerBands(period, k)) {}

void BollingerReversion::on_candle(const Candle& c) {
  const ind::BandsValue b = state(c.symbol).update(c.close);
  if (std::isnan(b.middle)) return;
  const double pos = position(c.symbol);
  if ((pos > 0 && c.close >= b.middle) || (pos < 0 && c.close <= b.middle)) {
    close_position(c.symbol, "signal");
    return;
  }
  if (c.close < b.lower)
    apply_signal(Signal::kBuy, c);
  else if (c.close > b.upper)
    apply_signal(Signal::kSell, c);
}

MacdCross::MacdCross(int fast, int slow, int signal) : PerSymbol(MacdCrossState{ind::Macd(fast, slow, signal), {}}) {}

void MacdCross::on_candle(const Candle& c) {
  MacdCrossState& st = state(c.symbol);
  const ind::MacdValue m = st.macd.update(c.close);
  if (std::isnan(m.signal) || std::isnan(m.macd)) return;
  const Signal sig = st.turn.step(relation(m.macd, m.signal));
  if (sig != Signal::kHold) apply_signal(sig, c);
}

DonchianBreakout::DonchianBreakout(int period, int exit_period)
    : PerSymbol(DonchianState{ind::Donchian(period), ind::Donchian(exit_period), {}, {}}) {}

void DonchianBreakout::on_candle(const Candle& c) {
  DonchianState& st = state(c.symbol);
  const ind::ChannelValue entry = st.prev_entry, exit = st.prev_exit;
  st.prev_entry = st.entry.update(c.high, c.low);
  st.prev_exit = st.exit.update(c.high, c.low);
  const double pos = position(c.symbol);
  if ((pos > 0 && c.close < exit.lower) || (pos < 0 && c.close > exit.upper)) {
    close_position(c.symbol, "signal");
    return;
  }
  if (c.close > entry.upper)
    apply_signal(Signal::kBuy, c);
  else if (c.close < entry.lower)
    apply_signal(Signal::kSell, c);
}

SupertrendStrategy::SupertrendStrategy(int period, double multiplier)
    : PerSymbol(SupertrendState{ind::Supertrend(period, multiplier), {}}) {}

void SupertrendStrategy::on_candle(const Candle& c) {
  SupertrendState& st = state(c.symbol);
  const ind::SupertrendValue v = st.st.update(c.high, c.low, c.close);
  if (std::isnan(v.direction)) return;
  const Signal sig = st.turn.step(v.direction > 0 ? 1 : -1);
  if (sig != Signal::kHold) apply_signal(sig, c);
}

TrendFollowingEma::TrendFollowingEma(int fast, int slow, int atr_period, double atr_mult)
    : PerSymbol(TrendEmaState{ind::Ema(fast), ind::Ema(slow), ind::Atr(atr_period)}), atr_mult_(atr_mult) {}

void TrendFollowingEma::on_candle(const Candle& c) {
  TrendEmaState& st = state(c.symbol);
  const double f = st.fast.update(c.close);
  const double s = st.slow.update(c.close);
  const double atr = st.atr.update(c.high, c.low, c.close);
  if (std::isnan(f) || std::isnan(s) || std::isnan(atr)) return;
  const double pos = position(c.symbol);
  if ((pos > 0 && f < s) || (pos < 0 && f > s)) {
    close_position(c.symbol, "signal");
    return;
  }
  if (pos != 0 || !(atr > 0)) return;
  const EntryExits exits{0, 0, atr_mult_ * atr};
  if (f > s && c.close > f)
    apply_signal(Signal::kBuy, c, "signal", exits);
  else if (f < s && c.close < f)
    apply_signal(Signal::kSell, c, "signal", exits);
}

MeanReversionLr::MeanReversionLr(int period, double entry_z, double exit_z, int atr_period, double atr_mult)
    : PerSymbol(MeanRevLrState{ind::LinearRegression(period), ind::Atr(atr_period)}),
      entry_z_(entry_z),
      exit_z_(exit_z),
      atr_mult_(atr_mult) {}

void MeanReversionLr::on_candle(const Candle& c) {
  MeanRevLrState& st = state(c.symbol);
  const double z = st.lr.update(c.close).zscore;
  const double atr = st.atr.update(c.high, c.low, c.close);
  if (std::isnan(z) || std::isnan(atr)) return;
  const double pos = position(c.symbol);
  if ((pos > 0 && z > -exit_z_) || (pos < 0 && z < exit_z_)) {
    close_position(c.symbol, "signal");
    return;
  }
  if (pos != 0) return;
  if (z < -entry_z_)
    apply_signal(Signal::kBuy, c, "signal", EntryExits{c.close - atr_mult_ * atr, 0, 0});
  else if (z > entry_z_ && config.allow_short)
    apply_signal(Signal::kSell, c, "signal", EntryExits{c.close + atr_mult_ * atr, 0, 0});
}

}  // namespace tradeloop::builtin
