// tradeloop backtest: run a built-in strategy on one or more CSV files through the kernel and
// the SimulatedVenue, print a summary (or --json), and optionally write trades, equity curve,
// orders and fills as CSV, and the HTML tearsheet / PNG dashboard (--report, --png).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli.hpp"
#include "tradeloop/analysis/performance_analyzer.hpp"
#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/core/params.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::cli {

namespace {

struct BacktestOptions {
  std::vector<std::string> data;
  std::string strategy;
  std::vector<std::string> params;
  ConfigOptions config;
  std::string trades, equity, orders, fills;
  std::string report, png;
  bool json = false;
};

ParamSet parse_params(const StrategyInfo& info, const std::vector<std::string>& args) {
  ParamSet out;
  for (const auto& a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Exception(ErrorCode::kInvalidArgument, "--param '" + a + "': expected name=value");
    const std::string name = a.substr(0, eq);
    const ParamSpec* spec = nullptr;
    for (const auto& p : info.params)
      if (p.name == name) spec = &p;
    if (!spec) {
      std::string known;
      for (const auto& p : info.params) known += (known.empty() ? "" : ", ") + p.name;
      throw Exception(ErrorCode::kInvalidArgument,
                      "--param '" + a + "': unknown parameter '" + name + "' for " + info.name + "; known: " + known);
    }
    out.set(name, unwrap(spec->parse(a.substr(eq + 1))));
  }
  return out;
}

void print_summary(const BacktestResult& r, const std::string& title, const std::vector<BarSeries>& data,
                   const analysis::MetricSet& m) {
  std::printf("%s\n", title.c_str());
  for (const auto& s : data)
    std::printf("  data                %s: %zu bars, %s .. %s\n", s.symbol().c_str(), s.size(),
                format_timestamp(s.front().ts).c_str(), format_timestamp(s.back().ts).c_str());
  auto line = [](const char* name, const std::string& v) { std::printf("  %-20s%s\n", name, v.c_str()); };
  auto fixed = [](double v, const char* unit) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f%s", v, unit);
    return std::string(buf);
  };
  auto metric = [&](const char* name) { return m.find(name).value_or(std::numeric_limits<double>::quiet_NaN()); };
  line("bars processed", std::to_string(r.bars_processed));
  line("initial capital", fixed(r.initial_capital, ""));
  line("final equity", fixed(r.final_equity, ""));
  line("total return", fixed(r.total_return_pct(), " %"));
  line("max drawdown", fixed(r.max_drawdown_pct(), " %"));
  line("trades", std::to_string(r.closed_trades()) + " closed" +
                     (r.trades.size() > r.closed_trades() ? ", " + std::to_string(r.trades.size() - r.closed_trades()) + " open" : ""));
  if (!m.empty()) {
    line("win rate", fixed(metric("win_rate_pct"), " %"));
    line("profit factor", analysis::format_metric_value(metric("profit_factor")));
    line("sharpe ratio", analysis::format_metric_value(metric("sharpe_ratio")));
    line("sortino ratio", analysis::format_metric_value(metric("sortino_ratio")));
    line("buy and hold", fixed(metric("buy_and_hold_return_pct"), " %"));
    line("exposure time", fixed(metric("exposure_time_pct"), " %"));
  }
  double fees = 0;
  for (const auto& f : r.fills) fees += f.fee;
  line("orders / fills", std::to_string(r.orders.size()) + " / " + std::to_string(r.fills.size()));
  line("fees paid", fixed(fees, ""));
  line("order list sha256", r.order_list_sha256());
}

