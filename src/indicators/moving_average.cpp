// Moving averages: constructors (parameter checks), KAMA's update and the batch forms.
#include "tradeloop/indicators/moving_average.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "batch.hpp"
#include "simd.hpp"
#include "window_sums.hpp"

namespace tradeloop::ind {

using detail::run_batch;
using detail::run_simple;
using detail::run_simple_ready;

namespace detail_ma {

// Sma::update over in[0..rows).
void sma_pass(const double* in, std::size_t rows, int period, double* out) noexcept {
  const std::size_t n = static_cast<std::size_t>(period);
  for (std::size_t i = 0; i + 1 < n && i < rows; ++i) out[i] = kNaN;
  detail::anchored_mean_run(in, rows, n, false, 1.0 / period, out);
}

// Wma::update over in[0..rows).
void wma_pass(const double* in, std::size_t rows, int period, double* out) noexcept {
  const std::size_t n = static_cast<std::size_t>(period);
  for (std::size_t i = 0; i + 1 < n && i < rows; ++i) out[i] = kNaN;
  detail::anchored_mean_run(in, rows, n, true, 2.0 / (static_cast<double>(period) * (period + 1)), out);
}

// ShortWma over in[0..rows) (NaN before the first full window): the same terms summed in the
// same order, four bars per vector (one register accumulates a group's m terms).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // V4 values inside this function only
[[gnu::target_clones("avx2", "default")]] void short_wma_pass(const double* __restrict in, std::size_t rows,
                                                              int period, double* __restrict out) noexcept {
  using detail::simd::V4;
  const std::size_t m = static_cast<std::size_t>(period);
  const double inv = ShortWma::inv_weight(period);
  for (std::size_t i = 0; i + 1 < m && i < rows; ++i) out[i] = kNaN;
  std::size_t t = m - 1;
  for (; t + 4 <= rows; t += 4) {
    const double* w = in + (t + 1 - m);
    V4 s = {0, 0, 0, 0};
    for (std::size_t k = 0; k < m; ++k) s += static_cast<double>(k + 1) * detail::simd::load(w + k);
    detail::simd::store(out + t, s * inv);
  }
  for (; t < rows; ++t) out[t] = ShortWma::weighted_sum(in + (t + 1 - m), m) * inv;  // the window ending at t
}
#pragma GCC diagnostic pop

// A second average `pass` over the values of a first one from its first value on (index
// `lookback`), as the composite streaming classes feed their second stage only once the first
// is ready; the first `lookback` outputs are NaN.
template <class Pass>
void second_stage(const double* first, std::size_t rows, std::size_t lookback, int period, double* out, Pass pass) {
  const std::size_t warm = lookback < rows ? lookback : rows;
  for (std::size_t i = 0; i < warm; ++i) out[i] = kNaN;
  if (rows > lookback) pass(first + lookback, rows - lookback, period, out + lookback);
}

}  // namespace detail_ma

Sma::Sma(int period)
    : period_(require_int("sma", "period", period, 1)),
      inv_n_(1.0 / period),
      window_(period, detail::anchored_epoch(static_cast<std::size_t>(period))) {}

Ema::Ema(int period, EmaSeed seed)
    : ExpAverage(ExpSmoother(require_int("ema", "period", period, 1), 2.0 / (period + 1), seed)) {}

Rma::Rma(int period) : ExpAverage(ExpSmoother(require_int("rma", "period", period, 1), 1.0 / period)) {}

Wma::Wma(int period)
    : period_(require_int("wma", "period", period, 1)),
      inv_denom_(2.0 / (static_cast<double>(period) * (period + 1))),
      window_(period, detail::anchored_epoch(static_cast<std::size_t>(period))) {}

Dema::Dema(int period)
    : e1_(require_int("dema", "period", period, 1), 2.0 / (period + 1)), e2_(period, 2.0 / (period + 1)) {}

Tema::Tema(int period)
    : e1_(require_int("tema", "period", period, 1), 2.0 / (period + 1)),
      e2_(period, 2.0 / (period + 1)),
      e3_(period, 2.0 / (period + 1)) {}

// TA-Lib ta_TRIMA.c: odd n -> SMA(SMA(x, (n+1)/2), (n+1)/2); even n -> SMA(SMA(x, n/2), n/2+1).
Trima::Trima(int period)
    : a_(first_period(require_int("trima", "period", period, 1))), b_(second_period(period)) {}

Kama::Kama(int period)
    : period_(require_int("kama", "period", period, 1)),
      prices_(period + 1),
      noise_(period, detail::anchored_epoch(static_cast<std::size_t>(period))) {}

namespace detail_ma {

// One KAMA step once past the warm-up (TA-Lib ta_KAMA.c constants: fastest = 2/(2+1),
// slowest = 2/(30+1)): `change` = x − x_{t−n}, `noise` = Σ|Δx| over n bars. Shared by
// Kama::update and the batch loop.
TL_IND_HOT inline double kama_step(double kama, double x, double change, double noise) noexcept {
  constexpr double kFast = 2.0 / 3.0, kSlow = 2.0 / 31.0;
  // TA-Lib: ER = 1 when the noise is 0 (TA_IS_ZERO) or <= the (signed) change: one compare
  // against max(change, 0) (a noise sum rounded below 0 counts as 0; NaN stays NaN).
  const double er = noise <= std::max(change, 0.0) ? 1.0 : std::fabs(change / noise);
  const double sc = er * (kFast - kSlow) + kSlow, s = sc * sc;
  // KAMA + s·(x − KAMA) as (1 − s)·KAMA + s·x: the same average, and the previous KAMA meets
  // one multiplication and one addition per bar instead of three operations (the loop's
  // serial chain).
  return kama * (1.0 - s) + x * s;
}

}  // namespace detail_ma

double Kama::update(double x) noexcept {
  const double prev = count_ > 0 ? prices_.back(0) : x;
  prices_.push(x);
  ++count_;
  if (count_ > 1) noise_.push(std::fabs(x - prev));
  if (count_ <= period_) {
    kama_ = x;  // KAMA_{n-1} = x_{n-1}
    return kNaN;
  }
  kama_ = detail_ma::kama_step(kama_, x, x - prices_.back(static_cast<std::size_t>(period_)),
                               noise_.sums().sum(period_));
  return kama_;
}

Hma::Hma(int period)
    : half_(require_int("hma", "period", period, 2) / 2),
      full_(period),
      out_(out_period(period)),
      short_(ShortWma::fits(out_period(period))),
      short_out_(short_ ? out_period(period) : 1) {}

int Hma::out_period(int period) noexcept {
  return static_cast<int>(std::floor(std::sqrt(static_cast<double>(period))));
}

Vwma::Vwma(int period)
    : pv_(require_int("vwma", "period", period, 1)),
      v_(period),
      n_(period),
      s_(detail::anchored_epoch(static_cast<std::size_t>(period))) {}

Zlema::Zlema(int period)
    : lag_((require_int("zlema", "period", period, 1) - 1) / 2),
      lagbuf_(lag_ + 1),
      ema_(period, 2.0 / (period + 1)) {}

Status sma(std::span<const double> in, int period, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("sma", {in}, {out}, [&] { return Sma(period); }));
  detail_ma::sma_pass(in.data(), in.size(), period, out.data());
  return Status::Ok();
}
Status ema(std::span<const double> in, int period, std::span<double> out, EmaSeed seed) {
  return run_simple_ready<Ema>("ema", in, out, period, seed);
}
Status rma(std::span<const double> in, int period, std::span<double> out) {
  return run_simple_ready<Rma>("rma", in, out, period);
}
Status wma(std::span<const double> in, int period, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("wma", {in}, {out}, [&] { return Wma(period); }));
  detail_ma::wma_pass(in.data(), in.size(), period, out.data());
  return Status::Ok();
}
Status dema(std::span<const double> in, int period, std::span<double> out) {
  return detail::run_simple_pairs<Dema>("dema", in, out, period);
}
Status tema(std::span<const double> in, int period, std::span<double> out) {
  return detail::run_simple_pairs<Tema>("tema", in, out, period);
}
Status trima(std::span<const double> in, int period, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("trima", {in}, {out}, [&] { return Trima(period); }));
  const int a = Trima::first_period(period), b = Trima::second_period(period);
  const std::unique_ptr<double[]> first(new double[in.size()]);  // every slot is written: no zero fill
  detail_ma::sma_pass(in.data(), in.size(), a, first.get());
  detail_ma::second_stage(first.get(), in.size(), static_cast<std::size_t>(a - 1), b, out.data(),
                          detail_ma::sma_pass);
  return Status::Ok();
}
Status kama(std::span<const double> in, int period, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("kama", {in}, {out}, [&] { return Kama(period); }));
  // Kama::update with the rings replaced by the input: the price n bars back is x[i − n], the
  // |Δx| leaving the noise window and the window of a recompute are recomputed from x (the
  // same differences, the same bits).
  const double* x = in.data();
  double* o = out.data();
  const std::size_t rows = in.size(), n = static_cast<std::size_t>(period);
  if (rows == 0) return Status::Ok();
  const std::size_t K = detail::anchored_epoch(n);
  const double nd = static_cast<double>(n);
  std::vector<double> window(n);
  AnchoredSums noise;
  std::size_t since = K - 1;
  double kama = x[0];  // KAMA_{n−1} = x_{n−1}: each warm-up bar overwrites it
  o[0] = kNaN;
  // Kama::update for bar i (i ≥ 1).
  const auto bar = [&](std::size_t i) {
    const double change = std::fabs(x[i] - x[i - 1]);
    if (i >= n) {  // the ring of changes is full
      const double old = i > n ? std::fabs(x[i - n] - x[i - n - 1]) : 0.0;
      if (++since == K || !std::isfinite(old)) [[unlikely]] {  // AnchoredWindow::push
        if (since == K) since = 0;
        for (std::size_t j = 0; j < n; ++j) window[j] = std::fabs(x[i + 1 - n + j] - x[i - n + j]);
        noise = detail::anchored_window(window.data(), n, nullptr, 0, false);
      } else {
        noise.step(change, old, 0, false);
      }
    }
    if (i < n) {
      kama = x[i];
      o[i] = kNaN;
    } else {
      kama = detail_ma::kama_step(kama, x[i], x[i] - x[i - n], noise.sum(nd));
      o[i] = kama;
    }
  };
  std::size_t i = 1;
  for (; i < rows && i <= n; ++i) bar(i);
  // Then blocks of bars run on the assumption that no change entering or leaving the noise
  // window is NaN or ±inf: between two scheduled recomputes the same steps with no test (a
  // branch-free loop). The noise sum of each stretch is then finite (a non-finite change makes
  // it NaN or ±inf for the rest of the stretch); when one is not, the block is done again bar
  // by bar from its starting state, as Kama::update recomputes the sum when such a change
  // leaves. (A non-finite price before the first KAMA value leaves KAMA finite: an infinite
  // noise sum gives the slowest smoothing.)
  constexpr std::size_t kBlock = 1024;
  while (i < rows) {
    const std::size_t start = i, end = std::min(rows, i + kBlock);
    const AnchoredSums noise0 = noise;
    const double kama0 = kama;
    const std::size_t since0 = since;
    double stretches = 0;  // Σ of each stretch's last noise sum
    while (i < end) {
      const std::size_t stop = std::min(end, i + (K - 1 - since));  // bar `stop` recomputes
      since += stop - i;
      const double a = noise.a;
      double d = noise.d, k = kama;
      for (; i < stop; ++i) {
        const double change = std::fabs(x[i] - x[i - 1]), old = std::fabs(x[i - n] - x[i - n - 1]);
        d += change - old;  // AnchoredSums::step
        k = detail_ma::kama_step(k, x[i], x[i] - x[i - n], nd * a + d);
        o[i] = k;
      }
      noise.d = d;
      kama = k;
      stretches += d;
      if (i < end) bar(i++);
    }
    stretches += noise.d;
    if (stretches - stretches != 0) {  // NaN or ±inf
      noise = noise0;
      kama = kama0;
      since = since0;
      for (i = start; i < end; ++i) bar(i);
    }
  }
  return Status::Ok();
}
Status hma(std::span<const double> in, int period, std::span<double> out) {
  TL_RETURN_IF_ERROR(detail::check_batch("hma", {in}, {out}, [&] { return Hma(period); }));
  const std::size_t rows = in.size();
  // One scratch column (every slot written, so not zero-filled): the half-length WMA, then in
  // place 2·half − full (Hma::update's input to out_, written by the full WMA's pass).
  const std::unique_ptr<double[]> half(new double[rows]);
  detail_ma::wma_pass(in.data(), rows, period / 2, half.get());
  const std::size_t n = static_cast<std::size_t>(period);
  detail::anchored_wma_twice_minus(in.data(), rows, n, 2.0 / (static_cast<double>(period) * (period + 1)),
                                   half.get());
  for (std::size_t i = 0; i + 1 < n && i < rows; ++i) half[i] = kNaN;  // 2·half − NaN
  const int m = Hma::out_period(period);
  detail_ma::second_stage(half.get(), rows, static_cast<std::size_t>(period - 1), m, out.data(),
                          ShortWma::fits(m) ? detail_ma::short_wma_pass : detail_ma::wma_pass);
  return Status::Ok();
}
Status zlema(std::span<const double> in, int period, std::span<double> out) {
  return run_simple<Zlema>("zlema", in, out, period);
}
Status vwma(std::span<const double> price, std::span<const double> volume, int period, std::span<double> out) {
  TL_RETURN_IF_ERROR(
      detail::check_batch("vwma", {price, volume}, {out}, [&] { return Vwma(period); }));
  // Vwma::update value by value: its RatioSums over C·V and V (ratio_run).
  const std::size_t n = static_cast<std::size_t>(period);
  RatioSums s(detail::anchored_epoch(n));
  detail::ratio_run(price.data(), volume.data(), true, n, 0, price.size(), s, kNaN, out.data());
  return Status::Ok();
}

}  // namespace tradeloop::ind
