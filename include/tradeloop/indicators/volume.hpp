// Volume indicators: OBV, VWAP (cumulative, anchored, rolling), MFI, Chaikin A/D line and
// oscillator, Chaikin money flow.
//
// Volume in the data's unit (base units unless the source says otherwise). Sources: Granville
// 1963 (OBV), TA-Lib ta_OBV.c, ta_MFI.c, ta_AD.c, ta_ADOSC.c; TradingView ta.vwap / ta.cmf.
#pragma once

#include <optional>
#include <span>

#include "tradeloop/core/time.hpp"
#include "tradeloop/core/timeframe.hpp"
#include "tradeloop/indicators/common.hpp"
#include "tradeloop/indicators/moving_average.hpp"

namespace tradeloop::ind {

// Close location value ((C − L) − (H − C))/(H − L) in [−1, 1]; 0 for a bar without range.
inline double close_location_value(double high, double low, double close) noexcept {
  const double range = high - low;
  return range > 0 ? ((close - low) - (high - close)) / range : 0.0;
}

// On-balance volume: 0 on the first bar, then ± volume when the close rises / falls (unchanged
// close: unchanged OBV). TA-Lib starts at volume₀ instead; the difference is a constant.
class Obv {
 public:
  double update(double close, double volume) noexcept {
    if (!has_prev_) {
      has_prev_ = true;
      prev_ = close;
      return obv_ = 0.0;
    }
    // +V on an up close, −V on a down one, +0 else (the sign of a change is random on market
    // data: masks, not branches). OBV is never −0, so adding +0 leaves it as it is.
    obv_ += detail::bits_or(detail::keep_if(close > prev_, volume), detail::keep_if(close < prev_, -volume));
    prev_ = close;
    return obv_;
  }
  int lookback() const noexcept { return 0; }
  void reset() noexcept {
    has_prev_ = false;
    obv_ = 0;
  }

 private:
  double prev_ = 0, obv_ = 0;
  bool has_prev_ = false;
};

// VWAP of the typical price TP = (H+L+C)/3: Σ(TP·V)/ΣV.
// - default: cumulative from the first bar;
// - `anchor` (1d, 1w, 1M ...): the sums restart when the bar's open time enters a new anchor
//   period (UTC buckets of Timeframe::bucket_start), like TradingView's session VWAP;
// - `period` > 0: rolling over the last `period` bars (anchor ignored).
// NaN while ΣV = 0. Lookback 0 (rolling: period−1).
class Vwap {
 public:
  explicit Vwap(std::optional<Timeframe> anchor = std::nullopt, int period = 0);
  double update(Timestamp ts, double high, double low, double close, double volume) noexcept;
  int lookback() const noexcept { return period_ > 0 ? period_ - 1 : 0; }
  void reset() noexcept;

 private:
  std::optional<Timeframe> anchor_;
  int period_;
  Timestamp bucket_ = 0;
  bool started_ = false;
  RingBuffer pv_, v_;
  CompensatedSum pv_sum_, v_sum_;
};

// Money flow index (Quong & Soudack 1989; TA-Lib ta_MFI.c): raw flow TP·V counted positive when
// TP rises, negative when it falls, in neither when equal; MFI = 100·ΣMF⁺/(ΣMF⁺ + ΣMF⁻) over n
// bars; 0 when both sums are 0. Lookback n.
class Mfi {
 public:
  explicit Mfi(int period);
  double update(double high, double low, double close, double volume) noexcept;
  int lookback() const noexcept { return static_cast<int>(pos_.capacity()); }
  void reset() noexcept;

 private:
  RingBuffer pos_, neg_;
  CompensatedSum pos_sum_, neg_sum_;
  double prev_tp_ = kNaN;
};

// Chaikin accumulation/distribution line (TA-Lib ta_AD.c): AD += V·((C − L) − (H − C))/(H − L),
// the bar contributing 0 when H = L. Lookback 0.
class AdLine {
 public:
  double update(double high, double low, double close, double volume) noexcept {
    ad_ += volume * close_location_value(high, low, close);
    return ad_;
  }
  int lookback() const noexcept { return 0; }
  void reset() noexcept { ad_ = 0; }

 private:
  double ad_ = 0;
};

// Chaikin A/D oscillator (TA-Lib ta_ADOSC.c): EMA_fast(AD) − EMA_slow(AD), both EMAs seeded
// with the first AD value as TA-Lib does; outputs start at slow−1 (TA-Lib's lookback).
class AdOsc {
 public:
  AdOsc(int fast, int slow);
  TL_IND_HOT double update(double high, double low, double close, double volume) noexcept;
  int lookback() const noexcept { return slow_period_ - 1; }
  void reset() noexcept {
    ad_.reset();
    fast_.reset();
    slow_.reset();
    t_ = 0;
  }

 private:
  AdLine ad_;
  ExpSmoother fast_, slow_;
  int slow_period_;
  long long t_ = 0;
};

inline double AdOsc::update(double high, double low, double close, double volume) noexcept {
  const double ad = ad_.update(high, low, close, volume);
  const double f = fast_.update(ad), s = slow_.update(ad);
  return t_++ >= slow_period_ - 1 ? f - s : kNaN;
}

// Chaikin money flow (TradingView ta.cmf): Σ(V·CLV)/ΣV over n bars, CLV = ((C − L) − (H − C))/
// (H − L) (0 when H = L); 0 when ΣV = 0. Lookback n−1.
class Cmf {
 public:
  explicit Cmf(int period);
  double update(double high, double low, double close, double volume) noexcept;
  int lookback() const noexcept { return static_cast<int>(mfv_.capacity()) - 1; }
  void reset() noexcept;

 private:
  RingBuffer mfv_, v_;
  CompensatedSum mfv_sum_, v_sum_;
};

// ---- batch forms ----
Status obv(std::span<const double> close, std::span<const double> volume, std::span<double> out);
// `ts` may be empty when neither anchor is set (cumulative or rolling VWAP).
Status vwap(std::span<const Timestamp> ts, std::span<const double> high, std::span<const double> low,
            std::span<const double> close, std::span<const double> volume, std::span<double> out,
            std::optional<Timeframe> anchor = std::nullopt, int period = 0);
Status mfi(std::span<const double> high, std::span<const double> low, std::span<const double> close,
           std::span<const double> volume, int period, std::span<double> out);
Status ad_line(std::span<const double> high, std::span<const double> low, std::span<const double> close,
               std::span<const double> volume, std::span<double> out);
Status ad_oscillator(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                     std::span<const double> volume, int fast, int slow, std::span<double> out);
Status cmf(std::span<const double> high, std::span<const double> low, std::span<const double> close,
           std::span<const double> volume, int period, std::span<double> out);

}  // namespace tradeloop::ind
