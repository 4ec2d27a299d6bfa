// Momentum oscillators: RSI, MACD, stochastic, StochRSI, CCI, Williams %R, ROC, MOM, TRIX,
// APO/PPO, CMO, ultimate oscillator, Aroon.
//
// Outputs in points (RSI, stochastics, %R, CMO, UO, Aroon: 0..100 or −100..0), percent (ROC,
// PPO, TRIX) or price units (MOM, APO, MACD). Conventions: TA-Lib (ta_RSI.c, ta_MACD.c,
// ta_STOCH.c, ta_CCI.c, ta_WILLR.c, ta_ROC.c, ta_MOM.c, ta_TRIX.c, ta_APO.c, ta_PPO.c,
// ta_CMO.c, ta_ULTOSC.c, ta_AROON.c), StochRSI as TradingView's; see docs/indicators.md.
#pragma once

#include <span>

#include "tradeloop/indicators/common.hpp"
#include "tradeloop/indicators/moving_average.hpp"

namespace tradeloop::ind {

// Wilder-smoothed average gain and loss of close-to-close changes (shared by RSI and CMO).
// Both are seeded with the mean of the first n changes, so they are ready at bar n.
class GainLoss {
 public:
  explicit GainLoss(int period) : gain_(period, 1.0 / period), loss_(period, 1.0 / period) {}
  // Returns false until ready.
  bool update(double close) noexcept {
    if (!has_prev_) {
      has_prev_ = true;
      prev_ = close;
      return false;
    }
    const double d = close - prev_;
    prev_ = close;
    gain_.update(d > 0 ? d : 0.0);
    loss_.update(d < 0 ? -d : 0.0);
    return gain_.ready();
  }
  double gain() const noexcept { return gain_.value(); }
  double loss() const noexcept { return loss_.value(); }
  bool ready() const noexcept { return gain_.ready(); }
  int lookback() const noexcept { return gain_.lookback() + 1; }
  void reset() noexcept {
    gain_.reset();
    loss_.reset();
    has_prev_ = false;
  }

 private:
  ExpSmoother gain_, loss_;
  double prev_ = 0;
  bool has_prev_ = false;
};

// Wilder's RSI (Wilder 1978; TA-Lib ta_RSI.c): 100·G/(G+L), G and L Wilder-smoothed average
// gain and loss seeded with the mean of the first n changes. First value at index n.
// G + L = 0 (flat prices) gives 0, as TA-Lib.
class Rsi {
 public:
  explicit Rsi(int period);
  double update(double close) noexcept {
    if (!gl_.update(close)) return kNaN;
    const double g = gl_.gain(), s = g + gl_.loss();
    return s != 0 ? 100.0 * g / s : 0.0;
  }
  bool ready() const noexcept { return gl_.ready(); }
  int lookback() const noexcept { return gl_.lookback(); }
  void reset() noexcept { gl_.reset(); }

 private:
  GainLoss gl_;
};

// Chande momentum oscillator as TA-Lib computes it (ta_CMO.c): 100·(G−L)/(G+L) with the same
// Wilder-smoothed G and L as RSI (so CMO = 2·RSI − 100). First value at n; 0 when flat.
class Cmo {
 public:
  explicit Cmo(int period);
  double update(double close) noexcept {
    if (!gl_.update(close)) return kNaN;
    const double g = gl_.gain(), l = gl_.loss(), s = g + l;
    return s != 0 ? 100.0 * (g - l) / s : 0.0;
  }
  bool ready() const noexcept { return gl_.ready(); }
  int lookback() const noexcept { return gl_.lookback(); }
  void reset() noexcept { gl_.reset(); }

