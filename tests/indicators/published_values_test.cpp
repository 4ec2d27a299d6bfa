// Published values (with citation and tolerance), hand-computed small cases, lookbacks of the
// TA-Lib conventions, and SMA exactness over 10M values.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tradeloop/core/rng.hpp"
#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop::ind {
namespace {

using Col = std::vector<double>;
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

void expect_column(const Col& got, const Col& want, double tol, const char* what) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << " row " << i << " should be in the warm-up, got " << got[i];
    } else {
      EXPECT_NEAR(got[i], want[i], tol) << what << " row " << i;
    }
  }
}

// StockCharts ChartSchool, "Relative Strength Index (RSI)", spreadsheet cs-rsi.xls (QQQQ daily
// closes, 14-day RSI, published to 4 decimals). Wilder's smoothing seeded with the mean of the
// first 14 changes, first value at index 14 -- TA-Lib's convention as well.
const Col kRsiClose = {44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433,
                       46.0826, 45.8931, 46.0328, 45.614,  46.282,  46.282,  46.0028, 46.0328, 46.4116,
                       46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548, 44.0288,
                       44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314};
const Col kRsiPublished = {kNone,   kNone,   kNone,   kNone,   kNone,   kNone,   kNone,   kNone,   kNone,
                           kNone,   kNone,   kNone,   kNone,   kNone,   70.5328, 66.3186, 66.5498, 69.4063,
                           66.3552, 57.9749, 62.9296, 63.2571, 56.0593, 62.3771, 54.7076, 50.4228, 39.9898,
                           41.4605, 41.8689, 45.4632, 37.304,  33.0795, 37.773};

TEST(Published, RsiStockChartsWorkedExample) {
  Col out(kRsiClose.size());
  ASSERT_TRUE(rsi(kRsiClose, 14, out).ok());
  expect_column(out, kRsiPublished, 1e-4, "rsi");
}

// StockCharts ChartSchool, "Average True Range (ATR)", spreadsheet cs-atr.xls (QQQQ daily bars,
// 14-day ATR to 6 decimals). StockCharts takes TR0 = H0 - L0 and the mean of TR0..TR13 as the
// first ATR (index 13): AtrSeed::kTradingView. TA-Lib's default starts one bar later.
const Col kAtrHigh = {48.7,  48.72, 48.9,  48.87, 48.82, 49.05, 49.2,  49.35, 49.92, 50.19,
                      50.12, 49.66, 49.88, 50.19, 50.36, 50.57, 50.65, 50.43, 49.63, 50.33,
                      50.29, 50.17, 49.32, 48.5,  48.3201, 46.8, 47.8,  48.39, 48.66, 48.79};
const Col kAtrLow = {47.79, 48.14, 48.39, 48.37, 48.24, 48.635, 48.94, 48.86, 49.5,  49.87,
                     49.2,  48.9,  49.43, 49.725, 49.26, 50.09, 50.3,  49.21, 48.98, 49.61,
                     49.2,  49.43, 48.08, 47.64, 41.55, 44.2833, 47.31, 47.2, 47.9,  47.7301};
const Col kAtrClose = {48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13,
                       49.53, 49.5,  49.75, 50.03, 50.31, 50.52, 50.41, 49.34, 49.37, 50.23,
                       49.2375, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85};
const Col kAtrPublished = {kNone,    kNone,    kNone,    kNone,    kNone,    kNone,    kNone,    kNone,
                           kNone,    kNone,    kNone,    kNone,    kNone,    0.555,    0.593929, 0.585791,
                           0.568949, 0.615452, 0.61792,  0.642354, 0.674329, 0.69277,  0.775429, 0.78147,
                           1.209229, 1.30262,  1.38029,  1.366698, 1.336219, 1.316482};
const Col kTrPublished = {0.91, 0.58, 0.51,  0.5,  0.58, 0.415, 0.26, 0.49, 0.6,    0.32,
                          0.93, 0.76, 0.45,  0.465, 1.1, 0.48,  0.35, 1.22, 0.65,   0.96,
                          1.09, 0.9325, 1.85, 0.86, 6.7701, 2.5167, 2.39, 1.19, 0.94, 1.0599};

TEST(Published, AtrStockChartsWorkedExample) {
  Col out(kAtrClose.size()), tr(kAtrClose.size());
  ASSERT_TRUE(atr(kAtrHigh, kAtrLow, kAtrClose, 14, out, AtrSeed::kTradingView).ok());
  expect_column(out, kAtrPublished, 1e-5, "atr (StockCharts/TradingView seed)");
  ASSERT_TRUE(true_range(kAtrHigh, kAtrLow, kAtrClose, tr, AtrSeed::kTradingView).ok());
  expect_column(tr, kTrPublished, 1e-9, "true range");
  // TA-Lib seeding: first ATR at index 14 = mean of TR1..TR14 of the same published column.
  ASSERT_TRUE(atr(kAtrHigh, kAtrLow, kAtrClose, 14, out).ok());
  double seed = 0;
  for (int i = 1; i <= 14; ++i) seed += kTrPublished[i];
  EXPECT_TRUE(std::isnan(out[13]));
  EXPECT_NEAR(out[14], seed / 14, 1e-12);
  EXPECT_NEAR(out[15], (out[14] * 13 + kTrPublished[15]) / 14, 1e-12);
}

// StockCharts ChartSchool, "Bollinger Bands", spreadsheet cs-bbands.xls (SPY closes, (20, 2),
// population standard deviation), published to 6 decimals.
const Col kBbClose = {86.1557, 89.0867, 88.7829, 90.3228, 89.0671, 91.1453, 89.4397, 89.175,  86.9302,
                      87.6752, 86.9596, 89.4299, 89.3221, 88.7241, 87.4497, 87.2634, 89.4985, 87.9006,
                      89.126,  90.7043, 92.9001, 92.9784, 91.8021, 92.6647, 92.6843, 92.3021, 92.7725,
                      92.5373, 92.949,  93.2039, 91.0669, 89.8318, 89.7435, 90.3994, 90.7387, 88.0177,
                      88.0867, 88.8439, 90.7781, 90.5416, 91.3894, 90.65};
const Col kBbMid = {88.70794, 89.04516, 89.239745, 89.390705, 89.5078,  89.68866,  89.7465,   89.91314,
                    90.081255, 90.382195, 90.65863, 90.863995, 90.88409, 90.90516, 90.988925, 91.153375,
                    91.19109, 91.1205,   91.167665, 91.25027, 91.242135, 91.1666,  91.05018};
const Col kBbUpper = {91.291862, 91.949268, 92.612595, 92.9342,   93.31195,  93.72845,  93.899592, 94.266255,
                      94.565096, 94.786912, 95.043001, 94.907605, 94.902912, 94.89532,  94.861013, 94.673629,
                      94.556593, 94.678752, 94.575786, 94.534271, 94.532306, 94.369251, 94.148503};
const Col kBbLower = {86.124018, 86.141052, 85.866895, 85.84721,  85.70365,  85.64887,  85.593408, 85.560025,
                      85.597414, 85.977478, 86.274259, 86.820385, 86.865268, 86.915,    87.116837, 87.633121,
                      87.825587, 87.562248, 87.759544, 87.966269, 87.951964, 87.963949, 87.951857};

TEST(Published, BollingerStockChartsWorkedExample) {
  const std::size_t n = kBbClose.size();
  Col up(n), mid(n), lo(n), pctb(n), width(n);
  ASSERT_TRUE(bollinger_bands(kBbClose, 20, 2.0, up, mid, lo, pctb, width).ok());
  for (std::size_t i = 0; i < 19; ++i) EXPECT_TRUE(std::isnan(mid[i]));
  for (std::size_t k = 0; k < kBbMid.size(); ++k) {
    EXPECT_NEAR(mid[19 + k], kBbMid[k], 1e-5) << k;
    EXPECT_NEAR(up[19 + k], kBbUpper[k], 1e-5) << k;
    EXPECT_NEAR(lo[19 + k], kBbLower[k], 1e-5) << k;
    EXPECT_NEAR(width[19 + k], (kBbUpper[k] - kBbLower[k]) / kBbMid[k], 1e-6);
  }
}

