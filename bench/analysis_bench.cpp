// Speed of the analysis and report layers (issue #5: all metrics on 1,000,000 equity points and
// 100,000 trades in <= 50 ms). Baseline from the same run: one pass over the equity values
// (a sum), the least any metric computation must pay.
#include <benchmark/benchmark.h>

#include <cmath>

#include "bench_util.hpp"
#include "tradeloop/analysis/performance_analyzer.hpp"
#include "tradeloop/core/rng.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::bench {
namespace {

constexpr std::size_t kPoints = 1'000'000;
constexpr std::size_t kTrades = 100'000;

struct Run {
  BarSeries bars;
  std::vector<EquityPoint> equity;
  std::vector<Trade> trades;
};

// Equity follows the random-walk closes with a 50 % position; trades split the run evenly.
const Run& run() {
  static const Run r = [] {
    Run out;
    out.bars = random_walk_series(kPoints);
    const auto ts = out.bars.timestamps();
    const auto close = out.bars.close();
    double eq = 10'000;
    out.equity.reserve(kPoints);
    for (std::size_t i = 0; i < kPoints; ++i) {
      if (i > 0) eq *= 1 + 0.5 * (close[i] / close[i - 1] - 1);
      out.equity.push_back({ts[i], eq, eq / 2, eq / 2, 0});
    }
    Rng rng(11);
    const std::size_t step = kPoints / kTrades;
    for (std::size_t k = 0; k < kTrades; ++k) {
      Trade t;
      t.entry_time = ts[k * step];
      t.exit_time = ts[k * step + step - 1];
      t.entry_price = close[k * step];
      t.exit_price = close[k * step + step - 1];
      t.quantity = 1;
      t.pnl = t.exit_price - t.entry_price + 0.01 * rng.normal();
      t.return_pct = (t.exit_price / t.entry_price - 1) * 100;
      t.bars_held = static_cast<std::int64_t>(step - 1);
      out.trades.push_back(t);
    }
    return out;
  }();
  return r;
}

void BM_Baseline_OnePassOverEquity(benchmark::State& state) {
  const auto& eq = run().equity;
  for (auto _ : state) {
    double s = 0;
    for (const auto& p : eq) s += p.equity;
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPoints));
}
BENCHMARK(BM_Baseline_OnePassOverEquity)->Unit(benchmark::kMillisecond);

// Construction (copies, returns, calendar inference) + calculate_all_metrics().
void BM_AllMetrics_1M_Points_100k_Trades(benchmark::State& state) {
  const Run& r = run();
  std::size_t n = 0;
  for (auto _ : state) {
    const analysis::PerformanceAnalyzer a(r.equity, r.trades, 10'000);
    const analysis::MetricSet m = a.calculate_all_metrics();
    n = m.size();
    benchmark::DoNotOptimize(m);
  }
  state.counters["metrics"] = static_cast<double>(n);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPoints));
}
BENCHMARK(BM_AllMetrics_1M_Points_100k_Trades)->Unit(benchmark::kMillisecond);

void BM_HtmlReport_1M_Bars(benchmark::State& state) {
  const Run& r = run();
  report::ReportInputs in;
  in.bars = &r.bars;
  in.equity = r.equity;
  in.trades = r.trades;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto html = report::render_html_report(in);
    bytes = html->size();
    benchmark::DoNotOptimize(html);
  }
  state.counters["report_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_HtmlReport_1M_Bars)->Unit(benchmark::kMillisecond);

void BM_PngDashboard_1M_Bars(benchmark::State& state) {
  const Run& r = run();
  report::ReportInputs in;
  in.equity = r.equity;
  in.trades = r.trades;
  for (auto _ : state) {
    const Status s = report::write_png_dashboard(in, "/tmp/tradeloop_bench_dashboard.png");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_PngDashboard_1M_Bars)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tradeloop::bench

BENCHMARK_MAIN();