 private:
  GainLoss gl_;
};

// Moving-average type for APO/PPO.
enum class MaType { kSma, kEma };

// A fast and a slow moving average aligned as TA-Lib aligns them (ta_MACD.c, INT_PO in
// ta_APO.c): with SMA seeding, the fast average starts at bar slow−fast so that both are
// first defined at bar slow−1 (the fast EMA is seeded with the mean of bars slow−fast..slow−1).
class FastSlow {
 public:
  FastSlow(const char* who, int fast, int slow, MaType type, EmaSeed seed);
  // Returns false until both averages are defined.
  bool update(double x) noexcept {
    const double s = slow_.update(x);
    const double f = (t_ >= delay_) ? fast_.update(x) : kNaN;
    ++t_;
    fast_value_ = f;
    slow_value_ = s;
    return t_ > lookback_;
  }
  bool ready() const noexcept { return t_ > lookback_; }
  // The two exponential averages (MaType::kEma), for batch loops that step copies of them (a
  // trivially copyable local stays in registers; see momentum.cpp, detail_po).
  const ExpSmoother& fast_ema() const noexcept { return fast_.ema(); }
  const ExpSmoother& slow_ema() const noexcept { return slow_.ema(); }
  double fast() const noexcept { return fast_value_; }
  double slow() const noexcept { return slow_value_; }
  int lookback() const noexcept { return lookback_; }
  void reset() noexcept {
    fast_.reset();
    slow_.reset();
    t_ = 0;
  }

 private:
  // A SMA and an EMA behind one interface, chosen at construction.
  class Ma {
   public:
    Ma(int period, MaType type, EmaSeed seed)
        : type_(type), sma_(period), ema_(period, 2.0 / (period + 1), seed) {}
    // The SMA's update with its restart (common.hpp, window sums) kept out of the EMA's way:
    // inlined side by side, GCC laid the EMA path out of line and PPO ran 2.4 times slower.
    double update(double x) noexcept {
      if (type_ == MaType::kEma) [[likely]]
        return ema_.update(x);
      return sma_.update(x);
    }
    int lookback() const noexcept { return type_ == MaType::kSma ? sma_.lookback() : ema_.lookback(); }
    const ExpSmoother& ema() const noexcept { return ema_; }
    void reset() noexcept {
      sma_.reset();
      ema_.reset();
    }

   private:
    MaType type_;
    Sma sma_;
    ExpSmoother ema_;
  };
  Ma fast_, slow_;
  long long t_ = 0, delay_ = 0, lookback_ = 0;
  double fast_value_ = kNaN, slow_value_ = kNaN;
};

struct MacdValue {
  double macd = kNaN, signal = kNaN, hist = kNaN;
};

// MACD (Appel 1979; TA-Lib ta_MACD.c): macd = EMA_fast − EMA_slow (first at slow−1),
// signal = EMA_signal(macd) seeded with the mean of its first `signal` values (first at
// slow+signal−2), hist = macd − signal. `EmaSeed::kFirst` gives pandas' ewm(adjust=False).
// lookback() = the index where all three outputs are defined.
class Macd {
 public:
  Macd(int fast, int slow, int signal, EmaSeed seed = EmaSeed::kSma);
  MacdValue update(double close) noexcept {
    if (!fs_.update(close)) return {};
    const double m = fs_.fast() - fs_.slow();
    const double s = signal_.update(m);
    return {m, s, m - s};
  }
  bool ready() const noexcept { return signal_.ready(); }
  int lookback() const noexcept { return fs_.lookback() + signal_.lookback(); }
  const FastSlow& averages() const noexcept { return fs_; }
  const ExpSmoother& signal_ema() const noexcept { return signal_; }
  void reset() noexcept {
    fs_.reset();
    signal_.reset();
  }

 private:
  FastSlow fs_;
  ExpSmoother signal_;
};

// Absolute / percentage price oscillator (TA-Lib ta_APO.c, ta_PPO.c): fast MA − slow MA, and
// 100·(fast − slow)/slow. TA-Lib's default MA type is SMA. Lookback slow−1.
class Apo {
 public:
  Apo(int fast, int slow, MaType type = MaType::kSma);
  double update(double x) noexcept { return fs_.update(x) ? fs_.fast() - fs_.slow() : kNaN; }
  bool ready() const noexcept { return fs_.ready(); }
  int lookback() const noexcept { return fs_.lookback(); }
  void reset() noexcept { fs_.reset(); }
  const FastSlow& averages() const noexcept { return fs_; }
  static double of(double fast, double slow) noexcept { return fast - slow; }

