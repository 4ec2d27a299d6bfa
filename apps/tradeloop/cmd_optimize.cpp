// tradeloop optimize: search a built-in strategy's parameters (grid, random, Bayesian, genetic)
// and write one row per evaluated set with its parameters and metrics (CSV/JSON), plus an
// optional HTML report of the best set with the heatmap of two parameters and the convergence.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "optimize_cli.hpp"
#include "tradeloop/optimize/report_sections.hpp"

namespace tradeloop::cli {

namespace {

using namespace optimize_cli;

void print_text(const optimize::StrategyOptimizer& so, const optimize::OptimizationResult& r, const Status& sweep,
                const std::string& output) {
  const auto& obj = r.objective;
  std::printf("tradeloop optimize: %s, %s search, objective %s (%s)\n", so.strategy_name().c_str(), r.method.c_str(),
              obj.metric.c_str(), obj.minimize ? "minimise" : "maximise");
  for (const auto& s : so.data())
    std::printf("  data         %s: %zu bars, %s .. %s\n", s.symbol().c_str(), s.size(),
                format_timestamp(s.front().ts).c_str(), format_timestamp(s.back().ts).c_str());
  std::size_t valid = 0;
  for (const auto& e : r.evaluations) valid += e.valid;
  std::printf("  evaluations  %zu (%zu valid) in %.2f s%s\n", r.evaluations.size(), valid, r.elapsed_s,
              r.cancelled ? ", CANCELLED" : "");
  std::printf("  path         %s\n",
              sweep.ok() ? "vectorised sweep (identical to the event engine)"
                         : ("event engine (" + sweep.error().message + ")").c_str());
  if (!r.found()) {
    std::printf("  best         none: no evaluation was valid\n");
  } else {
    std::printf("  best         %s  %s = %s\n", r.best_params.to_string().c_str(), obj.metric.c_str(),
                fixed(r.best_value).c_str());
    // The ten best valid sets.
    std::vector<const optimize::EvaluationRecord*> top;
    for (const auto& e : r.evaluations)
      if (e.valid) top.push_back(&e);
    std::stable_sort(top.begin(), top.end(), [&](auto* a, auto* b) { return optimize::better(obj, a->value, b->value); });
    top.resize(std::min<std::size_t>(top.size(), 10));
    std::printf("  top %zu:\n    %-28s %14s %12s %12s %8s\n", top.size(), "parameters", obj.metric.c_str(),
                "return %", "max dd %", "trades");
    for (const auto* e : top)
      std::printf("    %-28s %14s %12s %12s %8s\n", e->params.to_string().c_str(), fixed(e->value).c_str(),
                  fixed(e->evaluation.get("total_return_pct"), 2).c_str(),
                  fixed(e->evaluation.get("max_drawdown_pct"), 2).c_str(),
                  fixed(e->evaluation.get("total_trades"), 0).c_str());
  }
  if (!output.empty()) std::printf("  results      %s (one row per evaluated set)\n", output.c_str());
}

int run(int argc, char** argv) {
  CLI::App app{"Optimise a strategy's parameters: grid, random, Bayesian (GP + EI) or genetic search",
               "tradeloop optimize"};
  SearchArgs a;
  a.add_to(app);
  std::string output, heatmap;
  bool no_overfitting = false;
  app.add_flag("--no-overfitting", no_overfitting, "Skip the overfitting analysis (PBO, deflated Sharpe, neighbourhood)");
  app.add_option("--output", output, "Write one row per evaluated set (parameters + metrics) as CSV to this file");
  app.add_option("--heatmap", heatmap, "Parameters of the HTML heatmap as x,y (default: the first two searched)");
  return run_command(app, argc, argv, [&] {
    auto so = a.build(a.load_data());
    optimize::GeneticOptions g;
    g.population_size = a.population;
    g.n_generations = a.generations;
    g.mutation_rate = a.mutation;
    g.crossover_rate = a.crossover;
    optimize::BayesOptions b;
    b.n_initial_points = a.initial_points;
    b.batch_size = a.batch;
    const Status sweep = so->sweep_status();
    const auto r = unwrap(so->optimize(a.method, a.iterations, b, g));
    std::optional<optimize::OverfittingReport> of;
    if (r.found() && !no_overfitting) of = unwrap(so->analyze_overfitting(r));
    const auto table = optimize::evaluations_table(r);
    if (!output.empty()) unwrap(write_text_file(output, optimize::table_csv(table)));
    if (!a.html.empty()) {
      if (!r.found()) throw Exception(ErrorCode::kInvalidArgument, "--html: no valid evaluation to report");
      const BacktestResult best = unwrap(so->backtest(r.best_params));
      report::ReportInputs in;
      in.title = "Optimisation report: " + so->strategy_name();
      in.strategy_name = so->strategy_name();
      in.params_text = r.best_params.to_string();
      in.bars = &so->data().front();
      in.equity = best.equity_curve;
      in.trades = best.trades;
      in.initial_capital = best.initial_capital;
      const auto& names = r.parameter_names;
      std::string x = names.size() >= 2 ? names[0] : "", y = names.size() >= 2 ? names[1] : "";
      if (!heatmap.empty()) {
        const auto comma = heatmap.find(',');
        if (comma == std::string::npos)
          throw Exception(ErrorCode::kInvalidArgument, "--heatmap '" + heatmap + "': expected x,y");
        x = heatmap.substr(0, comma), y = heatmap.substr(comma + 1);
      }
      if (!x.empty()) in.extra_sections.push_back(unwrap(optimize::heatmap_section(r, x, y)));
      in.extra_sections.push_back(optimize::convergence_section(r));
      unwrap(report::write_html_report(in, a.html));
    }
    if (!a.json) {
      print_text(*so, r, sweep, output);
      if (of) {
        std::printf("  overfitting  risk %s: PBO %s, deflated Sharpe %s, PSR %s, neighbourhood %s\n",
                    to_string(of->overfitting_risk), fixed(of->pbo, 2).c_str(), fixed(of->deflated_sharpe, 3).c_str(),
                    fixed(of->probabilistic_sharpe, 3).c_str(), fixed(of->neighbourhood_ratio, 2).c_str());
        std::printf("  verdict      %s\n", of->verdict.c_str());
      }
      if (!a.html.empty()) std::printf("  report       %s\n", a.html.c_str());
      return r.cancelled ? kExitFailure : kExitOk;
    }
    nlohmann::json j;
    j["strategy"] = so->strategy_name();
    j["method"] = r.method;
    j["objective"] = r.objective.metric;
    j["minimize"] = r.objective.minimize;
    j["path"] = sweep.ok() ? "sweep" : "engine";
    j["evaluations_count"] = r.evaluations.size();
    j["elapsed_s"] = r.elapsed_s;
    j["cancelled"] = r.cancelled;
    j["best_params"] = r.found() ? params_json(r.best_params) : nlohmann::json(nullptr);
    j["best_value"] = number_json(r.best_value);
    j["convergence"] = nlohmann::json::array();
    for (double v : r.convergence) j["convergence"].push_back(number_json(v));
    if (of)
      j["overfitting"] = {{"risk", to_string(of->overfitting_risk)},
                          {"pbo", number_json(of->pbo)},
                          {"deflated_sharpe", number_json(of->deflated_sharpe)},
                          {"probabilistic_sharpe", number_json(of->probabilistic_sharpe)},
                          {"neighbourhood_ratio", number_json(of->neighbourhood_ratio)},
                          {"warnings", of->warnings},
                          {"verdict", of->verdict}};
    j["results"] = nlohmann::json::array();
    for (const auto& e : r.evaluations)
      j["results"].push_back({{"params", params_json(e.params)},
                              {"valid", e.valid},
                              {"rejected", e.rejected},
                              {"metrics", metrics_json(e.evaluation)}});
    print_json(j);
    return r.cancelled ? kExitFailure : kExitOk;
  });
}

}  // namespace

TL_COMMAND("optimize", "Optimise strategy parameters (grid, random, bayes, genetic)", run);

}  // namespace tradeloop::cli
