// Momentum oscillators: constructors (parameter checks), non-inline updates, batch forms.
#include "tradeloop/indicators/momentum.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "batch.hpp"
#include "rolling_extremes.hpp"
#include "simd.hpp"
#include "window_sums.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;

Rsi::Rsi(int period) : gl_(require_int("rsi", "period", period, 1)) {}
Cmo::Cmo(int period) : gl_(require_int("cmo", "period", period, 1)) {}

FastSlow::FastSlow(const char* who, int fast, int slow, MaType type, EmaSeed seed)
    : fast_(require_int(who, "fast", fast, 1), type, seed), slow_(require_int(who, "slow", slow, 1), type, seed) {
  if (fast >= slow)
    throw Exception(ErrorCode::kInvalidArgument, std::string(who) + ": fast (" + std::to_string(fast) +
                                                     ") must be < slow (" + std::to_string(slow) + ")");
  // TA-Lib aligns the SMA-seeded fast average to end its seed window where the slow one does.
  const bool aligned = type == MaType::kSma || seed == EmaSeed::kSma;
  delay_ = aligned ? slow - fast : 0;
  lookback_ = slow_.lookback();
}

Macd::Macd(int fast, int slow, int signal, EmaSeed seed)
    : fs_("macd", fast, slow, MaType::kEma, seed),
      signal_(require_int("macd", "signal", signal, 1), 2.0 / (signal + 1), seed) {}

Apo::Apo(int fast, int slow, MaType type) : fs_("apo", fast, slow, type, EmaSeed::kSma) {}
Ppo::Ppo(int fast, int slow, MaType type) : fs_("ppo", fast, slow, type, EmaSeed::kSma) {}

Stochastic::Stochastic(int k_period, int k_smooth, int d_period)
    : hl_(require_int("stoch", "k_period", k_period, 1)),
      hl_lookback_(k_period - 1),
      k_(require_int("stoch", "k_smooth", k_smooth, 1)),
      d_(require_int("stoch", "d_period", d_period, 1)) {}

StochRsi::StochRsi(int rsi_period, int stoch_period, int k_smooth, int d_period)
    : rsi_(require_int("stochrsi", "rsi_period", rsi_period, 1)),
      hi_(require_int("stochrsi", "stoch_period", stoch_period, 1)),
      lo_(stoch_period),
      stoch_period_(stoch_period),
      k_(require_int("stochrsi", "k_smooth", k_smooth, 1)),
      d_(require_int("stochrsi", "d_period", d_period, 1)) {}

int StochRsi::lookback() const noexcept {
  return rsi_.lookback() + (stoch_period_ - 1) + k_.lookback() + d_.lookback();
}

Cci::Cci(int period) : period_(require_int("cci", "period", period, 1)), tp_(period) {}

namespace detail_cci {

// Σ|w_t − mean| over the window in time order, t = 0 (oldest) … n−1, in four partial sums by
// t mod 4 (four addition chains instead of one) combined pairwise; at(t) reads value t. Shared
// by Cci::update (from the ring) and the batch form (from an array, where the four partial
// sums are one vector): the same operations in the same order, so the same bits.
template <class At>
TL_IND_HOT inline double abs_dev_sum(std::size_t n, double mean, At&& at) noexcept {
  double a[4] = {0, 0, 0, 0};
  std::size_t t = 0;
  for (; t + 4 <= n; t += 4)
    for (std::size_t j = 0; j < 4; ++j) a[j] += std::fabs(at(t + j) - mean);
  for (std::size_t j = 0; t < n; ++t, ++j) a[j] += std::fabs(at(t) - mean);
  return (a[0] + a[1]) + (a[2] + a[3]);
}
TL_IND_HOT inline double value(double tp, double mean, double dev_sum, int period) noexcept {
  const double dev = dev_sum / period;
  return dev != 0 ? (tp - mean) / (0.015 * dev) : 0.0;
}

}  // namespace detail_cci

double Cci::update(double high, double low, double close) noexcept {
  const double tp = (high + low + close) / 3.0;
  slide(sum_, tp_, tp, tp_.push(tp));
  if (!tp_.full()) return kNaN;
  const double mean = sum_.value() / period_;
  const std::size_t n = tp_.size();
  const double dev_sum = detail_cci::abs_dev_sum(n, mean, [&](std::size_t t) { return tp_.back(n - 1 - t); });
  return detail_cci::value(tp, mean, dev_sum, period_);
}

