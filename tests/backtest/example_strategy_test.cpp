// The C++ example strategy of examples/strategies/ builds against the public headers and trades.
#include <gtest/gtest.h>

#include "../../examples/strategies/ema_cross_bracket.hpp"
#include "test_util.hpp"
#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop::testing {
namespace {

TEST(ExampleStrategy, EmaCrossBracketRunsOnRealData) {
  const BarSeries sol = read_csv(source_path("examples/data/backtestingpy_SOLUSDT-1h.csv")).value();
  Backtest bt(default_backtest_config());
  bt.add_data(sol);
  example::EmaCrossBracket s(12, 26, 10);
  const BacktestResult r = bt.run(s).value();
  EXPECT_GT(r.closed_trades(), 5u);
  EXPECT_EQ(static_cast<std::size_t>(s.fills()), r.fills.size());
  bool saw_bracket_exit = false;
  for (const auto& t : r.trades) saw_bracket_exit |= t.exit_reason == "stop_loss" || t.exit_reason == "take_profit";
  EXPECT_TRUE(saw_bracket_exit);
}

}  // namespace
}  // namespace tradeloop::testing
