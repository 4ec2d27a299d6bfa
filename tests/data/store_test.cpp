// DataStore: round trip, upsert without duplicates, range queries, listing, and the promise that
// an error, a cancellation or a killed process mid-import leaves the previous contents intact;
// the block layout (schema 2): merges before/after/inside/across blocks, bounded block sizes,
// rewrites limited to the blocks touched, random upserts against a std::map model, migration of
// a schema-1 file, refusal of a newer schema, damaged blocks as clear errors.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "data_fixtures.hpp"
#include "test_util.hpp"
#include "tradeloop/data/store.hpp"

namespace tradeloop {
namespace {

using testing::at;
using testing::source_path;

const SeriesKey kBtc{"test", "BTC-PERP", Timeframe(Timeframe::Unit::kMinute, 1)};

BarSeries btc() { return read_csv(source_path("examples/data/nautilus_BTC-PERP-1m.csv")).value(); }

// Raw SQL on a store file, as an older tradeloop, another program or disk damage would change it.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    ASSERT_EQ(rc, SQLITE_OK) << msg << " in: " << sql;
  }
  // The first column of the first row (an integer), -1 when there is none.
  std::int64_t value(const std::string& sql) {
    sqlite3_stmt* q = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) ADD_FAILURE() << sqlite3_errmsg(db_) << " in: " << sql;
    else if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* q = nullptr;
    std::string v;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
      v = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return v;
  }
  // Schema 1 as tradeloop wrote it before the block layout: one row per bar.
  void create_v1() {
    exec(R"sql(
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta(key, value) VALUES ('schema_version', '1');
      CREATE TABLE series (id INTEGER PRIMARY KEY, exchange TEXT NOT NULL, symbol TEXT NOT NULL,
        timeframe TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0, first_ts INTEGER, last_ts INTEGER,
        UNIQUE (exchange, symbol, timeframe));
      CREATE TABLE bars (series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL, open REAL NOT NULL CHECK (open > 0), high REAL NOT NULL CHECK (high > 0),
        low REAL NOT NULL CHECK (low > 0), close REAL NOT NULL CHECK (close > 0), volume REAL NOT NULL,
        PRIMARY KEY (series_id, ts)) WITHOUT ROWID;)sql");
  }
  void insert_v1_series(std::int64_t id, const SeriesKey& key, const BarSeries& s) {
    exec("INSERT INTO series(id, exchange, symbol, timeframe, rows, first_ts, last_ts) VALUES (" + std::to_string(id) +
         ", '" + key.exchange + "', '" + key.symbol + "', '" + key.timeframe.to_string() + "', " +
         std::to_string(s.size()) + ", " + std::to_string(s.front().ts) + ", " + std::to_string(s.back().ts) + ")");
    exec("BEGIN");
    sqlite3_stmt* ins = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, "INSERT INTO bars VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &ins, nullptr), SQLITE_OK);
    for (std::size_t i = 0; i < s.size(); ++i) {
      const Bar b = s.bar(i);
      sqlite3_bind_int64(ins, 1, id);
      sqlite3_bind_int64(ins, 2, b.ts);
      int col = 3;
      for (double x : {b.open, b.high, b.low, b.close, b.volume}) sqlite3_bind_double(ins, col++, x);
      ASSERT_EQ(sqlite3_step(ins), SQLITE_DONE);
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec("COMMIT");
  }
  // Blocks are disjoint, ascending, within `max_bars`, and add up to the series' row count.
  void expect_block_invariants(std::size_t max_bars, const std::string& where) {
    EXPECT_LE(value("SELECT MAX(count) FROM blocks"), static_cast<std::int64_t>(max_bars)) << where;
    EXPECT_EQ(value("SELECT COUNT(*) FROM (SELECT first_ts, LAG(last_ts) OVER (PARTITION BY series_id ORDER BY "
                    "first_ts) AS prev FROM blocks) WHERE prev >= first_ts"),
              0)
        << where;
    EXPECT_EQ(value("SELECT COUNT(*) FROM blocks WHERE last_ts < first_ts OR length(data) != count * 48"), 0) << where;
    EXPECT_EQ(value("SELECT COUNT(*) FROM series s WHERE rows != (SELECT IFNULL(SUM(count), 0) FROM blocks b "
                    "WHERE b.series_id = s.id)"),
              0)
        << where;
  }

 private:
  sqlite3* db_ = nullptr;
};