 private:
  FastSlow fs_;
};
class Ppo {
 public:
  Ppo(int fast, int slow, MaType type = MaType::kSma);
  double update(double x) noexcept { return fs_.update(x) ? value() : kNaN; }
  bool ready() const noexcept { return fs_.ready(); }
  int lookback() const noexcept { return fs_.lookback(); }
  void reset() noexcept { fs_.reset(); }
  const FastSlow& averages() const noexcept { return fs_; }
  // 100·(fast − slow)/slow, 0 when slow is 0.
  static double of(double fast, double slow) noexcept { return slow != 0 ? 100.0 * (fast - slow) / slow : 0.0; }

 private:
  double value() const noexcept { return of(fs_.fast(), fs_.slow()); }
  FastSlow fs_;
};

struct StochValue {
  double fast_k = kNaN, k = kNaN, d = kNaN;
};

// Stochastic oscillator (Lane; TA-Lib ta_STOCH.c with SMA smoothing): fast %K =
// 100·(C − LL_n)/(HH_n − LL_n) with the current bar in the window (0 when HH = LL, as TA-Lib),
// k = SMA_{k_smooth}(fast %K) (the slow %K), d = SMA_{d}(k). Lookback (n−1)+(k−1)+(d−1).
class Stochastic {
 public:
  Stochastic(int k_period, int k_smooth, int d_period);
  StochValue update(double high, double low, double close) noexcept {
    const HighLow r = hl_.update(high, low);
    if (!hl_.ready()) return {};
    StochValue v;
    v.fast_k = fast_k(r, close);
    v.k = k_.update(v.fast_k);
    if (k_.ready()) v.d = d_.update(v.k);
    return v;
  }
  bool ready() const noexcept { return d_.ready(); }
  int lookback() const noexcept { return hl_lookback_ + k_.lookback() + d_.lookback(); }
  // 100·(C − LL)/(HH − LL), 0 when HH = LL (shared with the batch form).
  static double fast_k(HighLow r, double close) noexcept {
    const double range = r.hh - r.ll;
    return range != 0 ? 100.0 * (close - r.ll) / range : 0.0;
  }
  void reset() noexcept {
    hl_.reset();
    k_.reset();
    d_.reset();
  }

 private:
  RollingHighLow hl_;
  int hl_lookback_;
  Sma k_, d_;
};

struct StochRsiValue {
  double k = kNaN, d = kNaN;
};

// Stochastic RSI (Chande & Kroll 1994; TradingView's `stoch rsi`): raw = 100·(RSI − min)/
// (max − min) of RSI(rsi_period) over stoch_period bars (0 when max − min ≤ 1e-9 RSI points,
// i.e. flat up to rounding), k = SMA_k(raw),
// d = SMA_d(k). Lookback rsi_period + (stoch_period−1) + (k−1) + (d−1).
class StochRsi {
 public:
  static constexpr double kFlatRsi = 1e-9;
  StochRsi(int rsi_period, int stoch_period, int k_smooth, int d_period);
  StochRsiValue update(double close) noexcept {
    const double r = rsi_.update(close);
    if (!rsi_.ready()) return {};
    const double hi = hi_.update(r), lo = lo_.update(r);
    if (std::isnan(hi)) return {};
    StochRsiValue v;
    v.k = k_.update(raw(r, hi, lo));
    if (k_.ready()) v.d = d_.update(v.k);
    return v;
  }
  bool ready() const noexcept { return d_.ready(); }
  int lookback() const noexcept;
  // The unsmoothed value from the RSI and its window's highest and lowest (shared with the
  // batch form). RSI values that differ by rounding only (flat prices) count as a flat range.
  static double raw(double rsi, double hi, double lo) noexcept {
    const double range = hi - lo;
    return range > kFlatRsi ? 100.0 * (rsi - lo) / range : 0.0;
  }
  void reset() noexcept {
    rsi_.reset();
    hi_.reset();
    lo_.reset();
    k_.reset();
    d_.reset();
  }

