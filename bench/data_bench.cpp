// Data layer speed (issue #2): load a 1,000,000-row OHLCV CSV (>= 3M rows/s per core), load 1M
// bars from the store (>= 3M rows/s), resample 1M 1-minute bars to 1h (<= 20 ms).
//
// Baselines in the same run: BM_MapFileBytes / BM_ReadFileBytes are the time to get the same
// CSV's bytes into memory by mmap (what read_csv does) / by read() into a string (the I/O floor
// of any CSV reader); BM_ResampleCopyColumns is one pass copying the columns (the
// memory-bandwidth floor of any resampler). Files are generated at start-up into a temp dir with
// bench_util's seeded random walk + write_csv, and removed at exit.
//
// Rates (items_per_second = rows/s) are per CPU second of this thread (user + system), i.e. per
// core: on a shared machine the wall time ("Time") grows with the other load, the CPU time does
// not. On an idle machine the two agree.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "bench_util.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/data/resample.hpp"
#include "tradeloop/data/store.hpp"

namespace {

using namespace tradeloop;

constexpr std::size_t kRows = 1'000'000;
const SeriesKey kKey{"bench", "SYN/USD", Timeframe(Timeframe::Unit::kMinute, 1)};

// Real files carry prices on a tick grid and volumes with a few decimals ("46319.5",
// "1820.54447418"); the raw random walk has 17 significant digits per number, which no exchange
// writes. Both are measured: `csv` has prices rounded to 0.01 and volumes to 0.0001 (as real
// data), `csv_full` keeps every digit (the worst case for any decimal parser).
BarSeries tick_rounded(const BarSeries& s) {
  BarSeries r = s;
  auto round_to = [](std::vector<double>& v, double scale) {
    for (double& x : v) x = std::round(x * scale) / scale;
  };
  for (auto* col : {&r.mutable_open(), &r.mutable_high(), &r.mutable_low(), &r.mutable_close()}) round_to(*col, 100);
  round_to(r.mutable_volume(), 10000);
  return r;
}

struct Fixture {
  std::filesystem::path dir;
  std::string csv, csv_full, db;
  BarSeries series;

  Fixture() {
    dir = std::filesystem::temp_directory_path() / ("tradeloop_data_bench_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    csv = (dir / "ohlcv_1m.csv").string();
    csv_full = (dir / "ohlcv_1m_full_precision.csv").string();
    db = (dir / "data.db").string();
    const BarSeries raw = bench::random_walk_series(kRows);
    series = tick_rounded(raw);
    CsvWriteOptions w;
    w.time_style = CsvTimeStyle::kSpace;  // the user guide's `YYYY-MM-DD HH:MM:SS`
    write_csv(series, csv, w).check();
    write_csv(raw, csv_full, w).check();
    auto store = DataStore::open(db).value();
    store->upsert(kKey, series).value();
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// `full_precision` picks the 17-digit file instead of the tick-rounded one.
void BM_MapFileBytes(benchmark::State& state, bool full_precision) {
  Fixture& f = fixture();
  const std::string& path = full_precision ? f.csv_full : f.csv;
  for (auto _ : state) {
    auto text = FileText::load(path);
    // Touch every page so the bytes are really in memory (MAP_POPULATE should have done it).
    unsigned sum = 0;
    for (std::size_t i = 0; i < text->size(); i += 4096) sum += static_cast<unsigned char>(text->data()[i]);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * std::filesystem::file_size(path)));
  state.SetLabel("baseline: the reader's I/O (mmap), no parsing");
}
BENCHMARK_CAPTURE(BM_MapFileBytes, tick_rounded, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MapFileBytes, full_precision, true)->Unit(benchmark::kMillisecond);

void BM_ReadFileBytes(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto bytes = read_file_bytes(f.csv);
    benchmark::DoNotOptimize(bytes->data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * std::filesystem::file_size(f.csv)));
  state.SetLabel("baseline: read() into a std::string, no parsing");
}
BENCHMARK(BM_ReadFileBytes)->Unit(benchmark::kMillisecond);

void BM_ReadCsv1M(benchmark::State& state, bool full_precision) {
  Fixture& f = fixture();
  const std::string& path = full_precision ? f.csv_full : f.csv;
  for (auto _ : state) {
    auto s = read_csv(path);
    if (!s || s->size() != kRows) state.SkipWithError("read_csv failed");
    benchmark::DoNotOptimize(s->close().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * std::filesystem::file_size(path)));
  state.SetLabel(full_precision ? "17 significant digits per number (worst case)"
                                : "strict: parse + row checks + timeframe detection");
}
BENCHMARK_CAPTURE(BM_ReadCsv1M, tick_rounded, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ReadCsv1M, full_precision, true)->Unit(benchmark::kMillisecond);

void BM_ParseCsvInMemory1M(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string text = read_file_bytes(f.csv).value();
  for (auto _ : state) {
    auto s = parse_csv(text, f.csv);
    if (!s || s->size() != kRows) state.SkipWithError("parse_csv failed");
    benchmark::DoNotOptimize(s->close().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetLabel("parse only (text already in memory; includes one copy of it)");
}
BENCHMARK(BM_ParseCsvInMemory1M)->Unit(benchmark::kMillisecond);

void BM_WriteCsv1M(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    std::string text = format_csv(f.series);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetLabel("format only (shortest round-trip doubles)");
}
BENCHMARK(BM_WriteCsv1M)->Unit(benchmark::kMillisecond);

void BM_StoreLoad1M(benchmark::State& state) {
  Fixture& f = fixture();
  auto store = DataStore::open(f.db).value();
  for (auto _ : state) {
    auto s = store->load(kKey);
    if (!s || s->size() != kRows) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(s->close().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_StoreLoad1M)->Unit(benchmark::kMillisecond);

void BM_StoreUpsert1M(benchmark::State& state) {
  Fixture& f = fixture();
  auto store = DataStore::open(f.db).value();
  for (auto _ : state) {
    auto st = store->upsert(kKey, f.series);
    if (!st) state.SkipWithError("upsert failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetLabel("one transaction, every bar replaced");
}
BENCHMARK(BM_StoreUpsert1M)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_ResampleCopyColumns(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    BarSeries copy = f.series.slice(0, f.series.size());
    benchmark::DoNotOptimize(copy.close().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetLabel("baseline: copy the 6 columns once");
}
BENCHMARK(BM_ResampleCopyColumns)->Unit(benchmark::kMillisecond);

void BM_Resample1MTo1h(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto r = resample(f.series, Timeframe(Timeframe::Unit::kHour, 1));
    if (!r) state.SkipWithError("resample failed");
    benchmark::DoNotOptimize(r->series.close().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_Resample1MTo1h)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