using Model = std::map<Timestamp, Bar>;

BarSeries model_series(const Model& m, Timestamp start = std::numeric_limits<Timestamp>::min(),
                       Timestamp end = std::numeric_limits<Timestamp>::max()) {
  BarSeries s;
  for (auto it = m.lower_bound(start); it != m.end() && it->first < end; ++it) s.push_back(it->second);
  return s;
}

void expect_same_bars(const BarSeries& got, const BarSeries& want, const std::string& where) {
  ASSERT_EQ(got.size(), want.size()) << where;
  for (std::size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got.bar(i), want.bar(i)) << where << ", bar " << i;
}

void apply_to_model(Model& m, const BarSeries& s) {
  for (std::size_t i = 0; i < s.size(); ++i) m[s.bar(i).ts] = s.bar(i);
}

TEST(DataStore, RoundTripIsBitIdentical) {
  testing::TempDir dir("store_roundtrip");
  auto store = DataStore::open(dir.file("home/data.db"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  const BarSeries s = btc();
  auto st = (*store)->upsert(kBtc, s);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->inserted, s.size());
  auto back = (*store)->load(kBtc);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->same_data(s));
  EXPECT_EQ(back->timeframe(), kBtc.timeframe);
  EXPECT_EQ(back->symbol(), "BTC-PERP");
}

TEST(DataStore, UpsertReplacesAndNeverDuplicates) {
  testing::TempDir dir("store_upsert");
  auto store = DataStore::open(dir.file("data.db")).value();
  const BarSeries s = btc();
  ASSERT_TRUE(store->upsert(kBtc, s.slice(0, 1000)).ok());
  BarSeries overlap = s.slice(500, 1500);
  overlap.mutable_close()[0] = 1.0;  // row 500 changes
  auto st = store->upsert(kBtc, overlap);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->inserted, 500u);
  EXPECT_EQ(st->replaced, 500u);
  auto back = store->load(kBtc).value();
  ASSERT_EQ(back.size(), 1500u);
  EXPECT_EQ(back.close()[500], 1.0);
  EXPECT_EQ(back.close()[499], s.close()[499]);
  auto list = store->list().value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].rows, 1500u);
  EXPECT_EQ(list[0].first, s.timestamps()[0]);
  EXPECT_EQ(list[0].last, s.timestamps()[1499]);
}

TEST(DataStore, RangeQueriesAreHalfOpen) {
  testing::TempDir dir("store_range");
  auto store = DataStore::open(dir.file("data.db")).value();
  ASSERT_TRUE(store->upsert(kBtc, btc()).ok());
  auto r = store->load(kBtc, {at("2022-01-01T00:00:00Z"), at("2022-01-01T01:00:00Z")});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 60u);
  EXPECT_EQ(r->front().ts, at("2022-01-01T00:00:00Z"));
  EXPECT_EQ(r->back().ts, at("2022-01-01T00:59:00Z"));
  auto missing = store->load({"test", "ETH", kBtc.timeframe});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(DataStore, ImportExportCsv) {
  testing::TempDir dir("store_csv");
  auto store = DataStore::open(dir.file("data.db")).value();
  const std::string src = source_path("examples/data/orcl-1995-2014.txt");
  const SeriesKey key{"yahoo", "ORCL", Timeframe(Timeframe::Unit::kDay, 1)};
  auto st = store->import_csv(src, key);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->written, 5036u);
  auto n = store->export_csv(key, dir.file("orcl.csv"));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 5036u);
  auto back = read_csv(dir.file("orcl.csv"));
  ASSERT_TRUE(back.ok());
  BarSeries orig = read_csv(src).value();
  EXPECT_FALSE(back->has_column("adj_close"));  // the store keeps OHLCV only
  EXPECT_EQ(back->size(), orig.size());
  for (std::size_t i = 0; i < orig.size(); ++i) ASSERT_EQ(back->bar(i), orig.bar(i));
}

