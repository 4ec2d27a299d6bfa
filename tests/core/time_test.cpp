#include "tradeloop/core/time.hpp"

#include <gtest/gtest.h>

#include "tradeloop/core/timeframe.hpp"

namespace tradeloop {
namespace {

constexpr Timestamp k2024 = 1704067200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z (date -d)

TEST(Time, ParsesIsoForms) {
  EXPECT_EQ(*parse_timestamp("2024-01-01T00:00:00Z"), k2024);
  EXPECT_EQ(*parse_timestamp("2024-01-01 00:00:00"), k2024);
  EXPECT_EQ(*parse_timestamp("2024-01-01"), k2024);
  EXPECT_EQ(*parse_timestamp("20240101"), k2024);
  EXPECT_EQ(*parse_timestamp("2024-01-01T01:00:00+01:00"), k2024);
  EXPECT_EQ(*parse_timestamp("2023-12-31T19:00:00-0500"), k2024);
  EXPECT_EQ(*parse_timestamp("2024-01-01T00:00:00.250Z"), k2024 + 250 * kNanosPerMilli);
  EXPECT_EQ(*parse_timestamp("2024-01-01 00:00"), k2024);
  EXPECT_EQ(*parse_timestamp("\"2024-01-01 00:00:00\""), k2024);
}

TEST(Time, ParsesEpochByMagnitude) {
  EXPECT_EQ(*parse_timestamp("1704067200"), k2024);
  EXPECT_EQ(*parse_timestamp("1704067200000"), k2024);
  EXPECT_EQ(*parse_timestamp("1704067200000000"), k2024);
  EXPECT_EQ(*parse_timestamp("1704067200000000000"), k2024);
  EXPECT_EQ(*parse_timestamp("1704067200.5"), k2024 + 500 * kNanosPerMilli);
  TimeParseOptions ms;
  ms.epoch_unit = EpochUnit::kMilliseconds;
  EXPECT_EQ(*parse_timestamp("1704067200", ms), 1704067200LL * kNanosPerMilli);
}

TEST(Time, ParsesWithExplicitFormat) {
  TimeParseOptions o;
  o.format = "%m/%d/%y %H:%M:%S";
  EXPECT_EQ(format_timestamp(*parse_timestamp("01/03/16 23:43:11", o)), "2016-01-03T23:43:11Z");
  EXPECT_FALSE(parse_timestamp("2016-01-03", o).ok());
}

TEST(Time, RejectsGarbageWithMessageNamingTheInput) {
  for (const char* bad : {"", "abc", "2024-13-01", "2024-02-30", "2024-01-01T25:00:00", "12:00",
                          "2024-01-01T00:00:00+99:00", "1e400", "nan"}) {
    auto r = parse_timestamp(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok() && *bad) {
      EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
    }
  }
}

TEST(Time, FormatsRoundTrip) {
  EXPECT_EQ(format_timestamp(k2024), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(k2024 + 1), "2024-01-01T00:00:00.000000001Z");
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(-kNanosPerSecond), "1969-12-31T23:59:59Z");
  for (Timestamp t : {k2024, Timestamp{951782400LL * kNanosPerSecond}, Timestamp{-86400LL * kNanosPerSecond * 4000}})
    EXPECT_EQ(*parse_timestamp(format_timestamp(t)), t);
  EXPECT_EQ(format_date(k2024 + kNanosPerHour * 30), "2024-01-02");
}

TEST(Time, CivilConversionsMatchKnownDates) {
  // 2000-02-29 is day 11016 since the epoch; 1970-01-01 a Thursday, 2024-01-01 a Monday.
  EXPECT_EQ(days_from_civil(2000, 2, 29), 11016);
  EXPECT_EQ(weekday(0), 3);
  EXPECT_EQ(weekday(k2024), 0);
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(1900, 2), 28);
  EXPECT_EQ(days_in_month(2000, 2), 29);
  // Every 7th day of 1870..2070 round-trips (int64 ns spans about +-292 years).
  for (std::int64_t d = -36524; d < 36524; d += 7) {
    const CivilTime c = to_civil(d * kNanosPerDay);
    ASSERT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
}

TEST(Timeframe, ParsesAndPrints) {
  for (const char* s : {"1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"})
    EXPECT_EQ(Timeframe::parse(s)->to_string(), s);
  EXPECT_EQ(Timeframe::parse("1min")->to_string(), "1m");
  EXPECT_EQ(Timeframe::parse("1H")->to_string(), "1h");
  EXPECT_FALSE(Timeframe::parse("0m").ok());
  EXPECT_FALSE(Timeframe::parse("5x").ok());
  EXPECT_FALSE(Timeframe::parse("").ok());
  EXPECT_EQ(Timeframe::from_duration(kNanosPerHour)->to_string(), "1h");
  EXPECT_EQ(Timeframe::from_duration(5 * kNanosPerMinute)->to_string(), "5m");
}

TEST(Timeframe, BucketsOnTheCalendar) {
  const Timestamp t = *parse_timestamp("2024-03-14T15:09:26Z");  // a Thursday
  EXPECT_EQ(format_timestamp(Timeframe::parse("1h")->bucket_start(t)), "2024-03-14T15:00:00Z");
  EXPECT_EQ(format_timestamp(Timeframe::parse("4h")->bucket_start(t)), "2024-03-14T12:00:00Z");
  EXPECT_EQ(format_timestamp(Timeframe::parse("15m")->bucket_start(t)), "2024-03-14T15:00:00Z");
  EXPECT_EQ(format_timestamp(Timeframe::parse("1d")->bucket_start(t)), "2024-03-14T00:00:00Z");
  EXPECT_EQ(format_timestamp(Timeframe::parse("1w")->bucket_start(t)), "2024-03-11T00:00:00Z");  // Monday
  EXPECT_EQ(format_timestamp(Timeframe::parse("1M")->bucket_start(t)), "2024-03-01T00:00:00Z");
  const Timeframe month = *Timeframe::parse("1M");
  EXPECT_EQ(format_timestamp(month.next_bucket(month.bucket_start(t))), "2024-04-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(month.next_bucket(*parse_timestamp("2024-12-01"))), "2025-01-01T00:00:00Z");
  // Before the epoch too.
  EXPECT_EQ(format_timestamp(month.bucket_start(*parse_timestamp("1969-07-20T20:17:00Z"))), "1969-07-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(Timeframe::parse("1w")->bucket_start(*parse_timestamp("1970-01-01"))),
            "1969-12-29T00:00:00Z");
}

}  // namespace
}  // namespace tradeloop
