#include "tradeloop/data/store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <numeric>
#include <span>

namespace tradeloop {
namespace detail_store {

constexpr std::size_t kValueBytes = 8;
constexpr std::size_t kBarBytes = 6 * kValueBytes;  // ts, open, high, low, close, volume
constexpr std::size_t kMaxBlockBarsLimit = std::size_t{1} << 20;
constexpr Timestamp kMinTs = std::numeric_limits<Timestamp>::min();
constexpr Timestamp kMaxTs = std::numeric_limits<Timestamp>::max();

constexpr const char* kBlocksTable = R"sql(
CREATE TABLE blocks (
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  first_ts  INTEGER NOT NULL,
  last_ts   INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  data      BLOB NOT NULL,
  PRIMARY KEY (series_id, first_ts)
) WITHOUT ROWID;
)sql";

constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('schema_version', '2');
CREATE TABLE series (
  id        INTEGER PRIMARY KEY,
  exchange  TEXT NOT NULL,
  symbol    TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  rows      INTEGER NOT NULL DEFAULT 0,
  first_ts  INTEGER,
  last_ts   INTEGER,
  UNIQUE (exchange, symbol, timeframe)
);
)sql";

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() const { return s_; }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, double v) { sqlite3_bind_double(s_, i, v); }
  void bind(int i, const std::string& v) { sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
  // The bytes must stay valid until the next step() (they are not copied).
  void bind_blob(int i, const std::vector<unsigned char>& v) {
    sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_STATIC);
  }
  // Binds exchange, symbol, timeframe to ?1 ?2 ?3.
  void bind_key(const SeriesKey& key) {
    bind(1, key.exchange);
    bind(2, key.symbol);
    bind(3, key.timeframe.to_string());
  }
  std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
  int step() { return sqlite3_step(s_); }
  void reset() { sqlite3_reset(s_); }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

// Rolls back unless committed. A write transaction takes the write lock at once (BEGIN
// IMMEDIATE); a read transaction only pins one snapshot for several statements.
class Transaction {
 public:
  explicit Transaction(sqlite3* db, bool write = true) : db_(db) {
    ok_ = sqlite3_exec(db_, write ? "BEGIN IMMEDIATE" : "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~Transaction() {
    if (ok_ && !committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  bool ok() const { return ok_; }
  bool commit() { return committed_ = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK; }

 private:
  sqlite3* db_;
  bool ok_ = false;
  bool committed_ = false;
};

Result<Timeframe> parse_stored_timeframe(const unsigned char* text) {
  return Timeframe::parse(text ? reinterpret_cast<const char*>(text) : "");
}

std::string text_column(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// ---------------------------------------------------------------------------- block encoding
// Blocks are little-endian whatever the host: a plain copy on little-endian hosts, bytes
// assembled one by one elsewhere.

template <class T>
void store_le(unsigned char* dst, const T* src, std::size_t n) {
  static_assert(sizeof(T) == kValueBytes);
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(dst, src, n * kValueBytes);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t u;
      std::memcpy(&u, src + i, kValueBytes);
      for (std::size_t b = 0; b < kValueBytes; ++b) dst[i * kValueBytes + b] = static_cast<unsigned char>(u >> (8 * b));
    }
  }
}

template <class T>
void load_le(T* dst, const unsigned char* src, std::size_t n) {
  static_assert(sizeof(T) == kValueBytes);
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(dst, src, n * kValueBytes);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t u = 0;
      for (std::size_t b = 0; b < kValueBytes; ++b) u |= std::uint64_t{src[i * kValueBytes + b]} << (8 * b);
      std::memcpy(dst + i, &u, kValueBytes);
    }
  }
}

// The six columns of a BarSeries, in block order (ts first, then open .. volume).
struct ColumnPtrs {
  Timestamp* ts;
  std::array<double*, 5> values;
};

ColumnPtrs column_ptrs(BarSeries& s) {
  return {s.mutable_timestamps().data(),
          {s.mutable_open().data(), s.mutable_high().data(), s.mutable_low().data(), s.mutable_close().data(),
           s.mutable_volume().data()}};
}

