// Batch forms that run their own loop instead of the streaming class (the registry harness
// drives the streaming classes), checked bit for bit against the streaming classes:
//  - the rolling moments behind variance, stddev and Bollinger bands (a tight loop between two
//    exact recomputes, RollingMoments::steps), also against a two-pass reference, on data built
//    to hit every way out of that loop: flat runs that complete a constant window mid-stretch,
//    runs one bar too short, long runs, NaN, windows around the exact-recompute threshold;
//  - Aroon (four bars per vector), on cent-priced data full of ties, NaN runs longer than the
//    window, every tail length, and periods on both sides of the vector path's limit;
//  - the highest-high / lowest-low family (donchian, willr, stoch, stochrsi, ichimoku: the
//    doubling kernel of src/indicators/rolling_extremes.cpp, with Ichimoku's three windows in
//    one pass), on the same data plus ±inf, −0/+0
//    ties, a NaN run longer than every window with a lone ±inf inside it, periods at and around
//    each power of two and at the block-length switch, and series spanning several blocks.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include "tradeloop/indicators/momentum.hpp"
#include "tradeloop/indicators/trend.hpp"
#include "tradeloop/indicators/volatility.hpp"

namespace tradeloop::ind {
namespace {

// Random-walk segments (cent-priced, so equal neighbours also occur by chance) separated by
// flat runs of every length near the window, at shifting offsets, and two NaN.
std::vector<double> hostile_series(int period) {
  std::mt19937_64 rng(20261125);
  std::normal_distribution<double> step(0.0, 0.4);
  std::vector<double> x;
  double p = 25'000.0;
  const int runs[] = {period - 2, period - 1, period, period + 1, 2 * period + 3, 1, 3 * period};
  for (int seg = 0; seg < 40; ++seg) {
    const int len = 5 + seg * 7 % (2 * period + 3);
    for (int k = 0; k < len; ++k) {
      p += step(rng);
      x.push_back(std::round(p * 100) / 100);
    }
    for (int k = 0; k < runs[seg % 7]; ++k) x.push_back(x.back());
  }
  x[x.size() / 3] = std::nan("");
  x[x.size() / 3 + 1] = std::nan("");
  return x;
}

// Equal bits (so −0 differs from +0), or both NaN.
bool same_bits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// A cent-priced random walk of n bars (equal highs and lows inside a window are common, and so
// are equal closes), with NaN high and low over bars 300..379 (longer than the windows of the
// Aroon test), a NaN high at 500 and a NaN low at 650.
struct CentBars {
  std::vector<double> high, low, close;
};
CentBars cent_bars(std::size_t n) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> tick(-2, 2);
  CentBars b;
  double p = 100;
  for (std::size_t i = 0; i < n; ++i) {
    p += 0.01 * tick(rng);
    b.high.push_back(std::round((p + 0.01 * (tick(rng) + 2)) * 100) / 100);
    b.low.push_back(std::round((p - 0.01 * (tick(rng) + 2)) * 100) / 100);
    b.close.push_back(std::round(p * 100) / 100);
  }
  for (std::size_t i = 300; i < 380; ++i) b.high[i] = b.low[i] = std::nan("");
  b.high[500] = std::nan("");
  b.low[650] = std::nan("");
  return b;
}

// Prefix lengths that cover every tail (n mod 4) after the window and before the end, and
// series shorter than the window.
std::vector<std::size_t> prefix_lengths(int period, std::size_t n) {
  std::vector<std::size_t> out = {0, 3};
  for (std::size_t k = 0; k < 6; ++k)
    if (period + k >= 1) out.push_back(static_cast<std::size_t>(period) + k - 1);
  for (std::size_t k = 0; k < 4; ++k) out.push_back(n - k);
  std::erase_if(out, [&](std::size_t len) { return len > n; });
  return out;
}

// Population variance of the n values ending at i, two passes in long double.
double reference_variance(const std::vector<double>& x, std::size_t i, int n) {
  long double mean = 0, m2 = 0;
  for (std::size_t j = i + 1 - n; j <= i; ++j) mean += x[j];
  mean /= n;
  for (std::size_t j = i + 1 - n; j <= i; ++j) m2 += (x[j] - mean) * (x[j] - mean);
  return static_cast<double>(m2 / n);
}

// The batch forms of variance, stddev (k = 2) and Bollinger (k = 2) on x, each checked bit for
// bit against its streaming class, bar by bar.
struct MomentsBatch {
  std::vector<double> var, sd, up, mid, lo, pb, wd;
};
MomentsBatch moments_equal_streaming(const std::vector<double>& x, int period) {
  const std::size_t n = x.size();
  MomentsBatch m{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n), std::vector<double>(n),
                 std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  variance(x, period, m.var).check();
  stddev(x, period, m.sd, 2.0).check();
  bollinger_bands(x, period, 2.0, m.up, m.mid, m.lo, m.pb, m.wd).check();
  Variance v(period);
  StdDev s(period, 2.0);
  BollingerBands bb(period, 2.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double sv = v.update(x[i]), ss = s.update(x[i]);
    const BandsValue b = bb.update(x[i]);
    EXPECT_TRUE(same_bits(m.var[i], sv)) << "bar " << i << ": " << m.var[i] << " vs " << sv;
    EXPECT_TRUE(same_bits(m.sd[i], ss)) << "bar " << i;
    EXPECT_TRUE(same_bits(m.up[i], b.upper) && same_bits(m.mid[i], b.middle) && same_bits(m.lo[i], b.lower) &&
                same_bits(m.pb[i], b.pctb) && same_bits(m.wd[i], b.width))
        << "bar " << i;
    if (::testing::Test::HasFailure()) break;
  }
  return m;
}

TEST(RollingMoments, BatchEqualsStreamingThroughFlatRunsAndNaN) {
  for (int period : {2, 8, 9, 10, 20, 33}) {
    SCOPED_TRACE("period " + std::to_string(period));
    const std::vector<double> x = hostile_series(period);
    const std::size_t n = x.size();
    const MomentsBatch m = moments_equal_streaming(x, period);
    ASSERT_FALSE(::testing::Test::HasFailure());
    int constant_windows = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i + 1 < static_cast<std::size_t>(period)) {
        EXPECT_TRUE(std::isnan(m.var[i]));
        continue;
      }
      bool has_nan = false, constant = true;
      for (std::size_t j = i + 1 - period; j <= i; ++j) {
        has_nan |= std::isnan(x[j]);
        constant &= x[j] == x[i];
      }
      if (has_nan) continue;  // NaN leaves the window within n bars: checked below
      if (constant) {
        ++constant_windows;
        ASSERT_EQ(m.var[i], 0.0) << "a constant window has exactly zero variance, bar " << i;
        ASSERT_EQ(m.mid[i], x[i]) << "and its own value as the mean, bar " << i;
        continue;
      }
      const double ref = reference_variance(x, i, period);
      ASSERT_NEAR(m.var[i], ref, 1e-9 * ref + 1e-12) << "bar " << i;
    }
    EXPECT_GT(constant_windows, 10);
    // Every bar after the NaN left the window is defined again.
    EXPECT_FALSE(std::isnan(m.var[n / 3 + 1 + period]));
  }
}

