// `tradeloop metrics` and `tradeloop report` end to end through the built binary: the JSON equals
// the analyzer's metric set, bad input is one line naming the file with exit 1, usage errors exit
// 2, and the report command writes both files.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "report_fixture.hpp"
#include "tradeloop/analysis/performance_analyzer.hpp"

namespace tradeloop::report {
namespace {

const std::string kCli = tradeloop::testing::tradeloop_cli();

struct Ran {
  int exit_code = -1;
  std::string out, err;
};

Ran run_cli(const std::string& args, const tradeloop::testing::TempDir& dir) {
  const std::string err_file = dir.file("stderr.txt");
  const auto res = tradeloop::testing::run_shell(kCli + " " + args + " 2>" + err_file);
  Ran r;
  r.exit_code = res.code;
  r.out = res.out;
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

// The fixture run saved as the CLI's input files.
void save_run(const testing::Run& run, const std::string& eq_path, const std::string& tr_path) {
  std::ofstream eq(eq_path), tr(tr_path);
  eq.precision(17);
  tr.precision(17);
  eq << "timestamp,equity,cash,position_value\n";
  for (const auto& p : run.equity) eq << format_timestamp(p.ts) << "," << p.equity << "," << p.cash << "," << p.position_value << "\n";
  tr << "entry_time,exit_time,side,pnl,return_pct,bars_held,exit_reason\n";
  for (const auto& t : run.trades)
    tr << format_timestamp(t.entry_time) << "," << format_timestamp(t.exit_time) << ",long," << t.pnl << "," << t.return_pct
       << "," << t.bars_held << "," << t.exit_reason << "\n";
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kCli)) << kCli << " not built";
  }
};

TEST_F(Cli, MetricsJsonIsTheAnalyzersMetricSet) {
  tradeloop::testing::TempDir dir("cli_metrics");
  const testing::Run run = testing::sma_cross_run();
  save_run(run, dir.file("eq.csv"), dir.file("tr.csv"));
  const std::string bench = tradeloop::testing::source_path("examples/data/backtestingpy_GOOG-1d.csv");
  const Ran r = run_cli("metrics --equity " + dir.file("eq.csv") + " --trades " + dir.file("tr.csv") + " --benchmark " +
                            bench + " --rf 0.02 --json",
                        dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::ordered_json::parse(r.out);
  analysis::AnalysisOptions o;
  o.risk_free_rate = 0.02;
  o.benchmark = testing::inputs_of(run).analysis_options.benchmark;
  const analysis::MetricSet m = analysis::PerformanceAnalyzer(run.equity, run.trades, run.equity.front().equity, o).calculate_all_metrics();
  ASSERT_EQ(j.size(), m.size());
  std::size_t k = 0;
  for (const auto& [name, value] : j.items()) {
    const auto& [want_name, want] = m.items()[k++];
    EXPECT_EQ(name, want_name);  // same order
    if (value.is_null()) {
      EXPECT_FALSE(std::isfinite(want)) << name;
    } else {
      EXPECT_NEAR(value.get<double>(), want, 1e-9 * std::max(1.0, std::fabs(want))) << name;
    }
  }
}

TEST_F(Cli, BadInputIsOneLineAndExitOne) {
  tradeloop::testing::TempDir dir("cli_bad");
  tradeloop::testing::write_file(dir.file("eq.csv"), "timestamp,equity\n2024-01-01,100\n2024-01-02,nan\n");
  const Ran r = run_cli("metrics --equity " + dir.file("eq.csv"), dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "tradeloop metrics: error: " + dir.file("eq.csv") + ":3: column 'equity': nan is not a finite number > 0\n");
  tradeloop::testing::write_file(dir.file("no_col.csv"), "timestamp,value\n2024-01-01,100\n");
  const Ran c = run_cli("report --equity " + dir.file("no_col.csv") + " -o " + dir.file("r.html"), dir);
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_NE(c.err.find("no column 'equity'"), std::string::npos) << c.err;
  EXPECT_EQ(run_cli("metrics", dir).exit_code, 2);                                       // --equity missing
  EXPECT_EQ(run_cli("metrics --equity x.csv --rf 5", dir).exit_code, 2);                 // a percent, not a fraction
}

TEST_F(Cli, ReportWritesHtmlAndPng) {
  tradeloop::testing::TempDir dir("cli_report");
  const testing::Run run = testing::sma_cross_run();
  save_run(run, dir.file("eq.csv"), dir.file("tr.csv"));
  const Ran r = run_cli("report --equity " + dir.file("eq.csv") + " --trades " + dir.file("tr.csv") + " --data " +
                            tradeloop::testing::source_path("examples/data/backtestingpy_GOOG-1d.csv") + " -o " +
                            dir.file("r.html") + " --png " + dir.file("r.png") + " --title 'CLI report'",
                        dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote " + dir.file("r.html") + "\nwrote " + dir.file("r.png") + "\n");
  EXPECT_GT(std::filesystem::file_size(dir.file("r.html")), 200'000u);
  EXPECT_GT(std::filesystem::file_size(dir.file("r.png")), 30'000u);
}

}  // namespace
}  // namespace tradeloop::report
