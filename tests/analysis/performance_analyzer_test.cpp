// Every metric against values computed by hand on small curves (docs/metrics.md formulas).
// The arithmetic behind each literal is in the comment next to it.
#include "tradeloop/analysis/performance_analyzer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis_test_util.hpp"
#include "tradeloop/core/result.hpp"

namespace tradeloop::analysis {
namespace {

using testing::curve;
using testing::kMonday;
using testing::trades_with_pnl;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

MetricSet metrics_of(const std::vector<double>& equity, const std::vector<double>& pnl = {},
                     AnalysisOptions options = {}) {
  const auto c = curve(equity);
  const auto t = trades_with_pnl(pnl);
  return PerformanceAnalyzer(c, t, equity.front(), std::move(options)).calculate_all_metrics();
}

TEST(PerformanceAnalyzer, FlatEquityHasNoReturnNoRiskAndZeroRatios) {
  const MetricSet m = metrics_of({100, 100, 100, 100});
  for (const char* k : {"total_return_pct", "cagr_pct", "net_profit", "max_drawdown_pct", "max_drawdown_amount",
                        "max_drawdown_duration", "max_drawdown_duration_days", "volatility_pct",
                        "downside_deviation_pct", "value_at_risk_95", "conditional_var_95", "ulcer_index",
                        "skewness", "excess_kurtosis", "tail_ratio", "sharpe_ratio", "sortino_ratio",
                        "calmar_ratio", "omega_ratio", "recovery_factor", "drawdown_count", "total_trades",
                        "win_rate_pct", "profit_factor", "expectancy", "kelly_fraction", "sqn",
                        "exposure_time_pct"}) {
    EXPECT_EQ(m.get(k), 0.0) << k;
  }
  EXPECT_DOUBLE_EQ(m.get("probabilistic_sharpe_ratio"), 0.5);  // Phi(0)
  EXPECT_EQ(m.get("final_equity"), 100);
  EXPECT_EQ(m.get("bars"), 4);
  EXPECT_EQ(m.get("periods_per_year"), 252);  // daily bars Mon..Thu: sessions calendar
  EXPECT_TRUE(std::isnan(m.get("alpha_pct")));  // no benchmark
  EXPECT_TRUE(std::isnan(m.get("buy_and_hold_return_pct")));
}

// Equity 100, 110, 99, 121 on four consecutive weekdays: returns 0.1, -0.1, 2/9.
TEST(PerformanceAnalyzer, SmallCurveMatchesHandComputedValues) {
  const MetricSet m = metrics_of({100, 110, 99, 121});
  const double tol = 1e-9;
  EXPECT_NEAR(m.get("total_return_pct"), 21.0, tol);
  EXPECT_NEAR(m.get("net_profit"), 21.0, tol);
  // (121/100)^(365.25/3) - 1, in percent.
  EXPECT_NEAR(m.get("cagr_pct") / 1199827567032.402, 1.0, 1e-9);
  // mean = 0.0740740741, sample sd = 0.1626680834 (ddof 1); x sqrt(252).
  EXPECT_NEAR(m.get("volatility_pct"), 258.2275769190454, 1e-9);
  EXPECT_NEAR(m.get("sharpe_ratio"), 7.228765761341866, 1e-9);
  // downside deviation sqrt(0.01 / 3) over all three returns.
  EXPECT_NEAR(m.get("sortino_ratio"), 20.36700308869265, 1e-9);
  EXPECT_NEAR(m.get("downside_deviation_pct"), 91.65151389911678, 1e-9);
  // Omega: (0.1 + 2/9) / 0.1.
  EXPECT_NEAR(m.get("omega_ratio"), 3.2222222222222223, 1e-12);
  // Sorted returns -0.1, 0.1, 0.2222: h = 2 x 0.05 = 0.1 -> -0.1 + 0.1 x 0.2 = -0.08.
  EXPECT_NEAR(m.get("value_at_risk_95"), -8.0, 1e-12);
  EXPECT_NEAR(m.get("conditional_var_95"), -10.0, 1e-12);  // only -0.1 is <= -0.08
  // q95: h = 1.9 -> 0.1 + 0.9 x (2/9 - 0.1) = 0.21; tail ratio 0.21 / 0.08.
  EXPECT_NEAR(m.get("tail_ratio"), 2.625, 1e-12);
  EXPECT_NEAR(m.get("max_drawdown_pct"), -10.0, 1e-12);  // 99 / 110 - 1
  EXPECT_NEAR(m.get("max_drawdown_amount"), -11.0, 1e-12);
  EXPECT_EQ(m.get("max_drawdown_duration"), 2);  // peak bar 1 -> recovery bar 3
  EXPECT_NEAR(m.get("max_drawdown_duration_days"), 2.0, 1e-12);
  EXPECT_EQ(m.get("drawdown_count"), 1);
  EXPECT_NEAR(m.get("avg_drawdown_pct"), -10.0, 1e-12);
  // Ulcer: sqrt((0 + 0 + 10^2 + 0) / 4) = 5.
  EXPECT_NEAR(m.get("ulcer_index"), 5.0, 1e-12);
  EXPECT_NEAR(m.get("calmar_ratio") / 119982756703.2402, 1.0, 1e-9);
  EXPECT_NEAR(m.get("recovery_factor"), 21.0 / 11.0, 1e-12);
  // Population moments: g1 = m3/m2^1.5, g2 = m4/m2^2 - 3.
  EXPECT_NEAR(m.get("skewness"), -0.28536088051230113, 1e-12);
  EXPECT_NEAR(m.get("excess_kurtosis"), -1.5, 1e-12);
  // PSR = Phi(SR sqrt(n-1) / sqrt(1 - g3 SR + (g4-1)/4 SR^2)), SR per period = 0.45536.
  EXPECT_NEAR(m.get("probabilistic_sharpe_ratio"), 0.7254128863010743, 1e-12);
  EXPECT_NEAR(m.get("duration_days"), 3.0, 1e-12);
}

TEST(PerformanceAnalyzer, RiskFreeRateIsAnnualAndCompoundedPerPeriod) {
  AnalysisOptions o;
  o.risk_free_rate = 0.05;
  o.periods_per_year = 252;
  const MetricSet m = metrics_of({100, 110, 99, 121}, {}, o);
  const double rf = std::pow(1.05, 1.0 / 252) - 1;  // 1.93628e-4 per bar
  const double mean = (0.1 - 0.1 + 22.0 / 99.0) / 3;
  EXPECT_NEAR(m.get("sharpe_ratio"), (mean - rf) / 0.16266808337776115 * std::sqrt(252.0), 1e-9);
  const double down = std::sqrt(std::pow(-0.1 - rf, 2) / 3);
  EXPECT_NEAR(m.get("sortino_ratio"), (mean - rf) / down * std::sqrt(252.0), 1e-9);
}

TEST(PerformanceAnalyzer, DrawdownThatNeverRecoversCountsToTheLastBar) {
  const auto c = curve({100, 120, 90, 100});
  const PerformanceAnalyzer a(c, {}, 100);
  const auto episodes = a.drawdown_episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_FALSE(episodes[0].recovered);
  EXPECT_EQ(episodes[0].peak_index, 1u);
  EXPECT_EQ(episodes[0].trough_index, 2u);
  EXPECT_EQ(episodes[0].end_index, 3u);
  EXPECT_NEAR(episodes[0].depth_pct, -25.0, 1e-12);
  const MetricSet m = a.calculate_all_metrics();
  EXPECT_NEAR(m.get("max_drawdown_pct"), -25.0, 1e-12);
  EXPECT_EQ(m.get("max_drawdown_duration"), 2);
  EXPECT_NEAR(m.get("max_drawdown_duration_days"), 2.0, 1e-12);
  EXPECT_NEAR(m.get("max_drawdown_amount"), -30.0, 1e-12);
  EXPECT_NEAR(m.get("recovery_factor"), 0.0, 1e-12);  // net profit 0
  const auto dd = a.drawdown_pct_series();
  ASSERT_EQ(dd.size(), 4u);
  EXPECT_NEAR(dd[3], (100.0 / 120.0 - 1) * 100, 1e-12);
}

TEST(PerformanceAnalyzer, RecoveryExactlyAtTheOldPeakEndsTheEpisode) {
  const auto c = curve({100, 120, 90, 120, 110, 130});
  const PerformanceAnalyzer a(c, {}, 100);
  const auto episodes = a.drawdown_episodes();
  ASSERT_EQ(episodes.size(), 2u);
  EXPECT_TRUE(episodes[0].recovered);
  EXPECT_EQ(episodes[0].peak_index, 1u);
  EXPECT_EQ(episodes[0].end_index, 3u);  // 120 >= 120: back at the peak
  EXPECT_EQ(episodes[0].duration_bars, 2);
  EXPECT_EQ(episodes[1].peak_index, 3u);  // the recovery bar is the next peak
  EXPECT_EQ(episodes[1].end_index, 5u);
  EXPECT_NEAR(episodes[1].depth_pct, (110.0 / 120.0 - 1) * 100, 1e-12);
  const MetricSet m = a.calculate_all_metrics();
  EXPECT_EQ(m.get("max_drawdown_duration"), 2);
  EXPECT_EQ(m.get("drawdown_count"), 2);
  EXPECT_NEAR(m.get("avg_drawdown_pct"), (-25.0 + (110.0 / 120.0 - 1) * 100) / 2, 1e-12);
}

TEST(PerformanceAnalyzer, OneWinningTrade) {
  const MetricSet m = metrics_of({100, 150}, {50});
  EXPECT_EQ(m.get("total_trades"), 1);
  EXPECT_EQ(m.get("winning_trades"), 1);
  EXPECT_EQ(m.get("win_rate_pct"), 100);
  EXPECT_EQ(m.get("profit_factor"), kInfinity);  // no loss
  EXPECT_EQ(m.get("risk_reward_ratio"), kInfinity);
  EXPECT_EQ(m.get("expectancy"), 50);
  EXPECT_EQ(m.get("total_pnl"), 50);
  EXPECT_EQ(m.get("largest_win"), 50);
  EXPECT_EQ(m.get("largest_loss"), 0);
  EXPECT_EQ(m.get("kelly_fraction"), 1);  // W - (1-W)/R with W = 1
  EXPECT_EQ(m.get("sqn"), 0);             // needs two trades
  EXPECT_EQ(m.get("avg_trade_duration_days"), 1);
  EXPECT_EQ(m.get("max_trade_duration_bars"), 1);
  EXPECT_EQ(m.get("recovery_factor"), kInfinity);  // profit, no drawdown
  EXPECT_EQ(m.get("exposure_time_pct"), 50);  // held at point 0 only: [entry, exit)
}

TEST(PerformanceAnalyzer, AllWinningTrades) {
  const MetricSet m = metrics_of({100, 110, 130, 160}, {10, 20, 30});
  EXPECT_EQ(m.get("win_rate_pct"), 100);
  EXPECT_EQ(m.get("max_consecutive_wins"), 3);
  EXPECT_EQ(m.get("max_consecutive_losses"), 0);
  EXPECT_EQ(m.get("avg_win"), 20);
  EXPECT_EQ(m.get("gross_profit"), 60);
  EXPECT_EQ(m.get("gross_loss"), 0);
  EXPECT_EQ(m.get("profit_factor"), kInfinity);
  EXPECT_NEAR(m.get("sqn"), std::sqrt(3.0) * 20.0 / 10.0, 1e-12);  // sd of 10, 20, 30 is 10
}

TEST(PerformanceAnalyzer, AllLosingTrades) {
  const MetricSet m = metrics_of({100, 90, 70}, {-10, -20});
  EXPECT_EQ(m.get("win_rate_pct"), 0);
  EXPECT_EQ(m.get("profit_factor"), 0);
  EXPECT_EQ(m.get("risk_reward_ratio"), 0);
  EXPECT_EQ(m.get("avg_loss"), -15);
  EXPECT_EQ(m.get("largest_loss"), -20);
  EXPECT_EQ(m.get("max_consecutive_losses"), 2);
  EXPECT_EQ(m.get("kelly_fraction"), -kInfinity);  // W - (1-W)/0
  EXPECT_EQ(m.get("expectancy"), -15);
  EXPECT_NEAR(m.get("recovery_factor"), -1.0, 1e-12);  // -30 / 30
}

// P&L 100, -50, 0, 30, -20: the zero trade is neither win nor loss but counts.
TEST(PerformanceAnalyzer, MixedTradesWithABreakeven) {
  const MetricSet m = metrics_of({100, 200, 150, 150, 180, 160}, {100, -50, 0, 30, -20});
  EXPECT_EQ(m.get("total_trades"), 5);
  EXPECT_EQ(m.get("breakeven_trades"), 1);
  EXPECT_NEAR(m.get("win_rate_pct"), 40.0, 1e-12);
  EXPECT_NEAR(m.get("profit_factor"), 130.0 / 70.0, 1e-12);
  EXPECT_NEAR(m.get("risk_reward_ratio"), 65.0 / 35.0, 1e-12);
  EXPECT_NEAR(m.get("expectancy"), 12.0, 1e-12);
  EXPECT_NEAR(m.get("kelly_fraction"), 0.4 - 0.6 / (65.0 / 35.0), 1e-12);
  EXPECT_EQ(m.get("max_consecutive_wins"), 1);
  EXPECT_EQ(m.get("max_consecutive_losses"), 1);
  // sd of the P&L = sqrt(13080 / 4); SQN = sqrt(5) x 12 / sd.
  EXPECT_NEAR(m.get("sqn"), std::sqrt(5.0) * 12.0 / std::sqrt(3270.0), 1e-12);
  EXPECT_NEAR(m.get("avg_trade_return_pct"), 12.0, 1e-12);
}

TEST(PerformanceAnalyzer, MonthlyAndAnnualReturnsChainFromThePreviousClose) {
  // 2023-12-31, 2024-01-15, 2024-01-31, 2024-02-10, 2025-03-01.
  const Timestamp d = kNanosPerDay;
  std::vector<EquityPoint> c = curve({100, 110, 121, 108.9, 130.68});
  c[0].ts = kMonday - d;
  c[1].ts = kMonday + 14 * d;
  c[2].ts = kMonday + 30 * d;
  c[3].ts = kMonday + 40 * d;
  c[4].ts = from_civil(CivilTime{2025, 3, 1});
  const PerformanceAnalyzer a(c, {}, 100);
  const auto months = a.monthly_returns();
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[0].year, 2023);
  EXPECT_EQ(months[0].month, 12);
  EXPECT_NEAR(months[0].return_pct, 0.0, 1e-12);  // the first point is its own base
  EXPECT_NEAR(months[1].return_pct, 21.0, 1e-12);  // 121 / 100
  EXPECT_NEAR(months[2].return_pct, -10.0, 1e-12);  // 108.9 / 121
  EXPECT_EQ(months[3].year, 2025);
  EXPECT_EQ(months[3].month, 3);
  EXPECT_NEAR(months[3].return_pct, 20.0, 1e-12);  // 130.68 / 108.9
  const auto years = a.annual_returns();
  ASSERT_EQ(years.size(), 3u);
  EXPECT_NEAR(years[1].return_pct, 8.9, 1e-12);  // 108.9 / 100
  EXPECT_NEAR(years[2].return_pct, 20.0, 1e-12);
  const MetricSet m = a.calculate_all_metrics();
  EXPECT_NEAR(m.get("best_month_pct"), 21.0, 1e-12);
  EXPECT_NEAR(m.get("worst_month_pct"), -10.0, 1e-12);
  EXPECT_NEAR(m.get("positive_months_pct"), 50.0, 1e-12);
}

TEST(PerformanceAnalyzer, BenchmarkEqualToTheEquityHasBetaOneAndNoAlpha) {
  const std::vector<double> e = {100, 110, 99, 121, 125};
  AnalysisOptions o;
  ValueSeries b;
  for (const auto& p : curve(e)) {
    b.ts.push_back(p.ts);
    b.values.push_back(p.equity * 3);  // same returns, another scale
  }
  o.benchmark = b;
  const MetricSet m = metrics_of(e, {}, o);
  EXPECT_NEAR(m.get("beta"), 1.0, 1e-12);
  EXPECT_NEAR(m.get("alpha_pct"), 0.0, 1e-9);
  EXPECT_NEAR(m.get("correlation"), 1.0, 1e-12);
  EXPECT_NEAR(m.get("tracking_error_pct"), 0.0, 1e-9);
  EXPECT_NEAR(m.get("buy_and_hold_return_pct"), 25.0, 1e-9);
}

TEST(PerformanceAnalyzer, BenchmarkIsAlignedAsOf) {
  const auto c = curve({100, 101, 102, 103});
  AnalysisOptions o;
  o.benchmark = ValueSeries{{kMonday + kNanosPerDay / 2, kMonday + 2 * kNanosPerDay}, {10, 20}};
  const PerformanceAnalyzer a(c, {}, 100, o);
  const auto b = a.aligned_benchmark();
  ASSERT_EQ(b.size(), 4u);
  EXPECT_TRUE(std::isnan(b[0]));
  EXPECT_EQ(b[1], 10);
  EXPECT_EQ(b[2], 20);
  EXPECT_EQ(b[3], 20);
  EXPECT_NEAR(a.calculate_all_metrics().get("buy_and_hold_return_pct"), 100.0, 1e-12);
}

TEST(PerformanceAnalyzer, PeriodsPerYearComesFromSpacingAndCalendar) {
  auto ppy = [](Duration step, std::size_t n, AssetCalendar cal = AssetCalendar::kAuto) {
    std::vector<double> e(n, 100.0);
    AnalysisOptions o;
    o.calendar = cal;
    return PerformanceAnalyzer(curve(e, step), {}, 100, o).periods_per_year();
  };
  EXPECT_EQ(ppy(kNanosPerDay, 5), 252);                                 // Mon..Fri
  EXPECT_EQ(ppy(kNanosPerDay, 10), 365);                                // has a weekend
  EXPECT_EQ(ppy(kNanosPerMinute, 10000), 365.0 * 1440);                 // 24/7 minutes (a weekend)
  EXPECT_EQ(ppy(kNanosPerMinute, 3000), 252.0 * 1440);                  // Mon..Wed: sessions
  EXPECT_EQ(ppy(kNanosPerHour, 24 * 5, AssetCalendar::kSessions), 252.0 * 24);
  EXPECT_NEAR(ppy(kNanosPerWeek, 10), 365.25 / 7, 1e-12);
  AnalysisOptions o;
  o.periods_per_year = 12;
  EXPECT_EQ(PerformanceAnalyzer(curve({1, 2, 3}), {}, 1, o).periods_per_year(), 12);
}

TEST(PerformanceAnalyzer, ExposureFromPositionValuesWhenPresent) {
  auto c = curve({100, 100, 100, 100});
  c[1].position_value = 50;
  c[2].position_value = -20;
  EXPECT_EQ(PerformanceAnalyzer(c, {}, 100).calculate_all_metrics().get("exposure_time_pct"), 50);
}

TEST(PerformanceAnalyzer, OpenTradesAreCountedApart) {
  auto t = trades_with_pnl({10, 5});
  t[1].is_open = true;
  const auto c = curve({100, 110, 115});
  const MetricSet m = PerformanceAnalyzer(c, t, 100).calculate_all_metrics();
  EXPECT_EQ(m.get("total_trades"), 1);
  EXPECT_EQ(m.get("open_trades"), 1);
  EXPECT_EQ(m.get("total_pnl"), 10);
}

TEST(PerformanceAnalyzer, RollingSharpeMatchesAWindowRecomputation) {
  std::vector<double> e = {100};
  for (int i = 1; i < 60; ++i) e.push_back(e.back() * (1 + 0.01 * std::sin(i * 1.7) + 0.002));
  const PerformanceAnalyzer a(curve(e, kNanosPerDay), {}, 100);
  const auto rs = a.rolling_sharpe(10);
  const auto& r = a.returns();
  ASSERT_EQ(rs.size(), r.size() - 9);
  for (std::size_t k = 0; k < rs.size(); ++k) {
    double mean = 0, var = 0;
    for (std::size_t i = k; i < k + 10; ++i) mean += r[i] / 10;
    for (std::size_t i = k; i < k + 10; ++i) var += (r[i] - mean) * (r[i] - mean) / 9;
    EXPECT_NEAR(rs[k].value, mean / std::sqrt(var) * std::sqrt(a.periods_per_year()), 1e-8) << k;
  }
  EXPECT_EQ(rs.front().ts, a.timestamps()[10]);
}

TEST(PerformanceAnalyzer, BadInputThrowsAMessageNamingThePoint) {
  auto c = curve({100, 101, 102});
  EXPECT_THROW(PerformanceAnalyzer({}, {}, 100), Exception);
  EXPECT_THROW(PerformanceAnalyzer(c, {}, 0), Exception);
  c[1].equity = std::nan("");
  try {
    PerformanceAnalyzer a(c, {}, 100);
    FAIL();
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("equity point 1"), std::string::npos) << e.what();
  }
  c[1].equity = 101;
  c[2].ts = c[1].ts;
  EXPECT_THROW(PerformanceAnalyzer(c, {}, 100), Exception);
  c = curve({100, 101});
  AnalysisOptions o;
  o.risk_free_rate = 2;  // 200 % -- a percent given where a fraction is expected
  EXPECT_THROW(PerformanceAnalyzer(c, {}, 100, o), Exception);
}

TEST(PerformanceAnalyzer, SinglePointCurveIsValid) {
  const MetricSet m = metrics_of({100});
  EXPECT_EQ(m.get("total_return_pct"), 0);
  EXPECT_EQ(m.get("sharpe_ratio"), 0);
  EXPECT_EQ(m.get("bars"), 1);
}

TEST(PerformanceAnalyzer, HasTheGuideKeysAndThirtyPlusMetrics) {
  const MetricSet m = metrics_of({100, 101});
  for (const char* k : {"total_return_pct", "cagr_pct", "expectancy", "total_pnl", "max_drawdown_pct",
                        "max_drawdown_duration", "max_drawdown_duration_days", "volatility_pct",
                        "value_at_risk_95", "conditional_var_95", "sharpe_ratio", "sortino_ratio",
                        "calmar_ratio", "omega_ratio", "win_rate_pct", "profit_factor", "risk_reward_ratio",
                        "recovery_factor"}) {
    EXPECT_TRUE(m.contains(k)) << k;
  }
  EXPECT_GE(m.size(), 30u);
}

}  // namespace
}  // namespace tradeloop::analysis