 private:
  Rsi rsi_;
  RollingMax hi_;
  RollingMin lo_;
  int stoch_period_;
  Sma k_, d_;
};

// Commodity channel index (Lambert 1980; TA-Lib ta_CCI.c): (TP − SMA_n(TP)) / (0.015 · MD),
// TP = (H+L+C)/3 summed left to right, MD = mean |TP_i − SMA| over the window around the
// current SMA. MD needs the whole window, so `update` is O(n) (TA-Lib is too). 0 when MD = 0.
class Cci {
 public:
  explicit Cci(int period);
  double update(double high, double low, double close) noexcept;
  bool ready() const noexcept { return tp_.full(); }
  int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept {
    tp_.reset();
    sum_.reset();
  }

 private:
  int period_;
  RingBuffer tp_;
  CompensatedSum sum_;
};

// Williams %R (TA-Lib ta_WILLR.c): −100·(HH_n − C)/(HH_n − LL_n), in [−100, 0]; 0 when
// HH = LL. Lookback n−1.
class WilliamsR {
 public:
  explicit WilliamsR(int period);
  double update(double high, double low, double close) noexcept {
    const HighLow r = hl_.update(high, low);
    if (!hl_.ready()) return kNaN;
    return value(r, close);
  }
  int lookback() const noexcept { return period_ - 1; }
  // −100·(HH − C)/(HH − LL), 0 when HH = LL (shared with the batch form).
  static double value(HighLow r, double close) noexcept {
    const double range = r.hh - r.ll;
    return range != 0 ? -100.0 * (r.hh - close) / range : 0.0;
  }
  void reset() noexcept { hl_.reset(); }

 private:
  int period_;
  RollingHighLow hl_;
};

// Rate of change (TA-Lib ta_ROC.c): 100·(x_t/x_{t−n} − 1), 0 when x_{t−n} = 0. Lookback n.
class Roc {
 public:
  explicit Roc(int period);
  double update(double x) noexcept {
    const double old = lag_.push(x);
    if (std::isnan(old)) return kNaN;
    return old != 0 ? 100.0 * (x / old - 1.0) : 0.0;
  }
  int lookback() const noexcept { return lag_.lag(); }
  void reset() noexcept { lag_.reset(); }

 private:
  Delay lag_;
};

// Momentum (TA-Lib ta_MOM.c): x_t − x_{t−n}. Lookback n.
class Mom {
 public:
  explicit Mom(int period);
  double update(double x) noexcept { return x - lag_.push(x); }
  int lookback() const noexcept { return lag_.lag(); }
  void reset() noexcept { lag_.reset(); }

 private:
  Delay lag_;
};

// TRIX (Hutson 1983; TA-Lib ta_TRIX.c): 100·(E3_t/E3_{t−1} − 1), E3 = EMA(EMA(EMA(x))).
// Lookback 3(n−1)+1.
class Trix {
 public:
  explicit Trix(int period);
  // Inline (and forced into the batch loop) so that the batch form keeps the three smoothers
  // in registers.
  TL_IND_HOT double update(double x) noexcept {
    const double a = e1_.update(x);
    if (!e1_.ready()) return kNaN;
    const double b = e2_.update(a);
    if (!e2_.ready()) return kNaN;
    const double c = e3_.update(b);
    if (!e3_.ready()) return kNaN;
    const double prev = prev_;
    prev_ = c;
    if (std::isnan(prev)) return kNaN;
    return prev != 0 ? 100.0 * (c / prev - 1.0) : 0.0;
  }
  int lookback() const noexcept { return 3 * e1_.lookback() + 1; }
  void reset() noexcept {
    e1_.reset();
    e2_.reset();
    e3_.reset();
    prev_ = kNaN;
  }