TEST(DataStore, FileFailingAtRowNImportsNothing) {
  testing::TempDir dir("store_bad_file");
  auto store = DataStore::open(dir.file("data.db")).value();
  ASSERT_TRUE(store->upsert(kBtc, btc().slice(0, 100)).ok());
  std::string text = "timestamp,open,high,low,close,volume\n";
  for (int i = 0; i < 5000; ++i)
    text += format_timestamp(at("2030-01-01T00:00:00Z") + i * kNanosPerMinute) + (i == 4000 ? ",1,2,0.5,x,3\n" : ",1,2,0.5,1.5,3\n");
  testing::write_file(dir.file("bad.csv"), text);
  auto st = store->import_csv(dir.file("bad.csv"), kBtc);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find(":4002: column 'close': 'x' is not a number"), std::string::npos);
  EXPECT_EQ(store->load(kBtc)->size(), 100u);
}

TEST(DataStore, BadBarMidUpsertRollsEverythingBack) {
  testing::TempDir dir("store_rollback");
  auto store = DataStore::open(dir.file("data.db")).value();
  const BarSeries s = btc();
  ASSERT_TRUE(store->upsert(kBtc, s.slice(0, 100)).ok());
  BarSeries bad = s.slice(50, 20050);
  bad.mutable_close()[15000] = std::numeric_limits<double>::quiet_NaN();
  auto st = store->upsert(kBtc, bad);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("bar 15001"), std::string::npos) << st.error().message;
  auto back = store->load(kBtc).value();
  EXPECT_TRUE(back.same_data(s.slice(0, 100)));
  EXPECT_EQ(store->info(kBtc).value()->rows, 100u);
}

TEST(DataStore, CancelledUpsertRollsBack) {
  testing::TempDir dir("store_cancel");
  auto store = DataStore::open(dir.file("data.db")).value();
  auto st = store->upsert(kBtc, btc(), [](std::size_t done, std::size_t) { return done < 20000; });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(store->list()->empty());
}

TEST(DataStore, KilledProcessMidImportLeavesPreviousContents) {
  testing::TempDir dir("store_kill");
  const std::string db = dir.file("data.db");
  const BarSeries s = btc();
  {
    auto store = DataStore::open(db).value();
    ASSERT_TRUE(store->upsert(kBtc, s.slice(0, 1000)).ok());
  }
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: rewrite every bar and die without any cleanup half-way through the transaction.
    auto store = DataStore::open(db);
    if (!store) _exit(3);
    BarSeries changed = s;
    for (auto& c : changed.mutable_close()) c += 1;
    (void)(*store)->upsert(kBtc, changed, [](std::size_t done, std::size_t) {
      if (done >= 30000) _exit(0);
      return true;
    });
    _exit(4);  // not reached: the callback exits first
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto store = DataStore::open(db).value();
  auto back = store->load(kBtc);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->same_data(s.slice(0, 1000)));
  EXPECT_EQ(store->list()->at(0).rows, 1000u);
}