// Packs bars [b, e) of `s` into `blob`: ts[n], open[n], high[n], low[n], close[n], volume[n].
void encode_block(const BarSeries& s, std::size_t b, std::size_t e, std::vector<unsigned char>& blob) {
  const std::size_t n = e - b;
  blob.resize(n * kBarBytes);
  store_le(blob.data(), s.timestamps().data() + b, n);
  const std::array<std::span<const double>, 5> cols{s.open(), s.high(), s.low(), s.close(), s.volume()};
  for (std::size_t c = 0; c < cols.size(); ++c) store_le(blob.data() + (c + 1) * n * kValueBytes, cols[c].data() + b, n);
}

// One row of `blocks` as read (data points into SQLite's buffer, valid until the next step).
struct BlockRow {
  Timestamp first_ts = 0, last_ts = 0;
  std::int64_t count = 0;
  const unsigned char* data = nullptr;
  std::size_t bytes = 0;
};

// A BarSeries filled block by block. Columns grow by exactly the rows appended (capacity is
// reserved ahead), so the zero-fill std::vector does on resize touches only rows about to be
// overwritten, while they are in cache, not a separate pass over the whole series.
struct Filling {
  BarSeries& s;

  std::array<std::vector<double>*, 5> values() {
    return {&s.mutable_open(), &s.mutable_high(), &s.mutable_low(), &s.mutable_close(), &s.mutable_volume()};
  }
  void reserve(std::size_t rows) {
    s.mutable_timestamps().reserve(rows);
    for (auto* col : values()) col->reserve(rows);
  }
  // Adds k rows (for the caller to fill); returns the index of the first.
  std::size_t grow(std::size_t k) {
    const std::size_t n = s.size(), cap = s.mutable_timestamps().capacity();
    if (n + k > cap) reserve(std::max(n + k, cap * 2));
    s.mutable_timestamps().resize(n + k);
    for (auto* col : values()) col->resize(n + k);
    return n;
  }
};

// Appends the bars of block `b` with lo <= ts <= hi to `out`. The BLOB is checked against the
// row (length = count * 48 bytes, first/last time) and the times must rise strictly, also across
// blocks, so a damaged row gives a message (returned), never a crash or a silently wrong series.
std::optional<std::string> append_block(const BlockRow& b, Timestamp lo, Timestamp hi, Filling& out) {
  if (b.count < 1 || b.bytes % kBarBytes != 0 || b.bytes / kBarBytes != static_cast<std::uint64_t>(b.count))
    return std::to_string(b.bytes) + " bytes of data for " + std::to_string(b.count) + " bars (expected " +
           std::to_string(kBarBytes) + " bytes per bar)";
  const std::size_t count = static_cast<std::size_t>(b.count);
  auto ts_at = [&](std::size_t i) {
    Timestamp t;
    load_le(&t, b.data + i * kValueBytes, 1);
    return t;
  };
  if (ts_at(0) != b.first_ts || ts_at(count - 1) != b.last_ts)
    return std::string("its first/last bar times do not match the row's first_ts/last_ts");
  auto lower_bound = [&](Timestamp t) {  // first index with ts >= t
    std::size_t l = 0, r = count;
    while (l < r) {
      const std::size_t m = l + (r - l) / 2;
      if (ts_at(m) < t) l = m + 1;
      else r = m;
    }
    return l;
  };
  const std::size_t i0 = lo <= b.first_ts ? 0 : lower_bound(lo);
  const std::size_t i1 = hi >= b.last_ts ? count : lower_bound(hi + 1);
  if (i0 >= i1) return std::nullopt;
  const std::size_t k = i1 - i0, n = out.grow(k);
  ColumnPtrs dst = column_ptrs(out.s);
  load_le(dst.ts + n, b.data + i0 * kValueBytes, k);
  for (std::size_t c = 0; c < dst.values.size(); ++c)
    load_le(dst.values[c] + n, b.data + ((c + 1) * count + i0) * kValueBytes, k);
  bool rising = true;
  for (std::size_t j = std::max<std::size_t>(n, 1); j < n + k; ++j) rising &= dst.ts[j - 1] < dst.ts[j];
  if (!rising) return std::string("bar times are not strictly increasing");
  return std::nullopt;
}

// ---------------------------------------------------------------------------- bar checks

