// Resampling against a naive reference on random data, calendar buckets, partial flags, gaps.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "data_fixtures.hpp"
#include "test_util.hpp"
#include "tradeloop/core/rng.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/data/resample.hpp"

namespace tradeloop {
namespace {

using testing::at;

// Random 1-minute bars with random holes, starting mid-hour.
BarSeries random_minutes(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  BarSeries s("R");
  Timestamp t = at("2024-02-27T13:37:00Z");
  double p = 100;
  for (std::size_t i = 0; i < n; ++i) {
    const double o = p, c = p * (1 + 0.01 * rng.normal());
    s.push_back(Bar{t, o, std::max(o, c) + rng.uniform(), std::min(o, c) - rng.uniform() * 0.5, c, rng.uniform() * 10});
    p = c;
    t += kNanosPerMinute * (rng.uniform() < 0.02 ? 1 + static_cast<int>(rng.uniform() * 500) : 1);
  }
  std::vector<double> oi(n);
  for (std::size_t i = 0; i < n; ++i) oi[i] = static_cast<double>(i);
  EXPECT_TRUE(s.set_column("open_interest", oi).ok());
  s.set_timeframe(Timeframe(Timeframe::Unit::kMinute, 1));
  return s;
}

// The obvious definition: group by bucket_start in a map.
BarSeries naive_resample(const BarSeries& s, Timeframe tf) {
  std::map<Timestamp, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < s.size(); ++i) groups[tf.bucket_start(s.timestamps()[i])].push_back(i);
  BarSeries out;
  std::vector<double> oi;
  for (const auto& [start, rows] : groups) {
    Bar b{start, s.open()[rows.front()], -1e300, 1e300, s.close()[rows.back()], 0};
    for (std::size_t i : rows) {
      b.high = std::max(b.high, s.high()[i]);
      b.low = std::min(b.low, s.low()[i]);
      b.volume += s.volume()[i];
    }
    out.push_back(b);
    oi.push_back(s.column("open_interest").value()[rows.back()]);
  }
  EXPECT_TRUE(out.set_column("open_interest", oi).ok());
  return out;
}

TEST(Resample, MatchesNaiveReferenceOnRandomData) {
  const BarSeries s = random_minutes(20000, 3);
  for (const char* tf : {"5m", "15m", "1h", "4h", "1d", "1w", "1M"}) {
    const Timeframe target = Timeframe::parse(tf).value();
    auto r = resample(s, target);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->series.same_data(naive_resample(s, target))) << tf;
    EXPECT_EQ(r->series.timeframe(), target);
    EXPECT_TRUE(r->first_partial) << tf;  // the data starts at 13:37
  }
}

TEST(Resample, WeeksStartMondayAndMonthsOnTheFirst) {
  auto s = read_csv(testing::source_path("examples/data/backtestingpy_GOOG-1d.csv"));
  ASSERT_TRUE(s.ok());
  auto w = resample(*s, Timeframe(Timeframe::Unit::kWeek, 1));
  ASSERT_TRUE(w.ok());
  for (Timestamp t : w->series.timestamps()) EXPECT_EQ(weekday(t), 0);
  auto m = resample(*s, Timeframe(Timeframe::Unit::kMonth, 1));
  ASSERT_TRUE(m.ok());
  for (Timestamp t : m->series.timestamps()) EXPECT_EQ(to_civil(t).day, 1);
  EXPECT_EQ(m->series.front().ts, at("2004-08-01"));
  EXPECT_EQ(m->series.back().ts, at("2013-03-01"));
  EXPECT_TRUE(m->last_partial);  // the data ends on 2013-03-01
  EXPECT_EQ(m->series.back().open, s->back().open);
}

TEST(Resample, CompleteLastBucketIsNotPartial) {
  BarSeries s("X");
  for (int i = 0; i < 120; ++i) s.push_back(Bar{at("2024-01-01T00:00:00Z") + i * kNanosPerMinute, 1, 2, 0.5, 1, 1});
  auto r = resample(s, Timeframe(Timeframe::Unit::kHour, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->series.size(), 2u);
  EXPECT_FALSE(r->first_partial);
  EXPECT_FALSE(r->last_partial);
  EXPECT_EQ(r->series.volume()[1], 60.0);
  s.mutable_timestamps().pop_back();
  s.mutable_open().pop_back(), s.mutable_high().pop_back(), s.mutable_low().pop_back();
  s.mutable_close().pop_back(), s.mutable_volume().pop_back();
  EXPECT_TRUE(resample(s, Timeframe(Timeframe::Unit::kHour, 1))->last_partial);
}

TEST(Resample, RejectsFinerOrMisalignedTargetsAndUnsortedInput) {
  BarSeries s("X");
  for (int i = 0; i < 10; ++i) s.push_back(Bar{i * 5 * kNanosPerMinute, 1, 2, 0.5, 1, 1});
  s.set_timeframe(Timeframe(Timeframe::Unit::kMinute, 5));
  auto finer = resample(s, Timeframe(Timeframe::Unit::kMinute, 1));
  ASSERT_FALSE(finer.ok());
  EXPECT_EQ(finer.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(finer.error().message.find("cannot resample 5m bars to 1m"), std::string::npos);
  EXPECT_FALSE(resample(s, Timeframe(Timeframe::Unit::kMinute, 7)).ok());
  std::swap(s.mutable_timestamps()[2], s.mutable_timestamps()[3]);
  auto unsorted = resample(s, Timeframe(Timeframe::Unit::kHour, 1));
  ASSERT_FALSE(unsorted.ok());
  EXPECT_EQ(unsorted.error().code, ErrorCode::kParse);
}

TEST(Gaps, CountsMissingBarsAgainstTheGrid) {
  BarSeries s("X");
  for (int m : {0, 1, 2, 5, 6, 10}) s.push_back(Bar{m * kNanosPerMinute, 1, 2, 0.5, 1, 1});
  const GapReport g = find_gaps(s, Timeframe(Timeframe::Unit::kMinute, 1));
  ASSERT_EQ(g.gaps.size(), 2u);
  EXPECT_EQ(g.gaps[0].missing, 2);
  EXPECT_EQ(g.gaps[0].row, 3u);
  EXPECT_EQ(g.gaps[1].missing, 3);
  EXPECT_EQ(g.missing_bars, 5);
  EXPECT_EQ(g.expected_bars, 11);
  EXPECT_EQ(g.largest, 4 * kNanosPerMinute);
}

}  // namespace
}  // namespace tradeloop