TEST(DataStore, NotADatabaseIsAClearError) {
  testing::TempDir dir("store_junk");
  testing::write_file(dir.file("data.db"), std::string(4096, 'x'));
  auto store = DataStore::open(dir.file("data.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("data.db"), std::string::npos);
}

TEST(DataStore, UpsertBeforeAfterInsideAndAcrossBlocks) {
  testing::TempDir dir("store_merge");
  const std::string db = dir.file("data.db");
  auto store = DataStore::open(db, {.max_block_bars = 16}).value();
  const BarSeries s = btc();
  Model model;
  struct Step {
    std::size_t begin, end, inserted;
    double close_bump;
  };
  const Step steps[] = {
      {1000, 2000, 1000, 0},  // first import
      {0, 100, 100, 0},       // before, with a gap
      {3000, 3100, 100, 0},   // after, with a gap
      {1500, 1510, 0, 7},     // inside one block, values changed
      {1503, 1540, 0, 1},     // across block boundaries
      {2000, 3000, 1000, 0},  // fills the gap exactly, touching both sides
      {900, 1100, 100, 2},    // overlaps the start of a run
      {50, 3050, 800, 3},     // spans nearly everything
  };
  for (const Step& st : steps) {
    BarSeries part = s.slice(st.begin, st.end);
    for (double& c : part.mutable_close()) c += st.close_bump;
    auto r = store->upsert(kBtc, part);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const std::string where = "upsert [" + std::to_string(st.begin) + ", " + std::to_string(st.end) + ")";
    EXPECT_EQ(r->written, part.size()) << where;
    EXPECT_EQ(r->inserted, st.inserted) << where;
    EXPECT_EQ(r->replaced, part.size() - st.inserted) << where;
    apply_to_model(model, part);
    expect_same_bars(store->load(kBtc).value(), model_series(model), where);
    const auto info = store->info(kBtc).value();
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->rows, model.size()) << where;
    EXPECT_EQ(info->first, model.begin()->first) << where;
    EXPECT_EQ(info->last, model.rbegin()->first) << where;
    RawDb(db).expect_block_invariants(16, where);
  }
}

TEST(DataStore, UnsortedInputWithRepeatedTimesLastOneWins) {
  testing::TempDir dir("store_unsorted");
  auto store = DataStore::open(dir.file("data.db")).value();
  const BarSeries s = btc().slice(0, 10);
  ASSERT_TRUE(store->upsert(kBtc, s.slice(0, 5)).ok());
  BarSeries in;
  for (std::size_t i : {9u, 2u, 7u, 2u, 8u, 9u}) {
    Bar b = s.bar(i);
    b.volume = static_cast<double>(in.size());  // the position in the input
    in.push_back(b);
  }
  auto r = store->upsert(kBtc, in);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->written, 6u);
  EXPECT_EQ(r->inserted, 3u);  // 7, 8, 9
  EXPECT_EQ(r->replaced, 3u);  // 2 (stored), the second 2, the second 9
  const BarSeries back = store->load(kBtc).value();
  ASSERT_EQ(back.size(), 8u);
  EXPECT_EQ(back.bar(2).volume, 3.0);  // the later of the two bars at time 2
  EXPECT_EQ(back.bar(7).volume, 5.0);  // the later of the two bars at time 9
  EXPECT_EQ(back.bar(5).volume, 2.0);  // time 7
}

TEST(DataStore, BadValuesAreRejectedNamingTheSeriesAndTheBar) {
  testing::TempDir dir("store_bad_values");
  auto store = DataStore::open(dir.file("data.db")).value();
  const BarSeries s = btc().slice(0, 200);
  ASSERT_TRUE(store->upsert(kBtc, s.slice(0, 100)).ok());
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  using Column = std::vector<double>& (BarSeries::*)();
  const std::pair<const char*, Column> columns[] = {{"open", &BarSeries::mutable_open},
                                                     {"high", &BarSeries::mutable_high},
                                                     {"low", &BarSeries::mutable_low},
                                                     {"close", &BarSeries::mutable_close},
                                                     {"volume", &BarSeries::mutable_volume}};
  for (const auto& [name, column] : columns) {
    const bool is_price = std::string(name) != "volume";
    for (double x : {nan, inf, -inf, 0.0, -1.0}) {
      BarSeries bad = s.slice(50, 200);
      (bad.*column)()[120] = x;
      auto r = store->upsert(kBtc, bad);
      const std::string what = std::string(name) + " = " + std::to_string(x);
      if (!is_price && std::isfinite(x)) {  // zero or negative volume is stored as given
        EXPECT_TRUE(r.ok()) << what;
        ASSERT_TRUE(store->upsert(kBtc, s.slice(50, 200)).ok());
        continue;
      }
      ASSERT_FALSE(r.ok()) << what;
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << what;
      const std::string& m = r.error().message;
      EXPECT_NE(m.find("bar 121 (" + format_timestamp(bad.timestamps()[120]) + ")"), std::string::npos) << m;
      EXPECT_NE(m.find(kBtc.to_string()), std::string::npos) << m;
      EXPECT_NE(m.find(std::string(name) + " is "), std::string::npos) << m;
      EXPECT_EQ(store->load(kBtc)->size(), store->info(kBtc).value()->rows) << what;
    }
  }
  // Every rejected upsert left the store as the accepted ones made it.
  expect_same_bars(store->load(kBtc).value(), s.slice(0, 200), "after the rejected upserts");
}

