// Options shared by `tradeloop metrics` and `tradeloop report`: the saved run's files and the
// analysis conventions (annualisation, risk-free rate, calendar, initial capital).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "tradeloop/analysis/performance_analyzer.hpp"
#include "tradeloop/analysis/run_files.hpp"

namespace tradeloop::cli {

struct AnalysisArgs {
  std::string equity_file, trades_file, benchmark_file;
  std::optional<double> periods_per_year;
  double risk_free_rate = 0;
  std::optional<double> initial_capital;
  std::string calendar = "auto";

  void add_to(CLI::App& app) {
    app.add_option("--equity", equity_file, "Equity curve CSV (columns timestamp, equity)")->required();
    app.add_option("--trades", trades_file, "Trades CSV (column pnl; optional entry_time, exit_time, return_pct, ...)");
    app.add_option("--benchmark", benchmark_file, "Benchmark CSV (timestamp + close/equity/value/price)");
    app.add_option("--periods-per-year", periods_per_year, "Annualisation factor (default: from the bar spacing)")
        ->check(CLI::PositiveNumber);
    app.add_option("--rf", risk_free_rate, "Annual risk-free rate as a fraction (0.02 = 2 %)")->check(CLI::Range(-0.99, 0.99));
    app.add_option("--initial-capital", initial_capital, "Capital at the start (default: the first equity value)")
        ->check(CLI::PositiveNumber);
    app.add_option("--calendar", calendar, "auto | 24/7 | sessions (365 or 252 days a year)")
        ->check(CLI::IsMember({"auto", "24/7", "sessions"}));
  }

  // The loaded run: equity, trades, options with the benchmark (if given).
  struct Run {
    std::vector<EquityPoint> equity;
    std::vector<Trade> trades;
    analysis::AnalysisOptions options;
    double initial_capital = 0;
  };

  Run load() const {
    Run r;
    r.equity = unwrap(analysis::read_equity_csv(equity_file));
    if (!trades_file.empty()) r.trades = unwrap(analysis::read_trades_csv(trades_file));
    if (!benchmark_file.empty()) r.options.benchmark = unwrap(analysis::read_value_series_csv(benchmark_file));
    r.options.periods_per_year = periods_per_year;
    r.options.risk_free_rate = risk_free_rate;
    r.options.calendar = calendar == "24/7"       ? analysis::AssetCalendar::kContinuous
                         : calendar == "sessions" ? analysis::AssetCalendar::kSessions
                                                  : analysis::AssetCalendar::kAuto;
    r.initial_capital = initial_capital.value_or(r.equity.front().equity);
    return r;
  }
};

}  // namespace tradeloop::cli
