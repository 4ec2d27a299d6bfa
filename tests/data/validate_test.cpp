// Validation (report mode), sanitising, and the strict reader's first-problem messages.
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "tradeloop/data/validate.hpp"

namespace tradeloop {
namespace {

using testing::source_path;

const char* kHeader = "timestamp,open,high,low,close,volume\n";

BarSeries lenient(const std::string& body, CsvReadReport* rep) {
  CsvReadOptions o;
  o.report = rep;
  return parse_csv(std::string(kHeader) + body, "t.csv", o).value();
}

std::string strict_error(const std::string& body) {
  auto r = parse_csv(std::string(kHeader) + body, "t.csv");
  return r.ok() ? std::string("(no error)") : r.error().message;
}

TEST(StrictRead, StopsAtTheFirstProblemWithFileLineColumn) {
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,2,0.5,1.5,3\n2024-01-01 00:01:00,1,2,abc,1.5,3\n"),
            "t.csv:3: column 'low': 'abc' is not a number");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,nan,2,0.5,1.5,3\n"), "t.csv:2: column 'open': nan is not a finite number");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,1e400,0.5,1.5,3\n"),
            "t.csv:2: column 'high': '1e400' is out of range for a double (overflow)");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,-1,2,0.5,1.5,3\n"), "t.csv:2: column 'open': -1 is not a positive price");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,1.2,0.5,1.5,3\n"),
            "t.csv:2: column 'high': high 1.2 is below max(open, close) = 1.5");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,2,1.1,1.5,3\n"),
            "t.csv:2: column 'low': low 1.1 is above min(open, close) = 1");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,2,0.5,1.5,-3\n"), "t.csv:2: column 'volume': -3 is a negative volume");
  EXPECT_EQ(strict_error("2024-01-01 00:01:00,1,2,0.5,1.5,3\n2024-01-01 00:00:00,1,2,0.5,1.5,3\n"),
            "t.csv:3: column 'timestamp': 2024-01-01T00:00:00Z is earlier than the previous row's "
            "2024-01-01T00:01:00Z (rows must be in ascending time)");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,2,0.5,1.5,3\n2024-01-01 00:00:00,1,2,0.5,1.5,3\n"),
            "t.csv:3: the row repeats the previous row exactly");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,2,0.5,1.5,3\n1704067260,1,2,0.5,1.5,3\n"),
            "t.csv:3: column 'timestamp': '1704067260' is an epoch number but the first row uses calendar "
            "dates (mixed time formats)");
  EXPECT_EQ(strict_error("2024-01-01 00:00:00,1,2,0.5,1.5\n"), "t.csv:2: the row has 5 fields, the header has 6");
  EXPECT_NE(strict_error("yesterday,1,2,0.5,1.5,3\n").find("t.csv:2: column 'timestamp': cannot parse timestamp 'yesterday'"),
            std::string::npos);
}

TEST(StrictRead, CheckRowsCanBeTurnedOff) {
  CsvReadOptions o;
  o.check_rows = false;
  auto r = parse_csv(std::string(kHeader) + "2024-01-01 00:00:00,-1,2,0.5,1.5,3\n", "t.csv", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->open()[0], -1.0);
}