std::string number_text(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

// The first bar a block may not hold (a NaN/Inf/non-positive price, a NaN/Inf volume), as
// "bar N (time): what"; N counts from `first_number`.
std::optional<std::string> find_bad_bar(const BarSeries& s, std::size_t first_number) {
  const auto o = s.open(), h = s.high(), l = s.low(), c = s.close(), v = s.volume();
  auto good_price = [](double x) { return x > 0 && x <= std::numeric_limits<double>::max(); };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (good_price(o[i]) && good_price(h[i]) && good_price(l[i]) && good_price(c[i]) && std::isfinite(v[i]))
      [[likely]] continue;
    const std::pair<const char*, double> fields[] = {{"open", o[i]}, {"high", h[i]}, {"low", l[i]}, {"close", c[i]}};
    std::string what;
    for (const auto& [name, x] : fields)
      if (!good_price(x)) {
        what = std::string(name) + " is " + number_text(x) + " (prices must be finite and > 0)";
        break;
      }
    if (what.empty()) what = "volume is " + number_text(v[i]) + " (must be finite)";
    return "bar " + std::to_string(first_number + i) + " (" + format_timestamp(s.timestamps()[i]) + "): " + what;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------- merging

// `s` ascending with one bar per time, the last given of equal times winning (as if they had
// been upserted one after the other): `s` itself when it already is, else a sorted copy in `buf`.
const BarSeries& sorted_unique(const BarSeries& s, BarSeries& buf) {
  const auto ts = s.timestamps();
  if (std::adjacent_find(ts.begin(), ts.end(), std::greater_equal<>()) == ts.end()) return s;
  std::vector<std::size_t> order(s.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ts[a] < ts[b]; });
  buf.reserve(s.size());
  for (std::size_t k = 0; k < order.size(); ++k)
    if (k + 1 == order.size() || ts[order[k + 1]] != ts[order[k]]) buf.push_back(s.bar(order[k]));
  return buf;
}

// Stored bars `old` merged with new bars `in` (both ascending and unique; `in` wins on equal
// times); `inserted` counts the times of `in` absent from `old`.
BarSeries merge_bars(const BarSeries& old, const BarSeries& in, std::size_t& inserted) {
  BarSeries out;
  out.reserve(old.size() + in.size());
  const auto to = old.timestamps(), ti = in.timestamps();
  std::size_t i = 0, j = 0;
  while (i < to.size() || j < ti.size()) {
    if (j == ti.size() || (i < to.size() && to[i] < ti[j])) {
      out.push_back(old.bar(i++));
      continue;
    }
    if (i < to.size() && to[i] == ti[j]) ++i;
    else ++inserted;
    out.push_back(in.bar(j++));
  }
  return out;
}

// ---------------------------------------------------------------------------- block table access

struct BlockHead {
  Timestamp first_ts = 0, last_ts = 0;
  std::int64_t count = 0;
};

class Blocks {
 public:
  Blocks(sqlite3* db, std::int64_t series_id) : db_(db), sid_(series_id) {}

  // The last block starting at or before `t` (at_or_before), or the first starting at or after it.
  // False on a database error.
  bool neighbour(Timestamp t, bool at_or_before, std::optional<BlockHead>& out) {
    Stmt q(db_, at_or_before ? "SELECT first_ts, last_ts, count FROM blocks WHERE series_id = ?1 AND first_ts <= ?2 "
                               "ORDER BY first_ts DESC LIMIT 1"
                             : "SELECT first_ts, last_ts, count FROM blocks WHERE series_id = ?1 AND first_ts >= ?2 "
                               "ORDER BY first_ts LIMIT 1");
    if (!q.ok()) return false;
    q.bind(1, sid_);
    q.bind(2, static_cast<std::int64_t>(t));
    const int rc = q.step();
    out.reset();
    if (rc == SQLITE_ROW) out = BlockHead{q.int64(0), q.int64(1), q.int64(2)};
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
  }

  enum class Read { kOk, kDbError, kDamaged };

  // Calls fn(row) for every block starting in [lo_key, hi_key], ascending; stops at the first
  // message fn returns (kDamaged, the message in `damage`).
  template <class Fn>
  Read each(Timestamp lo_key, Timestamp hi_key, Fn&& fn, std::string& damage) {
    Stmt q(db_, "SELECT first_ts, last_ts, count, data FROM blocks WHERE series_id = ?1 AND first_ts >= ?2 "
                "AND first_ts <= ?3 ORDER BY first_ts");
    if (!q.ok()) return Read::kDbError;
    q.bind(1, sid_);
    q.bind(2, static_cast<std::int64_t>(lo_key));
    q.bind(3, static_cast<std::int64_t>(hi_key));
    sqlite3_stmt* st = q.get();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      BlockRow row{sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                   static_cast<const unsigned char*>(sqlite3_column_blob(st, 3)),
                   static_cast<std::size_t>(sqlite3_column_bytes(st, 3))};
      if (auto m = fn(row)) {
        damage = "block starting " + format_timestamp(row.first_ts) + ": " + *m;
        return Read::kDamaged;
      }
    }
    return rc == SQLITE_DONE ? Read::kOk : Read::kDbError;
  }

  bool erase(Timestamp lo_key, Timestamp hi_key) {
    Stmt d(db_, "DELETE FROM blocks WHERE series_id = ?1 AND first_ts >= ?2 AND first_ts <= ?3");
    if (!d.ok()) return false;
    d.bind(1, sid_);
    d.bind(2, static_cast<std::int64_t>(lo_key));
    d.bind(3, static_cast<std::int64_t>(hi_key));
    return d.step() == SQLITE_DONE;
  }

 private:
  sqlite3* db_;
  std::int64_t sid_;
};

