// Data layer speed (issue #2): load a 1,000,000-row OHLCV CSV (>= 3M rows/s per core), load 1M
// bars from the store (>= 3M rows/s), resample 1M 1-minute bars to 1h (<= 20 ms).
//
// Baselines in the same run: BM_MapFileBytes / BM_ReadFileBytes are the time to get the same
// CSV's bytes into memory by mmap (what read_csv does) / by read() into a string (the I/O floor
// of any CSV reader); BM_ResampleCopyColumns / BM_StoreBaselineCopyColumns are one pass copying
// the 6 columns, 48 MB (the memory-bandwidth floor of any resampler or store load);
// BM_StoreBaselineV1RowLoop reads the same bars from the schema-1 layout (one SQLite row per
// bar) with a bare sqlite3_step loop (the floor of any one-row-per-bar store). Files are
// generated at start-up into a temp dir with bench_util's seeded random walk + write_csv (and,
// for the schema-1 table, raw SQL), and removed at exit.
//
// Rates (items_per_second = rows/s) are per CPU second of this thread (user + system), i.e. per
// core: on a shared machine the wall time ("Time") grows with the other load, the CPU time does
// not. On an idle machine the two agree.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
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

// The schema-1 layout (one row per bar, as DataStore kept it before schema 2) holding `s`.
void write_v1_table(const std::string& path, const BarSeries& s) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error(path + ": cannot open");
  sqlite3_exec(db,
               "CREATE TABLE bars (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, open REAL NOT NULL, "
               "high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL, "
               "PRIMARY KEY (series_id, ts)) WITHOUT ROWID; BEGIN",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO bars VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)", -1, &ins, nullptr);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Bar b = s.bar(i);
    sqlite3_bind_int64(ins, 1, b.ts);
    int col = 2;
    for (double x : {b.open, b.high, b.low, b.close, b.volume}) sqlite3_bind_double(ins, col++, x);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  const int rc = sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error(path + ": cannot write the schema-1 table");
}

struct Fixture {
  std::filesystem::path dir;
  std::string csv, csv_full, db, db_v1;
  BarSeries series;

  Fixture() {
    dir = std::filesystem::temp_directory_path() / ("tradeloop_data_bench_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    csv = (dir / "ohlcv_1m.csv").string();
    csv_full = (dir / "ohlcv_1m_full_precision.csv").string();
    db = (dir / "data.db").string();
    db_v1 = (dir / "v1_rows.db").string();
    const BarSeries raw = bench::random_walk_series(kRows);
    series = tick_rounded(raw);
    CsvWriteOptions w;
    w.time_style = CsvTimeStyle::kSpace;  // the user guide's `YYYY-MM-DD HH:MM:SS`
    write_csv(series, csv, w).check();
    write_csv(raw, csv_full, w).check();
    auto store = DataStore::open(db).value();
    store->upsert(kKey, series).value();
    write_v1_table(db_v1, series);
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
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRows * sizeof(Bar)));
  state.SetLabel("schema 2: blocks of 4096 bars, columns packed in one BLOB");
}
BENCHMARK(BM_StoreLoad1M)->Unit(benchmark::kMillisecond);

// One day (1,440 bars) from the middle of the 1M-bar series: only the blocks overlapping it are read.
void BM_StoreLoadOneDay(benchmark::State& state) {
  Fixture& f = fixture();
  auto store = DataStore::open(f.db).value();
  const Timestamp t0 = f.series.timestamps()[kRows / 2];
  for (auto _ : state) {
    auto s = store->load(kKey, {t0, t0 + 1440 * kNanosPerMinute});
    if (!s || s->size() != 1440) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(s->close().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1440));
  state.SetLabel("range [t, t + 1 day) of the 1M-bar series");
}
BENCHMARK(BM_StoreLoadOneDay)->Unit(benchmark::kMicrosecond);