 private:
  ExpSmoother e1_, e2_, e3_;
  double prev_ = kNaN;
};

// Ultimate oscillator (Williams 1985; TA-Lib ta_ULTOSC.c): BP = C − min(L, C_prev),
// TR = max(H, C_prev) − min(L, C_prev); A_k = ΣBP/ΣTR over k bars (0 when ΣTR = 0);
// UO = 100·(4A_1 + 2A_2 + A_3)/7. Lookback max(p1, p2, p3).
class UltimateOscillator {
 public:
  UltimateOscillator(int p1, int p2, int p3);
  double update(double high, double low, double close) noexcept;
  int lookback() const noexcept { return lookback_; }
  void reset() noexcept;

 private:
  // One of the three windows: ΣBP and ΣTR as anchored sums with the count of TR ≠ 0
  // (common.hpp, RatioSums: 0, not a rounding residue, where every TR went to 0).
  struct Window {
    RingBuffer bp, tr;
    RatioSums sums;
  };
  Window w_[3];
  int lookback_;
  double prev_close_ = kNaN;
};

struct AroonValue {
  double up = kNaN, down = kNaN, oscillator = kNaN;
};

// Aroon (Chande 1995; TA-Lib ta_AROON.c, ta_AROONOSC.c) over n+1 bars (current included):
// up = 100·(n − bars since the highest high)/n, down likewise with the lowest low (ties: the
// most recent bar), oscillator = up − down. Lookback n.
class Aroon {
 public:
  explicit Aroon(int period);
  AroonValue update(double high, double low) noexcept {
    const HighLow r = hl_.update(high, low);
    if (!hl_.ready()) return {};
    AroonValue v;  // a window of NaN only has no extreme: NaN
    v.up = std::isnan(r.hh) ? kNaN : scale_ * (period_ - hl_.high_age());
    v.down = std::isnan(r.ll) ? kNaN : scale_ * (period_ - hl_.low_age());
    v.oscillator = v.up - v.down;
    return v;
  }
  int lookback() const noexcept { return period_; }
  void reset() noexcept { hl_.reset(); }

 private:
  int period_;
  double scale_;
  RollingHighLow hl_;
};

// ---- batch forms ----
Status rsi(std::span<const double> close, int period, std::span<double> out);
Status cmo(std::span<const double> close, int period, std::span<double> out);
Status macd(std::span<const double> close, int fast, int slow, int signal, std::span<double> macd_out,
            std::span<double> signal_out, std::span<double> hist_out, EmaSeed seed = EmaSeed::kSma);
Status apo(std::span<const double> in, int fast, int slow, std::span<double> out, MaType type = MaType::kSma);
Status ppo(std::span<const double> in, int fast, int slow, std::span<double> out, MaType type = MaType::kSma);
Status stochastic(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  int k_period, int k_smooth, int d_period, std::span<double> fast_k,
                  std::span<double> k, std::span<double> d);
Status stoch_rsi(std::span<const double> close, int rsi_period, int stoch_period, int k_smooth,
                 int d_period, std::span<double> k, std::span<double> d);
Status cci(std::span<const double> high, std::span<const double> low, std::span<const double> close,
           int period, std::span<double> out);
Status williams_r(std::span<const double> high, std::span<const double> low,
                  std::span<const double> close, int period, std::span<double> out);
Status roc(std::span<const double> in, int period, std::span<double> out);
Status mom(std::span<const double> in, int period, std::span<double> out);
Status trix(std::span<const double> in, int period, std::span<double> out);
Status ultimate_oscillator(std::span<const double> high, std::span<const double> low,
                           std::span<const double> close, int p1, int p2, int p3, std::span<double> out);
Status aroon(std::span<const double> high, std::span<const double> low, int period,
             std::span<double> up, std::span<double> down, std::span<double> oscillator);

}  // namespace tradeloop::ind