// ---- hand-computed small cases ----

TEST(HandComputed, EmaSeeds) {
  Ema e(3);
  const Col x = {1, 2, 3, 4, 5, 6};
  Col got;
  for (double v : x) got.push_back(e.update(v));
  expect_column(got, {kNone, kNone, 2, 3, 4, 5}, 1e-15, "ema sma-seeded");  // seed (1+2+3)/3, alpha 0.5
  Ema f(3, EmaSeed::kFirst);
  EXPECT_EQ(f.update(1), 1.0);
  EXPECT_EQ(f.update(2), 1.5);
  EXPECT_EQ(f.update(3), 2.25);
  EXPECT_EQ(f.lookback(), 0);
}

TEST(HandComputed, RsiTwoPeriods) {
  // Changes +1, −1, +1: seed gain (1+0)/2, loss (0+1)/2 -> 50; then gain (0.5+1)/2, loss 0.5/2 -> 75.
  Rsi r(2);
  EXPECT_TRUE(std::isnan(r.update(1)));
  EXPECT_TRUE(std::isnan(r.update(2)));
  EXPECT_DOUBLE_EQ(r.update(1), 50.0);
  EXPECT_DOUBLE_EQ(r.update(2), 75.0);
  Rsi flat(3);
  double v = 0;
  for (int i = 0; i < 5; ++i) v = flat.update(7);
  EXPECT_EQ(v, 0.0);  // TA-Lib: no movement at all gives 0
}

TEST(HandComputed, MacdTaLibAlignment) {
  // Worked with exact fractions: slow EMA3 seeded (1+2+3)/3 at index 2; the fast EMA2 is fed
  // from index 1 (slow − fast) so its seed is (2+3)/2 at index 2; signal EMA2 seeded with the
  // mean of the first two MACD values.
  const Col x = {1, 2, 3, 5, 8, 13};
  Col m(6), s(6), h(6);
  ASSERT_TRUE(macd(x, 2, 3, 2, m, s, h).ok());
  expect_column(m, {kNone, kNone, 0.5, 2.0 / 3, 35.0 / 36, 1.5324074074074074}, 1e-12, "macd");
  expect_column(s, {kNone, kNone, kNone, 0.5833333333333334, 0.8425925925925926, 1.3024691358024691}, 1e-12,
                "signal");
  EXPECT_NEAR(h[5], 1.5324074074074074 - 1.3024691358024691, 1e-12);
  EXPECT_EQ(Macd(12, 26, 9).lookback(), 33);
}

TEST(HandComputed, SupertrendFlipsLikePine) {
  // Worked through the Pine source of ta.supertrend(1, 2) by hand: ATR = RMA(TR, 2) with TR0 =
  // H0 − L0; the first defined bar (1) is bearish; the close of bar 7 crosses the upper band.
  const Col h = {10, 11, 12, 11, 9, 8, 9, 11}, l = {9, 10, 11, 10, 8, 7, 8, 10},
            c = {9.5, 10.5, 11.5, 10, 8.5, 7.5, 8.8, 10.8};
  Col v(8), d(8);
  ASSERT_TRUE(supertrend(h, l, c, 2, 1.0, v, d).ok());
  expect_column(v, {kNone, 11.75, 11.75, 11.75, 10.21875, 9.109375, 9.109375, 8.62265625}, 1e-12, "value");
  expect_column(d, {kNone, -1, -1, -1, -1, -1, -1, 1}, 0, "direction");
}

TEST(HandComputed, ParabolicSarTaLibStateMachine) {
  // Bar 1 has no −DM, so the trade starts long with SAR = L0; the SAR rises by af·(EP − SAR)
  // with af stepping 0.02 per new high, and flips to the extreme point 13 when bar 6 breaks it.
  const Col h = {10, 11, 12, 13, 12, 11, 10, 11, 12}, l = {9, 10, 11, 12, 11, 10, 9, 10, 11};
  Col out(9);
  ASSERT_TRUE(parabolic_sar(h, l, 0.02, 0.2, out).ok());
  expect_column(out, {kNone, 9, 9.04, 9.1584, 9.388896, 9.60556224, 13, 12.92, 12.8416}, 1e-12, "psar");
}

