// `tradeloop optimize` and `tradeloop walkforward` end to end through the built binary: one row
// per evaluated set, the sweep and the engine give the same answer, exit codes.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "test_util.hpp"

namespace tradeloop::optimize {
namespace {

const std::string kCli = tradeloop::testing::tradeloop_cli();
const std::string kGoog = testing::source_path("examples/data/backtestingpy_GOOG-1d.csv");
const std::string kGrid = " --strategy sma_cross --range fast=5:50:5 --range slow=20:200:20 --constraint 'fast<slow'";

struct Ran {
  int exit_code = -1;
  std::string out;
};

Ran run_cli(const std::string& args) {
  const auto res = tradeloop::testing::run_shell(kCli + " " + args + " 2>/dev/null");
  return Ran{res.code, res.out};
}

class OptimizeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kCli)) << kCli << " not built";
  }
};

TEST_F(OptimizeCli, GridRowsAndSameAnswerWithoutTheSweep) {
  testing::TempDir dir("optimize_cli");
  const std::string csv = dir.file("results.csv");
  const Ran a = run_cli("optimize --data " + kGoog + kGrid + " --jobs 2 --json --output " + csv);
  ASSERT_EQ(a.exit_code, 0) << a.out;
  const auto j = nlohmann::json::parse(a.out);
  EXPECT_EQ(j["path"], "sweep");
  EXPECT_EQ(j["evaluations_count"], 90);  // 10 x 10 lattice minus the 10 pairs with fast >= slow
  ASSERT_EQ(j["results"].size(), 90u);
  EXPECT_TRUE(j["results"][0]["metrics"].contains("final_equity"));
  EXPECT_TRUE(j["overfitting"].contains("pbo"));
  std::ifstream in(csv);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 91u);  // header + one row per set

  const Ran b = run_cli("optimize --data " + kGoog + kGrid + " --json --no-sweep --jobs 1");
  ASSERT_EQ(b.exit_code, 0);
  const auto k = nlohmann::json::parse(b.out);
  EXPECT_EQ(k["path"], "engine");
  EXPECT_EQ(k["best_params"], j["best_params"]);
  EXPECT_EQ(k["best_value"], j["best_value"]);
  EXPECT_EQ(k["results"], j["results"]);
}

TEST_F(OptimizeCli, WalkForwardJson) {
  const Ran r = run_cli("walkforward --data " + kGoog + kGrid + " --splits 4 --train-ratio 0.75 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["splits"].size(), 4u);
  EXPECT_TRUE(j["splits"][0]["out_of_sample"].contains("sharpe_ratio"));
  EXPECT_TRUE(j.contains("overfitting_risk"));
}

TEST_F(OptimizeCli, ExitCodes) {
  EXPECT_EQ(run_cli("optimize --data " + kGoog + kGrid + " --method annealing").exit_code, 2);
  EXPECT_EQ(run_cli("optimize --data " + kGoog + " --strategy sma_cross --range fsat=1:5").exit_code, 2);
  EXPECT_EQ(run_cli("optimize --data /nonexistent.csv" + kGrid).exit_code, 1);
  EXPECT_EQ(run_cli("walkforward --data " + kGoog + kGrid + " --train-ratio 1.5").exit_code, 2);
}

}  // namespace
}  // namespace tradeloop::optimize
