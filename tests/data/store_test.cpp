// DataStore: round trip, upsert without duplicates, range queries, listing, and the promise that
// an error, a cancellation or a killed process mid-import leaves the previous contents intact.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <limits>

#include "data_fixtures.hpp"
#include "test_util.hpp"
#include "tradeloop/data/store.hpp"

namespace tradeloop {
namespace {

using testing::at;
using testing::source_path;

const SeriesKey kBtc{"test", "BTC-PERP", Timeframe(Timeframe::Unit::kMinute, 1)};

BarSeries btc() { return read_csv(source_path("examples/data/nautilus_BTC-PERP-1m.csv")).value(); }

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

}  // namespace
}  // namespace tradeloop
