// Reading saved runs (equity, trades, benchmark CSV) with messages that name file, line, column.
#include "tradeloop/analysis/run_files.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace tradeloop::analysis {
namespace {

using tradeloop::testing::TempDir;
using tradeloop::testing::write_file;

std::string message_of(const Error& e) { return e.message; }

TEST(RunFiles, ReadsEquityWithOptionalColumnsAndIgnoresOthers) {
  TempDir dir("run_files_equity");
  write_file(dir.file("eq.csv"), "note,timestamp,equity,position_value\nx,2024-01-01,100,0\ny,2024-01-02 00:00:00,101.5,50\n");
  const auto eq = read_equity_csv(dir.file("eq.csv")).value();
  ASSERT_EQ(eq.size(), 2u);
  EXPECT_EQ(eq[1].ts, parse_timestamp("2024-01-02").value());
  EXPECT_EQ(eq[1].equity, 101.5);
  EXPECT_EQ(eq[1].position_value, 50);
  EXPECT_EQ(eq[1].cash, 101.5);  // absent: the equity
}

TEST(RunFiles, EquityErrorsNameFileLineAndColumn) {
  TempDir dir("run_files_equity_bad");
  struct Case {
    const char* text;
    const char* expect;
  };
  for (const Case& c : {Case{"timestamp,value\n2024-01-01,1\n", "no column 'equity'"},
                        Case{"timestamp,equity\n2024-01-01,100\n2024-01-02,nan\n", "eq.csv:3: column 'equity': nan is not a finite number > 0"},
                        Case{"timestamp,equity\n2024-01-01,100\n2024-01-02,-5\n", ":3: column 'equity': -5"},
                        Case{"timestamp,equity\n2024-01-02,100\n2024-01-01,101\n", ":3: timestamp 2024-01-01T00:00:00Z is not after"},
                        Case{"timestamp,equity\n", "no data rows"},
                        Case{"", "empty"},
                        Case{"timestamp,equity\n2024-01-01,abc\n", ":2: column 'equity': 'abc' is not a number"}}) {
    write_file(dir.file("eq.csv"), c.text);
    const auto r = read_equity_csv(dir.file("eq.csv"));
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(message_of(r.error()).find(c.expect), std::string::npos) << message_of(r.error());
  }
  EXPECT_FALSE(read_equity_csv(dir.file("missing.csv")).ok());
}

TEST(RunFiles, ReadsTradesReturnAsAFractionAndOpenTrades) {
  TempDir dir("run_files_trades");
  write_file(dir.file("t.csv"),
             "entry_time,exit_time,side,pnl,return,bars,exit_reason\n"
             "2024-01-01,2024-01-03,short,12.5,0.05,2,stop_loss\n"
             "2024-01-04,,long,-3,-0.01,1,\n");
  const auto t = read_trades_csv(dir.file("t.csv")).value();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].side, Side::kSell);
  EXPECT_EQ(t[0].pnl, 12.5);
  EXPECT_DOUBLE_EQ(t[0].return_pct, 5.0);
  EXPECT_EQ(t[0].bars_held, 2);
  EXPECT_EQ(t[0].exit_reason, "stop_loss");
  EXPECT_FALSE(t[0].is_open);
  EXPECT_TRUE(t[1].is_open);
  write_file(dir.file("t2.csv"), "pnl,return_pct,return\n1,5,0.9\n");
  EXPECT_EQ(read_trades_csv(dir.file("t2.csv")).value()[0].return_pct, 5.0);  // return_pct wins
  write_file(dir.file("t3.csv"), "profit\n1\n");
  const auto bad = read_trades_csv(dir.file("t3.csv"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("no column 'pnl'"), std::string::npos) << bad.error().message;
}

TEST(RunFiles, BenchmarkTakesTheCloseOfAnOhlcvFile) {
  const auto b = read_value_series_csv(tradeloop::testing::source_path("examples/data/backtestingpy_GOOG-1d.csv")).value();
  ASSERT_EQ(b.ts.size(), 2148u);
  EXPECT_EQ(b.values[0], 100.34);  // first close
}

}  // namespace
}  // namespace tradeloop::analysis