void BM_StoreBaselineV1RowLoop(benchmark::State& state) {
  Fixture& f = fixture();
  sqlite3* db = nullptr;
  sqlite3_open(f.db_v1.c_str(), &db);
  sqlite3_exec(db, "PRAGMA mmap_size=1073741824", nullptr, nullptr, nullptr);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT ts, open, high, low, close, volume FROM bars WHERE series_id = 1 ORDER BY ts", -1, &q,
                     nullptr);
  for (auto _ : state) {
    BarSeries s;
    auto& vt = s.mutable_timestamps();
    auto &vo = s.mutable_open(), &vh = s.mutable_high(), &vl = s.mutable_low(), &vc = s.mutable_close(),
         &vv = s.mutable_volume();
    for (auto* col : {&vo, &vh, &vl, &vc, &vv}) col->resize(kRows);
    vt.resize(kRows);
    std::size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW && n < kRows) {
      vt[n] = sqlite3_column_int64(q, 0);
      vo[n] = sqlite3_column_double(q, 1);
      vh[n] = sqlite3_column_double(q, 2);
      vl[n] = sqlite3_column_double(q, 3);
      vc[n] = sqlite3_column_double(q, 4);
      vv[n] = sqlite3_column_double(q, 5);
      ++n;
    }
    sqlite3_reset(q);
    if (n != kRows) state.SkipWithError("schema-1 read failed");
    benchmark::DoNotOptimize(vc.data());
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetLabel("baseline: schema 1 (one row per bar), bare sqlite3_step loop");
}
BENCHMARK(BM_StoreBaselineV1RowLoop)->Unit(benchmark::kMillisecond);

// The 6 columns copied once (48 MB): the memory-bandwidth floor of a load or a resample.
void copy_columns(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    BarSeries copy = f.series.slice(0, f.series.size());
    benchmark::DoNotOptimize(copy.close().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRows * sizeof(Bar)));
  state.SetLabel("baseline: copy the 6 columns once");
}
void BM_StoreBaselineCopyColumns(benchmark::State& state) { copy_columns(state); }
BENCHMARK(BM_StoreBaselineCopyColumns)->Unit(benchmark::kMillisecond);

// Into an empty series (a first import); the series is removed between iterations, untimed.
void BM_StoreUpsert1MNew(benchmark::State& state) {
  Fixture& f = fixture();
  auto store = DataStore::open(f.db).value();
  const SeriesKey key{"bench", "NEW/USD", kKey.timeframe};
  for (auto _ : state) {
    auto st = store->upsert(key, f.series);
    if (!st || st->inserted != kRows) state.SkipWithError("upsert failed");
    state.PauseTiming();
    store->remove(key).check();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetLabel("one transaction, into an empty series");
}
BENCHMARK(BM_StoreUpsert1MNew)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_StoreUpsert1M(benchmark::State& state) {
  Fixture& f = fixture();
  auto store = DataStore::open(f.db).value();
  for (auto _ : state) {
    auto st = store->upsert(kKey, f.series);
    if (!st || st->replaced != kRows) state.SkipWithError("upsert failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetLabel("one transaction, every bar replaced");
}
BENCHMARK(BM_StoreUpsert1M)->Unit(benchmark::kMillisecond)->Iterations(3);

// One bar replaced in the middle of the 1M-bar series: rewrites the one block holding it.
void BM_StoreUpsert1BarInto1M(benchmark::State& state) {
  Fixture& f = fixture();
  auto store = DataStore::open(f.db).value();
  BarSeries one = f.series.slice(kRows / 2, kRows / 2 + 1);
  for (auto _ : state) {
    one.mutable_volume()[0] += 1;
    auto st = store->upsert(kKey, one);
    if (!st || st->replaced != 1) state.SkipWithError("upsert failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel("one transaction, one bar replaced");
}
BENCHMARK(BM_StoreUpsert1BarInto1M)->Unit(benchmark::kMicrosecond);

void BM_ResampleCopyColumns(benchmark::State& state) { copy_columns(state); }
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