WilliamsR::WilliamsR(int period)
    : period_(require_int("willr", "period", period, 1)), hl_(period) {}

Roc::Roc(int period) : lag_(require_int("roc", "period", period, 1)) {}
Mom::Mom(int period) : lag_(require_int("mom", "period", period, 1)) {}

Trix::Trix(int period)
    : e1_(require_int("trix", "period", period, 1), 2.0 / (period + 1)),
      e2_(period, 2.0 / (period + 1)),
      e3_(period, 2.0 / (period + 1)) {}

UltimateOscillator::UltimateOscillator(int p1, int p2, int p3) {
  const int ps[3] = {require_int("ultosc", "p1", p1, 1), require_int("ultosc", "p2", p2, 1),
                     require_int("ultosc", "p3", p3, 1)};
  for (int k = 0; k < 3; ++k) {
    w_[k] = Window{RingBuffer(ps[k]), RingBuffer(ps[k]), RatioSums(detail::anchored_epoch(ps[k]))};
  }
  lookback_ = std::max({p1, p2, p3});
}

namespace detail_ultosc {

// Buying pressure and true range of a bar against the previous close (Williams 1985).
TL_IND_HOT inline void pressure(double high, double low, double close, double prev, double& bp, double& tr) noexcept {
  const double lo = std::min(low, prev), hi = std::max(high, prev);
  bp = close - lo;
  tr = hi - lo;
}
TL_IND_HOT inline double combine(const double a[3]) noexcept { return 100.0 * (4 * a[0] + 2 * a[1] + a[2]) / 7.0; }
// The batch form's loops over a chunk: pressure() for bars with their previous close, and
// combine(); AVX2 where the CPU has it (four divisions per instruction; no FMA, the same bits).
[[gnu::target_clones("avx2", "default")]] void pressure_block(const double* __restrict high,
                                                              const double* __restrict low,
                                                              const double* __restrict close, std::size_t len,
                                                              double* __restrict bp, double* __restrict tr) noexcept {
  for (std::size_t q = 0; q < len; ++q) pressure(high[q], low[q], close[q], close[q - 1], bp[q], tr[q]);
}
[[gnu::target_clones("avx2", "default")]] void combine_block(const double* __restrict a0, const double* __restrict a1,
                                                             const double* __restrict a2, std::size_t len,
                                                             double* __restrict out) noexcept {
  for (std::size_t q = 0; q < len; ++q) {
    const double ak[3] = {a0[q], a1[q], a2[q]};
    out[q] = combine(ak);
  }
}

}  // namespace detail_ultosc

double UltimateOscillator::update(double high, double low, double close) noexcept {
  const double prev = prev_close_;
  prev_close_ = close;
  if (std::isnan(prev)) return kNaN;
  double bp, tr;
  detail_ultosc::pressure(high, low, close, prev, bp, tr);
  double a[3];
  bool ready = true;
  for (int k = 0; k < 3; ++k) {
    Window& w = w_[k];
    const double old_bp = w.bp.push(bp), old_tr = w.tr.push(tr);
    w.sums.count(tr, old_tr);
    if (!w.bp.full()) {
      ready = false;
      continue;
    }
    w.sums.push_full(bp, tr, old_bp, old_tr, [&](AnchoredSums& bps, AnchoredSums& trs) {
      bps = w.bp.anchored_sums(false);
      trs = w.tr.anchored_sums(false);
    });
    a[k] = w.sums.ratio(static_cast<double>(w.bp.capacity()), 0.0);
  }
  if (!ready) return kNaN;
  return detail_ultosc::combine(a);
}

void UltimateOscillator::reset() noexcept {
  for (Window& w : w_) {
    w.bp.reset();
    w.tr.reset();
    w.sums.reset();
  }
  prev_close_ = kNaN;
}

// Aroon looks at n+1 bars (TA-Lib ta_AROON.c).
Aroon::Aroon(int period)
    : period_(require_int("aroon", "period", period, 1)),
      scale_(100.0 / period),
      hl_(period + 1) {}

