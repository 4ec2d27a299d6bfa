// The vectorised parameter sweep: many parameter sets of one built-in strategy over one series,
// with results identical to the event engine (`run_backtest`) for each set -- the same orders
// (and so the same order-list hash), fills, trades, equity curve and final equity.
//
// How: each distinct indicator series (e.g. SMA(10), SMA(50)) is computed once per sweep with
// the batch indicator functions and shared by every set that uses it; each set is then
// simulated in a tight loop over the bars (no per-bar virtual calls, no event queue): the
// signal comes from the precomputed series, orders are generated and filled with the engine's
// rules for market orders (docs/fills.md) and booked by the engine's own `Portfolio`.
//
// Supported (`sweep_supports` says exactly why not otherwise, and the optimiser then falls back
// to the event engine): one series; the built-ins listed by `sweep_strategies()`; sizing
// fraction | all_in | units | notional; fill next_open | close; no stop-loss / take-profit;
// slippage none | fraction | ticks; no participation cap; long-only or allow_short;
// max_positions >= 1; any fees, tick/lot sizes, min quantity/notional and leverage.
//
// Ownership: `ParameterSweep` borrows the data (it must outlive the sweep) and copies the config.
// Thread-safety: `run` may be called from one thread; it uses the given pool internally.
// Results never depend on the pool size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/backtest/config.hpp"
#include "tradeloop/backtest/result.hpp"
#include "tradeloop/core/params.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/data/bar_series.hpp"

namespace tradeloop {

class ThreadPool;

// Names of the built-in strategies the sweep implements.
const std::vector<std::string>& sweep_strategies();

// Ok when the sweep reproduces run_backtest(data, strategy, *, config); else kUnsupported
// with the reason ("stop_loss_pct > 0 is not supported by the sweep").
Status sweep_supports(std::string_view strategy, const BacktestConfig& config, const std::vector<BarSeries>& data);

// What one set's run keeps.
enum class SweepDetail {
  kSummary,  // final equity, trades, return statistics (no per-bar curve, no order records)
  kFull,     // a complete BacktestResult, identical to run_backtest's
};

// Statistics of the equity curve accumulated during the loop, with the analyzer's conventions
// (analysis/performance_analyzer.hpp): simple returns e_t / e_{t-1} - 1 between consecutive
// points (N points give N-1 returns), drawdown from the running peak starting at the first point.
struct SweepReturnStats {
  std::size_t n = 0;          // number of returns
  double sum = 0;             // sum of the returns
  double sum_sq = 0;          // sum of their squares
  double max_drawdown = 0;    // min over points of e / peak - 1 (a fraction, <= 0)
  double first_equity = 0;
  double peak_equity = 0;
};

struct SweepRun {
  Status status;             // a bad parameter set fails alone
  BacktestResult result;     // kSummary: trades, bars_processed, initial_capital, final_equity only
  SweepReturnStats returns;  // filled in both modes
  std::size_t order_count = 0;
};

class ParameterSweep {
 public:
  // kUnsupported / kNotFound / kInvalidArgument (thrown as Exception) when sweep_supports fails.
  ParameterSweep(const std::vector<BarSeries>& data, std::string strategy, BacktestConfig config);
  ~ParameterSweep();
  ParameterSweep(const ParameterSweep&) = delete;
  ParameterSweep& operator=(const ParameterSweep&) = delete;

  // Runs sets[i] into out[i] (out.size() == sets.size()); tick(i) after each, returning false
  // to stop starting new sets (cancellation).
  void run(std::span<const ParamSet> sets, std::span<SweepRun> out, ThreadPool& pool, SweepDetail detail,
           const std::function<bool(std::size_t)>& tick = {}) const;

  // One set, full detail (convenience for tests and walk-forward).
  SweepRun run_one(const ParamSet& params, SweepDetail detail = SweepDetail::kFull) const;

  const std::string& strategy() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeloop
