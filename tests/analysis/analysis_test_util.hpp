// Builders shared by the analysis tests: equity curves and trades from plain numbers.
#pragma once

#include <string>
#include <vector>

#include "tradeloop/core/time.hpp"
#include "tradeloop/engine/types.hpp"

namespace tradeloop::analysis::testing {

// 2024-01-01 (a Monday) 00:00 UTC.
inline constexpr Timestamp kMonday = 1704067200LL * kNanosPerSecond;

// One point per `step` from `start`.
inline std::vector<EquityPoint> curve(const std::vector<double>& equity, Duration step = kNanosPerDay,
                                      Timestamp start = kMonday) {
  std::vector<EquityPoint> out;
  for (std::size_t i = 0; i < equity.size(); ++i) {
    EquityPoint p;
    p.ts = start + static_cast<Timestamp>(i) * step;
    p.equity = equity[i];
    p.cash = equity[i];
    out.push_back(p);
  }
  return out;
}

// Closed trades with the given P&L, one per day from kMonday, each held `bars` bars (days).
inline std::vector<Trade> trades_with_pnl(const std::vector<double>& pnl, std::int64_t bars = 1) {
  std::vector<Trade> out;
  for (std::size_t i = 0; i < pnl.size(); ++i) {
    Trade t;
    t.symbol = "TEST";
    t.quantity = 1;
    t.entry_time = kMonday + static_cast<Timestamp>(i) * kNanosPerDay;
    t.exit_time = t.entry_time + bars * kNanosPerDay;
    t.entry_price = 100;
    t.exit_price = 100 + pnl[i];
    t.pnl = pnl[i];
    t.return_pct = pnl[i];  // pnl / (100 * 1) * 100
    t.bars_held = bars;
    out.push_back(t);
  }
  return out;
}

}  // namespace tradeloop::analysis::testing
