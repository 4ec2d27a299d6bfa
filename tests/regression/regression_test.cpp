// Golden regression backtests (LEAN's *RegressionAlgorithm.cs, STYLE.md §9): each file in
// tests/regression/golden/ names a strategy, real data from examples/data/, parameters and
// configuration, and pins the statistics, the number of bars processed and the SHA-256 of the
// canonical order list. Any drift in fills, fees, sizing or ordering fails here.
//
// Re-blessing is explicit and never automatic: run with TRADELOOP_BLESS=1 and the test rewrites
// the expectations of the files it ran (then review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.hpp"
#include "tradeloop/analysis/performance_analyzer.hpp"
#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/core/params.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop::testing {
namespace {

struct Golden {
  std::string path;
  std::vector<std::string> header;  // comment and input lines, kept verbatim
  std::vector<std::string> data;
  std::string strategy;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> sets;
  std::vector<std::pair<std::string, std::string>> expected;
};

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

Golden load(const std::string& path) {
  Golden g;
  g.path = path;
  std::ifstream in(path);
  std::string line;
  bool below = false;
  while (std::getline(in, line)) {
    if (!below) g.header.push_back(line);
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t == "---") {
      below = true;
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = trim(t.substr(0, eq)), v = trim(t.substr(eq + 1));
    if (below) {
      g.expected.emplace_back(k, v);
    } else if (k == "data") {
      g.data.push_back(v);
    } else if (k == "strategy") {
      g.strategy = v;
    } else if (k == "param") {
      const auto e2 = v.find('=');
      g.params.emplace_back(trim(v.substr(0, e2)), trim(v.substr(e2 + 1)));
    } else if (k == "set") {
      g.sets.push_back(v);
    }
  }
  return g;
}

std::vector<std::string> golden_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(source_path("tests/regression/golden")))
    if (e.path().extension() == ".golden") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The pinned statistics of a run, as text (shortest round-trip numbers: exact).
std::vector<std::pair<std::string, std::string>> observe(const Golden& g) {
  std::vector<BarSeries> data;
  for (const auto& d : g.data) data.push_back(read_csv(source_path(d)).value());
  const StrategyInfo* info = builtin_strategies().find(g.strategy);
  if (!info) throw Exception(ErrorCode::kNotFound, g.path + ": unknown strategy " + g.strategy);
  ParamSet params;
  for (const auto& [k, v] : g.params)
    for (const auto& spec : info->params)
      if (spec.name == k) params.set(k, spec.parse(v).value());
  Config cfg;
  for (const auto& s : g.sets) cfg.set_from_arg(s).check();
  const BacktestConfig config = backtest_config_from(cfg).value();
  const BacktestResult r = run_backtest(data, g.strategy, params, config).value();
  std::vector<Trade> closed;
  for (const auto& t : r.trades)
    if (!t.is_open) closed.push_back(t);
  const auto m = analysis::PerformanceAnalyzer(r.equity_curve, closed, r.initial_capital).calculate_all_metrics();
  return {{"bars_processed", std::to_string(r.bars_processed)},
          {"total_trades", std::to_string(r.closed_trades())},
          {"orders", std::to_string(r.orders.size())},
          {"fills", std::to_string(r.fills.size())},
          {"final_equity", format_number(r.final_equity)},
          {"total_return_pct", format_number(r.total_return_pct())},
          {"max_drawdown_pct", format_number(r.max_drawdown_pct())},
          {"win_rate_pct", format_number(m.get("win_rate_pct"))},
          {"profit_factor", format_number(m.get("profit_factor"))},
          {"sharpe_ratio", format_number(m.get("sharpe_ratio"))},
          {"order_list_sha256", r.order_list_sha256()}};
}

void bless(const Golden& g, const std::vector<std::pair<std::string, std::string>>& got) {
  std::ofstream out(g.path, std::ios::trunc);
  bool wrote_sep = false;
  for (const auto& l : g.header) {
    out << l << "\n";
    wrote_sep |= trim(l) == "---";
  }
  if (!wrote_sep) out << "---\n";
  for (const auto& [k, v] : got) out << k << " = " << v << "\n";
}

class Regression : public ::testing::TestWithParam<std::string> {};

TEST_P(Regression, MatchesGolden) {
  const Golden g = load(source_path("tests/regression/golden/" + GetParam()));
  ASSERT_FALSE(g.data.empty()) << g.path << ": no data line";
  const auto got = observe(g);
  const char* b = std::getenv("TRADELOOP_BLESS");
  if (b && std::string(b) == "1") {
    bless(g, got);
    GTEST_SKIP() << "blessed " << g.path << " (review the diff)";
  }
  ASSERT_FALSE(g.expected.empty()) << g.path << ": no expectations; bless with TRADELOOP_BLESS=1";
  EXPECT_EQ(g.expected, got) << g.path << ": drift from the golden run (TRADELOOP_BLESS=1 re-blesses after review)";
}

INSTANTIATE_TEST_SUITE_P(Golden, Regression, ::testing::ValuesIn(golden_files()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param.substr(0, i.param.find('.'));
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
}  // namespace tradeloop::testing
