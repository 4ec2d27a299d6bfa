// Event-driven backtest speed and memory: the built-in `sma_cross` (a C++ RealtimeStrategy with
// streaming SMAs) through the full kernel + SimulatedVenue on 1,000,000 one-minute bars.
//
// Baseline from the same run: BM_BareLoop touches every bar of the same columnar series (reads
// all OHLCV fields of each row and does a little arithmetic), so the engine's overhead shows as
// a ratio of the two bars/s figures. Memory: this executable counts heap bytes (operator new /
// delete) and reports the peak during a run, INCLUDING the input series (48 bytes per bar) and
// every result (equity curve, orders, fills, trades), divided by the number of bars.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <malloc.h>
#include <new>

#include "bench_util.hpp"
#include "tradeloop/backtest/backtest.hpp"
#include "tradeloop/backtest/builtin.hpp"

namespace {

std::atomic<std::size_t> g_live{0}, g_peak{0};

void note_alloc(std::size_t n) {
  const std::size_t now = g_live.fetch_add(n, std::memory_order_relaxed) + n;
  std::size_t peak = g_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

}  // namespace

// Size-prefixed allocations so that delete knows how much is released.
void* operator new(std::size_t n) {
  void* p = std::malloc(n + 16);
  if (!p) throw std::bad_alloc();
  *static_cast<std::size_t*>(p) = n;
  note_alloc(n);
  return static_cast<char*>(p) + 16;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  char* base = static_cast<char*>(p) - 16;
  g_live.fetch_sub(*reinterpret_cast<std::size_t*>(base), std::memory_order_relaxed);
  std::free(base);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

namespace {

constexpr std::size_t kBars = 1'000'000;

const tradeloop::BarSeries& series() {
  static const tradeloop::BarSeries s = tradeloop::bench::random_walk_series(kBars);
  return s;
}

// The baseline: touch every bar of the same columnar series, nothing else.
void BM_BareLoop(benchmark::State& state) {
  const tradeloop::BarSeries& s = series();
  for (auto _ : state) {
    double acc = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const tradeloop::Bar b = s.bar(i);
      acc += b.close - b.open + (b.high - b.low) * 1e-9 + b.volume * 1e-12 + static_cast<double>(b.ts & 1);
    }
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * s.size()));
  state.counters["bars_per_s"] = benchmark::Counter(static_cast<double>(state.iterations() * s.size()),
                                                    benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BareLoop)->Unit(benchmark::kMillisecond);

// state.range(0): 0 = cold (glibc's default: the 40 MB equity curve and the result vectors are
// fresh mmap'ed pages every run, so the kernel zeroes and faults them in), 1 = warm (malloc keeps
// freed memory, as in a process that runs many backtests, e.g. the optimiser).
void BM_SmaCrossEventDriven(benchmark::State& state) {
  if (state.range(0) == 1) {  // runs after the cold case (registration order); glibc only
    mallopt(M_MMAP_MAX, 0);  // big blocks from the heap (M_MMAP_THRESHOLD caps at 32 MB)
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  }
  // The input series is allocated before the peak is reset, then counted explicitly.
  const tradeloop::BarSeries& s = series();
  const double input_bytes = static_cast<double>(s.size() * (sizeof(tradeloop::Timestamp) + 5 * sizeof(double)));
  tradeloop::BacktestConfig cfg = tradeloop::default_backtest_config();
  std::size_t trades = 0, orders = 0;
  double peak_bytes = 0;
  for (auto _ : state) {
    g_peak.store(g_live.load());
    const std::size_t base = g_live.load();
    tradeloop::builtin::SmaCross strategy(10, 30);
    tradeloop::Backtest bt(cfg);
    bt.add_data(s);
    auto r = bt.run(strategy);
    benchmark::DoNotOptimize(r);
    peak_bytes = static_cast<double>(g_peak.load() - base) + input_bytes;
    trades = r->trades.size();
    orders = r->orders.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * s.size()));
  state.counters["bars_per_s"] = benchmark::Counter(static_cast<double>(state.iterations() * s.size()),
                                                    benchmark::Counter::kIsRate);
  state.counters["bytes_per_bar"] = peak_bytes / static_cast<double>(s.size());
  state.counters["trades"] = static_cast<double>(trades);
  state.counters["orders"] = static_cast<double>(orders);
}
BENCHMARK(BM_SmaCrossEventDriven)->ArgName("warm")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace


// Breakdown of the event-driven cost (same series, same kernel): the kernel and venue with a
// strategy that does nothing, then with the two streaming SMAs of sma_cross but no orders.
// The difference to BM_SmaCrossEventDriven is the order flow (submit, match, fill, book).
namespace {
class NullStrategy final : public tradeloop::RealtimeStrategy {
 public:
  void on_candle(const tradeloop::Candle& c) override { benchmark::DoNotOptimize(c.close); }
};
class SmaOnly final : public tradeloop::RealtimeStrategy {
 public:
  tradeloop::ind::Sma a{10}, b{30};
  void on_candle(const tradeloop::Candle& c) override {
    benchmark::DoNotOptimize(a.update(c.close) - b.update(c.close));
  }
};
template <class S>
void BM_Kernel(benchmark::State& state) {
  const tradeloop::BarSeries& s = series();
  for (auto _ : state) {
    S strategy;
    tradeloop::Backtest bt(tradeloop::default_backtest_config());
    bt.add_data(s);
    auto r = bt.run(strategy);
    benchmark::DoNotOptimize(r);
  }
  state.counters["bars_per_s"] = benchmark::Counter(static_cast<double>(state.iterations() * s.size()),
                                                    benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Kernel<NullStrategy>)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Kernel<SmaOnly>)->Unit(benchmark::kMillisecond);
}  // namespace
BENCHMARK_MAIN();
