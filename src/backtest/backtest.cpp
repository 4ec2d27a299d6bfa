#include "tradeloop/backtest/backtest.hpp"

#include "tradeloop/engine/historical_feed.hpp"
#include "tradeloop/engine/kernel.hpp"
#include "tradeloop/sim/simulated_venue.hpp"

namespace tradeloop {

Backtest::Backtest(BacktestConfig config) : config_(std::move(config)) {}

Backtest& Backtest::add_data(const BarSeries& series) {
  data_.push_back(&series);
  return *this;
}

Result<BacktestResult> Backtest::run(RealtimeStrategy& strategy) const {
  if (data_.empty()) return invalid_argument("backtest: no data (add at least one series)");
  std::vector<Instrument> instruments;
  std::size_t total = 0;
  for (const BarSeries* s : data_) {
    // One series is checked by the kernel's loop as it goes (in cache); several up front.
    if (data_.size() > 1) TL_RETURN_IF_ERROR(HistoricalFeed::check_series(*s));
    instruments.push_back(instrument_for(config_, s->symbol()));
    total += s->size();
  }
  const StrategyConfig& sc = config_.strategy;
  strategy.config = sc;
  HistoricalClock clock;
  HistoricalFeed feed(data_);
  Portfolio portfolio(sc.initial_capital, std::move(instruments), config_.max_leverage);
  SimulatedVenue venue(portfolio, config_.sim);
  Kernel kernel(clock, feed, venue, portfolio, KernelConfig{sc.fill, sc.allow_short, sc.close_at_end, true});
  kernel.set_strategy(&strategy);
  kernel.reserve(total);
  try {
    kernel.run();
  } catch (const Exception& e) {
    return e.error();
  }
  BacktestResult r;
  for (const BarSeries* s : data_) r.symbols.push_back(s->symbol());
  r.trades = portfolio.take_trades();
  r.orders = kernel.take_orders();
  r.fills = kernel.take_fills();
  r.equity_curve = kernel.take_equity_curve();
  r.bars_processed = kernel.bars_processed();
  r.initial_capital = sc.initial_capital;
  r.final_equity = r.equity_curve.empty() ? sc.initial_capital : r.equity_curve.back().equity;
  return r;
}

Result<BacktestResult> run_backtest(const std::vector<BarSeries>& data, std::string_view strategy_name,
                                    const ParamSet& params, const BacktestConfig& config) {
  auto strategy = builtin_strategies().create(strategy_name, params);
  if (!strategy.ok()) return strategy.error();
  Backtest bt(config);
  for (const BarSeries& s : data) bt.add_data(s);
  return bt.run(**strategy);
}

}  // namespace tradeloop
