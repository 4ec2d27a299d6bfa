// A NaN or ±inf inside the data poisons a window indicator only while it is inside the window
// (docs/indicators.md, conventions): once it has left, the value is again a function of the
// window alone. Checked by feeding each streaming class a series with one bad bar, and a fresh
// object only the bars after it: from the first bar where the fresh object has a value, both
// agree (to rounding: their sums took different paths). A compensated running sum alone would
// keep the NaN, or turn inf − inf into NaN, forever.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "tradeloop/indicators/momentum.hpp"
#include "tradeloop/indicators/moving_average.hpp"
#include "tradeloop/indicators/statistics.hpp"
#include "tradeloop/indicators/volatility.hpp"
#include "tradeloop/indicators/volume.hpp"

namespace tradeloop::ind {
namespace nan_recovery_test {

constexpr std::size_t kBars = 400, kBad = 60;
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Bars {
  std::vector<double> high, low, close, volume;
};

Bars walk() {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> step(0.0, 0.5);
  std::uniform_real_distribution<double> vol(100.0, 1000.0);
  Bars b;
  double p = 100;
  for (std::size_t i = 0; i < kBars; ++i) {
    p += step(rng);
    const double c = std::round(p * 100) / 100;
    b.close.push_back(c);
    b.high.push_back(c + 0.25 + std::fabs(step(rng)));
    b.low.push_back(c - 0.25 - std::fabs(step(rng)));
    b.volume.push_back(std::round(vol(rng)));
  }
  return b;
}

// One output (or several) of an indicator after feeding bar i.
using Feed = std::function<std::vector<double>(const Bars&, std::size_t i)>;
using Make = std::function<Feed()>;

// `column` chooses which input carries the bad value (0 close, 1 high, 2 low, 3 volume).
void check(const std::string& name, const Make& make, std::initializer_list<int> columns = {0}) {
  for (int column : columns) {
    for (double bad : {std::nan(""), kInf, -kInf}) {
      Bars b = walk();
      std::vector<double>* col[] = {&b.close, &b.high, &b.low, &b.volume};
      (*col[column])[kBad] = bad;
      Feed dirty = make(), fresh = make();
      bool fresh_ready = false;
      for (std::size_t i = 0; i < kBars; ++i) {
        const std::vector<double> d = dirty(b, i);
        if (i <= kBad) continue;
        const std::vector<double> f = fresh(b, i);
        if (!fresh_ready) fresh_ready = std::isfinite(f[0]);
        if (!fresh_ready) continue;
        for (std::size_t k = 0; k < d.size(); ++k) {
          const double tol = 1e-9 * (1 + std::fabs(f[k]));
          ASSERT_NEAR(d[k], f[k], tol) << name << " output " << k << " bar " << i << ", bad value " << bad
                                       << " in input column " << column << " at bar " << kBad;
        }
      }
      ASSERT_TRUE(fresh_ready) << name;
    }
  }
}

template <class T, class... Args>
Make close_only(Args... args) {
  return [=] {
    auto ind = std::make_shared<T>(args...);
    return Feed([ind](const Bars& b, std::size_t i) { return std::vector<double>{ind->update(b.close[i])}; });
  };
}

TEST(NanRecovery, MovingAveragesOfOneInput) {
  check("sma", close_only<Sma>(10));
  check("wma", close_only<Wma>(10));
  check("trima", close_only<Trima>(10));
  check("hma", close_only<Hma>(16));
  check("variance", close_only<Variance>(10, 0));
  check("zscore", close_only<ZScore>(10));
}

TEST(NanRecovery, VolumeWeighted) {
  check("vwma", [] {
    auto ind = std::make_shared<Vwma>(10);
    return Feed([ind](const Bars& b, std::size_t i) { return std::vector<double>{ind->update(b.close[i], b.volume[i])}; });
  }, {0, 3});
  check("vwap(period=10)", [] {
    auto ind = std::make_shared<Vwap>(std::nullopt, 10);
    return Feed([ind](const Bars& b, std::size_t i) {
      return std::vector<double>{ind->update(static_cast<Timestamp>(i), b.high[i], b.low[i], b.close[i], b.volume[i])};
    });
  }, {0, 3});
  check("cmf", [] {
    auto ind = std::make_shared<Cmf>(10);
    return Feed([ind](const Bars& b, std::size_t i) {
      return std::vector<double>{ind->update(b.high[i], b.low[i], b.close[i], b.volume[i])};
    });
  }, {0, 3});
  check("mfi", [] {
    auto ind = std::make_shared<Mfi>(10);
    return Feed([ind](const Bars& b, std::size_t i) {
      return std::vector<double>{ind->update(b.high[i], b.low[i], b.close[i], b.volume[i])};
    });
  }, {0, 3});
}

TEST(NanRecovery, HighLowClose) {
  check("cci", [] {
    auto ind = std::make_shared<Cci>(10);
    return Feed([ind](const Bars& b, std::size_t i) { return std::vector<double>{ind->update(b.high[i], b.low[i], b.close[i])}; });
  }, {0, 1});
  check("ultosc", [] {
    auto ind = std::make_shared<UltimateOscillator>(3, 6, 12);
    return Feed([ind](const Bars& b, std::size_t i) { return std::vector<double>{ind->update(b.high[i], b.low[i], b.close[i])}; });
  }, {0, 1, 2});
}

TEST(NanRecovery, RegressionAndPairs) {
  check("linreg", [] {
    auto ind = std::make_shared<LinearRegression>(10);
    return Feed([ind](const Bars& b, std::size_t i) {
      const LinRegValue v = ind->update(b.close[i]);
      return std::vector<double>{v.value, v.slope, v.intercept, v.forecast, v.zscore};
    });
  });
  check("correl", [] {
    auto ind = std::make_shared<Correlation>(10);
    return Feed([ind](const Bars& b, std::size_t i) { return std::vector<double>{ind->update(b.close[i], b.volume[i])}; });
  }, {0, 3});
}

}  // namespace nan_recovery_test
}  // namespace tradeloop::ind