TEST(HandComputed, PivotLevels) {
  PivotPoints classic(PivotMethod::kClassic);
  const PivotValue v = classic.compute(110, 90, 100);
  EXPECT_DOUBLE_EQ(v.pp, 100);
  EXPECT_DOUBLE_EQ(v.r1, 110);
  EXPECT_DOUBLE_EQ(v.s1, 90);
  EXPECT_DOUBLE_EQ(v.r2, 120);
  EXPECT_DOUBLE_EQ(v.s2, 80);
  EXPECT_DOUBLE_EQ(v.r3, 130);
  EXPECT_DOUBLE_EQ(v.s3, 70);
  const PivotValue f = PivotPoints(PivotMethod::kFibonacci).compute(110, 90, 100);
  EXPECT_NEAR(f.r1, 107.64, 1e-12);
  const PivotValue w = PivotPoints(PivotMethod::kWoodie).compute(110, 90, 104);
  EXPECT_DOUBLE_EQ(w.pp, 102);
  const PivotValue cam = PivotPoints(PivotMethod::kCamarilla).compute(110, 90, 100);
  EXPECT_NEAR(cam.r3, 105.5, 1e-12);
  EXPECT_TRUE(std::isnan(classic.update(1, 1, 1).pp));  // uses the previous bar
}

TEST(HandComputed, DonchianAndWilliamsOnAFlatRange) {
  Donchian d(3);
  WilliamsR w(3);
  Stochastic s(3, 1, 1);
  for (int i = 0; i < 5; ++i) {
    const ChannelValue c = d.update(5, 5);
    if (i >= 2) {
      EXPECT_EQ(c.upper, 5);
      EXPECT_EQ(c.middle, 5);
      EXPECT_EQ(w.update(5, 5, 5), 0.0);
      EXPECT_EQ(s.update(5, 5, 5).fast_k, 0.0);
    } else {
      (void)w.update(5, 5, 5);
      (void)s.update(5, 5, 5);
    }
  }
}

TEST(HandComputed, LinearRegressionOfALine) {
  LinearRegression lr(4);
  LinRegValue v;
  for (int i = 0; i < 10; ++i) v = lr.update(3.0 + 2.0 * i);
  EXPECT_NEAR(v.slope, 2, 1e-12);
  EXPECT_NEAR(v.value, 21, 1e-12);
  EXPECT_NEAR(v.intercept, 15, 1e-12);
  EXPECT_NEAR(v.forecast, 23, 1e-12);
  EXPECT_NEAR(v.angle, std::atan(2.0) * 180 / std::numbers::pi, 1e-12);
  EXPECT_EQ(v.zscore, 0.0);
  // Residuals 0, 0, 0, +1 around ... : window {0, 1, 2, 4}: slope 1.3, mean 1.75.
  LinearRegression k(4);
  for (double y : {0.0, 1.0, 2.0}) (void)k.update(y);
  v = k.update(4);
  EXPECT_NEAR(v.slope, 1.3, 1e-12);
  EXPECT_NEAR(v.value, 1.75 + 1.3 * 1.5, 1e-12);
  const double e[4] = {0 - (1.75 - 1.95), 1 - (1.75 - 0.65), 2 - (1.75 + 0.65), 4 - (1.75 + 1.95)};
  double sse = 0;
  for (double r : e) sse += r * r;
  EXPECT_NEAR(v.zscore, e[3] / std::sqrt(sse / 4), 1e-12);
}