// Inserts blocks (the caller removed any block they could collide with).
class BlockWriter {
 public:
  BlockWriter(sqlite3* db, std::int64_t series_id)
      : ins_(db, "INSERT INTO blocks(series_id, first_ts, last_ts, count, data) VALUES (?1, ?2, ?3, ?4, ?5)") {
    ins_.bind(1, series_id);
  }
  bool ok() const { return ins_.ok(); }

  // Bars [b, e) of `s` (ascending, unique, checked) as one block.
  bool write(const BarSeries& s, std::size_t b, std::size_t e) {
    encode_block(s, b, e, blob_);
    ins_.bind(2, static_cast<std::int64_t>(s.timestamps()[b]));
    ins_.bind(3, static_cast<std::int64_t>(s.timestamps()[e - 1]));
    ins_.bind(4, static_cast<std::int64_t>(e - b));
    ins_.bind_blob(5, blob_);
    const bool done = ins_.step() == SQLITE_DONE;
    ins_.reset();
    return done;
  }

 private:
  Stmt ins_;
  std::vector<unsigned char> blob_;
};

// Sets the catalog's row count and first/last bar time of a series.
bool set_series_stats(sqlite3* db, std::int64_t series_id, std::size_t rows, Timestamp first, Timestamp last) {
  Stmt update(db, "UPDATE series SET rows = ?2, first_ts = ?3, last_ts = ?4 WHERE id = ?1");
  update.bind(1, series_id);
  update.bind(2, static_cast<std::int64_t>(rows));
  update.bind(3, static_cast<std::int64_t>(first));
  update.bind(4, static_cast<std::int64_t>(last));
  return update.step() == SQLITE_DONE;
}

// Calls fn(begin, end) for the fewest chunks of at most `max_bars` covering n bars, their sizes
// within one bar of each other (so a merge never leaves a sliver block); stops when fn is false.
template <class Fn>
bool each_chunk(std::size_t n, std::size_t max_bars, Fn&& fn) {
  if (n == 0) return true;
  const std::size_t chunks = (n + max_bars - 1) / max_bars, base = n / chunks, extra = n % chunks;
  std::size_t b = 0;
  for (std::size_t k = 0; k < chunks; ++k) {
    const std::size_t e = b + base + (k < extra ? 1 : 0);
    if (!fn(b, e)) return false;
    b = e;
  }
  return true;
}

}  // namespace detail_store

using detail_store::Stmt;

std::string SeriesKey::to_string() const { return exchange + " " + symbol + " " + timeframe.to_string(); }

std::string DataStore::default_path(const std::string& home) { return home + "/data.db"; }