// ---- batch forms ----
Status rsi(std::span<const double> close, int period, std::span<double> out) {
  return run_simple<Rsi>("rsi", close, out, period);
}
Status cmo(std::span<const double> close, int period, std::span<double> out) {
  return run_simple<Cmo>("cmo", close, out, period);
}
Status macd(std::span<const double> close, int fast, int slow, int signal, std::span<double> macd_out,
            std::span<double> signal_out, std::span<double> hist_out, EmaSeed seed) {
  // The warm-up through update(), then update's steps once ready: three multiply-add
  // recurrences with no test per bar (the same arithmetic, so the same bits).
  const auto put = [&](std::size_t i, const MacdValue& v) {
    macd_out[i] = v.macd;
    signal_out[i] = v.signal;
    hist_out[i] = v.hist;
  };
  TL_RETURN_IF_ERROR(detail::check_batch("macd", {close}, {macd_out, signal_out, hist_out},
                                         [&] { return Macd(fast, slow, signal, seed); }));
  Macd m(fast, slow, signal, seed);
  std::size_t i = 0;
  for (; i < close.size() && !m.ready(); ++i) put(i, m.update(close[i]));
  // Macd::update's steps on copies of its three smoothers (detail_po below).
  ExpSmoother f = m.averages().fast_ema(), s = m.averages().slow_ema(), sig = m.signal_ema();
  for (; i < close.size(); ++i) {
    const double slow_v = s.update_ready(close[i]);
    const double line = f.update_ready(close[i]) - slow_v;
    const double sv = sig.update_ready(line);
    put(i, MacdValue{line, sv, line - sv});
  }
  return Status::Ok();
}

namespace detail_po {

// APO and PPO over the input, with the bits of Apo/Ppo::update (`T::of(fast, slow)` each bar).
// EMA: the warm-up through the object, then FastSlow::update's steps on copies of the two
// smoothers: trivially copyable locals, which GCC keeps in registers (the object itself holds
// the SMA's ring, whose out-of-line copy constructor made its address escape and its state
// live in memory: 2.4× slower). SMA: two SMA passes; the fast one starts at bar slow − fast,
// where FastSlow starts feeding it (TA-Lib's alignment), so its recompute schedule is the same.
template <class T>
Status fast_slow(const char* name, std::span<const double> in, std::span<double> out, int fast, int slow,
                 MaType type) {
  TL_RETURN_IF_ERROR(detail::check_batch(name, {in}, {out}, [&] { return T(fast, slow, type); }));
  const std::size_t rows = in.size();
  if (type == MaType::kSma) {
    const std::size_t delay = static_cast<std::size_t>(slow - fast), first = static_cast<std::size_t>(slow - 1);
    if (rows <= first) {
      std::fill(out.begin(), out.end(), kNaN);
      return Status::Ok();
    }
    std::vector<double> f(rows - delay);
    TL_RETURN_IF_ERROR(sma(in.subspan(delay), fast, f));
    TL_RETURN_IF_ERROR(sma(in, slow, out));
    for (std::size_t i = first; i < rows; ++i) out[i] = T::of(f[i - delay], out[i]);
    return Status::Ok();
  }
  T ind(fast, slow, type);
  std::size_t i = 0;
  for (; i < rows && !ind.ready(); ++i) out[i] = ind.update(in[i]);
  ExpSmoother f = ind.averages().fast_ema(), s = ind.averages().slow_ema();
  for (; i < rows; ++i) {
    const double slow_v = s.update_ready(in[i]);
    out[i] = T::of(f.update_ready(in[i]), slow_v);
  }
  return Status::Ok();
}

}  // namespace detail_po

