// Overfitting statistics and the `OverfittingDetector` verdict.
//
// Sharpe ratios here are per observation (not annualised) unless a name says otherwise;
// kurtosis is the plain (non-excess) kurtosis, 3 for a normal distribution.
//
//  * Probabilistic Sharpe ratio (Bailey & López de Prado 2012, "The Sharpe ratio efficient
//    frontier", eq. 11): PSR(SR*) = Phi( (SR - SR*) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2) ).
//  * Expected maximum Sharpe ratio of N independent zero-skill trials with cross-trial variance
//    V (Bailey & López de Prado 2014, "The deflated Sharpe ratio", eq. 2; gamma = Euler-Mascheroni):
//    SR0 = sqrt(V) ((1 - gamma) Phi^-1(1 - 1/N) + gamma Phi^-1(1 - 1/(N e))).
//  * Deflated Sharpe ratio (same paper, eq. 3): DSR = PSR(SR0).
//  * Probability of backtest overfitting by combinatorially symmetric cross-validation
//    (Bailey, Borwein, López de Prado & Zhu 2015, "The probability of backtest overfitting",
//    J. Computational Finance 20(4), section 2): split the T x N performance matrix into S row
//    blocks; for every choice of S/2 blocks as in-sample, pick the best configuration in-sample,
//    find its relative rank w in the complementary out-of-sample blocks, logit = ln(w / (1 - w));
//    PBO = share of logits <= 0.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "tradeloop/core/result.hpp"

namespace tradeloop::optimize {

double normal_pdf(double z) noexcept;
double normal_cdf(double z) noexcept;
// Inverse of normal_cdf (Acklam's rational approximation refined by one Halley step, |error|
// < 1e-15 in the tails used here); p outside (0, 1) gives -inf / +inf.
double normal_quantile(double p) noexcept;

// Moments of a sample of returns (population moments, as in the papers).
struct ReturnMoments {
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;          // population standard deviation
  double sharpe = 0;      // mean / sd, per observation (0 when sd == 0)
  double skewness = 0;
  double kurtosis = 3;    // non-excess
};
ReturnMoments return_moments(std::span<const double> returns);
// Simple returns r_t = e_t / e_{t-1} - 1 of an equity series.
std::vector<double> simple_returns(std::span<const double> equity);

double probabilistic_sharpe_ratio(double sharpe, double benchmark_sharpe, double n_obs, double skewness,
                                  double kurtosis) noexcept;
double expected_max_sharpe(double sharpe_variance, double n_trials) noexcept;
struct DeflatedSharpe {
  double expected_max_sharpe = 0;  // SR0, per observation
  double deflated_sharpe = 0;      // probability in [0, 1]
};
DeflatedSharpe deflated_sharpe_ratio(double sharpe, double sharpe_variance, double n_trials, double n_obs,
                                     double skewness, double kurtosis) noexcept;

struct PboResult {
  double pbo = 0;                 // probability of backtest overfitting, [0, 1]
  std::vector<double> logits;     // one per combination
  std::size_t n_combinations = 0;
  // OOS performance of the IS-best vs its IS performance, one pair per combination
  // (the "performance degradation" scatter of the paper, figure 3).
  std::vector<double> is_performance, oos_performance;
  double prob_oos_loss = 0;       // share of combinations whose IS-best has OOS performance < 0
};
// `returns[t][n]` = return of configuration n in period t (T rows, N >= 2 columns, every row the
// same length). Performance of a block set is the Sharpe ratio (mean / sd) of the concatenated
// rows. S must be even, >= 2 and <= T. kInvalidArgument on bad shapes.
Result<PboResult> probability_of_backtest_overfitting(const std::vector<std::vector<double>>& returns,
                                                      std::size_t n_blocks = 16);

// Parameter stability in [0, 1] of the chosen values of one numeric parameter across splits:
// 1 - sd / (range / sqrt(12)) clamped to [0, 1] -- 1 = the same value every split, 0 = as
// scattered as values drawn uniformly from the searched range.
double numeric_stability(std::span<const double> chosen, double low, double high) noexcept;
// Categorical version: (share of the most frequent choice - 1/k) / (1 - 1/k), k choices.
double categorical_stability(const std::vector<std::string>& chosen, std::size_t n_choices) noexcept;

// IS-vs-OOS degradation in percent: (mean IS - mean OOS) / |mean IS| * 100 (positive = worse
// out of sample; 0 when mean IS is 0).
double performance_degradation_pct(std::span<const double> in_sample, std::span<const double> out_of_sample) noexcept;

enum class OverfittingRisk { kLow, kModerate, kHigh, kUnknown };
const char* to_string(OverfittingRisk r) noexcept;

// What the detector looks at; any field left NaN is "not available" and not used.
struct OverfittingInputs {
  std::vector<double> is_values, oos_values;  // objective per walk-forward split
  double parameter_stability = -1;            // [0, 1], < 0 = not available
  double neighbourhood_ratio = -1;            // mean neighbour objective / best, < 0 = n/a
  double pbo = -1;                            // [0, 1], < 0 = n/a
  double deflated_sharpe = -1;                // [0, 1], < 0 = n/a
  double probabilistic_sharpe = -1;           // [0, 1], < 0 = n/a
};

struct OverfittingReport {
  double performance_degradation = 0;  // percent, see performance_degradation_pct
  double parameter_stability = -1;
  double neighbourhood_ratio = -1;
  double pbo = -1;
  double deflated_sharpe = -1;
  double probabilistic_sharpe = -1;
  OverfittingRisk overfitting_risk = OverfittingRisk::kUnknown;
  std::vector<std::string> warnings;  // one sentence per failed check
  std::string verdict;                // plain-language summary
};

// Thresholds (documented in docs/optimize.md): degradation > 50 % (the user guide's rule of
// thumb: OOS < half of IS), stability < 0.5, neighbourhood ratio < 0.5, PBO > 0.5 (high) or
// > 0.25, DSR < 0.95, OOS mean <= 0. Two or more failed checks (or PBO > 0.5) = high risk, one =
// moderate, none = low; no usable input = unknown.
class OverfittingDetector {
 public:
  OverfittingReport analyze(const OverfittingInputs& in) const;
};

}  // namespace tradeloop::optimize
