// CSV reader/writer: every accepted layout, on the real files of examples/data (row counts from
// examples/data/PROVENANCE.md, an independent reference) and on small inline texts.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "data_fixtures.hpp"
#include "test_util.hpp"
#include "tradeloop/core/rng.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop {
namespace {

using testing::source_path;

using testing::at;

struct RealFile {
  const char* path;
  std::size_t rows;
  const char* first;
  const char* last;
  const char* timeframe;
};

class RealFiles : public ::testing::TestWithParam<RealFile> {};

TEST_P(RealFiles, ReadsEveryRowStrictly) {
  const RealFile& f = GetParam();
  auto s = read_csv(source_path(f.path));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->size(), f.rows);
  EXPECT_EQ(s->front().ts, at(f.first));
  EXPECT_EQ(s->back().ts, at(f.last));
  ASSERT_TRUE(s->timeframe().has_value());
  EXPECT_EQ(s->timeframe()->to_string(), f.timeframe);
  EXPECT_EQ(s->source(), source_path(f.path));
}

// Rows, first and last candle open as stated in examples/data/PROVENANCE.md.
INSTANTIATE_TEST_SUITE_P(
    Provenance, RealFiles,
    ::testing::Values(
        RealFile{"examples/data/nautilus_BTC-PERP-1m.csv", 45031, "2021-12-31 23:01:00", "2022-02-01 05:31:00", "1m"},
        RealFile{"examples/data/freqtrade_ETH_BTC-5m.csv", 5760, "2018-01-10 04:55:00", "2018-01-30 04:50:00", "5m"},
        RealFile{"examples/data/freqtrade_orderflow_BTC_USDT-5m.csv", 10999, "2023-01-02 16:45:00", "2023-02-09 21:15:00", "5m"},
        RealFile{"examples/data/freqtrade_UNITTEST_BTC-1m.csv", 13681, "2017-11-04 23:02:00", "2017-11-14 22:59:00", "1m"},
        RealFile{"examples/data/backtestingpy_SOLUSDT-1h.csv", 1000, "2024-09-20 15:00:00", "2024-11-01 06:00:00", "1h"},
        RealFile{"examples/data/backtestingpy_EURUSD-1h.csv", 5000, "2017-04-19 09:00:00", "2018-02-07 15:00:00", "1h"},
        RealFile{"examples/data/backtestingpy_GOOG-1d.csv", 2148, "2004-08-19", "2013-03-01", "1d"},
        RealFile{"examples/data/orcl-1995-2014.txt", 5036, "1995-01-03", "2014-12-31", "1d"},
        RealFile{"examples/data/2006-min-005.txt", 2142, "2006-01-02 09:05:00", "2006-01-30 17:30:00", "5m"}));

