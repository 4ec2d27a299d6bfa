#include "tradeloop/optimize/overfitting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>

namespace tradeloop::optimize {

double normal_pdf(double z) noexcept { return std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi); }
double normal_cdf(double z) noexcept { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double normal_quantile(double p) noexcept {
  if (!(p > 0)) return -std::numeric_limits<double>::infinity();
  if (!(p < 1)) return std::numeric_limits<double>::infinity();
  // Acklam (2003), "An algorithm for computing the inverse normal cumulative distribution function".
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01,  -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - kLow) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step on Phi(x) - p brings the 1.15e-9 relative error down to machine precision.
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

ReturnMoments return_moments(std::span<const double> r) {
  ReturnMoments m;
  m.n = r.size();
  if (r.empty()) return m;
  const double n = static_cast<double>(r.size());
  m.mean = std::accumulate(r.begin(), r.end(), 0.0) / n;
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : r) {
    const double d = v - m.mean, d2 = d * d;
    m2 += d2, m3 += d2 * d, m4 += d2 * d2;
  }
  m2 /= n, m3 /= n, m4 /= n;
  m.sd = std::sqrt(m2);
  if (m2 > 0) {
    m.sharpe = m.mean / m.sd;
    m.skewness = m3 / (m2 * m.sd);
    m.kurtosis = m4 / (m2 * m2);
  }
  return m;
}

std::vector<double> simple_returns(std::span<const double> equity) {
  std::vector<double> r;
  if (equity.size() < 2) return r;
  r.reserve(equity.size() - 1);
  for (std::size_t i = 1; i < equity.size(); ++i)
    r.push_back(equity[i - 1] != 0 ? equity[i] / equity[i - 1] - 1 : 0.0);
  return r;
}

double probabilistic_sharpe_ratio(double sr, double sr_star, double n_obs, double skew, double kurt) noexcept {
  const double denom = 1 - skew * sr + (kurt - 1) / 4 * sr * sr;
  if (n_obs < 2 || !(denom > 0)) return std::numeric_limits<double>::quiet_NaN();
  return normal_cdf((sr - sr_star) * std::sqrt(n_obs - 1) / std::sqrt(denom));
}

double expected_max_sharpe(double variance, double n_trials) noexcept {
  if (n_trials <= 1 || !(variance > 0)) return 0.0;
  constexpr double kEulerGamma = 0.57721566490153286061;
  return std::sqrt(variance) * ((1 - kEulerGamma) * normal_quantile(1 - 1 / n_trials) +
                                kEulerGamma * normal_quantile(1 - 1 / (n_trials * std::numbers::e)));
}

DeflatedSharpe deflated_sharpe_ratio(double sr, double variance, double n_trials, double n_obs, double skew,
                                     double kurt) noexcept {
  DeflatedSharpe d;
  d.expected_max_sharpe = expected_max_sharpe(variance, n_trials);
  d.deflated_sharpe = probabilistic_sharpe_ratio(sr, d.expected_max_sharpe, n_obs, skew, kurt);
  return d;
}

namespace {

// Sharpe ratio (mean / population sd) of one configuration over a set of blocks, from the
// blocks' sums, sums of squares and sizes: O(S) per configuration and combination instead of O(T).
double sharpe_of_blocks(const std::vector<double>& sum, const std::vector<double>& sumsq,
                        const std::vector<double>& count, const std::vector<std::size_t>& blocks,
                        std::size_t n_cfg, std::size_t col) {
  double s = 0, s2 = 0, n = 0;
  for (auto b : blocks) {
    s += sum[b * n_cfg + col];
    s2 += sumsq[b * n_cfg + col];
    n += count[b];
  }
  const double mean = s / n;
  double var = s2 / n - mean * mean;
  if (var <= 1e-14 * mean * mean) var = 0;  // constant returns, up to rounding
  if (var > 0) return mean / std::sqrt(var);
  return mean > 0 ? 1e9 : (mean < 0 ? -1e9 : 0.0);  // riskless: rank by sign of the mean
}

}  // namespace

