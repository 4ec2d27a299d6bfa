// Trend indicators: ADX (TA-Lib ta_ADX.c), Supertrend (TradingView ta.supertrend), Parabolic
// SAR (TA-Lib ta_SAR.c), Ichimoku.
#include "tradeloop/indicators/trend.hpp"

#include <algorithm>

#include "batch.hpp"
#include "rolling_extremes.hpp"

namespace tradeloop::ind {

using detail::run_batch;

Adx::Adx(int period) : period_(require_int("adx", "period", period, 2)) {}

void Adx::reset() noexcept {
  t_ = 0;
  plus_dm_ = minus_dm_ = tr_ = sum_dx_ = adx_ = 0;
}

Supertrend::Supertrend(int period, double multiplier)
    : atr_(require_int("supertrend", "period", period, 1), AtrSeed::kTradingView),
      mult_(require_real("supertrend", "multiplier", multiplier, 0, 1e6)) {}

void Supertrend::reset() noexcept {
  atr_.reset();
  prev_upper_ = prev_lower_ = 0;
  prev_st_ = prev_close_ = kNaN;
  prev_atr_ready_ = false;
}

// A line-by-line port of the Pine reference of ta.supertrend (TradingView Pine v5 manual).
SupertrendValue Supertrend::update(double high, double low, double close) noexcept {
  const double a = atr_.update(high, low, close);
  const double prev_close = prev_close_;
  prev_close_ = close;
  if (std::isnan(a)) {
    prev_upper_ = prev_lower_ = 0;  // nz(na)
    prev_atr_ready_ = false;
    return {};
  }
  const double hl2 = (high + low) / 2;
  double upper = hl2 + mult_ * a, lower = hl2 - mult_ * a;
  const double pl = prev_lower_, pu = prev_upper_;
  lower = (lower > pl || prev_close < pl) ? lower : pl;
  upper = (upper < pu || prev_close > pu) ? upper : pu;
  int tv_dir;  // TradingView: -1 = up trend
  if (!prev_atr_ready_)
    tv_dir = 1;
  else if (prev_st_ == pu)
    tv_dir = close > upper ? -1 : 1;
  else
    tv_dir = close < lower ? 1 : -1;
  const double st = tv_dir == -1 ? lower : upper;
  prev_upper_ = upper;
  prev_lower_ = lower;
  prev_st_ = st;
  prev_atr_ready_ = true;
  return {st, static_cast<double>(-tv_dir)};
}

ParabolicSar::ParabolicSar(double acceleration, double maximum)
    : step_(require_real("psar", "acceleration", acceleration, 0, 1)),
      max_(require_real("psar", "maximum", maximum, 0, 1)) {
  step_ = std::min(step_, max_);  // TA-Lib caps the step at the maximum
}

double ParabolicSar::update(double high, double low) noexcept {
  const long long t = t_++;
  if (t == 0) {
    s_.new_high = high;
    s_.new_low = low;
    return kNaN;
  }
  if (t == 1) {
    // TA-Lib: MINUS_DM(1) of bar 1 decides the initial direction.
    const double diff_m = s_.new_low - low, diff_p = high - s_.new_high;
    s_.is_long = !(diff_m > 0 && diff_p < diff_m);
    s_.ep = s_.is_long ? high : low;
    s_.sar = s_.is_long ? s_.new_low : s_.new_high;
    s_.af = step_;
    s_.new_high = high;  // TA-Lib "cheats" on the previous bar for the first iteration
    s_.new_low = low;
  }
  return step(s_, high, low, step_, max_);
}

Ichimoku::Ichimoku(int tenkan, int kijun, int senkou_b, int displacement)
    : longest_(std::max({require_int("ichimoku", "tenkan", tenkan, 1), require_int("ichimoku", "kijun", kijun, 1),
                         require_int("ichimoku", "senkou_b", senkou_b, 1)})),
      displacement_(require_int("ichimoku", "displacement", displacement, 0)),
      tenkan_(tenkan),
      kijun_(kijun),
      senkou_b_(senkou_b),
      lag_a_(displacement),
      lag_b_(displacement) {}

void Ichimoku::reset() noexcept {
  for (RollingHighLow* r : {&tenkan_, &kijun_, &senkou_b_}) r->reset();
  lag_a_.reset();
  lag_b_.reset();
}

IchimokuValue Ichimoku::update(double high, double low, double close) noexcept {
  IchimokuValue v;
  const auto mid = [&](RollingHighLow& r) { return r.update(high, low).mid(); };
  v.tenkan = mid(tenkan_);
  v.kijun = mid(kijun_);
  v.senkou_a = lag_a_.push(0.5 * (v.tenkan + v.kijun));
  v.senkou_b = lag_b_.push(mid(senkou_b_));
  v.chikou = close;
  return v;
}

// ---- batch forms ----
Status adx(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period,
           std::span<double> plus_di, std::span<double> minus_di, std::span<double> dx, std::span<double> adx_out) {
  return run_batch("adx", {high, low, close}, {plus_di, minus_di, dx, adx_out}, [&] { return Adx(period); },
                   [&](Adx& a, std::size_t i) {
                     const AdxValue v = a.update(high[i], low[i], close[i]);
                     plus_di[i] = v.plus_di;
                     minus_di[i] = v.minus_di;
                     dx[i] = v.dx;
                     adx_out[i] = v.adx;
                   });
}
Status supertrend(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  int period, double multiplier, std::span<double> value, std::span<double> direction) {
  return run_batch("supertrend", {high, low, close}, {value, direction},
                   [&] { return Supertrend(period, multiplier); },
                   [&](Supertrend& s, std::size_t i) {
                     const SupertrendValue v = s.update(high[i], low[i], close[i]);
                     value[i] = v.value;
                     direction[i] = v.direction;
                   });
}
// The first two bars through update (their set-up), then update_ready with the state in
// registers: the same operations, so the same bits.
Status parabolic_sar(std::span<const double> high, std::span<const double> low, double acceleration, double maximum,
                     std::span<double> out) {
  TL_RETURN_IF_ERROR(
      detail::check_batch("psar", {high, low}, {out}, [&] { return ParabolicSar(acceleration, maximum); }));
  const ParabolicSar made(acceleration, maximum);
  ParabolicSar p = made;  // a non-escaping copy (see run_batch)
  std::size_t i = 0;
  for (; i < high.size() && !p.ready(); ++i) out[i] = p.update(high[i], low[i]);
  for (; i < high.size(); ++i) out[i] = p.update_ready(high[i], low[i]);
  return Status::Ok();
}
Status ichimoku(std::span<const double> high, std::span<const double> low, std::span<const double> close, int tenkan,
                int kijun, int senkou_b, int displacement, std::span<double> tenkan_out, std::span<double> kijun_out,
                std::span<double> senkou_a, std::span<double> senkou_b_out, std::span<double> chikou) {
  TL_RETURN_IF_ERROR(detail::check_batch("ichimoku", {high, low, close},
                                         {tenkan_out, kijun_out, senkou_a, senkou_b_out, chikou},
                                         [&] { return Ichimoku(tenkan, kijun, senkou_b, displacement); }));
  // Ichimoku::update's values, line by line, with the window extremes from the batch kernel.
  const std::size_t n = close.size(), d = std::min(static_cast<std::size_t>(displacement), n);
  // out[i] = midpoint of the high/low window of bar i (NaN in the warm-up, as the class gives).
  const auto midline = [](std::span<const double> h, std::span<const double> l, int period,
                          std::span<double> out) {
    detail::fill_warm_up({out}, static_cast<std::size_t>(period - 1));
    detail::for_each_high_low(h, l, period, [&](std::size_t i, HighLow r) { out[i] = r.mid(); });
  };
  // Senkou lines are displaced forward: the line of bar i − d shows at bar i.
  detail::fill_warm_up({senkou_a, senkou_b_out}, d);
  const std::span<double> senkou_b_at = senkou_b_out.subspan(d);  // [i] = the line of bar i
  // The bars before the longest window is full, line by line; then the three windows in one pass.
  const std::size_t head = std::min(n, static_cast<std::size_t>(std::max({tenkan, kijun, senkou_b}) - 1));
  midline(high.first(head), low.first(head), tenkan, tenkan_out.first(head));
  midline(high.first(head), low.first(head), kijun, kijun_out.first(head));
  const std::size_t head_b = std::min(head, senkou_b_at.size());
  midline(high.first(head_b), low.first(head_b), senkou_b, senkou_b_at.first(head_b));
  detail::HighLowBlocks blocks(high, low, {tenkan, kijun, senkou_b});
  while (blocks.next())
    for (std::size_t k = 0, i = blocks.first(); k < blocks.size(); ++k, ++i) {
      tenkan_out[i] = HighLow{blocks.hh(0)[k], blocks.ll(0)[k]}.mid();
      kijun_out[i] = HighLow{blocks.hh(1)[k], blocks.ll(1)[k]}.mid();
      if (i < senkou_b_at.size()) senkou_b_at[i] = HighLow{blocks.hh(2)[k], blocks.ll(2)[k]}.mid();
    }
  for (std::size_t i = d; i < n; ++i) senkou_a[i] = 0.5 * (tenkan_out[i - d] + kijun_out[i - d]);
  // Shifted back: bar i shows the close of bar i + d (none yet for the last d bars).
  std::copy(close.begin() + static_cast<std::ptrdiff_t>(d), close.end(), chikou.begin());
  std::fill(chikou.end() - static_cast<std::ptrdiff_t>(d), chikou.end(), kNaN);
  return Status::Ok();
}

}  // namespace tradeloop::ind