TEST(CsvRead, YahooAdjCloseBecomesAnExtraColumn) {
  auto s = read_csv(source_path("examples/data/orcl-1995-2014.txt"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto adj = s->column("adj_close");
  ASSERT_TRUE(adj.ok());
  EXPECT_EQ((*adj)[0], 1.883304);
  EXPECT_EQ(s->open()[0], 2.179012);
  EXPECT_EQ(s->volume()[0], 36301200.0);
  EXPECT_EQ(s->symbol(), "orcl-1995-2014");
}

TEST(CsvRead, BacktraderSplitDateTimeAndOpenInterest) {
  auto s = read_csv(source_path("examples/data/2006-min-005.txt"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->has_column("open_interest"));
  EXPECT_EQ(s->front().ts, at("2006-01-02T09:05:00Z"));
  EXPECT_EQ(s->close()[0], 3582.99);
}

TEST(CsvRead, NumbersAreExactlyAsWritten) {
  auto s = read_csv(source_path("examples/data/freqtrade_ETH_BTC-5m.csv"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->low()[0], 0.09828605);
  EXPECT_EQ(s->volume()[0], 1820.54447418);
}

TEST(CsvRead, SemicolonQuotedCrlfBomAndAliases) {
  const std::string text =
      "\xEF\xBB\xBF\"Date Time\";\"O\";\"H\";\"L\";\"C\";\"Vol\"\r\n"
      "\"2024-01-01 00:00:00\";\"1.5\";2;1;1.75;10\r\n"
      "2024-01-01 00:01:00;1.75;2.5;1.5;2;\"20\"\r\n";
  auto s = parse_csv(text, "semi.csv");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ(s->open()[0], 1.5);
  EXPECT_EQ(s->volume()[1], 20.0);
  EXPECT_EQ(s->timeframe()->to_string(), "1m");
  EXPECT_EQ(s->symbol(), "semi");
}

TEST(CsvRead, TabDelimitedEpochMillisAndSymbolColumn) {
  const std::string text =
      "open_time\topen\thigh\tlow\tclose\tvolume\tsymbol\n"
      "1704067200000\t1\t2\t0.5\t1.5\t3\tBTC/USDT\n"
      "1704070800000\t1.5\t2\t1\t1.2\t4\tBTC/USDT\n";
  auto s = parse_csv(text, "x.tsv");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->front().ts, at("2024-01-01T00:00:00Z"));
  EXPECT_EQ(s->symbol(), "BTC/USDT");
  EXPECT_EQ(s->timeframe()->to_string(), "1h");
  EXPECT_FALSE(s->has_column("symbol"));
}

TEST(CsvRead, SymbolColumnSelectsOneSeries) {
  const std::string text =
      "timestamp,open,high,low,close,volume,symbol\n"
      "2024-01-01 00:00:00,1,2,0.5,1.5,3,BTC\n"
      "2024-01-01 00:00:00,10,20,5,15,3,ETH\n"
      "2024-01-01 00:01:00,1,2,0.5,1.5,3,BTC\n";
  auto mixed = parse_csv(text, "multi.csv");
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().message,
            "multi.csv:3: column 'symbol': 'ETH' differs from the first row's 'BTC': one series per file, pick one "
            "with --symbol");
  CsvReadOptions o;
  o.symbol = "ETH";
  auto eth = parse_csv(text, "multi.csv", o);
  ASSERT_TRUE(eth.ok()) << eth.error().message;
  EXPECT_EQ(eth->size(), 1u);
  EXPECT_EQ(eth->open()[0], 10.0);
  o.symbol = "SOL";
  auto none = parse_csv(text, "multi.csv", o);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "multi.csv: no rows for symbol 'SOL'; the file has 'BTC', 'ETH'");
}

TEST(CsvRead, FirstUnnamedColumnIsTheTime) {
  const std::string text = ",Open,High,Low,Close,Volume\n2024-01-01,1,2,0.5,1.5,3\n2024-01-02,1.5,2,1,1.2,4\n";
  auto s = parse_csv(text, "pandas.csv");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->back().ts, at("2024-01-02"));
  EXPECT_EQ(s->timeframe()->to_string(), "1d");
}

TEST(CsvRead, ExplicitMappingAndTimeFormat) {
  const std::string text = "when,a,b,c,d,e\n01/03/16 23:43:11,1,2,0.5,1.5,3\n";
  CsvReadOptions o;
  o.columns = {{"time", "when"}, {"open", "a"}, {"high", "b"}, {"low", "c"}, {"close", "d"}, {"volume", "e"}};
  o.time.format = "%m/%d/%y %H:%M:%S";
  o.symbol = "X";
  auto s = parse_csv(text, "m.csv", o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->front().ts, at("2016-01-03T23:43:11Z"));
  EXPECT_EQ(s->symbol(), "X");
}

TEST(CsvRead, UnknownNumericColumnsAreKept) {
  const std::string text = "ts,o,h,l,c,v,Quote Volume,note\n1,1,2,0.5,1.5,3,4.5,hi\n2,1,2,0.5,1.5,3,5,yo\n";
  auto s = parse_csv(text, "e.csv");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->has_column("quote_volume"));
  EXPECT_FALSE(s->has_column("note"));
}

TEST(CsvRead, VolumeIsOptional) {
  auto s = parse_csv("date,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n", "nv.csv");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->volume()[0], 0.0);
}