Result<PboResult> probability_of_backtest_overfitting(const std::vector<std::vector<double>>& returns,
                                                      std::size_t s) {
  const std::size_t t_rows = returns.size();
  if (s < 2 || s % 2 != 0) return invalid_argument("PBO: the number of blocks must be even and >= 2");
  if (s > 24) return invalid_argument("PBO: at most 24 blocks (C(24,12) = 2.7 million combinations)");
  if (t_rows < s) return invalid_argument("PBO: fewer periods (" + std::to_string(t_rows) + ") than blocks");
  const std::size_t n = returns[0].size();
  if (n < 2) return invalid_argument("PBO: needs at least 2 configurations");
  for (const auto& row : returns)
    if (row.size() != n) return invalid_argument("PBO: every period needs the same number of configurations");

  // Row blocks of (almost) equal size (the remainder goes to the first blocks), summarised once.
  std::vector<double> sum(s * n, 0.0), sumsq(s * n, 0.0), count(s, 0.0);
  for (std::size_t b = 0, t = 0; b < s; ++b) {
    const std::size_t len = t_rows / s + (b < t_rows % s ? 1 : 0);
    count[b] = static_cast<double>(len);
    for (std::size_t k = 0; k < len; ++k, ++t)
      for (std::size_t c = 0; c < n; ++c) {
        sum[b * n + c] += returns[t][c];
        sumsq[b * n + c] += returns[t][c] * returns[t][c];
      }
  }
  PboResult out;
  std::vector<bool> pick(s, false);
  std::fill(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(s / 2), true);
  std::size_t below = 0, loss = 0;
  std::vector<std::size_t> is_blocks, oos_blocks;
  std::vector<double> oos(n);
  do {  // every combination of S/2 in-sample blocks (prev_permutation walks them all once)
    is_blocks.clear();
    oos_blocks.clear();
    for (std::size_t b = 0; b < s; ++b) (pick[b] ? is_blocks : oos_blocks).push_back(b);
    std::size_t best = 0;
    double best_is = -std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < n; ++c) {
      const double v = sharpe_of_blocks(sum, sumsq, count, is_blocks, n, c);
      if (v > best_is) best_is = v, best = c;
      oos[c] = sharpe_of_blocks(sum, sumsq, count, oos_blocks, n, c);
    }
    // Relative rank in (0, 1): rank among N (1 = worst) over N + 1 (paper, section 2.2 step e).
    double rank = 1;
    for (std::size_t c = 0; c < n; ++c)
      if (c != best && oos[c] < oos[best]) rank += 1;
    const double w = rank / static_cast<double>(n + 1);
    const double logit = std::log(w / (1 - w));
    out.logits.push_back(logit);
    out.is_performance.push_back(best_is);
    out.oos_performance.push_back(oos[best]);
    if (logit <= 0) ++below;
    if (oos[best] < 0) ++loss;
  } while (std::prev_permutation(pick.begin(), pick.end()));
  out.n_combinations = out.logits.size();
  out.pbo = static_cast<double>(below) / static_cast<double>(out.n_combinations);
  out.prob_oos_loss = static_cast<double>(loss) / static_cast<double>(out.n_combinations);
  return out;
}

double numeric_stability(std::span<const double> chosen, double low, double high) noexcept {
  if (chosen.size() < 2 || !(high > low)) return 1.0;
  const double mean = std::accumulate(chosen.begin(), chosen.end(), 0.0) / static_cast<double>(chosen.size());
  double ss = 0;
  for (double v : chosen) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / static_cast<double>(chosen.size()));
  return std::clamp(1 - sd / ((high - low) / std::sqrt(12.0)), 0.0, 1.0);
}

double categorical_stability(const std::vector<std::string>& chosen, std::size_t k) noexcept {
  if (chosen.size() < 2 || k < 2) return 1.0;
  std::map<std::string, std::size_t> counts;
  std::size_t mode = 0;
  for (const auto& c : chosen) mode = std::max(mode, ++counts[c]);
  const double share = static_cast<double>(mode) / static_cast<double>(chosen.size());
  const double chance = 1.0 / static_cast<double>(k);
  return std::clamp((share - chance) / (1 - chance), 0.0, 1.0);
}

double performance_degradation_pct(std::span<const double> is, std::span<const double> oos) noexcept {
  if (is.empty() || oos.empty()) return 0;
  const double mi = std::accumulate(is.begin(), is.end(), 0.0) / static_cast<double>(is.size());
  const double mo = std::accumulate(oos.begin(), oos.end(), 0.0) / static_cast<double>(oos.size());
  if (mi == 0) return 0;
  return (mi - mo) / std::abs(mi) * 100;
}

