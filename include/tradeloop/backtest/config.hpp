// Backtest configuration: the guide's strategy keys plus the simulated venue's models.
//
// Built from a `tradeloop::Config` (TOML file + `--set`) by backtest_config_from, which reads
// every key below either bare (`commission_pct = 0.001`) or under a `[backtest]` table
// (`backtest.commission_pct`), validates it, and rejects unknown keys in those two places.
// Every rate is a FRACTION (DESIGN.md §3): `commission_pct = 0.001` is 0.1 %; a value outside
// its range is rejected with a message saying it is a fraction.
//
// Keys (default, range):
//   initial_capital (10000, > 0)          risk_per_trade (0.02, (0, 1])
//   stop_loss_pct (0, [0, 0.99])          take_profit_pct (0, [0, 10])
//   commission_pct (0.001, [0, 0.1])      slippage_pct (0.0005, [0, 0.1])
//   max_positions (1, >= 1)               allow_short (false)
//   sizing (fraction | risk | units | notional | all_in; default fraction; also spelled
//           fixed_fraction, risk_based, fixed_units, fixed_notional)
//   fraction (1, (0, 100]) units (1, > 0) notional (1000, > 0)
//   fill (next_open | close)              close_at_end (true)
//   max_leverage (1, [1, 100])
//   taker_fee_pct / maker_fee_pct (= commission_pct; [-0.01, 0.1]) fixed_fee (0, >= 0)
//   slippage_model (fraction | ticks | volume_share | none; default fraction)
//   slippage_ticks (1, >= 0)  slippage_impact (0.1, [0, 10])
//   participation (0 = no cap, [0, 1])    intrabar (stop_first | path)
//   tick_size, lot_size, min_quantity, min_notional (0 = none, >= 0), multiplier (1, > 0)
#pragma once

#include "tradeloop/core/config.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/data/instrument.hpp"
#include "tradeloop/engine/strategy.hpp"
#include "tradeloop/sim/simulated_venue.hpp"

namespace tradeloop {

struct BacktestConfig {
  StrategyConfig strategy;  // initial capital, sizing, SL/TP, fill timing, close_at_end, ...
  SimConfig sim;            // fees, slippage, participation cap, intrabar priority
  double max_leverage = 1;
  // Applied to every symbol of the run (symbol and currencies come from the data).
  double tick_size = 0, lot_size = 0, min_quantity = 0, min_notional = 0, multiplier = 1;

  bool operator==(const BacktestConfig&) const = default;
};

// Defaults of the guide: commission and slippage from the strategy keys.
BacktestConfig default_backtest_config();

Result<BacktestConfig> backtest_config_from(const Config& config);

// The instrument used for `symbol` under this configuration.
Instrument instrument_for(const BacktestConfig& config, const std::string& symbol);

}  // namespace tradeloop
