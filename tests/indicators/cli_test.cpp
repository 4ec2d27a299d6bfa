// `tradeloop indicators` as a user runs it: the built binary, exit codes, messages, columns.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "test_util.hpp"

namespace tradeloop::ind::cli_testing {
namespace {

using CliResult = tradeloop::testing::CommandResult;

CliResult tradeloop_cli(const std::string& args) { return tradeloop::testing::run_tradeloop("indicators " + args); }

const std::string kGoog = tradeloop::testing::source_path("examples/data/backtestingpy_GOOG-1d.csv");

TEST(IndicatorsCli, AddsColumnsNamedBySpec) {
  tradeloop::testing::TempDir dir("indicators_cli");
  const std::string out = dir.file("out.csv");
  const CliResult r = tradeloop_cli("--data " + kGoog + " --add 'rsi(14)' --add 'macd(12,26,9)' --add 'bbands(period=20,k=2)'" +
                              " --output " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  std::ifstream in(out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "timestamp,open,high,low,close,volume,rsi(14),macd(12,26,9).macd,macd(12,26,9).signal,"
            "macd(12,26,9).hist,bbands(period=20,k=2).upper,bbands(period=20,k=2).middle,"
            "bbands(period=20,k=2).lower,bbands(period=20,k=2).pctb,bbands(period=20,k=2).width");
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, 2148u);
}

TEST(IndicatorsCli, JsonSummary) {
  const CliResult r = tradeloop_cli("--data " + kGoog + " --add 'atr' --json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"column\": \"atr\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"first_value_row\": 14"), std::string::npos) << r.out;
}

TEST(IndicatorsCli, ListShowsTheRegistry) {
  const CliResult r = tradeloop_cli("--list");
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("params:  fast=12 [1..100000], slow=26 [2..100000], signal=9"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("outputs: macd, signal, hist"), std::string::npos);
  const CliResult j = tradeloop_cli("--list --json");
  ASSERT_EQ(j.code, 0);
  EXPECT_NE(j.out.find("\"name\": \"supertrend\""), std::string::npos);
}

TEST(IndicatorsCli, BadSpecsAreUsageErrors) {
  struct Case {
    const char* spec;
    const char* message;
  };
  for (const Case& c : {Case{"rsx(14)", "unknown indicator 'rsx'"}, Case{"rsi(14,3)", "rsi takes 1 parameter"},
                        Case{"rsi(0)", "out of range"}, Case{"rsi(-5)", "out of range"},
                        Case{"sma(5000)", "needs at least 5000 bars, the data has 2148"},
                        Case{"macd(26,12,9)", "must be < slow"}}) {
    const CliResult r = tradeloop_cli("--data " + kGoog + " --add '" + c.spec + "'");
    EXPECT_EQ(r.code, 2) << c.spec << ": " << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.spec << ": " << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line: " << r.out;
  }
  const CliResult missing = tradeloop_cli("--data /nonexistent/bars.csv --add rsi");
  EXPECT_EQ(missing.code, 1) << missing.out;
  EXPECT_NE(missing.out.find("/nonexistent/bars.csv"), std::string::npos);
  EXPECT_EQ(tradeloop_cli("--add rsi").code, 2);
}

}  // namespace
}  // namespace tradeloop::ind::cli_testing