const char* to_string(OverfittingRisk r) noexcept {
  switch (r) {
    case OverfittingRisk::kLow: return "low";
    case OverfittingRisk::kModerate: return "moderate";
    case OverfittingRisk::kHigh: return "high";
    case OverfittingRisk::kUnknown: return "unknown";
  }
  return "?";
}

namespace {
std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %%", v);
  return buf;
}
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}
}  // namespace

OverfittingReport OverfittingDetector::analyze(const OverfittingInputs& in) const {
  OverfittingReport r;
  r.parameter_stability = in.parameter_stability;
  r.neighbourhood_ratio = in.neighbourhood_ratio;
  r.pbo = in.pbo;
  r.deflated_sharpe = in.deflated_sharpe;
  r.probabilistic_sharpe = in.probabilistic_sharpe;
  int checks = 0, failed = 0;
  bool severe = false;
  if (!in.is_values.empty() && !in.oos_values.empty()) {
    ++checks;
    r.performance_degradation = performance_degradation_pct(in.is_values, in.oos_values);
    if (r.performance_degradation > 50) {
      ++failed;
      r.warnings.push_back("out-of-sample performance is " + pct(r.performance_degradation) +
                           " worse than in-sample (more than half of the in-sample result is lost)");
    }
    const double mo = std::accumulate(in.oos_values.begin(), in.oos_values.end(), 0.0) /
                      static_cast<double>(in.oos_values.size());
    const double mi = std::accumulate(in.is_values.begin(), in.is_values.end(), 0.0) /
                      static_cast<double>(in.is_values.size());
    if (mo <= 0 && mi > 0) {
      ++failed;
      r.warnings.push_back("the objective is not positive out of sample (mean " + num(mo) + ")");
    }
  }
  if (in.parameter_stability >= 0) {
    ++checks;
    if (in.parameter_stability < 0.5) {
      ++failed;
      r.warnings.push_back("the chosen parameters change a lot from split to split (stability " +
                           num(in.parameter_stability) + ")");
    }
  }
  if (in.neighbourhood_ratio >= 0) {
    ++checks;
    if (in.neighbourhood_ratio < 0.5) {
      ++failed;
      r.warnings.push_back("the optimum is an isolated peak: its neighbours reach only " +
                           num(in.neighbourhood_ratio) + " of its value");
    }
  }
  if (in.pbo >= 0) {
    ++checks;
    if (in.pbo > 0.5) {
      ++failed;
      severe = true;
      r.warnings.push_back("probability of backtest overfitting is " + num(in.pbo) +
                           ": the in-sample best is more likely than not below median out of sample");
    } else if (in.pbo > 0.25) {
      ++failed;
      r.warnings.push_back("probability of backtest overfitting is " + num(in.pbo));
    }
  }
  if (in.deflated_sharpe >= 0) {
    ++checks;
    if (in.deflated_sharpe < 0.95) {
      ++failed;
      r.warnings.push_back("after correcting for the number of trials the Sharpe ratio is not significant "
                           "(deflated Sharpe " + num(in.deflated_sharpe) + " < 0.95)");
    }
  }
  if (checks == 0) {
    r.overfitting_risk = OverfittingRisk::kUnknown;
    r.verdict = "Not enough information to judge overfitting: run a walk-forward or give the optimisation results.";
    return r;
  }
  r.overfitting_risk = severe || failed >= 2 ? OverfittingRisk::kHigh
                       : failed == 1         ? OverfittingRisk::kModerate
                                             : OverfittingRisk::kLow;
  switch (r.overfitting_risk) {
    case OverfittingRisk::kLow:
      r.verdict = "Low overfitting risk: all " + std::to_string(checks) +
                  " checks passed; the result held up out of sample.";
      break;
    case OverfittingRisk::kModerate:
      r.verdict = "Moderate overfitting risk: " + r.warnings.front() +
                  ". Treat the optimum with caution and prefer a simpler or more stable setting.";
      break;
    default:
      r.verdict = "High overfitting risk: " + std::to_string(failed) + " of " + std::to_string(checks) +
                  " checks failed. Do not trust the optimised parameters; reduce the number of parameters "
                  "or trials, or use more data.";
  }
  return r;
}

}  // namespace tradeloop::optimize
