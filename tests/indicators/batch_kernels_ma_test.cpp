// Batch forms of the moving averages and of linear regression that run their own loop over the
// input (instead of feeding the streaming class bar by bar), checked bit for bit against the
// streaming classes, which define the numbers: on cent-priced data full of ties and flat runs,
// NaN runs longer than the window, a single NaN, ±inf, every series length up to a few
// windows (so every tail of a blocked loop and every length shorter than the window), and
// several periods from the smallest allowed to past the exact-recompute threshold.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "tradeloop/indicators/momentum.hpp"
#include "tradeloop/indicators/moving_average.hpp"
#include "tradeloop/indicators/statistics.hpp"
#include "tradeloop/indicators/volatility.hpp"

namespace tradeloop::ind {
namespace batch_ma_test {

using Columns = std::vector<std::vector<double>>;
// Computes every output column from the input columns for one period.
using Compute = std::function<Columns(const Columns& in, int period)>;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Cent-priced random walk with flat runs of lengths around the window, a NaN run longer than
// the window, a single NaN, +inf / −inf bars, and two bars 1e12 times larger (so that the
// differences entering and leaving the window sums round, and their error terms count). `salt` varies the walk (second input).
std::vector<double> hostile_series(int period, std::uint64_t salt, double level = 25'000.0) {
  std::mt19937_64 rng(20261125 + salt);
  std::normal_distribution<double> step(0.0, 0.4);
  std::vector<double> x;
  double p = level;
  const int runs[] = {period - 2, period - 1, period, period + 1, 2 * period + 3, 1, 0};
  const auto walk = [&](int len) {
    for (int k = 0; k < len; ++k) {
      p += step(rng);
      x.push_back(std::round(p * 100) / 100);
    }
  };
  for (int seg = 0; seg < 24; ++seg) {
    walk(5 + seg * 7 % (2 * period + 3));
    for (int k = 0; k < runs[seg % 7]; ++k) x.push_back(x.back());
    if (seg == 6) x.insert(x.end(), 2 * period + 1, std::nan(""));  // NaN run longer than the window
    if (seg == 10) x.push_back(std::nan(""));                        // single NaN
    if (seg == 14) x.push_back(kInf);
    if (seg == 18) x.push_back(-kInf);
    if (seg == 3 || seg == 20) x.push_back(x.back() * 1e12 / 3);  // differences that round
  }
  walk(3 * period);
  return x;
}

// Same bits, or both NaN (a NaN's payload is not part of the contract).
bool same_bits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void expect_same(const Columns& stream, const Columns& batch, const std::string& what) {
  ASSERT_EQ(stream.size(), batch.size()) << what;
  for (std::size_t c = 0; c < stream.size(); ++c) {
    ASSERT_EQ(stream[c].size(), batch[c].size()) << what;
    for (std::size_t i = 0; i < stream[c].size(); ++i)
      ASSERT_TRUE(same_bits(stream[c][i], batch[c][i]))
          << what << " output " << c << " row " << i << ": streaming " << stream[c][i] << " batch " << batch[c][i];
  }
}

Columns prefix(const Columns& in, std::size_t len) {
  Columns out;
  for (const auto& col : in) out.emplace_back(col.begin(), col.begin() + static_cast<std::ptrdiff_t>(len));
  return out;
}

// Batch == streaming on the whole hostile series, and on every prefix up to three windows and
// a bit (every length shorter than the window, and every tail length of a blocked loop).
// `prepare` may edit the inputs (e.g. give the volume column zero-sum stretches).
void check_batch(const char* name, int inputs, std::initializer_list<int> periods, const Compute& stream,
                 const Compute& batch, const std::function<void(Columns&, int)>& prepare = {}) {
  for (int period : periods) {
    Columns in;
    for (int k = 0; k < inputs; ++k) in.push_back(hostile_series(period, static_cast<std::uint64_t>(k)));
    if (prepare) prepare(in, period);
    const std::string what = std::string(name) + " period " + std::to_string(period);
    expect_same(stream(in, period), batch(in, period), what + " full series");
    const std::size_t longest = std::min(in[0].size(), static_cast<std::size_t>(3 * period + 40));
    for (std::size_t len = 0; len <= longest; ++len) {
      const Columns p = prefix(in, len);
      expect_same(stream(p, period), batch(p, period), what + " length " + std::to_string(len));
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// The streaming class fed bar by bar, one output column.
template <class T>
Compute stream_simple() {
  return [](const Columns& in, int period) {
    T ind(period);
    Columns out(1, std::vector<double>(in[0].size()));
    for (std::size_t i = 0; i < in[0].size(); ++i) out[0][i] = ind.update(in[0][i]);
    return out;
  };
}

template <class F>
Compute batch_simple(F f) {
  return [f](const Columns& in, int period) {
    Columns out(1, std::vector<double>(in[0].size()));
    f(in[0], period, out[0]).check();
    return out;
  };
}

TEST(BatchKernelsMa, LinearRegressionEqualsStreaming) {
  const Compute stream = [](const Columns& in, int period) {
    LinearRegression lr(period);
    Columns out(6, std::vector<double>(in[0].size()));
    for (std::size_t i = 0; i < in[0].size(); ++i) {
      const LinRegValue v = lr.update(in[0][i]);
      const double vals[] = {v.value, v.slope, v.intercept, v.angle, v.forecast, v.zscore};
      for (int c = 0; c < 6; ++c) out[c][i] = vals[c];
    }
    return out;
  };
  const Compute batch = [](const Columns& in, int period) {
    Columns out(6, std::vector<double>(in[0].size()));
    linear_regression(in[0], period, out[0], out[1], out[2], out[3], out[4], out[5]).check();
    return out;
  };
  // 2 is the smallest period; 8/9 straddle the every-bar exact recompute (kExactWindow).
  check_batch("linreg", 1, {2, 3, 8, 9, 14, 31}, stream, batch);
}

TEST(BatchKernelsMa, SmaEqualsStreaming) {
  // 300: longer than most of the hostile runs (epoch lanes: AnchoredEpochLanesEqualStreaming).
  check_batch("sma", 1, {1, 2, 3, 20, 300}, stream_simple<Sma>(), batch_simple(sma));
}

// The batch SMA/WMA/VWMA run four epochs of detail::anchored_epoch(n) bars side by side
// (window_sums.cpp), which the hostile series above is too short to reach for small periods.
// Three groups of four epochs and a partial tail: the first group clean, a NaN and an inf in the
// second (leaving inside it, so that group goes bar by bar), a 1e12 outlier in the third.
TEST(BatchKernelsMa, AnchoredEpochLanesEqualStreaming) {
  for (int period : {1, 2, 20, 65}) {
    const std::size_t n = static_cast<std::size_t>(period), K = detail::anchored_epoch(n);
    const std::size_t rows = n - 1 + 12 * K + K / 2 + 7;
    std::mt19937_64 rng(99 + static_cast<std::uint64_t>(period));
    std::normal_distribution<double> step(0.0, 0.4);
    Columns in(1);
    double p = 25'000.0;
    // Moves of ~30 % a bar, so that a window spans several binades: where its values share one,
    // every deviation sum is exact and a recompute that moved or a lane that took another
    // order would go unseen.
    for (std::size_t i = 0; i < rows; ++i) {
      p *= std::exp(step(rng) * 0.75);
      in[0].push_back(p);
    }
    const std::size_t group = 4 * K, first = n - 1;
    in[0][first + group + K + 3] = std::nan("");
    in[0][first + group + 3 * K - 2 * n - 1] = kInf;
    in[0][first + 2 * group + 2 * K + 5] *= 1e12;
    const std::string what = "period " + std::to_string(period);
    expect_same(stream_simple<Sma>()(in, period), batch_simple(sma)(in, period), "sma " + what);
    expect_same(stream_simple<Wma>()(in, period), batch_simple(wma)(in, period), "wma " + what);
    expect_same(stream_simple<Hma>()(in, period + 1), batch_simple(hma)(in, period + 1), "hma " + what);
    expect_same(stream_simple<Trima>()(in, period), batch_simple(trima)(in, period), "trima " + what);
    // KAMA's noise sum is anchored too (recomputed on the same schedule, in its own loop).
    expect_same(stream_simple<Kama>()(in, period), batch_simple(kama)(in, period), "kama " + what);
    // Linear regression: the line's sums run in lanes of LinearRegression::epoch(n) bars, the
    // z-score takes Syy from the rolling moments; each output alone (the others empty spans)
    // gives the same column as all six together.
    if (period >= 2) {
      Columns full(6, std::vector<double>(rows));
      linear_regression(in[0], period, full[0], full[1], full[2], full[3], full[4], full[5]).check();
      LinearRegression lr(period);
      Columns stream(6);
      for (double v : in[0]) {
        const LinRegValue r = lr.update(v);
        for (int k = 0; k < 6; ++k)
          stream[k].push_back(std::array{r.value, r.slope, r.intercept, r.angle, r.forecast, r.zscore}[k]);
      }
      expect_same(stream, full, "linreg " + what);
      for (int k = 0; k < 6; ++k) {
        std::array<std::vector<double>, 6> one;
        one[k].resize(rows);
        linear_regression(in[0], period, one[0], one[1], one[2], one[3], one[4], one[5]).check();
        expect_same(Columns{full[k]}, Columns{one[k]}, "linreg output " + std::to_string(k) + " alone, " + what);
      }
    }
    // Ultimate oscillator (windows period, 2·period, 4·period): its six anchored sums, with a
    // flat stretch (high = low = close, every true range 0) longer than the longest window
    // across an epoch boundary: there every window's average is exactly 0; and one high of
    // +inf in the third group (a true range of inf leaving while the buying pressure is
    // finite: a recompute all the same).
    {
      const int p1 = period, p2 = 2 * period, p3 = 4 * period;
      Columns hlc(3, in[0]);
      for (std::size_t i = 0; i < rows; ++i) {
        hlc[0][i] = in[0][i] * 1.01;
        hlc[1][i] = in[0][i] * 0.99;
      }
      const std::size_t flat_from = first + 2 * K - 2 * static_cast<std::size_t>(p3), flat_len = 4 * p3 + 8;
      for (std::size_t i = flat_from; i < flat_from + flat_len; ++i) hlc[0][i] = hlc[1][i] = hlc[2][i] = 100.0;
      hlc[0][first + 2 * group + K + 11] = kInf;
      UltimateOscillator uo(p1, p2, p3);
      Columns stream(1), batch(1, std::vector<double>(rows));
      for (std::size_t i = 0; i < rows; ++i) stream[0].push_back(uo.update(hlc[0][i], hlc[1][i], hlc[2][i]));
      ultimate_oscillator(hlc[0], hlc[1], hlc[2], p1, p2, p3, batch[0]).check();
      expect_same(stream, batch, "ultosc " + what);
      EXPECT_EQ(batch[0][flat_from + flat_len - 1], 0.0) << what;
    }
    // APO/PPO with SMA: two SMA passes, the fast one started where FastSlow starts feeding it.
    for (const MaType type : {MaType::kSma, MaType::kEma}) {
      const int fast = period, slow = 2 * period + 3;
      const auto po_stream = [&](auto ind) {
        Columns out(1);
        for (double v : in[0]) out[0].push_back(ind.update(v));
        return out;
      };
      Columns a(1, std::vector<double>(rows)), b(1, std::vector<double>(rows));
      apo(in[0], fast, slow, a[0], type).check();
      ppo(in[0], fast, slow, b[0], type).check();
      expect_same(po_stream(Apo(fast, slow, type)), a, "apo " + what);
      expect_same(po_stream(Ppo(fast, slow, type)), b, "ppo " + what);
    }
    // VWMA: integer volumes, all zero across the boundary between the first group's epochs 1
    // and 2 (NaN there, not a rounding residue), and a NaN volume in the third group.
    Columns pv(2);
    pv[0] = in[0];
    for (std::size_t i = 0; i < rows; ++i) pv[1].push_back(static_cast<double>(rng() % 5000));
    for (std::size_t i = first + 2 * K - n - 3; i < first + 2 * K + n + 3; ++i) pv[1][i] = 0;
    pv[1][first + 2 * group + 7] = std::nan("");
    const auto vwma_stream = [&](const Columns& c) {
      Vwma ind(period);
      Columns out(1);
      for (std::size_t i = 0; i < c[0].size(); ++i) out[0].push_back(ind.update(c[0][i], c[1][i]));
      return out;
    };
    Columns vb(1, std::vector<double>(rows));
    vwma(pv[0], pv[1], period, vb[0]).check();
    expect_same(vwma_stream(pv), vb, "vwma " + what);
    EXPECT_TRUE(std::isnan(vb[0][first + 2 * K])) << what;
  }
}

// reset() starts the anchored sums' recompute schedule over: after a series longer than an
// epoch and a reset, the same series gives the bits of a fresh object (a schedule left where it
// was would recompute at other bars; the data spans several binades so that shows).
TEST(BatchKernelsMa, ResetRestartsTheRecomputeSchedule) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> step(0.0, 0.75);
  std::vector<double> x, v;
  double p = 100;
  for (int i = 0; i < 1500; ++i) {
    p *= std::exp(step(rng));
    x.push_back(p);
    v.push_back(static_cast<double>(rng() % 1000));
  }
  const auto twice_equals_fresh = [&](auto make, auto feed, const char* name) {
    auto used = make();
    for (std::size_t i = 0; i < x.size() / 3; ++i) (void)feed(used, i);
    used.reset();
    auto fresh = make();
    for (std::size_t i = 0; i < x.size(); ++i)
      ASSERT_TRUE(same_bits(feed(used, i), feed(fresh, i))) << name << " bar " << i;
  };
  const auto one = [&](auto& ind, std::size_t i) { return ind.update(x[i]); };
  twice_equals_fresh([] { return Sma(7); }, one, "sma");
  twice_equals_fresh([] { return Wma(7); }, one, "wma");
  twice_equals_fresh([] { return Kama(7); }, one, "kama");
  twice_equals_fresh([] { return Vwma(7); }, [&](Vwma& ind, std::size_t i) { return ind.update(x[i], v[i]); }, "vwma");
  twice_equals_fresh([] { return LinearRegression(9); },
                     [&](LinearRegression& ind, std::size_t i) { return ind.update(x[i]).zscore; }, "linreg");
  twice_equals_fresh([] { return UltimateOscillator(3, 5, 9); },
                     [&](UltimateOscillator& ind, std::size_t i) { return ind.update(x[i] * 1.01, x[i] * 0.99, x[i]); },
                     "ultosc");
}

// Bollinger bands: an empty output span is skipped (the three bands alone run a finish
// without division), and what is computed has the bits of the five-output call.
TEST(BatchKernelsMa, BollingerOutputsAreOptional) {
  for (int period : {2, 9, 20}) {
    const std::vector<double> x = hostile_series(period, 5);
    const std::size_t rows = x.size();
    Columns all(5, std::vector<double>(rows));
    bollinger_bands(x, period, 2.0, all[0], all[1], all[2], all[3], all[4]).check();
    Columns bands(3, std::vector<double>(rows));
    bollinger_bands(x, period, 2.0, bands[0], bands[1], bands[2], {}, {}).check();
    expect_same(Columns(all.begin(), all.begin() + 3), bands, "bbands three bands, period " + std::to_string(period));
    Columns pctb(1, std::vector<double>(rows));
    bollinger_bands(x, period, 2.0, {}, {}, {}, pctb[0], {}).check();
    expect_same(Columns{all[3]}, pctb, "bbands %B alone, period " + std::to_string(period));
  }
  std::vector<double> x(30, 1.0), short_out(29);
  EXPECT_FALSE(bollinger_bands(x, 5, 2.0, short_out, {}, {}, {}, {}).ok());  // a wrong size is still an error
}

TEST(BatchKernelsMa, WmaEqualsStreaming) {
  check_batch("wma", 1, {1, 2, 3, 10, 21}, stream_simple<Wma>(), batch_simple(wma));
}

TEST(BatchKernelsMa, TrimaEqualsStreaming) {
  // 1 and 2 are the smallest (both SMA lengths 1; then 1 and 2); odd and even periods split
  // differently.
  check_batch("trima", 1, {1, 2, 3, 4, 11, 20}, stream_simple<Trima>(), batch_simple(trima));
}

TEST(BatchKernelsMa, HmaEqualsStreaming) {
  // ⌊√n⌋ = 16 at 288 (the last WMA summed directly, ShortWma) and 17 at 289 (anchored sums).
  check_batch("hma", 1, {2, 3, 4, 9, 16, 25, 288, 289}, stream_simple<Hma>(), batch_simple(hma));
}

// DEMA and TEMA: the warm-up through update(), then whole pairs of bars (PairedSmoother::pair)
// from the first pair boundary once ready, then an odd last bar; periods whose lookback is
// odd and even (the pairs then start one bar after it or at it).
TEST(BatchKernelsMa, DemaTemaEqualStreaming) {
  check_batch("dema", 1, {1, 2, 3, 4, 20}, stream_simple<Dema>(), batch_simple(dema));
  check_batch("tema", 1, {1, 2, 3, 4, 20}, stream_simple<Tema>(), batch_simple(tema));
  check_batch("ema", 1, {1, 2, 20}, stream_simple<Ema>(),
              batch_simple([](std::span<const double> x, int n, std::span<double> y) { return ema(x, n, y); }));
  check_batch("rma", 1, {1, 2, 14}, stream_simple<Rma>(), batch_simple(rma));
}

TEST(BatchKernelsMa, KamaEqualsStreaming) {
  check_batch("kama", 1, {1, 2, 3, 10, 30}, stream_simple<Kama>(), batch_simple(kama));
}

// A non-finite price before KAMA's first value leaves KAMA finite (the infinite or NaN noise sum
// gives ER = 0, the slowest smoothing), and Kama::update recomputes the noise sum when the
// non-finite changes leave its window, so KAMA goes on; steps that went on would give NaN for
// good. Later ones make KAMA NaN or ±inf for good either way. The batch loop's blocks assume
// finite changes and must fall back bar by bar: ±inf and NaN within the first full window, in
// a later block, at a scheduled recompute's stretch end and just after it.
TEST(BatchKernelsMa, KamaAfterANonFinitePriceEqualsStreaming) {
  // Period 30: scheduled recomputes every 512 bars (two per block); 100: every 800, so a block
  // that falls back starts and ends at different points of the schedule.
  for (const int period : {30, 100}) {
    const std::size_t n = static_cast<std::size_t>(period), epoch = period == 30 ? 512 : 800;
    for (const std::size_t at : {std::size_t{5}, std::size_t{3000}, n + epoch - 1, n + epoch}) {
      for (const double bad : {kInf, -kInf, std::nan("")}) {
        std::mt19937_64 rng(5);
        std::normal_distribution<double> step(0.0, 1.0);
        Columns in(1);
        double p = 100;
        for (int i = 0; i < 6000; ++i) {
          p *= std::exp(0.001 * step(rng));
          in[0].push_back(p);
        }
        in[0][at] = bad;
        expect_same(stream_simple<Kama>()(in, period), batch_simple(kama)(in, period),
                    "kama(" + std::to_string(period) + "), " + std::to_string(bad) + " at " + std::to_string(at));
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

// The batch kernel of VWMA and the ultimate oscillator tracks the count of nonzero volumes /
// true ranges only over spans that read a zero; zeros that only leave during a span (they
// entered before it) must still be counted out, or a later all-zero window gives a rounding
// residue instead of NaN / 0. VWMA's spans start at n, n + 2048, ...; the oscillator's at its
// chunks of 1024 bars (values shifted by one: the first bar pushes nothing).
TEST(BatchKernelsMa, ZerosLeavingAtASpanStartAreCounted) {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> step(0.0, 0.01);
  const std::size_t rows = 9000;
  std::vector<double> price, volume;
  double p = 100;
  for (std::size_t i = 0; i < rows; ++i) {
    p *= std::exp(step(rng));
    price.push_back(p);
    volume.push_back(static_cast<double>(1 + rng() % 1000) * 0.37);
  }
  {
    const int period = 20;
    const std::size_t n = 20;
    // Runs of 3 zeros ending where the second span begins (they leave inside it, and it holds
    // no zero itself), and an all-zero window in the fourth.
    for (std::size_t i = n + 2048 - 3; i < n + 2048; ++i) volume[i] = 0;
    for (std::size_t i = 7000; i < 7000 + 2 * n; ++i) volume[i] = 0;
    Vwma ind(period);
    Columns stream(1), batch(1, std::vector<double>(rows));
    for (std::size_t i = 0; i < rows; ++i) stream[0].push_back(ind.update(price[i], volume[i]));
    vwma(price, volume, period, batch[0]).check();
    expect_same(stream, batch, "vwma, zeros before a span");
    EXPECT_TRUE(std::isnan(batch[0][7000 + 2 * n - 1]));
  }
  {
    // Moves of ~30 % a bar: true ranges over several binades, so that the sums of deviations
    // leave a rounding residue where every true range went to 0 (on gentle data it happens to
    // be exactly 0, and a stale count would go unseen).
    std::normal_distribution<double> big_step(0.0, 0.3);
    Columns hlc(3, std::vector<double>(rows));
    double q = 100;
    for (std::size_t i = 0; i < rows; ++i) {
      q *= std::exp(big_step(rng));
      hlc[0][i] = q * 1.01;
      hlc[1][i] = q * 0.99;
      hlc[2][i] = q;
    }
    // Flat bars (H = L = C = the previous close): true range 0, in runs of 3 and 5 bars ending
    // where chunks 3 and 5 begin, chunks that hold no zero themselves (so that some leave
    // inside one of their vector steps, whatever the phase of the groups of four), and a flat
    // stretch longer than the longest window in chunk 7.
    const auto flat = [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) hlc[0][i] = hlc[1][i] = hlc[2][i] = hlc[2][from - 1];
    };
    flat(2 * 1024 - 3, 2 * 1024);
    flat(4 * 1024 - 5, 4 * 1024);
    flat(7000, 7000 + 60);
    UltimateOscillator uo(7, 14, 28);
    Columns stream(1), batch(1, std::vector<double>(rows));
    for (std::size_t i = 0; i < rows; ++i) stream[0].push_back(uo.update(hlc[0][i], hlc[1][i], hlc[2][i]));
    ultimate_oscillator(hlc[0], hlc[1], hlc[2], 7, 14, 28, batch[0]).check();
    expect_same(stream, batch, "ultosc, zero true ranges before a chunk");
    EXPECT_EQ(batch[0][7000 + 59], 0.0);
  }
}

TEST(BatchKernelsMa, VwmaEqualsStreaming) {
  const Compute stream = [](const Columns& in, int period) {
    Vwma ind(period);
    Columns out(1, std::vector<double>(in[0].size()));
    for (std::size_t i = 0; i < in[0].size(); ++i) out[0][i] = ind.update(in[0][i], in[1][i]);
    return out;
  };
  const Compute batch = [](const Columns& in, int period) {
    Columns out(1, std::vector<double>(in[0].size()));
    vwma(in[0], in[1], period, out[0]).check();
    return out;
  };
  // The second column stands for volume: same hostile shape (NaN, ±inf, ties), different walk.
  // Early on (inside the prefix lengths), a stretch of volumes ±100 alternating, whose windows
  // sum to exactly 0 while Σ(price·volume) does not (NaN, not ±inf), then a run of zero volume.
  const auto zero_volume = [](Columns& in, int period) {
    const std::size_t from = static_cast<std::size_t>(period) + 3, len = 3 * static_cast<std::size_t>(period) + 2;
    for (std::size_t i = from; i < from + len && i < in[1].size(); ++i)
      in[1][i] = i < from + 2 * static_cast<std::size_t>(period) ? (i % 2 ? 100.0 : -100.0) : 0.0;
  };
  check_batch("vwma", 2, {1, 2, 5, 20}, stream, batch, zero_volume);
}

TEST(BatchKernelsMa, CciEqualsStreaming) {
  // High, low and close are independent hostile walks: the 1e12 spikes make the order of the
  // mean deviation's four partial sums visible in the bits.
  const Compute stream = [](const Columns& in, int period) {
    Cci c(period);
    Columns out(1, std::vector<double>(in[0].size()));
    for (std::size_t i = 0; i < in[0].size(); ++i) out[0][i] = c.update(in[0][i], in[1][i], in[2][i]);
    return out;
  };
  const Compute batch = [](const Columns& in, int period) {
    Columns out(1, std::vector<double>(in[0].size()));
    cci(in[0], in[1], in[2], period, out[0]).check();
    return out;
  };
  check_batch("cci", 3, {1, 2, 3, 5, 20, 23}, stream, batch);
}

TEST(BatchKernelsMa, TrixEqualsStreaming) {
  check_batch("trix", 1, {1, 2, 5, 30}, stream_simple<Trix>(), batch_simple(trix));
}

TEST(BatchKernelsMa, UltimateOscillatorEqualsStreaming) {
  // Periods (p, 2p, 4p), and also the three equal; high, low and close are independent hostile
  // walks (so a NaN close also makes the next bar push nothing, and high < low occurs).
  for (bool equal : {false, true}) {
    const auto ps = [equal](int p) { return std::array<int, 3>{p, equal ? p : 2 * p, equal ? p : 4 * p}; };
    const Compute stream = [&](const Columns& in, int period) {
      const auto [p1, p2, p3] = ps(period);
      UltimateOscillator u(p1, p2, p3);
      Columns out(1, std::vector<double>(in[0].size()));
      for (std::size_t i = 0; i < in[0].size(); ++i) out[0][i] = u.update(in[0][i], in[1][i], in[2][i]);
      return out;
    };
    const Compute batch = [&](const Columns& in, int period) {
      const auto [p1, p2, p3] = ps(period);
      Columns out(1, std::vector<double>(in[0].size()));
      ultimate_oscillator(in[0], in[1], in[2], p1, p2, p3, out[0]).check();
      return out;
    };
    check_batch("ultosc", 3, {1, 2, 7}, stream, batch);
  }
}

}  // namespace batch_ma_test
}  // namespace tradeloop::ind