TEST(DataStore, ProgressCountsTheGivenBars) {
  testing::TempDir dir("store_progress");
  auto store = DataStore::open(dir.file("data.db"), {.max_block_bars = 1000}).value();
  const BarSeries s = btc();
  ASSERT_TRUE(store->upsert(kBtc, s.slice(0, 5000)).ok());
  std::vector<std::size_t> calls;
  auto r = store->upsert(kBtc, s, [&](std::size_t done, std::size_t total) {
    EXPECT_EQ(total, s.size());
    calls.push_back(done);
    return true;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(calls, (std::vector<std::size_t>{10000, 20000, 30000, 40000}));
}

TEST(DataStore, AppendingBarByBarFillsBlocks) {
  testing::TempDir dir("store_append");
  const std::string db = dir.file("data.db");
  auto store = DataStore::open(db, {.max_block_bars = 16}).value();
  const BarSeries s = btc().slice(0, 100);
  for (std::size_t i = 0; i < s.size(); ++i) ASSERT_TRUE(store->upsert(kBtc, s.slice(i, i + 1)).ok());
  expect_same_bars(store->load(kBtc).value(), s, "appended one by one");
  RawDb raw(db);
  EXPECT_EQ(raw.value("SELECT COUNT(*) FROM blocks"), 7);  // ceil(100 / 16)
  raw.expect_block_invariants(16, "appended one by one");
}

TEST(DataStore, RangeQueriesTrimEdgeBlocks) {
  testing::TempDir dir("store_range_blocks");
  auto store = DataStore::open(dir.file("data.db"), {.max_block_bars = 100}).value();
  const BarSeries s = btc().slice(0, 1000);
  ASSERT_TRUE(store->upsert(kBtc, s).ok());
  const auto ts = s.timestamps();
  const std::pair<Timestamp, Timestamp> ranges[] = {
      {ts[0], ts[1]}, {ts[99], ts[101]}, {ts[100], ts[200]}, {ts[150] + 1, ts[650]}, {ts[999], ts[999] + 1},
      {ts[0] - 5, ts[0]}, {ts[999] + 1, ts[999] + 100}, {ts[500], ts[500]}, {ts[600], ts[400]},
  };
  for (const auto& [a, b] : ranges) {
    auto r = store->load(kBtc, {a, b});
    ASSERT_TRUE(r.ok()) << r.error().message;
    expect_same_bars(*r, s.slice(s.lower_bound(a), std::max(s.lower_bound(a), s.lower_bound(b))),
                     format_timestamp(a) + " .. " + format_timestamp(b));
  }
  expect_same_bars(store->load(kBtc, {std::nullopt, ts[250]}).value(), s.slice(0, 250), "open start");
  expect_same_bars(store->load(kBtc, {ts[250], std::nullopt}).value(), s.slice(250, 1000), "open end");
}

// The store against a std::map<ts, Bar>: random ranges, random gaps, shuffled input with
// repeated times, occasional bad bars and removals; everything must agree after every round.
TEST(DataStore, RandomUpsertsMatchANaiveModel) {
  testing::TempDir dir("store_model");
  const std::string db = dir.file("data.db");
  constexpr std::size_t kMaxBlock = 8;
  auto store = DataStore::open(db, {.max_block_bars = kMaxBlock}).value();
  RawDb raw(db);
  std::mt19937_64 rng(20240601);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  auto price = [&] { return std::uniform_real_distribution<double>(1, 1000)(rng); };
  const Timestamp t0 = testing::at("2024-01-01T00:00:00Z");
  auto minute = [&](std::int64_t k) { return t0 + k * kNanosPerMinute; };
  Model model;
  for (int round = 0; round < 400; ++round) {
    const std::string where = "round " + std::to_string(round);
    const std::int64_t op = uniform(0, 99);
    if (op < 3) {  // remove the series
      const Status st = store->remove(kBtc);
      EXPECT_EQ(st.ok(), !model.empty()) << where;
      model.clear();
    } else {
      const std::int64_t first = uniform(0, 1500);
      const std::int64_t len = uniform(0, 9) < 6 ? uniform(1, 12) : uniform(1, 300);
      const double density = std::uniform_real_distribution<double>(0.2, 1.0)(rng);
      BarSeries in;
      for (std::int64_t k = first; k < first + len; ++k)
        if (std::bernoulli_distribution(density)(rng)) in.push_back(Bar{minute(k), price(), price(), price(), price(), price()});
      if (in.empty()) in.push_back(Bar{minute(first), price(), price(), price(), price(), price()});
      if (uniform(0, 3) == 0) {  // shuffled, with some times given twice
        for (std::int64_t d = uniform(0, 3); d > 0; --d) {
          Bar b = in.bar(static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(in.size()) - 1)));
          b.close = price();
          in.push_back(b);
        }
        std::vector<Bar> bars;
        for (std::size_t i = 0; i < in.size(); ++i) bars.push_back(in.bar(i));
        std::shuffle(bars.begin(), bars.end(), rng);
        in.clear();
        for (const Bar& b : bars) in.push_back(b);
      }
      const bool poison = op < 8;  // a bad bar somewhere: nothing may change
      if (poison) in.mutable_low()[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(in.size()) - 1))] = -1;
      std::size_t inserted = 0;
      Model after = model;
      for (std::size_t i = 0; i < in.size(); ++i) {
        inserted += after.count(in.bar(i).ts) == 0 ? 1 : 0;
        after[in.bar(i).ts] = in.bar(i);
      }
      auto r = store->upsert(kBtc, in);
      if (poison) {
        ASSERT_FALSE(r.ok()) << where;
      } else {
        ASSERT_TRUE(r.ok()) << where << ": " << r.error().message;
        EXPECT_EQ(r->inserted, inserted) << where;
        EXPECT_EQ(r->replaced, in.size() - inserted) << where;
        model = std::move(after);
      }
    }
    const auto info = store->info(kBtc).value();
    ASSERT_EQ(info.has_value(), !model.empty()) << where;
    if (model.empty()) {
      EXPECT_EQ(store->load(kBtc).error().code, ErrorCode::kNotFound) << where;
      continue;
    }
    EXPECT_EQ(info->rows, model.size()) << where;
    EXPECT_EQ(info->first, model.begin()->first) << where;
    EXPECT_EQ(info->last, model.rbegin()->first) << where;
    expect_same_bars(store->load(kBtc).value(), model_series(model), where);
    const Timestamp a = minute(uniform(-10, 1900)), b = a + uniform(0, 400) * kNanosPerMinute + uniform(0, 1);
    expect_same_bars(store->load(kBtc, {a, b}).value(), model_series(model, a, b), where + " range");
    raw.expect_block_invariants(kMaxBlock, where);
  }
}