TEST(Conventions, TaLibLookbacks) {
  EXPECT_EQ(Sma(20).lookback(), 19);
  EXPECT_EQ(Ema(20).lookback(), 19);
  EXPECT_EQ(Rsi(14).lookback(), 14);
  EXPECT_EQ(Atr(14).lookback(), 14);
  EXPECT_EQ(Atr(14, AtrSeed::kTradingView).lookback(), 13);
  EXPECT_EQ(BollingerBands(20, 2).lookback(), 19);
  EXPECT_EQ(Stochastic(14, 3, 3).lookback(), 17);
  EXPECT_EQ(Adx(14).lookback(), 27);
  EXPECT_EQ(Supertrend(10, 3).lookback(), 9);
  EXPECT_EQ(Cci(20).lookback(), 19);
  EXPECT_EQ(WilliamsR(14).lookback(), 13);
  EXPECT_EQ(Mfi(14).lookback(), 14);
  EXPECT_EQ(Dema(10).lookback(), 18);
  EXPECT_EQ(Tema(10).lookback(), 27);
  EXPECT_EQ(Trix(10).lookback(), 28);
  EXPECT_EQ(Kama(30).lookback(), 30);
  EXPECT_EQ(Ichimoku(9, 26, 52, 26).lookback(), 77);
  EXPECT_EQ(Aroon(14).lookback(), 14);
  EXPECT_EQ(UltimateOscillator(7, 14, 28).lookback(), 28);
  EXPECT_EQ(AdOsc(3, 10).lookback(), 9);
}

// The contract classes: ready() turns true exactly at lookback(), reset() starts over.
template <class T, class Step>
void expect_ready_at_lookback(T ind, Step step) {
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i <= ind.lookback(); ++i) {
      EXPECT_FALSE(ind.ready()) << i;
      step(ind, 100.0 + (i % 7));
    }
    EXPECT_TRUE(ind.ready());
    ind.reset();
  }
}

TEST(Conventions, ReadyAtLookbackAndReset) {
  expect_ready_at_lookback(Sma(5), [](Sma& s, double x) { (void)s.update(x); });
  expect_ready_at_lookback(Ema(5), [](Ema& s, double x) { (void)s.update(x); });
  expect_ready_at_lookback(Rsi(5), [](Rsi& s, double x) { (void)s.update(x); });
  expect_ready_at_lookback(Atr(5), [](Atr& s, double x) { (void)s.update(x + 1, x - 1, x); });
  expect_ready_at_lookback(Macd(3, 6, 4), [](Macd& s, double x) { (void)s.update(x); });
  expect_ready_at_lookback(BollingerBands(5, 2), [](BollingerBands& s, double x) { (void)s.update(x); });
  expect_ready_at_lookback(Donchian(5), [](Donchian& s, double x) { (void)s.update(x + 1, x - 1); });
  expect_ready_at_lookback(Supertrend(5, 3), [](Supertrend& s, double x) { (void)s.update(x + 1, x - 1, x); });
  expect_ready_at_lookback(LinearRegression(5), [](LinearRegression& s, double x) { (void)s.update(x); });
}

TEST(Conventions, AdxFirstValues) {
  // DI and DX from index n, ADX from 2n − 1.
  Rng rng(3);
  Adx a(5);
  for (int i = 0; i < 12; ++i) {
    const double base = 100 + rng.normal();
    const AdxValue v = a.update(base + 1, base - 1, base);
    EXPECT_EQ(std::isnan(v.plus_di), i < 5) << i;
    EXPECT_EQ(std::isnan(v.adx), i < 9) << i;
  }
}

