// tradeloop report: the HTML tearsheet (and optionally the PNG dashboard) of a saved run.
#include <cstdio>
#include <iostream>

#include "analysis_args.hpp"
#include "cli.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::cli {
namespace {

int run_report(int argc, char** argv) {
  CLI::App app("HTML tearsheet (one self-contained file) and PNG dashboard of a saved run", "tradeloop report");
  AnalysisArgs args;
  args.add_to(app);
  std::string data_file, output, png, title = "Backtest report", strategy, params;
  int width = 1600, height = 1200;
  app.add_option("--data", data_file, "OHLCV CSV of the traded asset: price chart with trade markers, and the "
                                      "buy-and-hold benchmark when --benchmark is absent");
  app.add_option("--output,-o", output, "HTML file to write")->required();
  app.add_option("--png", png, "Also write the six-panel dashboard as a PNG");
  app.add_option("--png-width", width, "PNG width in pixels")->check(CLI::Range(400, 8000));
  app.add_option("--png-height", height, "PNG height in pixels")->check(CLI::Range(400, 8000));
  app.add_option("--title", title, "Report title");
  app.add_option("--strategy", strategy, "Strategy name shown under the title");
  app.add_option("--params", params, "Strategy parameters shown under the title (\"fast=12 slow=26\")");
  return run_command(app, argc, argv, [&] {
    AnalysisArgs::Run run = args.load();
    std::optional<BarSeries> bars;
    report::ReportInputs in;
    if (!data_file.empty()) {
      bars = unwrap(read_csv(data_file));
      in.bars = &*bars;
      if (!run.options.benchmark) {
        run.options.benchmark = analysis::ValueSeries{{bars->timestamps().begin(), bars->timestamps().end()},
                                                      {bars->close().begin(), bars->close().end()}};
        in.benchmark_name = "Buy & hold " + bars->symbol();
      }
    }
    in.title = title;
    in.strategy_name = strategy;
    in.params_text = params;
    in.equity = run.equity;
    in.trades = run.trades;
    in.initial_capital = run.initial_capital;
    in.analysis_options = run.options;
    unwrap(report::write_html_report(in, output));
    std::printf("wrote %s\n", output.c_str());
    if (!png.empty()) {
      unwrap(report::write_png_dashboard(in, png, width, height));
      std::printf("wrote %s\n", png.c_str());
    }
    return kExitOk;
  });
}

TL_COMMAND("report", "HTML tearsheet and PNG dashboard of a saved run", run_report);

}  // namespace
}  // namespace tradeloop::cli