TEST(DataStore, OneBarUpsertRewritesOnlyTheBlocksItTouches) {
  testing::TempDir dir("store_local");
  const std::string db = dir.file("data.db");
  auto store = DataStore::open(db, {.max_block_bars = 64}).value();
  const BarSeries s = btc();
  ASSERT_TRUE(store->upsert(kBtc, s).ok());
  RawDb raw(db);
  const std::int64_t blocks_before = raw.value("SELECT COUNT(*) FROM blocks");
  // Damage the first block: an upsert that had to read it would fail.
  raw.exec("UPDATE blocks SET data = substr(data, 1, 100) WHERE first_ts = (SELECT MIN(first_ts) FROM blocks)");
  const std::size_t mid = s.size() / 2, last = s.size() - 1;
  for (std::size_t i : {mid, last}) {
    BarSeries one = s.slice(i, i + 1);
    one.mutable_close()[0] += 1;
    auto r = store->upsert(kBtc, one);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->replaced, 1u);
  }
  BarSeries appended = s.slice(last, last + 1);
  appended.mutable_timestamps()[0] += kNanosPerMinute;
  ASSERT_TRUE(store->upsert(kBtc, appended).ok());
  EXPECT_EQ(store->info(kBtc).value()->rows, s.size() + 1);
  EXPECT_LE(raw.value("SELECT COUNT(*) FROM blocks"), blocks_before + 2);
  EXPECT_LE(raw.value("SELECT MAX(count) FROM blocks"), 64);
  // The damage is still there, reported, and an upsert touching it changes nothing.
  auto whole = store->load(kBtc);
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.error().code, ErrorCode::kIo);
  EXPECT_NE(whole.error().message.find(kBtc.to_string()), std::string::npos) << whole.error().message;
  auto touching = store->upsert(kBtc, s.slice(10, 11));
  ASSERT_FALSE(touching.ok());
  EXPECT_EQ(touching.error().code, ErrorCode::kIo);
  auto tail = store->load(kBtc, {s.timestamps()[mid], std::nullopt});
  ASSERT_TRUE(tail.ok()) << tail.error().message;
  EXPECT_EQ(tail->size(), s.size() - mid + 1);
  EXPECT_EQ(tail->close()[0], s.close()[mid] + 1);
}