TEST(Errors, ConstructorsNameTheIndicatorAndParameter) {
  try {
    Rsi r(0);
    FAIL();
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("rsi: period"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Macd(26, 12, 9), Exception);
  EXPECT_THROW(BollingerBands(20, -1), Exception);
  EXPECT_THROW(Supertrend(-3, 3), Exception);
  EXPECT_THROW(ParabolicSar(0.02, std::nan("")), Exception);
  Col in(10, 1.0), out(9);
  const Status st = sma(in, 3, out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("sma: output size"), std::string::npos) << st.error().message;
  Col out10(10);
  EXPECT_FALSE(sma(in, 0, out10).ok());
  EXPECT_TRUE(sma(in, 50, out10).ok());  // longer than the data: all NaN
  for (double v : out10) EXPECT_TRUE(std::isnan(v));
  Col empty;
  EXPECT_TRUE(rsi(empty, 14, empty).ok());
}

// ---- SMA exactness: 10M prices around 1e5 with cent steps ----
TEST(SmaExactness, TenMillionValuesAroundOneHundredThousand) {
  const std::size_t n = 10'000'000;
  const int period = 20;
  Rng rng(2024);
  std::vector<double> x(n);
  long long cents = 10'000'000;  // 100000.00
  for (std::size_t i = 0; i < n; ++i) {
    cents += static_cast<long long>(rng.below(201)) - 100;  // ±1.00 in cent steps
    cents = std::clamp(cents, 6'600'000LL, 13'000'000LL);   // stay in [66000, 130000]
    x[i] = static_cast<double>(cents) / 100.0;
  }
  std::vector<double> batch(n);
  ASSERT_TRUE(sma(x, period, batch).ok());
  Sma stream(period);
  double worst = 0, naive_worst = 0, naive = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double s = stream.update(x[i]);
    ASSERT_TRUE(s == batch[i] || (std::isnan(s) && std::isnan(batch[i]))) << i;
    naive += x[i] - (i >= static_cast<std::size_t>(period) ? x[i - period] : 0.0);
    if (i + 1 < static_cast<std::size_t>(period)) continue;
    // Every value lies in [2^16, 2^17) and is a multiple of 2^-36, so a long double (64-bit
    // mantissa) sum of 20 of them is exact: this is the exact window mean, rounded once.
    long double exact = 0;
    for (int k = 0; k < period; ++k) exact += x[i - k];
    const long double mean = exact / period;
    worst = std::max(worst, static_cast<double>(std::fabs((s - mean) / mean)));
    naive_worst = std::max(naive_worst, static_cast<double>(std::fabs((naive / period - mean) / mean)));
  }
  EXPECT_LE(worst, 1e-13);
  EXPECT_LE(worst, 2.3e-16);  // in fact correctly rounded to within one ulp
  RecordProperty("worst_relative_error", std::to_string(worst));
  RecordProperty("naive_running_sum_worst_relative_error", std::to_string(naive_worst));
  std::printf("SMA(20) over 10M values: worst relative error %.3g (a plain running sum: %.3g)\n", worst,
              naive_worst);
}

// ---- SMA and WMA stay exact through a millionfold fall in price ----
// 2M bars: a random walk around 1e6, then a geometric fall to about 1 with noise. A running sum
// kept for the whole series (compensated or not) carries the absolute rounding errors made at
// the high prices into the low ones; the old compensated WMA (its weighted sum took the rounded
// window sum every bar) ended with relative errors around 1e-7 here. The anchored sums
// (common.hpp) recompute from the window every anchored_epoch(n) bars.
TEST(SmaExactness, WmaAndSmaThroughAMillionfoldFall) {
  const std::size_t n = 2'000'000;
  Rng rng(77);
  std::vector<double> x(n);
  double p = 1e6;
  for (std::size_t i = 0; i < n; ++i) {
    const double noise = (static_cast<double>(rng.below(2001)) - 1000.0) * 1e-6;
    p *= std::exp(noise - (i >= n / 2 ? 1.4e-5 : 0.0));  // e^(−14) ≈ 1e-6 over the second half
    x[i] = p;
  }
  ASSERT_LT(x.back(), 10.0);
  for (int period : {5, 20, 200}) {
    std::vector<double> s(n), w(n);
    ASSERT_TRUE(sma(x, period, s).ok());
    ASSERT_TRUE(wma(x, period, w).ok());
    double worst_s = 0, worst_w = 0;
    for (std::size_t i = static_cast<std::size_t>(period) - 1; i < n; i += 7) {
      long double sum = 0, wsum = 0;
      for (int k = 0; k < period; ++k) {
        sum += x[i + 1 - period + k];
        wsum += static_cast<long double>(k + 1) * x[i + 1 - period + k];
      }
      const long double mean = sum / period, wmean = wsum / (period * (period + 1) / 2.0L);
      worst_s = std::max(worst_s, static_cast<double>(std::fabs((s[i] - mean) / mean)));
      worst_w = std::max(worst_w, static_cast<double>(std::fabs((w[i] - wmean) / wmean)));
    }
    std::printf("period %d: SMA worst relative error %.3g, WMA %.3g\n", period, worst_s, worst_w);
    EXPECT_LE(worst_s, 1e-14) << period;
    EXPECT_LE(worst_w, 1e-14) << period;
  }
}

}  // namespace
}  // namespace tradeloop::ind
