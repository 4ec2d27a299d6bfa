// Private to the optimize layer: a Gaussian-process regressor for Bayesian optimisation.
//
// Kernel: ARD Matérn 5/2 (Rasmussen & Williams 2006, eq. 4.17)
//   k(x, x') = s^2 (1 + sqrt(5) r + 5 r^2 / 3) exp(-sqrt(5) r),  r^2 = sum_k ((x_k - x'_k) / l_k)^2
// plus white noise n^2 on the diagonal. Targets are standardised (zero mean, unit variance)
// before fitting. Hyper-parameters (log l_k, log s, log n) maximise the log marginal likelihood
// (R&W eq. 2.30) with Nelder-Mead (Nelder & Mead 1965) from a warm start and, when asked, from
// a few seeded extra starts, all inside fixed bounds. Eigen stays in the .cpp (pimpl).
#pragma once

#include <memory>
#include <vector>

#include "tradeloop/core/rng.hpp"

namespace tradeloop::optimize::detail_gp {

struct GpHyper {
  std::vector<double> log_lengthscale;  // one per input dimension
  double log_signal = 0;
  double log_noise = -3;
};

class GaussianProcess {
 public:
  GaussianProcess();
  ~GaussianProcess();
  GaussianProcess(const GaussianProcess&) = delete;
  GaussianProcess& operator=(const GaussianProcess&) = delete;

  // x: n points of dimension d (unit cube); y: n targets. `warm` (if given, same d) is the
  // first start; `extra_starts` more starts are drawn from `rng`. `max_evals` bounds the
  // likelihood evaluations per start.
  void fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y, const GpHyper* warm,
           int extra_starts, int max_evals, Rng& rng);
  // Adds an observation with the current hyper-parameters and target scaling (Kriging believer).
  void add_observation(const std::vector<double>& x, double y);
  // Posterior mean and standard deviation (original target units) at each point.
  void predict(const std::vector<std::vector<double>>& xs, std::vector<double>& mean,
               std::vector<double>& sd) const;
  const GpHyper& hyper() const noexcept;
  double log_marginal_likelihood() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Expected improvement of N(mean, sd^2) over `best` for maximisation, with margin xi
// (Jones, Schonlau & Welch 1998, eq. 15).
double expected_improvement(double mean, double sd, double best, double xi) noexcept;

}  // namespace tradeloop::optimize::detail_gp