TEST(DataStore, DamagedBlocksAreClearErrorsNotCrashes) {
  const char* damage[] = {
      "UPDATE blocks SET data = substr(data, 1, 100)",                      // truncated BLOB
      "UPDATE blocks SET data = x''",                                        // empty BLOB
      "UPDATE blocks SET count = count + 1",                                 // count disagrees with the BLOB
      "UPDATE blocks SET count = -5",                                        // nonsense count
      "UPDATE blocks SET data = zeroblob(length(data))",                     // times all zero
      "UPDATE blocks SET first_ts = first_ts - 1, last_ts = last_ts + 1",   // row disagrees with the BLOB
      "UPDATE blocks SET data = 'text'",                                     // not a BLOB at all
  };
  for (const char* sql : damage) {
    testing::TempDir dir("store_damage");
    const std::string db = dir.file("data.db");
    auto store = DataStore::open(db, {.max_block_bars = 300}).value();
    ASSERT_TRUE(store->upsert(kBtc, btc().slice(0, 1000)).ok());
    RawDb(db).exec(std::string(sql) + " WHERE first_ts = (SELECT MAX(first_ts) FROM blocks)");
    auto r = store->load(kBtc);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(r.error().code, ErrorCode::kIo) << sql;
    EXPECT_NE(r.error().message.find(kBtc.to_string()), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("data.db"), std::string::npos) << r.error().message;
  }
}

TEST(DataStore, MigratesASchema1Store) {
  testing::TempDir dir("store_migrate");
  const std::string db = dir.file("data.db");
  const BarSeries a = btc().slice(0, 10000);
  const BarSeries b = read_csv(source_path("examples/data/orcl-1995-2014.txt")).value();
  const SeriesKey orcl{"yahoo", "ORCL", Timeframe(Timeframe::Unit::kDay, 1)};
  {
    RawDb raw(db);
    raw.create_v1();
    raw.insert_v1_series(1, kBtc, a);
    raw.insert_v1_series(7, orcl, b);
  }
  auto store = DataStore::open(db);
  ASSERT_TRUE(store.ok()) << store.error().message;
  expect_same_bars((*store)->load(kBtc).value(), a, "migrated BTC");
  expect_same_bars((*store)->load(orcl).value(), b, "migrated ORCL");
  const auto list = (*store)->list().value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].key, kBtc);
  EXPECT_EQ(list[0].rows, a.size());
  EXPECT_EQ(list[1].rows, b.size());
  EXPECT_EQ(list[1].first, b.front().ts);
  EXPECT_EQ(list[1].last, b.back().ts);
  {
    RawDb raw(db);
    EXPECT_EQ(raw.text("SELECT value FROM meta WHERE key = 'schema_version'"), "2");
    EXPECT_EQ(raw.value("SELECT COUNT(*) FROM sqlite_master WHERE name = 'bars'"), 0);
    EXPECT_EQ(raw.value("SELECT COUNT(*) FROM blocks WHERE series_id = 1"), 3);  // ceil(10000 / 4096)
    raw.expect_block_invariants(4096, "migrated");
  }
  // The migrated store takes upserts and reopens without migrating again.
  auto r = (*store)->upsert(kBtc, btc().slice(9990, 10010));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->inserted, 10u);
  store->reset();
  auto again = DataStore::open(db).value();
  expect_same_bars(again->load(kBtc).value(), btc().slice(0, 10010), "reopened");
}

