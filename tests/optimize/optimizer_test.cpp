// The optimisers on functions with known optima, determinism across n_jobs, cancellation,
// objective handling (minimise, minimum trades, failures).
#include "tradeloop/optimize/optimizer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <numbers>
#include <thread>

namespace tradeloop::optimize {
namespace {

// Quadratic bowl with its maximum 0 at (17, 42) on an integer lattice.
Evaluation quadratic(const ParamSet& p) {
  const double a = p.get_double("a"), b = p.get_double("b");
  const double v = -(a - 17) * (a - 17) - (b - 42) * (b - 42);
  return {{{"value", v}, {"total_trades", a}}, true, {}};
}

ParameterSpace quadratic_space() {
  ParameterSpace s;
  EXPECT_TRUE(s.add_parameter("a", ParamKind::kInt, 0, 50).ok());
  EXPECT_TRUE(s.add_parameter("b", ParamKind::kInt, 0, 100).ok());
  EXPECT_TRUE(s.add_constraint("a < b").ok());
  return s;
}

// Branin-Hoo (Dixon & Szegő 1978): global minimum 0.397887 at (-pi, 12.275), (pi, 2.275),
// (9.42478, 2.475) on [-5, 10] x [0, 15].
Evaluation branin(const ParamSet& p) {
  const double x1 = p.get_double("x1"), x2 = p.get_double("x2");
  const double pi = std::numbers::pi;
  const double b = 5.1 / (4 * pi * pi), c = 5 / pi, t = 1 / (8 * pi);
  const double v = std::pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * std::cos(x1) + 10;
  return {{{"value", v}}, true, {}};
}

ParameterSpace branin_space() {
  ParameterSpace s;
  EXPECT_TRUE(s.add_parameter("x1", ParamKind::kFloat, -5, 10).ok());
  EXPECT_TRUE(s.add_parameter("x2", ParamKind::kFloat, 0, 15).ok());
  return s;
}

OptimizerOptions opts(std::size_t jobs, bool minimize = false) {
  OptimizerOptions o;
  o.objective.metric = "value";
  o.objective.minimize = minimize;
  o.n_jobs = jobs;
  o.seed = 2024;
  return o;
}

TEST(Optimizer, GridFindsExactOptimum) {
  FunctionEvaluator f(quadratic);
  Optimizer opt(quadratic_space(), f, opts(2));
  auto r = opt.grid();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->best_params.to_string(), "a=17,b=42");
  EXPECT_EQ(r->best_value, 0.0);
  EXPECT_EQ(r->evaluations.size(), 51u * 101u - 51u * 52u / 2u);  // pairs with a < b
  ASSERT_EQ(r->convergence.size(), r->evaluations.size());
  EXPECT_TRUE(std::is_sorted(r->convergence.begin(), r->convergence.end()));
  EXPECT_EQ(r->convergence.back(), 0.0);
}

TEST(Optimizer, RandomIsDistinctFeasibleAndNearOptimum) {
  FunctionEvaluator f(quadratic);
  Optimizer opt(quadratic_space(), f, opts(1));
  auto r = opt.random(400);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->evaluations.size(), 400u);
  std::set<std::string> keys;
  for (const auto& e : r->evaluations) {
    EXPECT_TRUE(keys.insert(e.params.to_string()).second);
    EXPECT_LT(e.params.get_double("a"), e.params.get_double("b"));
  }
  EXPECT_GT(r->best_value, -40);
}

TEST(Optimizer, BayesFindsIntegerOptimum) {
  FunctionEvaluator f(quadratic);
  BayesOptions b;
  b.n_iterations = 50;
  b.n_initial_points = 10;
  Optimizer opt(quadratic_space(), f, opts(2));
  auto r = opt.bayesian(b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->evaluations.size(), 50u);
  EXPECT_GE(r->best_value, -2) << r->best_params.to_string();
}