Result<std::unique_ptr<DataStore>> DataStore::open(const std::string& path, const StoreOptions& options) {
  if (options.max_block_bars < 1 || options.max_block_bars > detail_store::kMaxBlockBarsLimit)
    return invalid_argument(path + ": max_block_bars must be 1 .. " + std::to_string(detail_store::kMaxBlockBarsLimit) +
                            ", got " + std::to_string(options.max_block_bars));
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return io_error(path + ": cannot create directory " + parent.string() + ": " + ec.message());
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return io_error(path + ": cannot open the data store: " + msg);
  }
  std::unique_ptr<DataStore> store(new DataStore(db, path, options.max_block_bars));
  sqlite3_busy_timeout(db, 5000);
  // Only takes effect when the file is new: fewer, larger pages per block BLOB.
  TL_RETURN_IF_ERROR(store->exec("PRAGMA page_size=65536"));
  TL_RETURN_IF_ERROR(store->exec("PRAGMA journal_mode=WAL"));
  TL_RETURN_IF_ERROR(store->exec("PRAGMA synchronous=NORMAL"));
  TL_RETURN_IF_ERROR(store->exec("PRAGMA foreign_keys=ON"));
  // Reads go through a memory map instead of the pager's copies.
  TL_RETURN_IF_ERROR(store->exec("PRAGMA mmap_size=1073741824"));
  TL_RETURN_IF_ERROR(store->prepare_schema());
  return store;
}

DataStore::~DataStore() { sqlite3_close(db_); }

Error DataStore::db_error(const std::string& what) const {
  return io_error(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Status DataStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : "unknown error";
  sqlite3_free(err);
  if (msg.find("not a database") != std::string::npos || msg.find("malformed") != std::string::npos)
    return io_error(path_ + ": not a tradeloop data store (" + msg + ")");
  return io_error(path_ + ": " + msg);
}

// 0 for a file without tradeloop tables yet.
Result<int> DataStore::schema_version() {
  Stmt has_meta(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!has_meta.ok() || has_meta.step() != SQLITE_ROW) return db_error("read the schema");
  if (has_meta.int64(0) == 0) return 0;
  Stmt q(db_, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!q.ok()) return db_error("read the schema version");
  const int rc = q.step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error("read the schema version");
  const std::string text = rc == SQLITE_ROW ? detail_store::text_column(q.get(), 0) : "";
  int v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || v < 1)
    return io_error(path_ + ": not a tradeloop data store (schema_version '" + text + "' in table meta)");
  return v;
}

Status DataStore::prepare_schema() {
  auto newer = [&](int v) {
    return Error{ErrorCode::kUnsupported, path_ + ": the data store has schema version " + std::to_string(v) +
                                              ", newer than this tradeloop reads (" + std::to_string(kSchemaVersion) +
                                              "); use a newer tradeloop or another --home"};
  };
  auto v = schema_version();
  if (!v) return std::move(v).error();
  if (*v == kSchemaVersion) return Status::Ok();
  if (*v > kSchemaVersion) return newer(*v);
  // Create or migrate under the write lock; another process may have done it meanwhile.
  detail_store::Transaction tx(db_);
  if (!tx.ok()) return db_error("cannot start a transaction");
  v = schema_version();
  if (!v) return std::move(v).error();
  if (*v > kSchemaVersion) return newer(*v);
  if (*v == 0) {
    TL_RETURN_IF_ERROR(exec(detail_store::kSchemaV2));
    TL_RETURN_IF_ERROR(exec(detail_store::kBlocksTable));
  } else if (*v == 1) {
    TL_RETURN_IF_ERROR(migrate_v1());
  }
  if (!tx.commit()) return db_error("commit");
  return Status::Ok();
}

