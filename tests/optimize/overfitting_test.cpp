// Overfitting statistics against published and hand-computed values.
#include "tradeloop/optimize/overfitting.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tradeloop/core/rng.hpp"

namespace tradeloop::optimize {
namespace {

TEST(Overfitting, NormalQuantileInvertsCdf) {
  for (double p : {1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.5, 0.8, 0.99, 0.999999}) {
    EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-14 + 1e-12 * p);
  }
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.99), 2.326347874040841, 1e-12);
}

// Bailey & López de Prado (2014), "The deflated Sharpe ratio", section "A numerical example":
// annualised SR 2.5 over 5 years of daily returns (T = 1250, 250 days a year), N = 100 trials
// whose annualised Sharpe ratios have variance 0.5, skewness -3, kurtosis 10. The paper reports
// SR0 = 0.1132 (per day) and DSR = 0.9004; both are reproduced to the four published decimals.
TEST(Overfitting, DeflatedSharpeMatchesPaperExample) {
  const double sr = 2.5 / std::sqrt(250.0);
  const double var = 0.5 / 250.0;
  const auto d = deflated_sharpe_ratio(sr, var, 100, 1250, -3, 10);
  EXPECT_NEAR(d.expected_max_sharpe, 0.1132, 5e-5);
  EXPECT_NEAR(d.deflated_sharpe, 0.9004, 5e-5);
}

TEST(Overfitting, ProbabilisticSharpeHandComputed) {
  // Normal returns (skew 0, kurtosis 3), SR = 0.1 over 101 observations vs benchmark 0:
  // z = 0.1 * 10 / sqrt(1 + 0.5 * 0.01) = 0.9975093; Phi(z) = 0.8407413.
  EXPECT_NEAR(probabilistic_sharpe_ratio(0.1, 0, 101, 0, 3), 0.8407413, 1e-6);
  EXPECT_NEAR(probabilistic_sharpe_ratio(0.1, 0.1, 101, 0, 3), 0.5, 1e-12);
  EXPECT_TRUE(std::isnan(probabilistic_sharpe_ratio(0.1, 0, 1, 0, 3)));
  EXPECT_EQ(expected_max_sharpe(0.01, 1), 0.0);
}

TEST(Overfitting, ReturnMoments) {
  const std::vector<double> r = {0.01, -0.02, 0.03, 0.0, 0.015};
  const auto m = return_moments(r);
  EXPECT_NEAR(m.mean, 0.007, 1e-15);
  // deviations 0.003, -0.027, 0.023, -0.007, 0.008: population variance 0.00138 / 5 = 0.000276
  EXPECT_NEAR(m.sd, std::sqrt(0.000276), 1e-15);
  EXPECT_NEAR(m.sharpe, 0.007 / std::sqrt(0.000276), 1e-12);
  const auto eq = simple_returns(std::vector<double>{100, 110, 99});
  ASSERT_EQ(eq.size(), 2u);
  EXPECT_NEAR(eq[0], 0.1, 1e-15);
  EXPECT_NEAR(eq[1], -0.1, 1e-15);
}

TEST(Overfitting, PboOfPureNoiseIsAroundHalf) {
  // N configurations of i.i.d. noise: the IS winner's OOS rank is uniform, so PBO is 0.5 in
  // expectation (Bailey et al. 2015, section 3). One data set gives a noisy estimate (the
  // combinations share data), so average over 40 data sets.
  Rng rng(11);
  double sum = 0;
  for (int rep = 0; rep < 40; ++rep) {
    std::vector<std::vector<double>> m(160, std::vector<double>(20));
    for (auto& row : m)
      for (auto& v : row) v = rng.normal(0, 0.01);
    auto r = probability_of_backtest_overfitting(m, 8);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->n_combinations, 70u);  // C(8, 4)
    sum += r->pbo;
  }
  EXPECT_NEAR(sum / 40, 0.5, 0.1);
}

TEST(Overfitting, PboOfARealEdgeIsZero) {
  // Configuration 0 has a strong persistent edge: it wins IS and OOS in every combination.
  Rng rng(12);
  std::vector<std::vector<double>> m(600, std::vector<double>(20));
  for (auto& row : m) {
    for (auto& v : row) v = rng.normal(0, 0.01);
    row[0] += 0.01;
  }
  auto r = probability_of_backtest_overfitting(m, 8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->n_combinations, 70u);
  EXPECT_EQ(r->pbo, 0.0);
  // Best OOS rank is N / (N + 1) = 20/21: logit ln(20).
  for (double l : r->logits) EXPECT_NEAR(l, std::log(20.0), 1e-12);
}

