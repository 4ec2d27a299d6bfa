// `tradeloop backtest ... --report --png`: the backtest, its metrics and the report writers wired
// together as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

namespace tradeloop {
namespace {

const std::string kGoog = testing::source_path("examples/data/backtestingpy_GOOG-1d.csv");

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(BacktestCli, WritesHtmlReportAndPngDashboard) {
  testing::TempDir dir("cli_backtest_report");
  const std::string html = dir.file("report.html"), png = dir.file("dashboard.png");
  const auto r = testing::run_shell(testing::tradeloop_cli() + " backtest --data " + kGoog +
                                    " --strategy sma_cross --param fast=10 --param slow=50 --json --report " +
                                    html + " --png " + png);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["report"], html);
  EXPECT_EQ(j["png"], png);
  EXPECT_GT(j["total_trades"].get<int>(), 0);
  const std::string page = slurp(html);
  EXPECT_NE(page.find("<html"), std::string::npos);
  EXPECT_NE(page.find("sma_cross"), std::string::npos);
  // Offline: no script or stylesheet is loaded from the network.
  EXPECT_EQ(page.find("<script src=\"http"), std::string::npos);
  const std::string image = slurp(png);
  ASSERT_GT(image.size(), 8u);
  EXPECT_EQ(image.substr(1, 3), "PNG");
}

TEST(BacktestCli, SummaryNamesTheReportPath) {
  testing::TempDir dir("cli_backtest_summary");
  const std::string html = dir.file("r.html");
  const auto r = testing::run_tradeloop("backtest --data " + kGoog + " --strategy sma_cross --report " + html);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("report              " + html), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(html));
}

TEST(BacktestCli, UnwritableReportPathIsOneClearError) {
  const auto r = testing::run_tradeloop("backtest --data " + kGoog +
                                        " --strategy sma_cross --report /nonexistent-dir/r.html");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("/nonexistent-dir/r.html"), std::string::npos) << r.out;
}

TEST(BacktestCli, UnknownStrategyIsAUsageError) {
  const auto r = testing::run_tradeloop("backtest --data " + kGoog + " --strategy no_such_strategy");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("no_such_strategy"), std::string::npos) << r.out;
}

TEST(BacktestCli, FractionRatesOutOfRangeAreRejected) {
  const auto r = testing::run_tradeloop("backtest --data " + kGoog + " --strategy sma_cross --set commission_pct=2");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("fraction"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tradeloop