// Version 1 kept one row per bar in `bars(series_id, ts, open, high, low, close, volume)`. Each
// series is streamed into full blocks in time order; rows/first/last are recounted from the data.
// Runs inside prepare_schema's transaction: a failure leaves the file at version 1.
Status DataStore::migrate_v1() {
  const std::string failed = "cannot migrate the data store from schema version 1 to " + std::to_string(kSchemaVersion);
  TL_RETURN_IF_ERROR(exec(detail_store::kBlocksTable));
  std::vector<std::pair<std::int64_t, std::string>> all;
  {
    Stmt q(db_, "SELECT id, exchange, symbol, timeframe FROM series ORDER BY id");
    if (!q.ok()) return db_error(failed);
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
      all.emplace_back(q.int64(0), detail_store::text_column(q.get(), 1) + " " + detail_store::text_column(q.get(), 2) +
                                       " " + detail_store::text_column(q.get(), 3));
    if (rc != SQLITE_DONE) return db_error(failed);
  }
  for (const auto& [sid, name] : all) {
    Stmt bars(db_, "SELECT ts, open, high, low, close, volume FROM bars WHERE series_id = ?1 ORDER BY ts");
    detail_store::BlockWriter writer(db_, sid);
    if (!bars.ok() || !writer.ok()) return db_error(failed);
    bars.bind(1, sid);
    BarSeries chunk;
    std::size_t rows = 0;
    Timestamp first = 0, last = 0;
    auto flush = [&]() -> Status {
      if (chunk.empty()) return Status::Ok();
      if (auto bad = detail_store::find_bad_bar(chunk, rows + 1))
        return invalid_argument(path_ + ": " + failed + ": " + name + ": " + *bad);
      if (!writer.write(chunk, 0, chunk.size())) return db_error(failed + ": series " + name);
      if (rows == 0) first = chunk.front().ts;
      last = chunk.back().ts;
      rows += chunk.size();
      chunk.clear();
      return Status::Ok();
    };
    int rc;
    while ((rc = bars.step()) == SQLITE_ROW) {
      sqlite3_stmt* s = bars.get();
      chunk.push_back(Bar{sqlite3_column_int64(s, 0), sqlite3_column_double(s, 1), sqlite3_column_double(s, 2),
                          sqlite3_column_double(s, 3), sqlite3_column_double(s, 4), sqlite3_column_double(s, 5)});
      if (chunk.size() == max_block_bars_) TL_RETURN_IF_ERROR(flush());
    }
    if (rc != SQLITE_DONE) return db_error(failed + ": series " + name);
    TL_RETURN_IF_ERROR(flush());
    if (!detail_store::set_series_stats(db_, sid, rows, first, last)) return db_error(failed + ": series " + name);
  }
  TL_RETURN_IF_ERROR(exec("DROP TABLE bars; UPDATE meta SET value = '2' WHERE key = 'schema_version'"));
  return Status::Ok();
}

Result<std::optional<DataStore::SeriesRow>> DataStore::series_row(const SeriesKey& key) {
  Stmt q(db_, "SELECT id, rows, first_ts, last_ts FROM series WHERE exchange = ?1 AND symbol = ?2 AND timeframe = ?3");
  if (!q.ok()) return db_error("query");
  q.bind_key(key);
  const int rc = q.step();
  if (rc == SQLITE_DONE) return std::optional<SeriesRow>();
  if (rc != SQLITE_ROW) return db_error("query");
  return std::optional<SeriesRow>(SeriesRow{q.int64(0), static_cast<std::size_t>(q.int64(1)), q.int64(2), q.int64(3)});
}