TEST(Overfitting, PboHandComputedTinyCase) {
  // 4 periods, 2 configurations, S = 2 blocks of 2 rows.
  // Block A rows (0.02, 0.01), (0.04, 0.00): config 0 SR 0.03/0.01 = 3, config 1 SR 0.005/0.005 = 1.
  // Block B rows (0.00, 0.03), (-0.01, 0.01): config 0 SR -1, config 1 SR 0.02/0.01 = 2.
  // IS = A picks config 0, which is last in B; IS = B picks config 1, last in A. Rank 1 of 2:
  // w = 1/3, logit ln(1/2) < 0 in both combinations, PBO = 1.
  const std::vector<std::vector<double>> m = {{0.02, 0.01}, {0.04, 0.00}, {0.00, 0.03}, {-0.01, 0.01}};
  auto r = probability_of_backtest_overfitting(m, 2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->n_combinations, 2u);
  EXPECT_EQ(r->pbo, 1.0);
  EXPECT_NEAR(r->logits[0], std::log(0.5), 1e-12);
  EXPECT_NEAR(r->logits[1], std::log(0.5), 1e-12);
  EXPECT_NEAR(r->is_performance[0], 3.0, 1e-9);
  EXPECT_NEAR(r->oos_performance[0], -1.0, 1e-9);
  EXPECT_EQ(r->prob_oos_loss, 0.5);  // config 1 in A is positive
}

TEST(Overfitting, PboRejectsBadShapes) {
  EXPECT_FALSE(probability_of_backtest_overfitting({{1.0, 2.0}}, 2).ok());
  EXPECT_FALSE(probability_of_backtest_overfitting({{1.0}, {2.0}}, 2).ok());
  EXPECT_FALSE(probability_of_backtest_overfitting({{1.0, 2.0}, {1.0, 2.0}, {1.0, 2.0}}, 3).ok());
}

TEST(Overfitting, Stability) {
  EXPECT_EQ(numeric_stability(std::vector<double>{20, 20, 20}, 5, 50), 1.0);
  // Values spread like a uniform draw over the range -> 0.
  EXPECT_NEAR(numeric_stability(std::vector<double>{0, 100}, 0, 100), 0.0, 1e-12);  // sd 50 > 28.9
  EXPECT_NEAR(numeric_stability(std::vector<double>{40, 60}, 0, 100), 1 - 10 / (100 / std::sqrt(12.0)), 1e-12);
  EXPECT_EQ(categorical_stability({"a", "a", "a"}, 3), 1.0);
  EXPECT_NEAR(categorical_stability({"a", "b", "c"}, 3), 0.0, 1e-12);
  EXPECT_NEAR(performance_degradation_pct(std::vector<double>{2, 2}, std::vector<double>{1, 0.5}), 62.5, 1e-12);
}

TEST(Overfitting, DetectorVerdicts) {
  OverfittingDetector d;
  OverfittingInputs good;
  good.is_values = {1.5, 1.4};
  good.oos_values = {1.2, 1.1};
  good.parameter_stability = 0.9;
  good.pbo = 0.1;
  auto r = d.analyze(good);
  EXPECT_EQ(r.overfitting_risk, OverfittingRisk::kLow);
  EXPECT_TRUE(r.warnings.empty());

  OverfittingInputs bad = good;
  bad.oos_values = {0.2, -0.5};
  bad.parameter_stability = 0.2;
  r = d.analyze(bad);
  EXPECT_EQ(r.overfitting_risk, OverfittingRisk::kHigh);
  EXPECT_GE(r.warnings.size(), 2u);
  EXPECT_NE(r.verdict.find("High overfitting risk"), std::string::npos);

  OverfittingInputs one = good;
  one.pbo = 0.3;
  EXPECT_EQ(d.analyze(one).overfitting_risk, OverfittingRisk::kModerate);
  EXPECT_EQ(d.analyze({}).overfitting_risk, OverfittingRisk::kUnknown);
}

}  // namespace
}  // namespace tradeloop::optimize