TEST(Optimizer, BayesMinimisesBranin) {
  FunctionEvaluator f(branin);
  BayesOptions b;
  b.n_iterations = 60;
  b.n_initial_points = 10;
  Optimizer opt(branin_space(), f, opts(2, /*minimize=*/true));
  auto r = opt.bayesian(b);
  ASSERT_TRUE(r.ok());
  EXPECT_LT(r->best_value, 0.5) << r->best_params.to_string();
  EXPECT_TRUE(std::is_sorted(r->convergence.rbegin(), r->convergence.rend()));
  // Random search with the same budget does worse on average; the GP should beat it clearly.
  Optimizer rnd(branin_space(), f, opts(1, true));
  EXPECT_LT(r->best_value, rnd.random(60)->best_value);
}

TEST(Optimizer, BayesHandlesCategoricalAndSteps) {
  // The categorical choice multiplies the objective: only "good" reaches the optimum.
  FunctionEvaluator f([](const ParamSet& p) {
    const double x = p.get_double("x");
    const double scale = p.get_string("mode") == "good" ? 1.0 : 0.5;
    return Evaluation{{{"value", scale * (10 - (x - 0.7) * (x - 0.7) * 10)}}, true, {}};
  });
  ParameterSpace s;
  ASSERT_TRUE(s.add_parameter("x", ParamKind::kFloat, 0, 2, 0.05).ok());
  ASSERT_TRUE(s.add_categorical("mode", {"bad", "good", "ugly"}).ok());
  BayesOptions b;
  b.n_iterations = 30;
  b.n_initial_points = 6;
  Optimizer opt(s, f, opts(1));
  auto r = opt.bayesian(b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->best_params.get_string("mode"), "good");
  EXPECT_NEAR(r->best_params.get_double("x"), 0.7, 0.11);
  for (const auto& e : r->evaluations) {  // every proposal lies on the 0.05 lattice
    const double k = e.params.get_double("x") / 0.05;
    EXPECT_NEAR(k, std::round(k), 1e-9);
  }
}

TEST(Optimizer, GeneticConvergesOnQuadratic) {
  FunctionEvaluator f(quadratic);
  GeneticOptions g;
  g.population_size = 30;
  g.n_generations = 25;
  Optimizer opt(quadratic_space(), f, opts(2));
  auto r = opt.genetic(g);
  ASSERT_TRUE(r.ok());
  EXPECT_GE(r->best_value, -2) << r->best_params.to_string();
  for (const auto& e : r->evaluations) EXPECT_LT(e.params.get_double("a"), e.params.get_double("b"));
}

// Results must be identical whatever the number of worker threads.
TEST(Optimizer, ResultsDoNotDependOnJobs) {
  auto slow_quadratic = [](const ParamSet& p) {
    // Uneven durations shuffle the completion order between threads.
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int>(p.get_double("a")) % 7 * 50));
    return quadratic(p);
  };
  for (const std::string method : {"grid", "random", "bayes", "genetic"}) {
    std::vector<OptimizationResult> results;
    for (std::size_t jobs : {1u, 2u, 4u}) {
      FunctionEvaluator f(slow_quadratic);
      ParameterSpace s = quadratic_space();
      if (method == "grid") {  // keep the grid small
        s = ParameterSpace();
        ASSERT_TRUE(s.add_parameter("a", ParamKind::kInt, 0, 40, 4).ok());
        ASSERT_TRUE(s.add_parameter("b", ParamKind::kInt, 0, 100, 10).ok());
      }
      Optimizer opt(s, f, opts(jobs));
      BayesOptions b;
      b.n_iterations = 24;
      GeneticOptions g;
      g.population_size = 12;
      g.n_generations = 4;
      auto r = method == "grid" ? opt.grid()
               : method == "random" ? opt.random(40)
               : method == "bayes" ? opt.bayesian(b)
                                   : opt.genetic(g);
      ASSERT_TRUE(r.ok()) << method;
      results.push_back(std::move(*r));
    }
    for (std::size_t k = 1; k < results.size(); ++k) {
      ASSERT_EQ(results[k].evaluations.size(), results[0].evaluations.size()) << method;
      for (std::size_t i = 0; i < results[0].evaluations.size(); ++i) {
        EXPECT_EQ(results[k].evaluations[i].params, results[0].evaluations[i].params) << method << " #" << i;
        EXPECT_EQ(results[k].evaluations[i].value, results[0].evaluations[i].value);
      }
      EXPECT_EQ(results[k].best_params, results[0].best_params) << method;
      EXPECT_EQ(results[k].convergence, results[0].convergence) << method;
    }
  }
}