Result<UpsertStats> DataStore::upsert(const SeriesKey& key, const BarSeries& s, const StoreProgress& progress) {
  if (key.exchange.empty() || key.symbol.empty())
    return invalid_argument("a stored series needs an exchange and a symbol (got '" + key.exchange + "', '" + key.symbol + "')");
  const std::string name = key.to_string();
  if (auto bad = detail_store::find_bad_bar(s, 1))
    return invalid_argument(path_ + ": " + name + ": " + *bad + "; nothing was imported");
  UpsertStats st;
  st.written = s.size();
  if (s.empty()) return st;
  BarSeries sorted_buf;
  const BarSeries& in = detail_store::sorted_unique(s, sorted_buf);
  const Timestamp in_first = in.timestamps().front(), in_last = in.timestamps().back();

  detail_store::Transaction tx(db_);
  if (!tx.ok()) return db_error("cannot start a transaction");
  Stmt ins_series(db_, "INSERT OR IGNORE INTO series(exchange, symbol, timeframe) VALUES (?1, ?2, ?3)");
  if (!ins_series.ok()) return db_error("prepare");
  ins_series.bind_key(key);
  if (ins_series.step() != SQLITE_DONE) return db_error("cannot create series " + name);
  auto row = series_row(key);
  if (!row) return std::move(row).error();
  if (!*row) return db_error("cannot create series " + name);
  const SeriesRow before = **row;

  // The blocks to rewrite: those overlapping [in_first, in_last]; when none does, the under-full
  // neighbours on either side instead (so appending bar by bar grows a block rather than adding
  // one-bar blocks). They are consecutive, so [lo_key, hi_key] on first_ts selects exactly them.
  detail_store::Blocks blocks(db_, before.id);
  std::optional<detail_store::BlockHead> prev, next;
  if (!blocks.neighbour(in_first, true, prev) || !blocks.neighbour(in_first, false, next))
    return db_error("read blocks of " + name);
  const bool prev_overlaps = prev && prev->last_ts >= in_first;
  const bool next_overlaps = next && next->first_ts <= in_last;
  const auto cap = static_cast<std::int64_t>(max_block_bars_);
  Timestamp lo_key = prev_overlaps ? prev->first_ts : in_first, hi_key = in_last;
  if (!prev_overlaps && !next_overlaps) {
    if (prev && prev->count < cap) lo_key = prev->first_ts;
    if (next && next->count < cap) hi_key = next->first_ts;
  }
  BarSeries old;
  detail_store::Filling fill{old};
  std::string damage;
  using Read = detail_store::Blocks::Read;
  const Read rc = blocks.each(
      lo_key, hi_key,
      [&](const detail_store::BlockRow& b) { return detail_store::append_block(b, detail_store::kMinTs, detail_store::kMaxTs, fill); },
      damage);
  if (rc == Read::kDbError) return db_error("read blocks of " + name);
  if (rc == Read::kDamaged) return io_error(path_ + ": series " + name + " is damaged (" + damage + "); nothing was imported");
  if (!blocks.erase(lo_key, hi_key)) return db_error("rewrite blocks of " + name);

  BarSeries merged_buf;
  if (!old.empty()) merged_buf = detail_store::merge_bars(old, in, st.inserted);
  else st.inserted = in.size();
  const BarSeries& merged = old.empty() ? in : merged_buf;
  st.replaced = st.written - st.inserted;

  detail_store::BlockWriter writer(db_, before.id);
  if (!writer.ok()) return db_error("prepare");
  // Progress counts the given bars, reported in proportion to the merged bars written.
  std::size_t next_report = kProgressEvery;
  bool cancelled = false;
  const bool written = detail_store::each_chunk(merged.size(), max_block_bars_, [&](std::size_t b, std::size_t e) {
    if (!writer.write(merged, b, e)) return false;
    const std::size_t done = e * s.size() / merged.size();
    for (; progress && next_report <= done; next_report += kProgressEvery) {
      if (progress(next_report, s.size())) continue;
      cancelled = true;
      return false;
    }
    return true;
  });
  if (cancelled)
    return Error{ErrorCode::kCancelled, path_ + ": import of " + name + " cancelled, nothing was imported"};
  if (!written) return db_error("bars of " + name + " were not stored, nothing was imported");

  if (!detail_store::set_series_stats(db_, before.id, before.rows - old.size() + merged.size(),
                                      before.rows ? std::min(before.first, in_first) : in_first,
                                      before.rows ? std::max(before.last, in_last) : in_last))
    return db_error("update series stats");
  if (!tx.commit()) return db_error("commit");
  return st;
}

