// Batch forms that run their own loop instead of the streaming class (the registry harness
// drives the streaming classes), checked bit for bit against the streaming classes:
//  - the rolling moments behind variance, stddev and Bollinger bands (a tight loop between two
//    exact recomputes, RollingMoments::steps), also against a two-pass reference, on data built
//    to hit every way out of that loop: flat runs that complete a constant window mid-stretch,
//    runs one bar too short, long runs, NaN, windows around the exact-recompute threshold;
//  - Aroon (four bars per vector), on cent-priced data full of ties, NaN runs longer than the
//    window, every tail length, and periods on both sides of the vector path's limit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "tradeloop/indicators/momentum.hpp"
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

bool same_bits(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Population variance of the n values ending at i, two passes in long double.
double reference_variance(const std::vector<double>& x, std::size_t i, int n) {
  long double mean = 0, m2 = 0;
  for (std::size_t j = i + 1 - n; j <= i; ++j) mean += x[j];
  mean /= n;
  for (std::size_t j = i + 1 - n; j <= i; ++j) m2 += (x[j] - mean) * (x[j] - mean);
  return static_cast<double>(m2 / n);
}

TEST(RollingMoments, BatchEqualsStreamingThroughFlatRunsAndNaN) {
  for (int period : {2, 8, 9, 10, 20, 33}) {
    SCOPED_TRACE("period " + std::to_string(period));
    const std::vector<double> x = hostile_series(period);
    const std::size_t n = x.size();
    std::vector<double> var(n), sd(n), up(n), mid(n), lo(n), pb(n), wd(n);
    variance(x, period, var).check();
    stddev(x, period, sd, 2.0).check();
    bollinger_bands(x, period, 2.0, up, mid, lo, pb, wd).check();
    Variance v(period);
    StdDev s(period, 2.0);
    BollingerBands bb(period, 2.0);
    int constant_windows = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double sv = v.update(x[i]), ss = s.update(x[i]);
      const BandsValue b = bb.update(x[i]);
      ASSERT_TRUE(same_bits(var[i], sv)) << "bar " << i << ": " << var[i] << " vs " << sv;
      ASSERT_TRUE(same_bits(sd[i], ss)) << "bar " << i;
      ASSERT_TRUE(same_bits(up[i], b.upper) && same_bits(mid[i], b.middle) && same_bits(lo[i], b.lower) &&
                  same_bits(pb[i], b.pctb) && same_bits(wd[i], b.width))
          << "bar " << i;
      if (i + 1 < static_cast<std::size_t>(period)) {
        EXPECT_TRUE(std::isnan(var[i]));
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
        ASSERT_EQ(var[i], 0.0) << "a constant window has exactly zero variance, bar " << i;
        ASSERT_EQ(mid[i], x[i]) << "and its own value as the mean, bar " << i;
        continue;
      }
      const double ref = reference_variance(x, i, period);
      ASSERT_NEAR(var[i], ref, 1e-9 * ref + 1e-12) << "bar " << i;
    }
    EXPECT_GT(constant_windows, 10);
    // Every bar after the NaN left the window is defined again.
    EXPECT_FALSE(std::isnan(var[n / 3 + 1 + period]));
  }
}

TEST(AroonBatch, EqualsStreamingWithTiesNaNRunsAndEveryTail) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> tick(-2, 2);
  std::vector<double> high, low;
  double p = 100;
  for (int i = 0; i < 900; ++i) {
    p += 0.01 * tick(rng);  // cent steps: equal highs and lows inside a window are common
    high.push_back(std::round((p + 0.01 * (tick(rng) + 2)) * 100) / 100);
    low.push_back(std::round((p - 0.01 * (tick(rng) + 2)) * 100) / 100);
  }
  for (int i = 300; i < 380; ++i) high[i] = low[i] = std::nan("");  // longer than every window
  high[500] = std::nan("");
  low[650] = std::nan("");
  for (int period : {1, 2, 3, 14, 25, 64, 65, 100}) {
    for (std::size_t len : {std::size_t{0}, std::size_t{3}, static_cast<std::size_t>(period) + 3,
                            static_cast<std::size_t>(period) + 4, std::size_t{897}, std::size_t{898}, std::size_t{899},
                            std::size_t{900}}) {
      if (len > high.size()) continue;
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

}  // namespace
}  // namespace tradeloop::ind
