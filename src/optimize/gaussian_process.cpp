#include "gaussian_process.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

#include "tradeloop/optimize/overfitting.hpp"

namespace tradeloop::optimize::detail_gp {

namespace {

// Bounds of the log hyper-parameters: inputs live in the unit cube and targets are standardised,
// so these cover everything from a near-constant to a very rough objective.
constexpr double kLogLenLo = -4.0, kLogLenHi = 2.5;     // l in [0.018, 12]
constexpr double kLogSigLo = -3.0, kLogSigHi = 3.0;     // s in [0.05, 20]
constexpr double kLogNoiseLo = -9.0, kLogNoiseHi = 0.0;  // n in [1.2e-4, 1]
constexpr double kJitter = 1e-9;

// Minimises f with the Nelder-Mead simplex (Nelder & Mead 1965; standard coefficients
// reflection 1, expansion 2, contraction 0.5, shrink 0.5), at most `max_evals` calls.
std::vector<double> nelder_mead(const std::function<double(const std::vector<double>&)>& f,
                                std::vector<double> x0, double step, int max_evals, double& fbest) {
  const std::size_t n = x0.size();
  std::vector<std::vector<double>> s(n + 1, x0);
  std::vector<double> fv(n + 1);
  for (std::size_t i = 0; i < n; ++i) s[i + 1][i] += step;
  int evals = 0;
  for (std::size_t i = 0; i <= n; ++i) fv[i] = f(s[i]), ++evals;
  std::vector<std::size_t> order(n + 1);
  auto point = [&](const std::vector<double>& c, const std::vector<double>& w, double t) {
    std::vector<double> p(n);
    for (std::size_t k = 0; k < n; ++k) p[k] = c[k] + t * (w[k] - c[k]);
    return p;
  };
  while (evals < max_evals) {
    for (std::size_t i = 0; i <= n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fv[a] < fv[b]; });
    const std::size_t best = order[0], worst = order[n], second = order[n - 1];
    if (std::abs(fv[worst] - fv[best]) < 1e-7 * (1 + std::abs(fv[best]))) break;
    std::vector<double> c(n, 0.0);
    for (std::size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (std::size_t k = 0; k < n; ++k) c[k] += s[i][k] / static_cast<double>(n);
    const auto xr = point(c, s[worst], -1.0);
    const double fr = f(xr);
    ++evals;
    if (fr < fv[best]) {
      const auto xe = point(c, s[worst], -2.0);
      const double fe = f(xe);
      ++evals;
      if (fe < fr) s[worst] = xe, fv[worst] = fe;
      else s[worst] = xr, fv[worst] = fr;
    } else if (fr < fv[second]) {
      s[worst] = xr, fv[worst] = fr;
    } else {
      const bool outside = fr < fv[worst];
      const auto xc = point(c, outside ? xr : s[worst], 0.5);
      const double fc = f(xc);
      ++evals;
      if (fc < std::min(fr, fv[worst])) {
        s[worst] = xc, fv[worst] = fc;
      } else {
        for (std::size_t i = 0; i <= n; ++i) {
          if (i == best) continue;
          s[i] = point(s[best], s[i], 0.5);
          fv[i] = f(s[i]);
          ++evals;
        }
      }
    }
  }
  const auto it = std::min_element(fv.begin(), fv.end());
  fbest = *it;
  return s[static_cast<std::size_t>(it - fv.begin())];
}

double matern52(double r) noexcept {
  const double a = std::sqrt(5.0) * r;
  return (1.0 + a + a * a / 3.0) * std::exp(-a);
}

}  // namespace

struct GaussianProcess::Impl {
  Eigen::MatrixXd x;  // n x d, pre-divided by nothing (lengthscales applied in the kernel)
  Eigen::VectorXd y;  // standardised
  double y_mean = 0, y_sd = 1;
  GpHyper hyper;
  Eigen::LLT<Eigen::MatrixXd> llt;
  Eigen::VectorXd alpha;
  double lml = -std::numeric_limits<double>::infinity();