// The batch loop's fast path (RollingMoments::fast_steps: blocks of 1024 bars with no value
// leaving that is NaN or ±inf and no constant window) and its fallback, block by block: long
// clean stretches (fast) between isolated NaN, ±inf and flat runs up to and past the window
// (each refusing its block), at every offset of the trouble within a block.
TEST(RollingMoments, BatchEqualsStreamingAcrossFastAndRefusedBlocks) {
  for (int period : {9, 20, 257}) {
    SCOPED_TRACE("period " + std::to_string(period));
    std::mt19937_64 rng(99 + static_cast<std::uint64_t>(period));
    std::normal_distribution<double> step(0.0, 0.3);
    std::vector<double> x;
    double p = 50'000;
    const auto walk = [&](std::size_t len) {
      for (std::size_t k = 0; k < len; ++k) {
        p += step(rng);
        x.push_back(std::round(p * 100) / 100);
      }
    };
    // Constant windows ending on the last bar of a block (variance's first fast block is
    // [n, n + 1024); the bands run their blocks in chunks of 256): the next block starts
    // after a constant window and must not take its recompute for a constant one.
    const auto flat_until = [&](std::size_t last_bar) {
      walk(last_bar + 1 - static_cast<std::size_t>(period + 3) - x.size());
      for (int k = 0; k < period + 3; ++k) x.push_back(x.back());
    };
    flat_until(static_cast<std::size_t>(period) + 1023);
    flat_until(4095);
    walk(3000);
    x.push_back(std::nan(""));
    walk(2500 + static_cast<std::size_t>(period));
    x.push_back(std::numeric_limits<double>::infinity());
    walk(1700);
    for (int k = 0; k < period - 1; ++k) x.push_back(x.back());  // flat, one short of constant
    walk(1300);
    for (int k = 0; k < period + 2; ++k) x.push_back(x.back());  // constant windows
    walk(2100);
    x.push_back(-std::numeric_limits<double>::infinity());
    walk(4000);
    (void)moments_equal_streaming(x, period);
    if (::testing::Test::HasFailure()) return;
  }
}

