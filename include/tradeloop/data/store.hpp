// The local data store: a SQLite catalog of candles keyed by (exchange, symbol, timeframe).
//
// Default location `<home>/data.db` (home: --home, $TRADELOOP_HOME or ~/.tradeloop; the CLI
// resolves it). Schema version 2 (docs/data.md section 4): `series(id, exchange, symbol, timeframe,
// rows, first_ts, last_ts)` and `blocks(series_id, first_ts, last_ts, count, data)` WITHOUT ROWID,
// primary key (series_id, first_ts). A block holds up to `StoreOptions::max_block_bars` bars of
// one series, ascending, its columns packed in one BLOB as little-endian arrays (ts int64 ns UTC,
// then open, high, low, close, volume as IEEE-754 doubles); the blocks of a series never overlap
// in time. So a load reads one row per few thousand bars (SQLite's per-row cost was the limit of
// the one-row-per-bar layout) and a range query reads only the blocks that overlap the range. Only
// OHLCV is stored (extra columns are not). A version-1 store (one row per bar) is migrated to
// version 2 on open, in one transaction; a newer version is refused (kUnsupported, naming the file).
//
// Consistency: WAL journal, synchronous=NORMAL. Every upsert/import is ONE transaction: an
// error, a cancellation or a killed process part-way leaves the store exactly as it was before
// (SQLite rolls the transaction back on the next open). Upsert replaces bars with the same
// (series, ts) and never duplicates them; it rewrites only the blocks that overlap the new bars
// (when none does, the under-full neighbours, so appends do not leave one-bar blocks), re-split
// to at most the maximum size. Bars are checked before anything is written: a NaN/Inf/non-positive price or a NaN/Inf
// volume aborts the whole upsert (kInvalidArgument naming the series, the bar and its time).
// A damaged block (BLOB length not count * 48 bytes, times out of order) is a kIo error naming
// the series, never a crash.
//
// Thread-safety: one DataStore per thread (the connection is not shared); several processes
// may open the same file (WAL readers never block the writer; writers wait up to 5 s).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/time.hpp"
#include "tradeloop/core/timeframe.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/data/csv.hpp"

struct sqlite3;

namespace tradeloop {

struct SeriesKey {
  std::string exchange;  // "binance", "file", ...
  std::string symbol;    // "BTC/USDT"
  Timeframe timeframe;

  bool operator==(const SeriesKey&) const = default;
  std::string to_string() const;  // "binance BTC/USDT 1m"
};

struct SeriesInfo {
  SeriesKey key;
  std::size_t rows = 0;
  Timestamp first = 0;  // open time of the first bar
  Timestamp last = 0;   // open time of the last bar
};

struct StoreOptions {
  // Most bars per stored block (one row, 48 bytes per bar): larger blocks mean fewer rows per
  // load, more bytes rewritten by a one-bar upsert. 1 .. 1,048,576 (else kInvalidArgument).
  // Applies to blocks written from now on; blocks written with another size stay readable.
  std::size_t max_block_bars = 4096;
};

struct UpsertStats {
  std::size_t written = 0;   // bars given (inserted + replaced)
  std::size_t inserted = 0;  // distinct new timestamps
  std::size_t replaced = 0;  // bars whose timestamp existed, in the store or earlier in the input
};

// Called every `kProgressEvery` bars during an upsert with (done, total), both counting the bars
// given (done advances as the blocks are written); return false to cancel (the transaction is
// rolled back and the result is kCancelled).
using StoreProgress = std::function<bool(std::size_t done, std::size_t total)>;

// Range of a query: [start, end) in ns UTC; unset = unbounded.
struct TimeRange {
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
};

class DataStore {
 public:
  static constexpr std::size_t kProgressEvery = 10'000;

  static constexpr int kSchemaVersion = 2;

  // Opens or creates the store (and its parent directory), migrating a version-1 store. Errors
  // (kIo; kUnsupported for a newer schema version) name the path.
  static Result<std::unique_ptr<DataStore>> open(const std::string& path, const StoreOptions& options = {});
  // `<home>/data.db`.
  static std::string default_path(const std::string& home);

  ~DataStore();
  DataStore(const DataStore&) = delete;
  DataStore& operator=(const DataStore&) = delete;

  const std::string& path() const noexcept { return path_; }

  // Inserts or replaces the bars of `series` under `key`, in one transaction. `series` may be
  // unsorted; of several bars with one timestamp the last given wins.
  Result<UpsertStats> upsert(const SeriesKey& key, const BarSeries& series, const StoreProgress& progress = {});
  // Bars of `key` in `range`, ascending; symbol, timeframe and source ("store:<key>") set.
  // kNotFound when the series does not exist; kIo when a block read is damaged.
  Result<BarSeries> load(const SeriesKey& key, const TimeRange& range = {});
  // Every series with its row count and first/last time, ordered by exchange, symbol, timeframe.
  Result<std::vector<SeriesInfo>> list();
  Result<std::optional<SeriesInfo>> info(const SeriesKey& key);
  // Deletes a series and its bars (one transaction). kNotFound when absent.
  Status remove(const SeriesKey& key);

  // Reads `path` strictly (read_csv) then upserts it: a file with a bad row imports nothing.
  // key.timeframe is used as given; the CLI fills it from the data when the user gives none.
  Result<UpsertStats> import_csv(const std::string& path, const SeriesKey& key, const CsvReadOptions& read = {},
                                 const StoreProgress& progress = {});
  // Writes load(key, range) with write_csv. kNotFound when the series does not exist.
  Result<std::size_t> export_csv(const SeriesKey& key, const std::string& path, const TimeRange& range = {},
                                 const CsvWriteOptions& write = {});

 private:
  struct SeriesRow {
    std::int64_t id = 0;
    std::size_t rows = 0;
    Timestamp first = 0, last = 0;
  };

  DataStore(sqlite3* db, std::string path, std::size_t max_block_bars)
      : db_(db), path_(std::move(path)), max_block_bars_(max_block_bars) {}
  Status exec(const char* sql);
  Error db_error(const std::string& what) const;
  Result<std::optional<SeriesRow>> series_row(const SeriesKey& key);
  Result<int> schema_version();
  Status prepare_schema();
  Status migrate_v1();

  sqlite3* db_;
  std::string path_;
  std::size_t max_block_bars_;
};

}  // namespace tradeloop