  static void clamp(GpHyper& h) {
    for (auto& l : h.log_lengthscale) l = std::clamp(l, kLogLenLo, kLogLenHi);
    h.log_signal = std::clamp(h.log_signal, kLogSigLo, kLogSigHi);
    h.log_noise = std::clamp(h.log_noise, kLogNoiseLo, kLogNoiseHi);
  }

  static Eigen::MatrixXd scaled(const Eigen::MatrixXd& m, const GpHyper& h) {
    Eigen::MatrixXd s = m;
    for (Eigen::Index k = 0; k < m.cols(); ++k)
      s.col(k) /= std::exp(h.log_lengthscale[static_cast<std::size_t>(k)]);
    return s;
  }

  // Cross-covariance between rows of a and b, both already divided by the lengthscales.
  static Eigen::MatrixXd cross(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, double s2) {
    const Eigen::VectorXd an = a.rowwise().squaredNorm(), bn = b.rowwise().squaredNorm();
    Eigen::MatrixXd d2 = (-2.0 * a * b.transpose()).colwise() + an;
    d2.rowwise() += bn.transpose();
    return d2.unaryExpr([s2](double v) { return s2 * matern52(std::sqrt(std::max(v, 0.0))); });
  }

  // Factorises K for hyper-parameters h; returns the log marginal likelihood (-inf on failure).
  double factorise(const GpHyper& h) {
    const Eigen::MatrixXd xs = scaled(x, h);
    Eigen::MatrixXd k = cross(xs, xs, std::exp(2 * h.log_signal));
    k.diagonal().array() += std::exp(2 * h.log_noise) + kJitter;
    llt.compute(k);
    if (llt.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
    alpha = llt.solve(y);
    const auto& l = llt.matrixLLT();
    const double logdet = 2.0 * l.diagonal().array().log().sum();
    // R&W eq. 2.30: -1/2 y^T K^-1 y - 1/2 log|K| - n/2 log 2 pi
    return -0.5 * y.dot(alpha) - 0.5 * logdet -
           0.5 * static_cast<double>(y.size()) * std::log(2 * std::numbers::pi);
  }
};

GaussianProcess::GaussianProcess() : impl_(std::make_unique<Impl>()) {}
GaussianProcess::~GaussianProcess() = default;

const GpHyper& GaussianProcess::hyper() const noexcept { return impl_->hyper; }
double GaussianProcess::log_marginal_likelihood() const noexcept { return impl_->lml; }

void GaussianProcess::fit(const std::vector<std::vector<double>>& xv, const std::vector<double>& yv,
                          const GpHyper* warm, int extra_starts, int max_evals, Rng& rng) {
  Impl& m = *impl_;
  const auto n = static_cast<Eigen::Index>(xv.size());
  const auto d = static_cast<Eigen::Index>(xv.empty() ? 0 : xv[0].size());
  m.x.resize(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index k = 0; k < d; ++k) m.x(i, k) = xv[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
  Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(yv.data(), n);
  m.y_mean = y.mean();
  const double var = n > 1 ? (y.array() - m.y_mean).square().sum() / static_cast<double>(n - 1) : 0.0;
  m.y_sd = var > 0 ? std::sqrt(var) : 1.0;
  m.y = (y.array() - m.y_mean) / m.y_sd;

  const std::size_t dims = static_cast<std::size_t>(d);
  auto pack = [&](const GpHyper& h) {
    std::vector<double> p(h.log_lengthscale);
    p.push_back(h.log_signal);
    p.push_back(h.log_noise);
    return p;
  };
  auto unpack = [&](const std::vector<double>& p) {
    GpHyper h;
    h.log_lengthscale.assign(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(dims));
    h.log_signal = p[dims];
    h.log_noise = p[dims + 1];
    return h;
  };
  // Out-of-bounds points are clamped and pay a quadratic penalty, so the simplex stays inside.
  auto objective = [&](const std::vector<double>& p) {
    GpHyper h = unpack(p);
    Impl::clamp(h);
    const auto q = pack(h);
    double penalty = 0;
    for (std::size_t i = 0; i < p.size(); ++i) penalty += (p[i] - q[i]) * (p[i] - q[i]);
    const double lml = m.factorise(h);
    return std::isfinite(lml) ? -lml + 10 * penalty : 1e300;
  };

  std::vector<GpHyper> starts;
  GpHyper def;
  def.log_lengthscale.assign(dims, std::log(0.3));
  def.log_signal = 0;
  def.log_noise = std::log(0.05);
  starts.push_back(warm && warm->log_lengthscale.size() == dims ? *warm : def);
  for (int s = 0; s < extra_starts; ++s) {
    GpHyper h;
    for (std::size_t k = 0; k < dims; ++k) h.log_lengthscale.push_back(rng.uniform(-2.5, 1.0));
    h.log_signal = rng.uniform(-1.0, 1.0);
    h.log_noise = rng.uniform(-7.0, -1.0);
    starts.push_back(h);
  }
  double best_f = std::numeric_limits<double>::infinity();
  GpHyper best = starts[0];
  for (const auto& s : starts) {
    double f = 0;
    auto p = nelder_mead(objective, pack(s), 0.5, max_evals, f);
    if (f < best_f) best_f = f, best = unpack(p);
  }
  Impl::clamp(best);
  m.hyper = best;
  m.lml = m.factorise(best);
  if (!std::isfinite(m.lml)) {  // pathological data: fall back to a noisy default that factorises
    m.hyper = def;
    m.hyper.log_noise = kLogNoiseHi;
    m.lml = m.factorise(m.hyper);
  }
}

void GaussianProcess::add_observation(const std::vector<double>& xv, double yv) {
  Impl& m = *impl_;
  const auto n = m.x.rows();
  m.x.conservativeResize(n + 1, Eigen::NoChange);
  for (Eigen::Index k = 0; k < m.x.cols(); ++k) m.x(n, k) = xv[static_cast<std::size_t>(k)];
  m.y.conservativeResize(n + 1);
  m.y(n) = (yv - m.y_mean) / m.y_sd;
  m.lml = m.factorise(m.hyper);
}

void GaussianProcess::predict(const std::vector<std::vector<double>>& xs, std::vector<double>& mean,
                              std::vector<double>& sd) const {
  const Impl& m = *impl_;
  const auto q = static_cast<Eigen::Index>(xs.size());
  Eigen::MatrixXd xq(q, m.x.cols());
  for (Eigen::Index i = 0; i < q; ++i)
    for (Eigen::Index k = 0; k < m.x.cols(); ++k) xq(i, k) = xs[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
  const double s2 = std::exp(2 * m.hyper.log_signal);
  const Eigen::MatrixXd ks = Impl::cross(Impl::scaled(m.x, m.hyper), Impl::scaled(xq, m.hyper), s2);  // n x q
  const Eigen::VectorXd mu = ks.transpose() * m.alpha;
  const Eigen::MatrixXd v = m.llt.matrixL().solve(ks);
  const Eigen::VectorXd var = (s2 - v.colwise().squaredNorm().array()).max(1e-12).matrix();
  mean.resize(static_cast<std::size_t>(q));
  sd.resize(static_cast<std::size_t>(q));
  for (Eigen::Index i = 0; i < q; ++i) {
    mean[static_cast<std::size_t>(i)] = m.y_mean + m.y_sd * mu(i);
    sd[static_cast<std::size_t>(i)] = m.y_sd * std::sqrt(var(i));
  }
}

double expected_improvement(double mean, double sd, double best, double xi) noexcept {
  const double imp = mean - best - xi;
  if (sd <= 0) return std::max(imp, 0.0);
  const double z = imp / sd;
  return imp * normal_cdf(z) + sd * normal_pdf(z);
}

}  // namespace tradeloop::optimize::detail_gp
