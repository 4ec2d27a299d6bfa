// Backtest = Kernel + HistoricalClock + merged-history feed + SimulatedVenue (DESIGN.md §1).
//
// `run_backtest` runs a registered strategy by name (what the CLI and the optimiser use);
// `Backtest` runs any RealtimeStrategy / SignalStrategy subclass a C++ user writes:
//
//   tradeloop::Backtest bt(tradeloop::default_backtest_config());
//   bt.add_data(series);                 // borrowed: must outlive run()
//   MyStrategy s;                        // : tradeloop::RealtimeStrategy
//   auto result = bt.run(s).value();
//
// Data: one or more BarSeries, each sorted by time (the CSV reader guarantees it; run() checks
// and returns kInvalidArgument otherwise), each a symbol (SymbolId = position in the list).
// Thread-safety: one Backtest per thread; run_backtest is reentrant (no shared state), so the
// optimiser may call it from several threads at once.
#pragma once

#include <string_view>
#include <vector>

#include "tradeloop/backtest/config.hpp"
#include "tradeloop/backtest/registry.hpp"
#include "tradeloop/backtest/result.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/engine/strategy.hpp"

namespace tradeloop {

class Backtest {
 public:
  explicit Backtest(BacktestConfig config = default_backtest_config());
  // Adds a symbol (borrowed). Its Instrument comes from instrument_for(config, series.symbol()).
  Backtest& add_data(const BarSeries& series);
  // Runs `strategy` from scratch; the strategy's `config` is overwritten by the backtest's.
  Result<BacktestResult> run(RealtimeStrategy& strategy) const;
  const BacktestConfig& config() const noexcept { return config_; }

 private:
  BacktestConfig config_;
  std::vector<const BarSeries*> data_;
};

Result<BacktestResult> run_backtest(const std::vector<BarSeries>& data, std::string_view strategy_name,
                                    const ParamSet& params, const BacktestConfig& config);

}  // namespace tradeloop