// One run of exactly n equal values (one constant window, n − 1 equal neighbouring pairs) in
// a fast block of otherwise distinct values: the block's filter must still see it, and the
// variance there is exactly 0, as streaming gives it. The window ends at every bar of a
// recompute cycle in turn (on a recompute bar, on a group of four, on the scalar bars), from
// the start of variance's second fast block on (blocks of 1024 from bar n: the first stretch
// of a block continues the previous block's).
TEST(RollingMoments, ExactlyOneConstantWindowInAFastBlock) {
  for (int period : {9, 20, 64}) {
    const std::size_t from = 1024 + 2;  // the window x[from − 1 ..] ends at bar n + 1024
    for (std::size_t flat_at = from; flat_at < from + static_cast<std::size_t>(period) + 4; ++flat_at) {
      SCOPED_TRACE("period " + std::to_string(period) + ", run from bar " + std::to_string(flat_at - 1));
      std::mt19937_64 rng(7 + static_cast<std::uint64_t>(period));
      std::normal_distribution<double> step(0.0, 0.3);
      std::vector<double> x;
      double p = 50'000;
      while (x.size() < 4000) {
        p += step(rng);  // full mantissas: no two neighbours equal by chance
        x.push_back(x.size() >= flat_at && x.size() + 1 < flat_at + static_cast<std::size_t>(period) ? x.back()
                                                                                                    : p);
      }
      (void)moments_equal_streaming(x, period);
      std::vector<double> var(x.size());
      ASSERT_TRUE(variance(x, period, var).ok());
      EXPECT_EQ(var[flat_at + static_cast<std::size_t>(period) - 2], 0.0);  // the window x[flat_at − 1 ..]
      if (::testing::Test::HasFailure()) return;
    }
  }
}

TEST(AroonBatch, EqualsStreamingWithTiesNaNRunsAndEveryTail) {
  const CentBars bars = cent_bars(900);
  const std::vector<double>&high = bars.high, &low = bars.low;
  for (int period : {1, 2, 3, 14, 25, 64, 65, 100}) {
    for (std::size_t len : prefix_lengths(period, high.size())) {
      SCOPED_TRACE("period " + std::to_string(period) + ", " + std::to_string(len) + " bars");
      const std::span<const double> h(high.data(), len), l(low.data(), len);
      std::vector<double> up(len), down(len), osc(len);
      aroon(h, l, period, up, down, osc).check();
      Aroon a(period);
      for (std::size_t i = 0; i < len; ++i) {
        const AroonValue v = a.update(h[i], l[i]);
        ASSERT_TRUE(same_bits(up[i], v.up) && same_bits(down[i], v.down) && same_bits(osc[i], v.oscillator))
            << "bar " << i << ": " << up[i] << "/" << down[i] << " vs " << v.up << "/" << v.down;
      }
    }
  }
}