TEST(Optimizer, SameSeedSameResultOtherSeedDiffers) {
  FunctionEvaluator f(quadratic);
  auto o = opts(1);
  Optimizer a(quadratic_space(), f, o), b(quadratic_space(), f, o);
  o.seed = 7;
  Optimizer c(quadratic_space(), f, o);
  const auto ra = a.random(20), rb = b.random(20), rc = c.random(20);
  EXPECT_EQ(ra->evaluations[5].params, rb->evaluations[5].params);
  EXPECT_NE(ra->evaluations[5].params, rc->evaluations[5].params);
}

TEST(Optimizer, MinTradesAndFailuresAreRecordedButNeverBest) {
  FunctionEvaluator f([](const ParamSet& p) {
    if (p.get_double("b") == 42) throw std::runtime_error("boom");
    return quadratic(p);
  });
  auto o = opts(2);
  o.objective.min_trades = 20;  // total_trades == a in this objective: a = 17 is rejected
  Optimizer opt(quadratic_space(), f, o);
  auto r = opt.grid();
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->found());
  EXPECT_EQ(r->best_params.to_string(), "a=20,b=41");
  std::size_t errors = 0, few = 0;
  for (const auto& e : r->evaluations) {
    if (e.rejected.rfind("error: boom", 0) == 0) ++errors;
    if (e.rejected.find("total_trades") == 0) ++few;
    EXPECT_EQ(e.valid, e.rejected.empty());
  }
  EXPECT_EQ(errors, 42u);  // a in [0, 41] with b = 42
  EXPECT_GT(few, 0u);
}

TEST(Optimizer, MissingMetricIsInvalid) {
  FunctionEvaluator f([](const ParamSet&) { return Evaluation{{{"other", 1.0}}, true, {}}; });
  Optimizer opt(quadratic_space(), f, opts(1));
  auto r = opt.random(5);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->found());
  EXPECT_EQ(r->evaluations[0].rejected, "metric 'value' missing");
}

TEST(Optimizer, CancellationThroughProgressCallback) {
  FunctionEvaluator f([](const ParamSet& p) {
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    return quadratic(p);
  });
  auto o = opts(2);
  std::atomic<int> calls{0};
  o.progress = [&](const ProgressUpdate& u) {
    ++calls;
    return u.finished;  // cancel at the first intermediate report
  };
  Optimizer opt(quadratic_space(), f, o);
  auto r = opt.grid();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
  EXPECT_LT(r->evaluations.size(), 3876u);
  EXPECT_GT(calls.load(), 0);
}

TEST(Optimizer, RejectsBadInput) {
  FunctionEvaluator f(quadratic);
  Optimizer empty(ParameterSpace{}, f, opts(1));
  EXPECT_FALSE(empty.grid().ok());
  Optimizer opt(quadratic_space(), f, opts(1));
  EXPECT_FALSE(opt.random(0).ok());
  GeneticOptions g;
  g.mutation_rate = 2;
  EXPECT_FALSE(opt.genetic(g).ok());
  ParameterSpace cont = branin_space();
  Optimizer c(cont, f, opts(1));
  EXPECT_FALSE(c.grid().ok());
}

}  // namespace
}  // namespace tradeloop::optimize