TEST(CsvRead, GzipIsDetectedByMagic) {
  testing::TempDir dir("csv_gzip");
  auto s = read_csv(source_path("examples/data/backtestingpy_SOLUSDT-1h.csv"));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(write_csv(*s, dir.file("sol.csv.gz")).ok());
  auto back = read_csv(dir.file("sol.csv.gz"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->same_data(*s));
  EXPECT_EQ(back->symbol(), "sol");
}

BarSeries random_series(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  BarSeries s("R");
  Timestamp t = at("2020-02-28T23:00:00Z");
  for (std::size_t i = 0; i < n; ++i) {
    // Values with many significant digits, tiny and huge magnitudes: the writer must keep them all.
    const double base = std::exp(rng.normal() * 10);
    const double o = base * (1 + rng.uniform()), c = base * (1 + rng.uniform());
    s.push_back(Bar{t, o, std::max(o, c) * 1.0000001, std::min(o, c) / 3, c, rng.uniform() * 1e9});
    t += kNanosPerMinute + static_cast<Timestamp>(rng.uniform() * 1000) * kNanosPerMilli + (i % 7 == 0 ? 123 : 0);
  }
  std::vector<double> extra(n);
  for (auto& x : extra) x = rng.normal() * 1e-300;
  EXPECT_TRUE(s.set_column("adj_close", extra).ok());
  return s;
}

// The decimal reader against an independent reference (libstdc++'s correctly rounded
// std::from_chars): shortest texts, fixed decimals, 19-20 digit mantissas, tiny and huge values.
TEST(CsvNumbers, BitIdenticalToStdFromChars) {
  Rng rng(11);
  std::string text = "t,x\n";
  std::vector<std::string> cells;
  for (int i = 0; i < 100000; ++i) {
    const double v = std::exp(rng.normal() * (i % 3 == 0 ? 30 : 5)) * (i % 5 == 0 ? -1 : 1);
    char buf[64];
    int n = 0;
    switch (i % 4) {
      case 0: n = static_cast<int>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf); break;
      case 1: n = std::snprintf(buf, sizeof buf, "%.2f", v); break;
      case 2: n = std::snprintf(buf, sizeof buf, "%.19g", v); break;
      default: n = std::snprintf(buf, sizeof buf, "%.8f", v); break;
    }
    cells.emplace_back(buf, static_cast<std::size_t>(n));
    text += "1," + cells.back() + "\n";
  }
  auto t = parse_csv_table(text, "n.csv");
  ASSERT_TRUE(t.ok());
  for (std::size_t r = 0; r < cells.size(); ++r) {
    double want = 0;
    const auto [ptr, ec] = std::from_chars(cells[r].data(), cells[r].data() + cells[r].size(), want);
    ASSERT_EQ(ec, std::errc()) << cells[r];
    const auto got = t->parse_double(r, 1);
    ASSERT_TRUE(got.ok()) << cells[r];
    ASSERT_EQ(std::memcmp(&*got, &want, sizeof want), 0) << cells[r];
  }
}

TEST(CsvWrite, RoundTripIsBitIdenticalInEveryTimeStyle) {
  testing::TempDir dir("csv_roundtrip");
  const BarSeries s = random_series(5000, 7);
  for (auto style : {CsvTimeStyle::kIso, CsvTimeStyle::kSpace, CsvTimeStyle::kEpochMs}) {
    CsvWriteOptions w;
    w.time_style = style;
    ASSERT_TRUE(write_csv(s, dir.file("r.csv"), w).ok());
    auto back = read_csv(dir.file("r.csv"));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_TRUE(back->same_data(s)) << static_cast<int>(style);
  }
}

TEST(CsvWrite, RealFileRoundTrip) {
  testing::TempDir dir("csv_real_roundtrip");
  auto s = read_csv(source_path("examples/data/orcl-1995-2014.txt"));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(write_csv(*s, dir.file("orcl.csv")).ok());
  auto back = read_csv(dir.file("orcl.csv"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->same_data(*s));
  EXPECT_FALSE(std::filesystem::exists(dir.file("orcl.csv.tmp")));
}

TEST(CsvTable, GenericColumnsAndMessages) {
  const std::string text = "Time,Equity,Note\n2024-01-01,100,\"a, \"\"quoted\"\" note\"\n2024-01-02,abc,x\n";
  auto t = parse_csv_table(text, "eq.csv");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->row_count(), 2u);
  EXPECT_EQ(t->column_count(), 3u);
  const auto eq = t->column_index("equity");
  ASSERT_TRUE(eq.has_value());
  EXPECT_EQ(t->cell(0, 2), "a, \"quoted\" note");
  EXPECT_EQ(t->parse_double(0, *eq).value(), 100.0);
  auto bad = t->parse_double(1, *eq);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "eq.csv:3: column 'Equity': 'abc' is not a number");
  EXPECT_EQ(t->parse_time(1, 0).value(), at("2024-01-02"));
  EXPECT_FALSE(t->column_index("missing").has_value());
  auto req = t->require_column({"pnl", "profit"});
  ASSERT_FALSE(req.ok());
  EXPECT_NE(req.error().message.find("no column 'pnl' or 'profit'"), std::string::npos);
  EXPECT_EQ(t->require_column({"x", "EQUITY"}).value(), *eq);
}

TEST(CsvTable, RaggedRowsAreAnErrorUnlessAllowed) {
  const std::string text = "a,b\n1,2\n3\n";
  auto t = parse_csv_table(text, "r.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "r.csv:3: the row has 1 fields, the header has 2");
  CsvTableOptions o;
  o.allow_ragged_rows = true;
  auto r = parse_csv_table(text, "r.csv", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cell(1, 1), "");
}

TEST(CsvTable, MultilineQuotedFieldCountsLines) {
  auto t = parse_csv_table("a,b\n\"x\ny\",1\nz,oops\n", "m.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->cell(0, 0), "x\ny");
  EXPECT_EQ(t->line_number(1), 4u);
  EXPECT_EQ(t->parse_double(1, 1).error().message, "m.csv:4: column 'b': 'oops' is not a number");
}

}  // namespace
}  // namespace tradeloop
