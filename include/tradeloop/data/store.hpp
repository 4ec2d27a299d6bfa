// The local data store: a SQLite catalog of candles keyed by (exchange, symbol, timeframe).
//
// Default location `<home>/data.db` (home: --home, $TRADELOOP_HOME or ~/.tradeloop; the CLI
// resolves it). Schema (docs/data.md): `series(id, exchange, symbol, timeframe, rows, first_ts,
// last_ts)` and one table `bars(series_id, ts, open, high, low, close, volume)` WITHOUT ROWID with
// primary key (series_id, ts), so a series is one contiguous B-tree range and a range query is a
// single index seek + scan. Timestamps are int64 ns UTC (bar open time); prices REAL; only OHLCV
// is stored (extra columns are not).
//
// Consistency: WAL journal, synchronous=NORMAL. Every upsert/import is ONE transaction: an
// error, a cancellation or a killed process part-way leaves the store exactly as it was before
// (SQLite rolls the transaction back on the next open). Upsert replaces bars with the same
// (series, ts) and never duplicates them. NaN prices are rejected by NOT NULL/CHECK constraints
// (SQLite stores NaN as NULL), so a bad bar aborts the whole upsert.
//
// Thread-safety: one DataStore per thread (the connection is not shared); several processes
// may open the same file (WAL readers never block the writer; writers wait up to 5 s).
#pragma once

#include <cstddef>
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

struct UpsertStats {
  std::size_t written = 0;   // bars written (inserted or replaced)
  std::size_t inserted = 0;  // new timestamps
  std::size_t replaced = 0;  // timestamps that existed (values overwritten)
};

// Called every `kProgressEvery` bars during an upsert with (done, total); return false to cancel
// (the transaction is rolled back and the result is kCancelled).
using StoreProgress = std::function<bool(std::size_t done, std::size_t total)>;

// Range of a query: [start, end) in ns UTC; unset = unbounded.
struct TimeRange {
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
};

class DataStore {
 public:
  static constexpr std::size_t kProgressEvery = 10'000;

  // Opens or creates the store (and its parent directory). Errors (kIo) name the path.
  static Result<std::unique_ptr<DataStore>> open(const std::string& path);
  // `<home>/data.db`.
  static std::string default_path(const std::string& home);

  ~DataStore();
  DataStore(const DataStore&) = delete;
  DataStore& operator=(const DataStore&) = delete;

  const std::string& path() const noexcept { return path_; }

  // Inserts or replaces the bars of `series` under `key`, in one transaction.
  Result<UpsertStats> upsert(const SeriesKey& key, const BarSeries& series, const StoreProgress& progress = {});
  // Bars of `key` in `range`, ascending; symbol, timeframe and source ("store:<key>") set.
  // kNotFound when the series does not exist.
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
  DataStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status exec(const char* sql);
  Error db_error(const std::string& what) const;
  Result<std::optional<std::int64_t>> series_id(const SeriesKey& key);

  sqlite3* db_;
  std::string path_;
};

}  // namespace tradeloop
