// tradeloop walkforward: walk-forward optimisation (rolling or anchored splits): optimise on each
// training window, trade the chosen parameters on the following test window, stitch the test
// windows, and judge overfitting (IS vs OOS degradation, parameter stability).
#include <cstdio>

#include "optimize_cli.hpp"
#include "tradeloop/optimize/report_sections.hpp"

namespace tradeloop::cli {

namespace {

using namespace optimize_cli;

std::string split_time(const BarSeries& s, std::size_t begin, std::size_t end) {
  return format_timestamp(s.timestamps()[begin]) + " .. " + format_timestamp(s.timestamps()[end - 1]);
}

int run(int argc, char** argv) {
  CLI::App app{"Walk-forward optimisation with an overfitting verdict", "tradeloop walkforward"};
  SearchArgs a;
  a.add_to(app);
  optimize::WalkForwardOptions wf;
  std::string output, equity;
  app.add_option("--splits", wf.n_splits, "Number of train/test splits (default 5)");
  app.add_option("--train-ratio", wf.train_ratio, "Training share of each window, a fraction (default 0.8)");
  app.add_flag("--anchored", wf.anchored, "Anchored windows (training always starts at the first bar); default rolling");
  app.add_option("--gap", wf.gap, "Bars skipped between each training and test window (default 0)");
  app.add_option("--output", output, "Write one row per split as CSV to this file");
  app.add_option("--equity", equity, "Write the stitched out-of-sample equity curve as CSV to this file");
  return run_command(app, argc, argv, [&] {
    auto so = a.build(a.load_data());
    wf.method = a.method;
    wf.n_iterations = a.iterations;
    wf.bayes.n_initial_points = a.initial_points;
    wf.bayes.batch_size = a.batch;
    wf.genetic.population_size = a.population;
    wf.genetic.n_generations = a.generations;
    wf.genetic.mutation_rate = a.mutation;
    wf.genetic.crossover_rate = a.crossover;
    const auto r = unwrap(so->walk_forward_optimize(wf));
    const std::string& m = a.objective;
    const BarSeries& s0 = so->data().front();
    report::TableData t;
    t.header = {"split", "train_start", "train_end", "test_start", "test_end", "params",
                "is_" + m, "oos_" + m, "is_total_return_pct", "oos_total_return_pct", "oos_total_trades"};
    for (const auto& sp : r.splits) {
      const auto& x = sp.split;
      t.rows.push_back({std::to_string(x.index + 1), format_timestamp(s0.timestamps()[x.train_begin]),
                        format_timestamp(s0.timestamps()[x.train_end - 1]), format_timestamp(s0.timestamps()[x.test_begin]),
                        format_timestamp(s0.timestamps()[x.test_end - 1]), sp.found ? sp.params.to_string() : "",
                        format_number(sp.in_sample.get(m)), format_number(sp.out_of_sample.get(m)),
                        format_number(sp.in_sample.get("total_return_pct")),
                        format_number(sp.out_of_sample.get("total_return_pct")),
                        format_number(sp.out_of_sample.get("total_trades"))});
    }
    if (!output.empty()) unwrap(write_text_file(output, optimize::table_csv(t)));
    if (!equity.empty()) unwrap(write_text_file(equity, equity_csv(r.stitched_oos_equity)));
    if (!a.html.empty()) {
      report::ReportInputs in;
      in.title = "Walk-forward report: " + so->strategy_name();
      in.strategy_name = so->strategy_name();
      in.params_text = "walk-forward, " + std::to_string(r.splits.size()) + " splits";
      in.equity = r.stitched_oos_equity;
      in.trades = r.stitched_oos_trades;
      in.initial_capital = so->config().backtest.strategy.initial_capital;
      in.extra_sections = optimize::walk_forward_sections(r);
      if (r.stitched_oos_equity.empty())
        throw Exception(ErrorCode::kInvalidArgument, "--html: no out-of-sample equity (no valid split)");
      unwrap(report::write_html_report(in, a.html));
    }
    const auto& v = r.overfitting;
    if (a.json) {
      nlohmann::json j;
      j["strategy"] = so->strategy_name();
      j["method"] = a.method;
      j["objective"] = m;
      j["anchored"] = wf.anchored;
      j["splits"] = nlohmann::json::array();
      for (const auto& sp : r.splits)
        j["splits"].push_back({{"index", sp.split.index + 1},
                               {"train", {sp.split.train_begin, sp.split.train_end}},
                               {"test", {sp.split.test_begin, sp.split.test_end}},
                               {"params", sp.found ? params_json(sp.params) : nlohmann::json(nullptr)},
                               {"evaluations", sp.n_evaluations},
                               {"in_sample", metrics_json(sp.in_sample)},
                               {"out_of_sample", metrics_json(sp.out_of_sample)}});
      j["stitched_oos_final_equity"] =
          r.stitched_oos_equity.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.stitched_oos_equity.back().equity);
      j["performance_degradation_pct"] = number_json(v.performance_degradation);
      j["parameter_stability"] = number_json(v.parameter_stability);
      j["overfitting_risk"] = to_string(v.overfitting_risk);
      j["warnings"] = v.warnings;
      j["verdict"] = v.verdict;
      j["cancelled"] = r.cancelled;
      print_json(j);
      return r.cancelled ? kExitFailure : kExitOk;
    }
    std::printf("tradeloop walkforward: %s, %zu %s splits (train ratio %s, gap %zu), %s search of %s\n",
                so->strategy_name().c_str(), r.splits.size(), wf.anchored ? "anchored" : "rolling",
                format_number(wf.train_ratio).c_str(), wf.gap, a.method.c_str(), m.c_str());
    for (const auto& sp : r.splits)
      std::printf("  split %zu  train %s\n           test  %s\n           %-26s IS %s  OOS %s\n", sp.split.index + 1,
                  split_time(s0, sp.split.train_begin, sp.split.train_end).c_str(),
                  split_time(s0, sp.split.test_begin, sp.split.test_end).c_str(),
                  sp.found ? sp.params.to_string().c_str() : "(nothing valid)", fixed(sp.in_sample.get(m)).c_str(),
                  fixed(sp.out_of_sample.get(m)).c_str());
    if (!r.stitched_oos_equity.empty())
      std::printf("  stitched OOS equity  %s -> %s\n", fixed(so->config().backtest.strategy.initial_capital, 2).c_str(),
                  fixed(r.stitched_oos_equity.back().equity, 2).c_str());
    std::printf("  degradation          %s %% (IS -> OOS)\n", fixed(v.performance_degradation, 1).c_str());
    std::printf("  parameter stability  %s (1 = same parameters every split)\n", fixed(v.parameter_stability, 2).c_str());
    std::printf("  overfitting risk     %s\n  verdict              %s\n", to_string(v.overfitting_risk), v.verdict.c_str());
    if (!output.empty()) std::printf("  splits               %s\n", output.c_str());
    if (!a.html.empty()) std::printf("  report               %s\n", a.html.c_str());
    return r.cancelled ? kExitFailure : kExitOk;
  });
}

}  // namespace

TL_COMMAND("walkforward", "Walk-forward optimisation with an overfitting verdict", run);

}  // namespace tradeloop::cli
