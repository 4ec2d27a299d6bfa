// A realistic run for the report tests: a long-only SMA(10)/SMA(30) crossover on the GOOG daily
// closes of examples/data (filled at the close of the signal bar, all-in), with its equity
// curve, trades and the bars themselves. Small and deterministic; not a backtester.
#pragma once

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"
#include "tradeloop/core/rng.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/engine/types.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::report::testing {

struct Run {
  BarSeries bars{"GOOG"};
  std::vector<EquityPoint> equity;
  std::vector<Trade> trades;
  double capital = 10'000;
};

inline BarSeries read_ohlcv(const std::string& rel, const std::string& symbol) {
  std::ifstream in(tradeloop::testing::source_path(rel));
  BarSeries s(symbol);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) c.push_back(cell);
    s.push_back(Bar{parse_timestamp(c.at(0)).value(), std::stod(c.at(1)), std::stod(c.at(2)), std::stod(c.at(3)),
                    std::stod(c.at(4)), std::stod(c.at(5))});
  }
  return s;
}

inline Run sma_cross_run(const std::string& rel = "examples/data/backtestingpy_GOOG-1d.csv",
                         const std::string& symbol = "GOOG") {
  Run r;
  r.bars = read_ohlcv(rel, symbol);
  const auto close = r.bars.close();
  const auto ts = r.bars.timestamps();
  double cash = r.capital, shares = 0;
  std::size_t entry_i = 0;
  auto sma = [&](std::size_t i, std::size_t n) {
    double s = 0;
    for (std::size_t k = i + 1 - n; k <= i; ++k) s += close[k];
    return s / static_cast<double>(n);
  };
  for (std::size_t i = 0; i < close.size(); ++i) {
    if (i >= 30) {
      const bool up = sma(i, 10) > sma(i, 30);
      if (up && shares == 0) {
        shares = cash / close[i];
        cash = 0;
        entry_i = i;
      } else if (!up && shares > 0) {
        Trade t;
        t.symbol = symbol;
        t.quantity = shares;
        t.entry_time = ts[entry_i];
        t.exit_time = ts[i];
        t.entry_price = close[entry_i];
        t.exit_price = close[i];
        t.pnl = shares * (close[i] - close[entry_i]);
        t.return_pct = (close[i] / close[entry_i] - 1) * 100;
        t.bars_held = static_cast<std::int64_t>(i - entry_i);
        t.exit_reason = "signal";
        r.trades.push_back(t);
        cash = shares * close[i];
        shares = 0;
      }
    }
    EquityPoint p;
    p.ts = ts[i];
    p.position_value = shares * close[i];
    p.cash = cash;
    p.equity = cash + p.position_value;
    r.equity.push_back(p);
  }
  return r;
}

// A synthetic run of `n` one-minute bars with `t` round-trip trades.
inline Run big_run(std::size_t n, std::size_t t) {
  Run r;
  r.bars.set_symbol("SYN/USD");
  Rng rng(7);
  const Timestamp t0 = 1577836800LL * kNanosPerSecond;
  double price = 100, eq = r.capital;
  r.bars.reserve(n);
  r.equity.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double open = price;
    price *= std::exp(0.001 * rng.normal());
    const Timestamp ts = t0 + static_cast<Timestamp>(i) * kNanosPerMinute;
    r.bars.push_back(Bar{ts, open, std::max(open, price) * 1.0003, std::min(open, price) * 0.9997, price, 10});
    eq *= 1 + 0.0008 * rng.normal() + 0.00001;
    r.equity.push_back({ts, eq, eq, 0, 0});
  }
  const std::size_t step = n / t;
  for (std::size_t k = 0; k + 1 < t; ++k) {
    Trade tr;
    tr.entry_time = t0 + static_cast<Timestamp>(k * step) * kNanosPerMinute;
    tr.exit_time = tr.entry_time + static_cast<Timestamp>(step / 2) * kNanosPerMinute;
    tr.entry_price = 100;
    tr.exit_price = 101;
    tr.quantity = 1;
    tr.pnl = 50 * rng.normal() + 3;
    tr.bars_held = static_cast<std::int64_t>(step / 2);
    r.trades.push_back(tr);
  }
  return r;
}

// The report of a run: titled, with its bars, and the asset's closes as the benchmark. The
// result points into `run`, which must outlive it.
inline ReportInputs inputs_of(const Run& run) {
  ReportInputs in;
  in.title = "SMA cross on GOOG";
  in.strategy_name = "sma_cross";
  in.params_text = "fast=10 slow=30";
  in.bars = &run.bars;
  in.equity = run.equity;
  in.trades = run.trades;
  in.initial_capital = run.capital;
  analysis::ValueSeries bench;
  bench.ts.assign(run.bars.timestamps().begin(), run.bars.timestamps().end());
  bench.values.assign(run.bars.close().begin(), run.bars.close().end());
  in.analysis_options.benchmark = bench;
  in.benchmark_name = "GOOG buy & hold";
  return in;
}

}  // namespace tradeloop::report::testing