// Every output of the batch form equals the streaming class fed bar by bar, bit for bit.
void expect_family_equals_streaming(const CentBars& b, int p, std::size_t len) {
  const std::span<const double> h(b.high.data(), len), l(b.low.data(), len), c(b.close.data(), len);
  const auto check = [&](const char* what, const std::vector<double>& batch, auto&& streaming) {
    for (std::size_t i = 0; i < len; ++i) {
      const double s = streaming(i);
      ASSERT_TRUE(same_bits(batch[i], s)) << what << " bar " << i << ": " << batch[i] << " vs " << s;
    }
  };
  std::vector<double> o1(len), o2(len), o3(len), o4(len), o5(len);
  {
    donchian(h, l, p, o1, o2, o3).check();
    Donchian s(p);
    std::vector<ChannelValue> v;
    for (std::size_t i = 0; i < len; ++i) v.push_back(s.update(h[i], l[i]));
    check("donchian upper", o1, [&](std::size_t i) { return v[i].upper; });
    check("donchian middle", o2, [&](std::size_t i) { return v[i].middle; });
    check("donchian lower", o3, [&](std::size_t i) { return v[i].lower; });
  }
  {
    williams_r(h, l, c, p, o1).check();
    WilliamsR s(p);
    check("willr", o1, [&](std::size_t i) { return s.update(h[i], l[i], c[i]); });
  }
  for (int smooth : {1, 3}) {
    stochastic(h, l, c, p, smooth, 3, o1, o2, o3).check();
    Stochastic s(p, smooth, 3);
    std::vector<StochValue> v;
    for (std::size_t i = 0; i < len; ++i) v.push_back(s.update(h[i], l[i], c[i]));
    check("stoch fast_k", o1, [&](std::size_t i) { return v[i].fast_k; });
    check("stoch k", o2, [&](std::size_t i) { return v[i].k; });
    check("stoch d", o3, [&](std::size_t i) { return v[i].d; });
  }
  // StochRSI on the high (its NaN make the RSI NaN for good: the all-NaN windows) and on the
  // close (defined throughout).
  for (const std::span<const double> x : {h, c}) {
    stoch_rsi(x, 5, p, 3, 3, o1, o2).check();
    StochRsi s(5, p, 3, 3);
    std::vector<StochRsiValue> v;
    for (std::size_t i = 0; i < len; ++i) v.push_back(s.update(x[i]));
    check("stochrsi k", o1, [&](std::size_t i) { return v[i].k; });
    check("stochrsi d", o2, [&](std::size_t i) { return v[i].d; });
  }
  // Ichimoku's three windows share one pass after the longest is full (each line alone
  // before): the usual order, and the longest first with the shortest last.
  for (const auto [tenkan, kijun, senkou, shift] : {std::array{p, p + 3, 2 * p, p / 2},
                                                    std::array{p + 3, p, 1 + p / 2, p + 1}}) {
    ichimoku(h, l, c, tenkan, kijun, senkou, shift, o1, o2, o3, o4, o5).check();
    Ichimoku s(tenkan, kijun, senkou, shift);
    std::vector<IchimokuValue> v;
    for (std::size_t i = 0; i < len; ++i) v.push_back(s.update(h[i], l[i], c[i]));
    check("tenkan", o1, [&](std::size_t i) { return v[i].tenkan; });
    check("kijun", o2, [&](std::size_t i) { return v[i].kijun; });
    check("senkou_a", o3, [&](std::size_t i) { return v[i].senkou_a; });
    check("senkou_b", o4, [&](std::size_t i) { return v[i].senkou_b; });
    const auto d = static_cast<std::size_t>(shift);
    check("chikou", o5, [&](std::size_t i) { return i + d < len ? v[i + d].chikou : kNaN; });
  }
}

TEST(HighLowBatch, EqualsStreamingWithTiesNaNRunsInfinitiesAndEveryTail) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  CentBars b = cent_bars(6200);
  // Infinite prices among numbers: they are the extreme while in the window.
  b.high[1000] = kInf;
  b.low[1000] = -kInf;
  b.high[1100] = -kInf;  // never the highest high, unless alone with NaN
  b.low[1150] = kInf;
  b.close[1200] = std::nan("");
  // A NaN run longer than every window, with one −inf high and one +inf low inside: windows of
  // NaN only (NaN) and of NaN and one infinity (that infinity).
  for (std::size_t i = 2500; i < 3300; ++i) b.high[i] = b.low[i] = b.close[i] = std::nan("");
  b.high[2900] = -kInf;
  b.low[3000] = kInf;
  // Zeros of both signs: equal values whose bits differ, so the tie rule (the later value) shows.
  for (std::size_t i = 4000; i < 4040; ++i) {
    b.high[i] = i % 3 == 0 ? -0.0 : 0.0;
    b.low[i] = i % 2 == 0 ? -0.0 : 0.0;
    b.close[i] = 0.0;
  }
  {  // The data does reach each rule (so that the comparison below can catch a broken one).
    std::vector<double> up(b.high.size()), mid(up.size()), lo(up.size());
    donchian(b.high, b.low, 8, up, mid, lo).check();
    EXPECT_TRUE(std::isnan(up[2800]) && std::isnan(lo[2800]));  // NaN only
    EXPECT_EQ(up[2905], -kInf);                                  // NaN and −inf
    EXPECT_EQ(lo[3005], kInf);
    EXPECT_EQ(up[1003], kInf);
    EXPECT_EQ(lo[1003], -kInf);
    EXPECT_TRUE(lo[4008] == 0 && std::signbit(lo[4008]));  // the later zero: −0 at 4008
    EXPECT_TRUE(lo[4009] == 0 && !std::signbit(lo[4009]));
    EXPECT_TRUE(up[4011] == 0 && std::signbit(up[4011]));  // −0 at 4011, +0 at 4012
    EXPECT_TRUE(up[4012] == 0 && !std::signbit(up[4012]));
  }
  // Powers of two and their neighbours (the kernel's level count changes there), the longest
  // window of the default block (512) and the first with a longer block (513).
  for (int period :
       {1, 2, 3, 4, 5, 7, 8, 9, 14, 15, 16, 17, 20, 26, 31, 32, 33, 52, 64, 65, 511, 512, 513, 700}) {
    for (std::size_t len : prefix_lengths(period, b.high.size())) {
      SCOPED_TRACE("period " + std::to_string(period) + ", " + std::to_string(len) + " bars");
      expect_family_equals_streaming(b, period, len);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace tradeloop::ind
