// Shared by `tradeloop optimize` and `tradeloop walkforward`: the search options (--range,
// --choice, --constraint, --param, --method, --objective, ...), building the StrategyOptimizer
// from them, and JSON helpers. Header-only, included by those two command files only.
#pragma once

#include <nlohmann/json.hpp>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "tradeloop/backtest/registry.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/optimize/strategy_optimizer.hpp"

namespace tradeloop::cli::optimize_cli {

struct SearchArgs {
  std::vector<std::string> data;
  std::string strategy;
  std::vector<std::string> ranges, choices, constraints, params;
  std::string method = "grid";
  std::string objective = "sharpe_ratio";
  bool minimize = false;
  std::size_t iterations = 50, initial_points = 10, batch = 4;
  std::size_t population = 50, generations = 20;
  double mutation = 0.1, crossover = 0.8;
  double min_trades = -1;
  std::size_t jobs = 0;
  std::uint64_t seed = 42;
  bool no_sweep = false, fast_metrics = false, json = false;
  std::string html;
  ConfigOptions config;

  void add_to(CLI::App& app) {
    app.add_option("--data", data, "OHLCV CSV file (repeatable: one symbol per file)")->required();
    app.add_option("--strategy", strategy, "Built-in strategy (see 'tradeloop strategies')")->required();
    app.add_option("--range", ranges, "Searched numeric parameter name=low:high[:step] (repeatable)");
    app.add_option("--choice", choices, "Searched choice parameter name=a,b,c (repeatable)");
    app.add_option("--constraint", constraints, "Constraint between parameters, e.g. 'fast<slow' (repeatable)");
    app.add_option("--param", params, "Fixed strategy parameter name=value (repeatable)");
    app.add_option("--method", method, "grid | random | bayes | genetic")
        ->check(CLI::IsMember({"grid", "random", "bayes", "bayesian", "genetic"}));
    app.add_option("--objective", objective, "Metric to optimise (docs/metrics.md), default sharpe_ratio");
    app.add_flag("--minimize", minimize, "Minimise the objective instead of maximising it");
    app.add_option("--iterations", iterations, "Evaluations for random and bayes (default 50)");
    app.add_option("--initial-points", initial_points, "Random points before the Gaussian process (bayes, default 10)");
    app.add_option("--batch", batch, "Proposals per Bayesian round (default 4; results do not depend on --jobs)");
    app.add_option("--population", population, "Genetic population size (default 50)");
    app.add_option("--generations", generations, "Genetic generations (default 20)");
    app.add_option("--mutation-rate", mutation, "Genetic mutation probability per gene (default 0.1)");
    app.add_option("--crossover-rate", crossover, "Genetic crossover probability per pair (default 0.8)");
    app.add_option("--min-trades", min_trades, "Sets with fewer closed trades are not eligible as best");
    app.add_option("--jobs", jobs, "Worker threads (0 = all cores; results are the same for any value)");
    app.add_option("--seed", seed, "Random seed (default 42)");
    app.add_flag("--no-sweep", no_sweep, "Always use the event engine (the sweep gives identical results)");
    app.add_flag("--fast-metrics", fast_metrics,
                 "With the sweep, score sets by the in-loop summary metrics instead of the full metric set");
    app.add_option("--html", html, "Write an HTML report to this file");
    app.add_flag("--json", json, "Print JSON instead of the text summary");
    config.add_to(app);
  }

  static std::pair<std::string, std::string> split_assignment(const std::string& a, const char* option) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Exception(ErrorCode::kInvalidArgument, std::string(option) + " '" + a + "': expected name=value");
    return {a.substr(0, eq), a.substr(eq + 1)};
  }

  std::vector<BarSeries> load_data() const {
    std::vector<BarSeries> out;
    for (const auto& path : data) out.push_back(unwrap(read_csv(path)));
    return out;
  }

  std::unique_ptr<optimize::StrategyOptimizer> build(std::vector<BarSeries> series) const {
    using optimize::ParamKind;
    optimize::StrategyOptimizerConfig cfg;
    cfg.backtest = unwrap(backtest_config_from(config.load()));
    cfg.optimizer.objective.metric = objective;
    cfg.optimizer.objective.minimize = minimize;
    if (min_trades >= 0) cfg.optimizer.objective.min_trades = min_trades;
    cfg.optimizer.n_jobs = jobs;
    cfg.optimizer.seed = seed;
    cfg.optimizer.progress_mode = ProgressMode::kAuto;
    cfg.optimizer.progress_label = "optimize " + strategy;
    cfg.use_sweep = !no_sweep;
    cfg.full_metrics = !fast_metrics;
    if (!fast_metrics && !series.empty()) {
      // Buy-and-hold of the first symbol as the benchmark, as `tradeloop backtest` does.
      const BarSeries& s0 = series.front();
      cfg.analysis.benchmark = analysis::ValueSeries{std::vector<Timestamp>(s0.timestamps().begin(), s0.timestamps().end()),
                                                     std::vector<double>(s0.close().begin(), s0.close().end())};
    }
    auto o = std::make_unique<optimize::StrategyOptimizer>(strategy, std::move(series), cfg);
    const StrategyInfo* info = builtin_strategies().find(strategy);
    for (const auto& r : ranges) {
      const auto [name, text] = split_assignment(r, "--range");
      const auto range = unwrap(optimize::parse_range(text));
      ParamKind kind = ParamKind::kFloat;
      for (const auto& p : info->params)
        if (p.name == name && p.type == ParamType::kInt) kind = ParamKind::kInt;
      unwrap(o->add_parameter(name, kind, range.low, range.high, range.step));
    }
    for (const auto& c : choices) {
      const auto [name, text] = split_assignment(c, "--choice");
      std::vector<std::string> values;
      for (std::size_t start = 0;;) {
        const auto comma = text.find(',', start);
        values.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      unwrap(o->add_parameter(name, std::move(values)));
    }
    for (const auto& p : params) {
      const auto [name, text] = split_assignment(p, "--param");
      const ParamSpec* spec = nullptr;
      for (const auto& s : info->params)
        if (s.name == name) spec = &s;
      if (!spec) unwrap(o->set_fixed(name, 0.0));  // the error names the known parameters
      unwrap(o->set_fixed(name, unwrap(spec->parse(text))));
    }
    for (const auto& c : constraints) unwrap(o->add_constraint(c));
    if (o->space().empty())
      throw Exception(ErrorCode::kInvalidArgument, "nothing to search: give at least one --range or --choice");
    return o;
  }
};

inline nlohmann::json params_json(const ParamSet& p) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : p.items()) {
    if (const auto* d = std::get_if<double>(&v)) j[k] = *d;
    else j[k] = std::get<std::string>(v);
  }
  return j;
}

inline nlohmann::json number_json(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

inline nlohmann::json metrics_json(const optimize::Evaluation& e) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : e.metrics) j[k] = number_json(v);
  return j;
}

inline std::string fixed(double v, int decimals = 4) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace tradeloop::cli::optimize_cli
