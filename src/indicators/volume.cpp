// Volume indicators: VWAP, MFI, A/D oscillator, CMF, and the batch forms.
#include "tradeloop/indicators/volume.hpp"

#include "batch.hpp"

namespace tradeloop::ind {

using detail::run_batch;


Vwap::Vwap(std::optional<Timeframe> anchor, int period)
    : anchor_(anchor),
      period_(require_int("vwap", "period", period, 0)),
      pv_(period > 0 ? period : 1),
      v_(period > 0 ? period : 1) {}

void Vwap::reset() noexcept {
  started_ = false;
  pv_.reset();
  v_.reset();
  pv_sum_.reset();
  v_sum_.reset();
}

double Vwap::update(Timestamp ts, double high, double low, double close, double volume) noexcept {
  const double pv = (high + low + close) / 3.0 * volume;
  if (period_ > 0) {
    const double old_pv = pv_.push(pv), old_v = v_.push(volume);
    slide2(pv_sum_, pv_, pv, old_pv, v_sum_, v_, volume, old_v);
    if (!pv_.full()) return kNaN;
  } else {
    if (anchor_) {
      const Timestamp b = anchor_->bucket_start(ts);
      if (!started_ || b != bucket_) {
        pv_sum_.reset();
        v_sum_.reset();
        bucket_ = b;
      }
    }
    started_ = true;
    pv_sum_.add(pv);
    v_sum_.add(volume);
  }
  const double v = v_sum_.value();
  return v != 0 ? pv_sum_.value() / v : kNaN;
}

Mfi::Mfi(int period) : pos_(require_int("mfi", "period", period, 1)), neg_(period) {}

void Mfi::reset() noexcept {
  pos_.reset();
  neg_.reset();
  pos_sum_.reset();
  neg_sum_.reset();
  prev_tp_ = kNaN;
}

double Mfi::update(double high, double low, double close, double volume) noexcept {
  const double tp = (high + low + close) / 3.0;
  const double prev = prev_tp_;
  prev_tp_ = tp;
  if (std::isnan(prev)) return kNaN;
  const double flow = tp * volume;
  const double p = tp > prev ? flow : 0.0, m = tp < prev ? flow : 0.0;
  const double old_p = pos_.push(p), old_m = neg_.push(m);
  slide2(pos_sum_, pos_, p, old_p, neg_sum_, neg_, m, old_m);
  if (!pos_.full()) return kNaN;
  const double ps = pos_sum_.value(), total = ps + neg_sum_.value();
  return total != 0 ? 100.0 * ps / total : 0.0;
}

AdOsc::AdOsc(int fast, int slow)
    : fast_(require_int("adosc", "fast", fast, 1), 2.0 / (fast + 1), EmaSeed::kFirst),
      slow_(require_int("adosc", "slow", slow, 1), 2.0 / (slow + 1), EmaSeed::kFirst),
      slow_period_(fast > slow ? fast : slow) {}

Cmf::Cmf(int period) : mfv_(require_int("cmf", "period", period, 1)), v_(period) {}

void Cmf::reset() noexcept {
  mfv_.reset();
  v_.reset();
  mfv_sum_.reset();
  v_sum_.reset();
}

double Cmf::update(double high, double low, double close, double volume) noexcept {
  const double mfv = close_location_value(high, low, close) * volume;
  const double old_mfv = mfv_.push(mfv), old_v = v_.push(volume);
  slide2(mfv_sum_, mfv_, mfv, old_mfv, v_sum_, v_, volume, old_v);
  if (!mfv_.full()) return kNaN;
  const double v = v_sum_.value();
  return v != 0 ? mfv_sum_.value() / v : 0.0;
}

// ---- batch forms ----
Status obv(std::span<const double> close, std::span<const double> volume, std::span<double> out) {
  return run_batch("obv", {close, volume}, {out}, [] { return Obv(); },
                   [&](Obv& o, std::size_t i) { out[i] = o.update(close[i], volume[i]); });
}
Status vwap(std::span<const Timestamp> ts, std::span<const double> high, std::span<const double> low,
            std::span<const double> close, std::span<const double> volume, std::span<double> out,
            std::optional<Timeframe> anchor, int period) {
  if (anchor && period <= 0 && ts.size() != close.size())
    return invalid_argument("vwap: an anchored VWAP needs one timestamp per bar");
  return run_batch("vwap", {high, low, close, volume}, {out}, [&] { return Vwap(anchor, period); },
                   [&](Vwap& w, std::size_t i) {
                     out[i] = w.update(ts.empty() ? 0 : ts[i], high[i], low[i], close[i], volume[i]);
                   });
}
Status mfi(std::span<const double> high, std::span<const double> low, std::span<const double> close,
           std::span<const double> volume, int period, std::span<double> out) {
  return run_batch("mfi", {high, low, close, volume}, {out}, [&] { return Mfi(period); },
                   [&](Mfi& m, std::size_t i) { out[i] = m.update(high[i], low[i], close[i], volume[i]); });
}
namespace detail_volume {
// V·CLV of bars [0, len) into flow: AdLine::update's increment, four divisions per instruction
// in the AVX2 clone (no FMA: the same bits).
[[gnu::target_clones("avx2", "default")]] void money_flow(const double* __restrict high, const double* __restrict low,
                                                          const double* __restrict close,
                                                          const double* __restrict volume, std::size_t len,
                                                          double* __restrict flow) noexcept {
  for (std::size_t j = 0; j < len; ++j) flow[j] = volume[j] * close_location_value(high[j], low[j], close[j]);
}
}  // namespace detail_volume

// Per block of 256 bars: the increments into the output (independent, vectorised; the
// division is what bounds a bar-by-bar loop), then the running sum over them in place, in
// AdLine's order: the same bits.
Status ad_line(std::span<const double> high, std::span<const double> low, std::span<const double> close,
               std::span<const double> volume, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("ad", {high, low, close, volume}, {out}, [] { return AdLine(); }));
  constexpr std::size_t kBlock = 256;
  double ad = 0;  // AdLine's state
  double* y = out.data();
  for (std::size_t b = 0; b < close.size(); b += kBlock) {
    const std::size_t len = std::min(kBlock, close.size() - b);
    detail_volume::money_flow(high.data() + b, low.data() + b, close.data() + b, volume.data() + b, len, y + b);
    for (std::size_t j = b; j < b + len; ++j) y[j] = ad += y[j];
  }
  return Status::Ok();
}
Status ad_oscillator(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                     std::span<const double> volume, int fast, int slow, std::span<double> out) {
  return run_batch("adosc", {high, low, close, volume}, {out}, [&] { return AdOsc(fast, slow); },
                   [&](AdOsc& a, std::size_t i) { out[i] = a.update(high[i], low[i], close[i], volume[i]); });
}
Status cmf(std::span<const double> high, std::span<const double> low, std::span<const double> close,
           std::span<const double> volume, int period, std::span<double> out) {
  return run_batch("cmf", {high, low, close, volume}, {out}, [&] { return Cmf(period); },
                   [&](Cmf& c, std::size_t i) { out[i] = c.update(high[i], low[i], close[i], volume[i]); });
}

}  // namespace tradeloop::ind