Status apo(std::span<const double> in, int fast, int slow, std::span<double> out, MaType type) {
  return detail_po::fast_slow<Apo>("apo", in, out, fast, slow, type);
}
Status ppo(std::span<const double> in, int fast, int slow, std::span<double> out, MaType type) {
  return detail_po::fast_slow<Ppo>("ppo", in, out, fast, slow, type);
}
Status stochastic(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  int k_period, int k_smooth, int d_period, std::span<double> fast_k, std::span<double> k,
                  std::span<double> d) {
  TL_RETURN_IF_ERROR(detail::check_batch("stoch", {high, low, close}, {fast_k, k, d},
                                         [&] { return Stochastic(k_period, k_smooth, d_period); }));
  // Stochastic::update's steps, with the window extremes from the batch kernel.
  detail::fill_warm_up({fast_k, k, d}, close.size());
  Sma k_sma(k_smooth), d_sma(d_period);
  detail::for_each_high_low(high, low, k_period, [&](std::size_t i, HighLow r) {
    fast_k[i] = Stochastic::fast_k(r, close[i]);
    k[i] = k_sma.update(fast_k[i]);
    if (k_sma.ready()) d[i] = d_sma.update(k[i]);
  });
  return Status::Ok();
}
Status stoch_rsi(std::span<const double> close, int rsi_period, int stoch_period, int k_smooth, int d_period,
                 std::span<double> k, std::span<double> d) {
  TL_RETURN_IF_ERROR(detail::check_batch("stochrsi", {close}, {k, d},
                                         [&] { return StochRsi(rsi_period, stoch_period, k_smooth, d_period); }));
  // StochRsi::update's steps: the RSI series, then the window extremes of its defined part
  // (from the RSI's first value on, as the streaming class feeds them) from the batch kernel.
  detail::fill_warm_up({k, d}, close.size());
  const std::size_t first = static_cast<std::size_t>(Rsi(rsi_period).lookback());
  if (close.size() <= first) return Status::Ok();
  std::vector<double> r(close.size());
  TL_RETURN_IF_ERROR(rsi(close, rsi_period, r));
  const std::span<const double> defined(r.data() + first, r.size() - first);
  Sma k_sma(k_smooth), d_sma(d_period);
  detail::for_each_high_low(defined, defined, stoch_period, [&](std::size_t j, HighLow w) {
    if (std::isnan(w.hh)) return;  // a window of NaN RSI: no value, the averages skip it
    const std::size_t i = first + j;
    k[i] = k_sma.update(StochRsi::raw(r[i], w.hh, w.ll));
    if (k_sma.ready()) d[i] = d_sma.update(k[i]);
  });
  return Status::Ok();
}
namespace detail_cci {
// The CCI of bars b..e−1 from the typical prices and their window sums (AVX2 clone, no FMA: the
// four partial sums of abs_dev_sum become one vector, with the scalar bits).
[[gnu::target_clones("avx2", "default")]] void finish(std::size_t b, std::size_t e, std::size_t n, int period,
                                                      const double* __restrict tp, const double* __restrict sums,
                                                      double* __restrict out) noexcept {
  for (std::size_t i = b; i < e; ++i) {
    const double mean = sums[i] / period;
    const double* w = tp + (i + 1 - n);
    out[i] = value(tp[i], mean, abs_dev_sum(n, mean, [w](std::size_t t) { return w[t]; }), period);
  }
}
}  // namespace detail_cci