TEST(Validate, ListsEveryProblemWithLines) {
  CsvReadReport rep;
  const BarSeries s = lenient(
      "2024-01-01 00:00:00,1,2,0.5,1.5,3\n"   // 2 ok
      "2024-01-01 00:01:00,x,2,0.5,1.5,3\n"   // 3 bad number (skipped)
      "2024-01-01 00:02:00,nan,2,0.5,1.5,3\n" // 4 nan
      "2024-01-01 00:03:00,1,2,0.5,1.5,-1\n"  // 5 negative volume
      "2024-01-01 00:03:00,1,2,0.5,1.5,-1\n"  // 6 duplicate row
      "2024-01-01 00:02:30,1,2,0.5,1.5,3\n"   // 7 unsorted
      "2024-01-01 00:10:00,1,2,0.5,1.5,3\n",  // 8 gap
      &rep);
  ASSERT_EQ(rep.problems.size(), 1u);
  EXPECT_EQ(rep.problems[0].kind, ProblemKind::kBadNumber);
  EXPECT_EQ(rep.problems[0].line, 3u);
  ValidateOptions vo;
  vo.row_lines = &rep.row_lines;
  vo.timeframe = Timeframe(Timeframe::Unit::kMinute, 1);
  const ValidationReport r = validate(s, vo);
  std::vector<std::pair<ProblemKind, std::size_t>> got;
  for (const auto& p : r.problems) got.emplace_back(p.kind, p.line);
  const std::vector<std::pair<ProblemKind, std::size_t>> want = {
      {ProblemKind::kNotFinite, 4},   {ProblemKind::kGap, 4},  // the skipped row 3 leaves a gap
      {ProblemKind::kNegativeVolume, 5}, {ProblemKind::kNegativeVolume, 6},
      {ProblemKind::kDuplicateRow, 6}, {ProblemKind::kUnsorted, 7},       {ProblemKind::kGap, 8}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(r.error_count(), 5u);
  EXPECT_EQ(r.warning_count(), 2u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.problems.back().message,
            "t.csv:8: column 'timestamp': 7 missing 1m bars after 2024-01-01T00:02:30Z (next bar 2024-01-01T00:10:00Z)");
}

TEST(Validate, RealFilesHaveNoErrorsAndTheirGapCounts) {
  // Irregular steps from examples/data/PROVENANCE.md.
  const std::pair<const char*, std::size_t> files[] = {{"examples/data/nautilus_BTC-PERP-1m.csv", 0},
                                                       {"examples/data/freqtrade_UNITTEST_BTC-1m.csv", 538},
                                                       {"examples/data/backtestingpy_EURUSD-1h.csv", 42},
                                                       {"examples/data/backtestingpy_GOOG-1d.csv", 463}};
  for (const auto& [path, gaps] : files) {
    auto fv = validate_file(source_path(path));
    ASSERT_TRUE(fv.ok()) << path;
    EXPECT_EQ(fv->report.error_count(), 0u) << path;
    EXPECT_EQ(fv->report.gaps.gaps.size(), gaps) << path;
    EXPECT_TRUE(fv->report.ok());
  }
}

TEST(Validate, FileLevelProblemsAreAReportNotAnError) {
  testing::TempDir dir("validate_files");
  const std::pair<std::string, ProblemKind> cases[] = {
      {"", ProblemKind::kEmptyFile},
      {"timestamp,open,high,low,close,volume\n", ProblemKind::kEmptyFile},
      {std::string("\x00\x01\x02junk\xff", 8), ProblemKind::kBinary},
      {"a,b,c\n1,2,3\n", ProblemKind::kMissingColumn}};
  int n = 0;
  for (const auto& [text, kind] : cases) {
    const std::string f = dir.file("f" + std::to_string(n++) + ".csv");
    testing::write_file(f, text);
    auto fv = validate_file(f);
    ASSERT_TRUE(fv.ok()) << fv.error().message;
    ASSERT_EQ(fv->report.problems.size(), 1u) << f;
    EXPECT_EQ(fv->report.problems[0].kind, kind) << fv->report.problems[0].message;
    EXPECT_FALSE(fv->report.ok());
  }
  auto missing = validate_file(dir.file("nope.csv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(Sanitise, RepairsWhatIsSafeAndCountsIt) {
  CsvReadReport rep;
  const BarSeries s = lenient(
      "2024-01-01 00:02:00,1,2,0.5,1.5,3\n"
      "2024-01-01 00:00:00,1,2,0.5,1.5,3\n"
      "2024-01-01 00:01:00,0,2,0.5,1.5,3\n"   // non-positive: dropped
      "2024-01-01 00:01:00,1,2,0.5,1.5,4\n"
      "2024-01-01 00:00:00,1,2,0.5,1.5,3\n"   // exact duplicate of line 3 once sorted
      "2024-01-01 00:03:00,inf,2,0.5,1.5,3\n" // dropped
      "2024-01-01 00:03:00,1,1.2,0.5,1.5,3\n",  // not repairable
      &rep);
  ValidateOptions vo;
  vo.row_lines = &rep.row_lines;
  const SanitiseResult r = sanitise(s, {}, vo);
  EXPECT_EQ(r.dropped_invalid, 2u);
  EXPECT_EQ(r.dropped_duplicates, 1u);
  EXPECT_GT(r.moved_rows, 0u);
  ASSERT_EQ(r.series.size(), 4u);
  const std::vector<std::size_t> lines = {3, 5, 2, 8};
  EXPECT_EQ(r.row_lines, lines);
  ASSERT_EQ(r.remaining.error_count(), 1u);
  EXPECT_EQ(r.remaining.problems[0].kind, ProblemKind::kHighBelowOpenClose);
  EXPECT_EQ(r.remaining.problems[0].line, 8u);
  for (std::size_t i = 1; i < r.series.size(); ++i) EXPECT_LT(r.series.timestamps()[i - 1], r.series.timestamps()[i]);
}

TEST(Sanitise, ManyRowsAtOneTimestampStayLinear) {
  // 200k rows at one timestamp, every 4th an exact copy of the row 2 before it: a quadratic
  // duplicate search would not finish.
  BarSeries s("X");
  const std::size_t n = 200000;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = 1 + static_cast<double>(i % 4 == 3 ? i - 2 : i);
    s.push_back(Bar{0, v, v + 1, v, v, 1});
  }
  const SanitiseResult r = sanitise(s);
  EXPECT_EQ(r.dropped_duplicates, n / 4);
  EXPECT_EQ(r.series.size(), n - n / 4);
  EXPECT_EQ(r.remaining.counts().at(ProblemKind::kDuplicateTimestamp), n - n / 4 - 1);
}

}  // namespace
}  // namespace tradeloop
