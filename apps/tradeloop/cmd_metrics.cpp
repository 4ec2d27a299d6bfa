// tradeloop metrics: every performance metric of a saved run (docs/metrics.md).
#include <cstdio>
#include <iostream>

#include "analysis_args.hpp"
#include "cli.hpp"
#include "tradeloop/analysis/metric_set.hpp"
#include "tradeloop/analysis/performance_analyzer.hpp"

namespace tradeloop::cli {
namespace {

int run_metrics(int argc, char** argv) {
  CLI::App app("Performance metrics of an equity curve (and its trades); conventions in docs/metrics.md",
               "tradeloop metrics");
  AnalysisArgs args;
  args.add_to(app);
  bool json = false;
  app.add_flag("--json", json, "Print the metrics as one JSON object (inf/NaN as null)");
  return run_command(app, argc, argv, [&] {
    const AnalysisArgs::Run run = args.load();
    const analysis::PerformanceAnalyzer analyzer(run.equity, run.trades, run.initial_capital, run.options);
    const analysis::MetricSet metrics = analyzer.calculate_all_metrics();
    if (json) {
      std::cout << analysis::metrics_to_json(metrics) << "\n";
    } else {
      std::cout << analysis::metrics_to_text(metrics);
    }
    return kExitOk;
  });
}

TL_COMMAND("metrics", "Performance metrics (Sharpe, drawdown, win rate, ...) of a saved run", run_metrics);

}  // namespace
}  // namespace tradeloop::cli