TEST(DataStore, FailedMigrationLeavesTheSchema1File) {
  testing::TempDir dir("store_migrate_fail");
  const std::string db = dir.file("data.db");
  BarSeries a = btc().slice(0, 100);
  a.mutable_high()[40] = std::numeric_limits<double>::infinity();  // schema 1's CHECK (high > 0) let it in
  {
    RawDb raw(db);
    raw.create_v1();
    raw.insert_v1_series(1, kBtc, a);
  }
  auto store = DataStore::open(db);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("data.db"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("bar 41"), std::string::npos) << store.error().message;
  RawDb raw(db);
  EXPECT_EQ(raw.text("SELECT value FROM meta WHERE key = 'schema_version'"), "1");
  EXPECT_EQ(raw.value("SELECT COUNT(*) FROM bars"), 100);
  EXPECT_EQ(raw.value("SELECT COUNT(*) FROM sqlite_master WHERE name = 'blocks'"), 0);
}

TEST(DataStore, NewerSchemaVersionIsRefusedNamingTheFile) {
  testing::TempDir dir("store_newer");
  const std::string db = dir.file("data.db");
  {
    auto store = DataStore::open(db).value();
    ASSERT_TRUE(store->upsert(kBtc, btc().slice(0, 10)).ok());
  }
  RawDb(db).exec("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
  auto store = DataStore::open(db);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(store.error().message.find(db), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("schema version 3"), std::string::npos) << store.error().message;
}

TEST(DataStore, RemoveDeletesTheSeriesAndItsBlocks) {
  testing::TempDir dir("store_remove");
  const std::string db = dir.file("data.db");
  auto store = DataStore::open(db, {.max_block_bars = 100}).value();
  const SeriesKey other{"test", "ETH-PERP", kBtc.timeframe};
  ASSERT_TRUE(store->upsert(kBtc, btc().slice(0, 1000)).ok());
  ASSERT_TRUE(store->upsert(other, btc().slice(0, 50)).ok());
  ASSERT_TRUE(store->remove(kBtc).ok());
  EXPECT_EQ(store->remove(kBtc).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->load(kBtc).error().code, ErrorCode::kNotFound);
  ASSERT_EQ(store->list()->size(), 1u);
  EXPECT_EQ(RawDb(db).value("SELECT COUNT(*) FROM blocks"), 1);
  expect_same_bars(store->load(other).value(), btc().slice(0, 50), "the other series");
}

TEST(DataStore, BlocksOverTheMaximumAreSplitWhenTouched) {
  testing::TempDir dir("store_resplit");
  const std::string db = dir.file("data.db");
  const BarSeries s = btc().slice(0, 1000);
  ASSERT_TRUE(DataStore::open(db, {.max_block_bars = 100}).value()->upsert(kBtc, s).ok());
  auto store = DataStore::open(db, {.max_block_bars = 10}).value();  // a smaller maximum from now on
  BarSeries one = s.slice(555, 556);
  one.mutable_open()[0] += 1;
  ASSERT_TRUE(store->upsert(kBtc, one).ok());
  RawDb raw(db);
  EXPECT_EQ(raw.value("SELECT COUNT(*) FROM blocks WHERE count = 100"), 9);  // untouched
  EXPECT_EQ(raw.value("SELECT COUNT(*) FROM blocks WHERE count = 10"), 10);  // the touched one, re-split
  BarSeries want = s;
  want.mutable_open()[555] += 1;
  expect_same_bars(store->load(kBtc).value(), want, "after the re-split");
}

TEST(DataStore, BlockSizeOutOfRangeIsRejected) {
  testing::TempDir dir("store_block_size");
  for (std::size_t n : {std::size_t{0}, (std::size_t{1} << 20) + 1}) {
    auto store = DataStore::open(dir.file("data.db"), {.max_block_bars = n});
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace tradeloop
