// The `tradeloop data` CLI as a user runs it: the built binary, exit codes, messages, --json.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "test_util.hpp"

namespace tradeloop {
namespace {

using CliRun = testing::CommandResult;

CliRun run(const std::string& args) { return testing::run_tradeloop(args); }

std::string example(const char* name) { return testing::source_path(std::string("examples/data/") + name); }

TEST(Cli, InfoOnBundledData) {
  const CliRun r = run("data info " + example("nautilus_BTC-PERP-1m.csv"));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("rows         45,031"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("first        2021-12-31T23:01:00Z"), std::string::npos);
  EXPECT_NE(r.out.find("timeframe    1m"), std::string::npos);
  EXPECT_NE(r.out.find("gaps         none"), std::string::npos);
  const CliRun j = run("data info --json " + example("freqtrade_UNITTEST_BTC-1m.csv"));
  EXPECT_EQ(j.code, 0);
  EXPECT_NE(j.out.find("\"rows\": 13681"), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"count\": 538"), std::string::npos);
}

TEST(Cli, ValidateCleanFileExitsZero) {
  const CliRun r = run("data validate " + example("nautilus_BTC-PERP-1m.csv"));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("OK"), std::string::npos);
}

TEST(Cli, ValidateListsProblemsExitsOneAndFixes) {
  testing::TempDir dir("cli_validate");
  const std::string in = dir.file("bad.csv"), out = dir.file("fixed.csv");
  testing::write_file(in,
                      "timestamp,open,high,low,close,volume\n"
                      "2024-01-01 00:02:00,1,2,0.5,1.5,3\n"
                      "2024-01-01 00:00:00,1,2,0.5,1.5,3\n"
                      "2024-01-01 00:01:00,nan,2,0.5,1.5,3\n"
                      "2024-01-01 00:01:00,1,2,0.5,1.5,3\n"
                      "2024-01-01 00:01:00,1,2,0.5,1.5,3\n");
  const CliRun r = run("data validate " + in);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find(in + ":3: column 'timestamp'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(in + ":4: column 'open': nan is not a finite number"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(in + ":6: the row repeats the previous row exactly"), std::string::npos) << r.out;
  const CliRun f = run("data validate " + in + " --fix " + out);
  EXPECT_EQ(f.code, 0) << f.out;  // everything was repairable
  EXPECT_NE(f.out.find("wrote 3 rows"), std::string::npos) << f.out;
  EXPECT_EQ(run("data validate " + out).code, 0);
}

TEST(Cli, HostileFilesGiveOneLineAndExitOne) {
  testing::TempDir dir("cli_hostile");
  const std::pair<const char*, std::string> files[] = {
      {"empty.csv", ""},
      {"header.csv", "timestamp,open,high,low,close,volume\n"},
      {"junk.bin", std::string("\x00\x01\x02\x03\xff\xfe", 6)},
      {"long.csv", std::string(3u << 20, 'x')},
      {"cols.csv", "timestamp,open,high,low,close,volume\n2024-01-01,1,2\n"},
      {"nan.csv", "timestamp,open,high,low,close,volume\n2024-01-01,nan,2,0.5,1.5,3\n"},
      {"inf.csv", "timestamp,open,high,low,close,volume\n2024-01-01,1,1e400,0.5,1.5,3\n"},
      {"neg.csv", "timestamp,open,high,low,close,volume\n2024-01-01,-1,2,0.5,1.5,3\n"},
      {"unsorted.csv", "timestamp,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,3\n2024-01-01,1,2,0.5,1.5,3\n"},
      {"mixed.csv", "timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,3\n1704153600,1,2,0.5,1.5,3\n"},
  };
  for (const auto& [name, text] : files) {
    const std::string path = dir.file(name);
    testing::write_file(path, text);
    const CliRun info = run("data info " + path);
    EXPECT_EQ(info.code, 1) << name << ": " << info.out;
    EXPECT_EQ(info.out.rfind("tradeloop data: error: " + path, 0), 0u) << name << ": " << info.out;
    EXPECT_EQ(std::count(info.out.begin(), info.out.end(), '\n'), 1) << name << ": " << info.out;
    const CliRun val = run("data validate " + path);
    EXPECT_EQ(val.code, 1) << name << ": " << val.out;
    EXPECT_NE(val.out.find("error   " + path), std::string::npos) << name << ": " << val.out;
  }
  const CliRun missing = run("data info " + dir.file("nope.csv"));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.out.find("no such file"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("data").code, 2);
  EXPECT_EQ(run("data info").code, 2);
  EXPECT_EQ(run("data resample " + example("nautilus_BTC-PERP-1m.csv") + " --timeframe 1x -o /dev/null").code, 2);
  EXPECT_EQ(run("data info --epoch-unit years " + example("nautilus_BTC-PERP-1m.csv")).code, 2);
  const CliRun help = run("data --help");
  EXPECT_EQ(help.code, 0);
  for (const char* sub : {"info", "validate", "resample", "import", "export", "list"})
    EXPECT_NE(help.out.find(sub), std::string::npos) << sub;
  EXPECT_EQ(run("data validate --help").code, 0);
}

TEST(Cli, ResampleWritesCoarserBars) {
  testing::TempDir dir("cli_resample");
  const CliRun r = run("data resample " + example("nautilus_BTC-PERP-1m.csv") + " --timeframe 1h --output " + dir.file("h.csv"));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1h bars"), std::string::npos) << r.out;
  const CliRun info = run("data info --json " + dir.file("h.csv"));
  EXPECT_NE(info.out.find("\"timeframe\": \"1h\""), std::string::npos) << info.out;
  EXPECT_EQ(run("data resample " + example("backtestingpy_GOOG-1d.csv") + " -t 1h -o " + dir.file("x.csv")).code, 2);
}

TEST(Cli, ImportListExportThroughTheStore) {
  testing::TempDir dir("cli_store");
  const std::string home = " --home " + dir.file("home");
  const CliRun imp = run("data import " + example("backtestingpy_SOLUSDT-1h.csv") + " --exchange binance --symbol SOL/USDT" + home);
  EXPECT_EQ(imp.code, 0) << imp.out;
  EXPECT_NE(imp.out.find("imported 1,000 bars"), std::string::npos) << imp.out;
  const CliRun again = run("data import " + example("backtestingpy_SOLUSDT-1h.csv") + " --exchange binance --symbol SOL/USDT" + home);
  EXPECT_NE(again.out.find("0 new, 1,000 replaced; the series now has 1,000 bars"), std::string::npos) << again.out;
  const CliRun list = run("data list" + home);
  EXPECT_EQ(list.code, 0);
  EXPECT_NE(list.out.find("SOL/USDT"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("1,000"), std::string::npos) << list.out;
  const CliRun exp = run("data export --exchange binance --symbol SOL/USDT --timeframe 1h --start 2024-10-01 --end 2024-10-02 -o " +
                      dir.file("out.csv") + home);
  EXPECT_EQ(exp.code, 0) << exp.out;
  EXPECT_NE(exp.out.find("exported 24 bars"), std::string::npos) << exp.out;
  const CliRun bad = run("data import " + example("backtestingpy_SOLUSDT-1h.csv") + " --exchange x --symbol Y --timeframe 1q" + home);
  EXPECT_EQ(bad.code, 2);
  const CliRun none = run("data export --exchange binance --symbol ETH --timeframe 1h -o " + dir.file("e.csv") + home);
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.out.find("no series binance ETH 1h"), std::string::npos) << none.out;
}

}  // namespace
}  // namespace tradeloop