// Cci::update's steps over arrays: the typical prices, their window sums (the same restarting
// compensated sum, through the blocked kernel), then each bar's mean deviation read from the
// array in time order.
Status cci(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period,
           std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("cci", {high, low, close}, {out}, [&] { return Cci(period); }));
  const std::size_t rows = close.size(), n = static_cast<std::size_t>(period);
  std::vector<double> tp(rows), sums(rows);
  for (std::size_t i = 0; i < rows; ++i) tp[i] = (high[i] + low[i] + close[i]) / 3.0;
  CompensatedSum sum;
  detail::window_sum_run(tp.data(), rows, n, sum, 1.0, sums.data());
  detail::fill_warm_up({out}, n - 1);
  if (rows >= n) detail_cci::finish(n - 1, rows, n, period, tp.data(), sums.data(), out.data());
  return Status::Ok();
}
Status williams_r(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  int period, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("willr", {high, low, close}, {out}, [&] { return WilliamsR(period); }));
  detail::fill_warm_up({out}, static_cast<std::size_t>(period - 1));
  detail::for_each_high_low(high, low, period,
                            [&](std::size_t i, HighLow r) { out[i] = WilliamsR::value(r, close[i]); });
  return Status::Ok();
}
// ROC and momentum read x_{t−n} from the input itself (the streaming classes need a ring for
// it): one independent expression per bar, which vectorises (AVX2 where the CPU has it: four
// divisions per instruction for ROC; no FMA). Same operations as Roc::update and Mom::update,
// so the same values.
namespace detail_lag {
template <class T>
Status run_lagged(const char* name, std::span<const double> in, std::span<double> out, int period,
                  void (*loop)(const double*, double*, std::size_t, std::size_t) noexcept) {
  TL_RETURN_IF_ERROR(detail::check_batch(name, {in}, {out}, [&] { return T(period); }));
  const std::size_t n = static_cast<std::size_t>(period);
  detail::fill_warm_up({out}, n);
  loop(in.data(), out.data(), n, in.size());
  return Status::Ok();
}
// A NaN x_{t−n} gives NaN through the division as Roc::update's test does.
[[gnu::target_clones("avx2", "default")]] void roc_loop(const double* __restrict x, double* __restrict y,
                                                        std::size_t n, std::size_t size) noexcept {
  for (std::size_t i = n; i < size; ++i) y[i] = x[i - n] != 0 ? 100.0 * (x[i] / x[i - n] - 1.0) : 0.0;
}
[[gnu::target_clones("avx2", "default")]] void mom_loop(const double* __restrict x, double* __restrict y,
                                                        std::size_t n, std::size_t size) noexcept {
  for (std::size_t i = n; i < size; ++i) y[i] = x[i] - x[i - n];
}
}  // namespace detail_lag
Status roc(std::span<const double> in, int period, std::span<double> out) {
  return detail_lag::run_lagged<Roc>("roc", in, out, period, detail_lag::roc_loop);
}
Status mom(std::span<const double> in, int period, std::span<double> out) {
  return detail_lag::run_lagged<Mom>("mom", in, out, period, detail_lag::mom_loop);
}
Status trix(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Trix>("trix", in, out, period);
}
Status ultimate_oscillator(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                           int p1, int p2, int p3, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("ultosc", {high, low, close}, {out},
                                         [&] { return UltimateOscillator(p1, p2, p3); }));
  // UltimateOscillator::update with its six rings replaced by two arrays of the BP and TR
  // pushed so far (a bar after a NaN close pushes nothing, as in update): the values leaving
  // the windows and the windows of a recompute are read back from them; same operations, same
  // bits. In chunks of bars: the chunk's BP and TR, then each window over them on its own
  // (detail::ratio_run: one window's state fits in registers, three do not), then the
  // combination.
  const std::size_t rows = close.size();
  const std::size_t ps[3] = {static_cast<std::size_t>(p1), static_cast<std::size_t>(p2), static_cast<std::size_t>(p3)};
  const std::size_t longest = std::max({ps[0], ps[1], ps[2]});
  // The BP and TR pushed: the current chunk's, after the last `longest` of the values before it
  // (the windows' leaving values and recomputes read them). Not one array of the whole input:
  // 16 MB freshly allocated per call cost more in page faults than the windows themselves.
  // 512 bars: the chunk's BP, TR and three averages stay in L1 beside the inputs streaming
  // through (1024 ran 25 % slower, 256 5 %).
  constexpr std::size_t kChunk = 512;
  std::vector<double> bps(kChunk + longest), trs(kChunk + longest);
  RatioSums w[3];  // UltimateOscillator::Window's sums
  for (int k = 0; k < 3; ++k) w[k] = RatioSums(detail::anchored_epoch(ps[k]));
  double a[3][kChunk];
  std::size_t j = 0;       // values in the buffers
  std::size_t pushed = 0;  // values pushed before the chunk
  for (std::size_t i0 = 0; i0 < rows; i0 += kChunk) {
    const std::size_t i1 = std::min(rows, i0 + kChunk), j0 = j;
    // No NaN among the previous closes (the usual case): every bar pushes, in loops that
    // vectorise.
    unsigned nan_prev = i0 == 0;
    for (std::size_t i = std::max<std::size_t>(i0, 1); i < i1; ++i) nan_prev |= close[i - 1] != close[i - 1];
    if (nan_prev == 0) {
      detail_ultosc::pressure_block(high.data() + i0, low.data() + i0, close.data() + i0, i1 - i0, bps.data() + j0,
                                    trs.data() + j0);
      j = j0 + (i1 - i0);
    } else {
      for (std::size_t i = i0; i < i1; ++i) {
        const double prev = i > 0 ? close[i - 1] : kNaN;
        if (std::isnan(prev)) continue;
        detail_ultosc::pressure(high[i], low[i], close[i], prev, bps[j], trs[j]);
        ++j;
      }
    }
    // Buffer positions stand for the values' indices: before the first slide they are the
    // same, and after it every position is ≥ longest, as every index then is.
    for (int k = 0; k < 3; ++k) detail::ratio_run(bps.data(), trs.data(), false, ps[k], j0, j, w[k], 0.0, a[k]);
    if (nan_prev == 0 && pushed + 1 >= longest) {  // every bar pushed, every window full
      detail_ultosc::combine_block(a[0], a[1], a[2], i1 - i0, out.data() + i0);
      pushed += i1 - i0;
    } else {
      std::size_t jj = pushed;
      for (std::size_t i = i0; i < i1; ++i) {
        const double prev = i > 0 ? close[i - 1] : kNaN;
        if (std::isnan(prev)) {
          out[i] = kNaN;
          continue;
        }
        const double ak[3] = {a[0][jj - pushed], a[1][jj - pushed], a[2][jj - pushed]};
        out[i] = ++jj >= longest ? detail_ultosc::combine(ak) : kNaN;
      }
      pushed = jj;
    }
    if (j >= longest) {  // keep the last `longest` values
      std::copy(bps.data() + (j - longest), bps.data() + j, bps.data());
      std::copy(trs.data() + (j - longest), trs.data() + j, trs.data());
      j = longest;
    }
  }
  return Status::Ok();
}
// Batch Aroon: four consecutive bars at once, one per vector lane (GCC vector extensions: two
// SSE2 halves, or one AVX2 register in the AVX2 clone). Lane l scans the window of bar i + l
// oldest first, keeping the extreme and its offset with `>=` / `<=`, so ties go to the newer bar
// and NaN never enters. Constant work per bar (2·(n+1)/4 vector steps per side) and no
// data-dependent branch: the rescan-when-the-extreme-leaves method mispredicts on about a third
// of the bars of a random walk. Same definition as Aroon::update (a window of NaN only gives
// NaN), so the same values as the streaming class.
namespace detail_aroon {
constexpr int kSimdMaxPeriod = 64;  // beyond, the amortised O(1) streaming scan wins
using detail::simd::load;
using detail::simd::store;
using V = detail::simd::V4;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

// Needs n >= period + 4.
[[gnu::target_clones("avx2", "default")]] void aroon_lanes(const double* high, const double* low, std::size_t n,
                                                         int period, double* up, double* down, double* osc) noexcept {
  const std::size_t lookback = static_cast<std::size_t>(period);
  const double scale = 100.0 / period;
  for (std::size_t i = 0; i < lookback; ++i) up[i] = down[i] = osc[i] = kNaN;
  const auto group = [&](std::size_t i) {  // bars i .. i+3, i >= lookback
    const double *h = high + (i - lookback), *l = low + (i - lookback);
    V hm = {-__builtin_inf(), -__builtin_inf(), -__builtin_inf(), -__builtin_inf()};
    V lm = {__builtin_inf(), __builtin_inf(), __builtin_inf(), __builtin_inf()};
    V hk = {kNaN, kNaN, kNaN, kNaN}, lk = hk;  // offsets; stay NaN for a window of NaN only
    for (int k = 0; k <= period; ++k) {
      const V xh = load(h + k), xl = load(l + k);
      const double kd = k;
      const V kv = {kd, kd, kd, kd};
      const auto th = xh >= hm, tl = xl <= lm;
      hm = th ? xh : hm;
      hk = th ? kv : hk;
      lm = tl ? xl : lm;
      lk = tl ? kv : lk;
    }
    // up = 100/n · (n − age) with age = n − offset, as Aroon::update computes it.
    const V u = scale * hk, d = scale * lk;
    store(up + i, u);
    store(down + i, d);
    store(osc + i, u - d);
  };
  std::size_t i = lookback;
  for (; i + 4 <= n; i += 4) group(i);
  if (i < n) group(n - 4);  // the last bars again, overlapping: the same values
}
#pragma GCC diagnostic pop
}  // namespace detail_aroon

Status aroon(std::span<const double> high, std::span<const double> low, int period, std::span<double> up,
             std::span<double> down, std::span<double> oscillator) {
  if (period <= detail_aroon::kSimdMaxPeriod && high.size() >= static_cast<std::size_t>(period) + 4) {
    TL_RETURN_IF_ERROR(
        detail::check_batch("aroon", {high, low}, {up, down, oscillator}, [&] { return Aroon(period); }));
    detail_aroon::aroon_lanes(high.data(), low.data(), high.size(), period, up.data(), down.data(),
                              oscillator.data());
    return Status::Ok();
  }
  return run_batch("aroon", {high, low}, {up, down, oscillator}, [&] { return Aroon(period); },
                   [&](Aroon& a, std::size_t i) {
                     const AroonValue v = a.update(high[i], low[i]);
                     up[i] = v.up;
                     down[i] = v.down;
                     oscillator[i] = v.oscillator;
                   });
}

}  // namespace tradeloop::ind