int run(int argc, char** argv) {
  CLI::App app{"Backtest a built-in strategy on CSV data (kernel + simulated venue, honest fills: docs/fills.md)",
               "tradeloop backtest"};
  BacktestOptions o;
  app.add_option("--data", o.data, "OHLCV CSV file (repeatable: one symbol per file)")->required();
  app.add_option("--strategy", o.strategy, "Strategy name (see 'tradeloop strategies')")->required();
  app.add_option("--param", o.params, "Strategy parameter name=value (repeatable)");
  o.config.add_to(app);
  app.add_option("--trades", o.trades, "Write the trades as CSV to this file");
  app.add_option("--equity", o.equity, "Write the equity curve (one row per bar) as CSV to this file");
  app.add_option("--orders", o.orders, "Write the orders as CSV to this file");
  app.add_option("--fills", o.fills, "Write the fills as CSV to this file");
  app.add_option("--report", o.report, "Write the HTML tearsheet (one self-contained file) to this path");
  app.add_option("--png", o.png, "Write the six-panel PNG dashboard to this path");
  app.add_flag("--json", o.json, "Print one JSON object instead of the summary");
  return run_command(app, argc, argv, [&] {
    const StrategyInfo* info = builtin_strategies().find(o.strategy);
    if (!info)  // a usage error (exit 2); the message lists the known names
      throw Exception(ErrorCode::kInvalidArgument, builtin_strategies().create(o.strategy, {}).error().message);
    const ParamSet given = parse_params(*info, o.params);
    const ParamSet params = unwrap(resolve_params(info->params, given, info->name));
    const BacktestConfig config = unwrap(backtest_config_from(o.config.load()));
    std::vector<BarSeries> data;
    for (const auto& path : o.data) data.push_back(unwrap(read_csv(path)));
    const BacktestResult r = unwrap(run_backtest(data, o.strategy, params, config));
    if (!o.trades.empty()) unwrap(write_text_file(o.trades, trades_csv(r.trades)));
    if (!o.equity.empty()) unwrap(write_text_file(o.equity, equity_csv(r.equity_curve)));
    if (!o.orders.empty()) unwrap(write_text_file(o.orders, orders_csv(r.orders)));
    if (!o.fills.empty()) unwrap(write_text_file(o.fills, fills_csv(r.fills)));
    std::vector<Trade> closed;
    for (const auto& t : r.trades)
      if (!t.is_open) closed.push_back(t);
    analysis::MetricSet metrics;
    // Buy-and-hold of the first symbol as the benchmark (alpha, beta, buy_and_hold_return_pct).
    analysis::AnalysisOptions opts;
    opts.benchmark = analysis::ValueSeries{std::vector<Timestamp>(data[0].timestamps().begin(), data[0].timestamps().end()),
                                           std::vector<double>(data[0].close().begin(), data[0].close().end())};
    if (!r.equity_curve.empty())
      metrics = analysis::PerformanceAnalyzer(r.equity_curve, closed, r.initial_capital, opts).calculate_all_metrics();
    const std::string title = "tradeloop backtest: " + info->name + "(" + params.to_string() + ")";
    if (!o.report.empty() || !o.png.empty()) {
      report::ReportInputs in;
      in.title = "Backtest: " + info->name + " on " + data[0].symbol();
      in.strategy_name = info->name;
      in.params_text = params.to_string();
      in.bars = &data[0];
      in.equity = r.equity_curve;
      in.trades = closed;
      in.initial_capital = r.initial_capital;
      in.analysis_options = opts;
      in.benchmark_name = "Buy & hold " + data[0].symbol();
      in.metrics = metrics;
      if (!o.report.empty()) unwrap(report::write_html_report(in, o.report));
      if (!o.png.empty()) unwrap(report::write_png_dashboard(in, o.png));
    }
    if (!o.json) {
      print_summary(r, title, data, metrics);
      if (!o.report.empty()) std::printf("  report              %s\n", o.report.c_str());
      if (!o.png.empty()) std::printf("  dashboard           %s\n", o.png.c_str());
      return kExitOk;
    }
    nlohmann::json j;
    j["strategy"] = info->name;
    j["params"] = nlohmann::json::object();
    for (const auto& [k, v] : params.items()) {
      if (const auto* d = std::get_if<double>(&v))
        j["params"][k] = *d;
      else
        j["params"][k] = std::get<std::string>(v);
    }
    j["symbols"] = r.symbols;
    j["initial_capital"] = r.initial_capital;
    j["final_equity"] = r.final_equity;
    j["total_return_pct"] = r.total_return_pct();
    j["max_drawdown_pct"] = r.max_drawdown_pct();
    j["total_trades"] = r.closed_trades();
    j["open_trades"] = r.trades.size() - r.closed_trades();
    j["bars_processed"] = r.bars_processed;
    j["orders"] = r.orders.size();
    j["fills"] = r.fills.size();
    j["order_list_sha256"] = r.order_list_sha256();
    j["metrics"] = nlohmann::json::parse(analysis::metrics_to_json(metrics, -1));
    if (!o.report.empty()) j["report"] = o.report;
    if (!o.png.empty()) j["png"] = o.png;
    print_json(j);
    return kExitOk;
  });
}

}  // namespace

TL_COMMAND("backtest", "Backtest a strategy on CSV data and print the summary", run);

}  // namespace tradeloop::cli
