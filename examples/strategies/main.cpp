// Runs examples/strategies/ema_cross_bracket.hpp on a CSV file and prints the result.
//   ./ema_cross_bracket examples/data/backtestingpy_SOLUSDT-1h.csv
#include <cstdio>
#include <tradeloop/backtest/backtest.hpp>
#include <tradeloop/data/csv.hpp>

#include "ema_cross_bracket.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.csv\n", argv[0]);
    return 2;
  }
  auto data = tradeloop::read_csv(argv[1]);
  if (!data) {
    std::fprintf(stderr, "error: %s\n", data.error().message.c_str());
    return 1;
  }
  tradeloop::BacktestConfig config = tradeloop::default_backtest_config();  // 0.1 % fees, 0.05 % slippage
  config.strategy.initial_capital = 10000;
  tradeloop::Backtest bt(config);
  bt.add_data(*data);
  example::EmaCrossBracket strategy(12, 26, 10);
  auto result = bt.run(strategy);
  if (!result) {
    std::fprintf(stderr, "error: %s\n", result.error().message.c_str());
    return 1;
  }
  std::printf("bars %zu, trades %zu, final equity %.2f (%.2f %%), max drawdown %.2f %%\n", result->bars_processed,
              result->closed_trades(), result->final_equity, result->total_return_pct(), result->max_drawdown_pct());
  std::printf("order list sha256 %s\n", result->order_list_sha256().c_str());
  return 0;
}
