// Builds against the installed package and exercises the public API end to end.
#include <cstdio>

#include "tradeloop/core/time.hpp"
#include "tradeloop/core/timeframe.hpp"
#include "tradeloop/data/bar_series.hpp"

int main() {
  using namespace tradeloop;
  auto ts = parse_timestamp("2024-01-01T00:00:00Z");
  if (!ts.ok() || format_timestamp(*ts) != "2024-01-01T00:00:00Z") return 1;
  BarSeries s("BTC/USDT");
  s.push_back(Bar{*ts, 1, 2, 0.5, 1.5, 10});
  s.push_back(Bar{*ts + kNanosPerMinute, 1.5, 2, 1, 1.8, 12});
  if (s.typical_step() != kNanosPerMinute) return 2;
  std::printf("consumer ok: %zu bars, timeframe %s\n", s.size(),
              Timeframe::from_duration(s.typical_step())->to_string().c_str());
  return 0;
}