Result<BarSeries> DataStore::load(const SeriesKey& key, const TimeRange& range) {
  // One snapshot for the catalog row, the block before `start` and the block scan, should a
  // writer re-split blocks in between.
  detail_store::Transaction snapshot(db_, false);
  if (!snapshot.ok()) return db_error("cannot start a transaction");
  auto row = series_row(key);
  if (!row) return std::move(row).error();
  if (!*row || (*row)->rows == 0) return not_found(path_ + ": no series " + key.to_string() + " (see 'tradeloop data list')");
  BarSeries out(key.symbol);
  out.set_timeframe(key.timeframe);
  out.set_source("store:" + key.to_string());
  // [start, end) as the inclusive [lo, hi] the block bounds use.
  const Timestamp lo = range.start.value_or(detail_store::kMinTs);
  if (range.end && *range.end == detail_store::kMinTs) return out;
  const Timestamp hi = range.end ? *range.end - 1 : detail_store::kMaxTs;
  if (hi < lo) return out;
  detail_store::Blocks blocks(db_, (*row)->id);
  Timestamp lo_key = lo;
  if (range.start) {
    std::optional<detail_store::BlockHead> prev;
    if (!blocks.neighbour(lo, true, prev)) return db_error("read " + key.to_string());
    if (prev && prev->last_ts >= lo) lo_key = prev->first_ts;
  }
  detail_store::Filling fill{out};
  // Reserved to the catalog's row count when loading everything (capped, should the count be
  // damaged); grown as needed otherwise.
  if (!range.start && !range.end) fill.reserve(std::min<std::size_t>((*row)->rows, std::size_t{1} << 30));
  std::string damage;
  using Read = detail_store::Blocks::Read;
  const Read rc = blocks.each(
      lo_key, hi, [&](const detail_store::BlockRow& b) { return detail_store::append_block(b, lo, hi, fill); }, damage);
  if (rc == Read::kDbError) return db_error("read " + key.to_string());
  if (rc == Read::kDamaged) return io_error(path_ + ": series " + key.to_string() + " is damaged (" + damage + ")");
  return out;
}

Result<std::vector<SeriesInfo>> DataStore::list() {
  Stmt q(db_,
         "SELECT exchange, symbol, timeframe, rows, first_ts, last_ts FROM series WHERE rows > 0 "
         "ORDER BY exchange, symbol, timeframe");
  if (!q.ok()) return db_error("prepare");
  std::vector<SeriesInfo> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    SeriesInfo i;
    i.key.exchange = detail_store::text_column(q.get(), 0);
    i.key.symbol = detail_store::text_column(q.get(), 1);
    auto tf = detail_store::parse_stored_timeframe(sqlite3_column_text(q.get(), 2));
    if (!tf) return io_error(path_ + ": corrupt timeframe in the series table: " + tf.error().message);
    i.key.timeframe = *tf;
    i.rows = static_cast<std::size_t>(q.int64(3));
    i.first = q.int64(4);
    i.last = q.int64(5);
    out.push_back(std::move(i));
  }
  if (rc != SQLITE_DONE) return db_error("list");
  return out;
}

Result<std::optional<SeriesInfo>> DataStore::info(const SeriesKey& key) {
  auto row = series_row(key);
  if (!row) return std::move(row).error();
  if (!*row || (*row)->rows == 0) return std::optional<SeriesInfo>();
  return std::optional<SeriesInfo>(SeriesInfo{key, (*row)->rows, (*row)->first, (*row)->last});
}

Status DataStore::remove(const SeriesKey& key) {
  auto row = series_row(key);
  if (!row) return std::move(row).error();
  if (!*row) return not_found(path_ + ": no series " + key.to_string());
  detail_store::Transaction tx(db_);
  if (!tx.ok()) return db_error("cannot start a transaction");
  for (const char* sql : {"DELETE FROM blocks WHERE series_id = ?1", "DELETE FROM series WHERE id = ?1"}) {
    Stmt d(db_, sql);
    d.bind(1, (*row)->id);
    if (d.step() != SQLITE_DONE) return db_error("delete " + key.to_string());
  }
  if (!tx.commit()) return db_error("commit");
  return Status::Ok();
}

Result<UpsertStats> DataStore::import_csv(const std::string& path, const SeriesKey& key, const CsvReadOptions& read,
                                          const StoreProgress& progress) {
  auto s = read_csv(path, read);
  if (!s) return std::move(s).error();
  return upsert(key, *s, progress);
}

Result<std::size_t> DataStore::export_csv(const SeriesKey& key, const std::string& path, const TimeRange& range,
                                          const CsvWriteOptions& write) {
  auto s = load(key, range);
  if (!s) return std::move(s).error();
  TL_RETURN_IF_ERROR(write_csv(*s, path, write));
  return s->size();
}

}  // namespace tradeloop
