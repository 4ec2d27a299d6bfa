// Hostile files: each gives one clear Error naming the file (and line), never a crash or a hang.
// Plus a fuzz loop over random mutations of a valid file (bounded, seeded).
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "tradeloop/core/rng.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/data/validate.hpp"

namespace tradeloop {
namespace {

struct Hostile {
  const char* name;
  std::string text;
  const char* expected;  // substring of the one error message
};

std::string header() { return "timestamp,open,high,low,close,volume\n"; }

std::vector<Hostile> hostile_cases() {
  std::string junk;
  Rng rng(99);
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>(rng.uniform() * 256);
  return {
      {"empty", "", "the file is empty"},
      {"blank_lines", "\n\r\n  \n", "the file is empty"},
      {"header_only", header(), "header line and no data rows"},
      {"binary", junk, "not a text file"},
      {"wrong_column_count", header() + "2024-01-01,1,2,0.5,1.5,3\n2024-01-02,1,2\n", ":3: the row has 3 fields, the header has 6"},
      {"too_many_columns", header() + "2024-01-01,1,2,0.5,1.5,3,9\n", ":2: the row has 7 fields"},
      {"mixed_time_formats", header() + "2024-01-01 00:00:00,1,2,0.5,1.5,3\n1704067260,1,2,0.5,1.5,3\n", "mixed time formats"},
      {"nan", header() + "2024-01-01,nan,2,0.5,1.5,3\n", ":2: column 'open': nan is not a finite number"},
      {"overflow", header() + "2024-01-01,1,1e400,0.5,1.5,3\n", ":2: column 'high': '1e400' is out of range"},
      {"negative_price", header() + "2024-01-01,1,2,-0.5,1.5,3\n", ":2: column 'low': -0.5 is not a positive price"},
      {"unsorted", header() + "2024-01-02,1,2,0.5,1.5,3\n2024-01-01,1,2,0.5,1.5,3\n", ":3: column 'timestamp': 2024-01-01T00:00:00Z is earlier"},
      {"missing_columns", "time,price\n2024-01-01,1\n", "no 'open' column; the header has: 'time', 'price'"},
      {"no_time_column", "a,open,high,low,close\n1,1,2,0.5,1.5\n", "no time (timestamp, date, datetime, time, ...) column"},
      {"unterminated_quote", header() + "\"2024-01-01,1,2,0.5,1.5,3\n", ":2: a quoted field is never closed"},
      {"bad_date", header() + "2024-02-30,1,2,0.5,1.5,3\n", ":2: column 'timestamp': invalid date or time '2024-02-30'"},
      {"year_9999", header() + "9999-01-01,1,2,0.5,1.5,3\n", ":2: column 'timestamp': timestamp '9999-01-01' is outside"},
      {"epoch_ns_far_past", header() + "-8969002994838206464,1,2,0.5,1.5,3\n", "is outside the supported range"},
      {"epoch_too_big", header() + "99999999999999999999,1,2,0.5,1.5,3\n", "epoch number out of range"},
      {"empty_cell", header() + "2024-01-01,1,,0.5,1.5,3\n", ":2: column 'high': '' is empty, expected a number"},
  };
}

TEST(Hostile, EachGivesOneClearErrorNamingTheFile) {
  for (const Hostile& h : hostile_cases()) {
    const std::string source = std::string(h.name) + ".csv";
    auto r = parse_csv(h.text, source);
    ASSERT_FALSE(r.ok()) << h.name;
    EXPECT_EQ(r.error().code, ErrorCode::kParse) << h.name;
    EXPECT_EQ(r.error().message.rfind(source, 0), 0u) << h.name << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(h.expected), std::string::npos) << h.name << ": " << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << h.name;
    // The report mode never throws either and always finds at least one error.
    CsvReadOptions lenient;
    CsvReadReport rep;
    lenient.report = &rep;
    auto l = parse_csv(h.text, source, lenient);
    const std::size_t errors = rep.problems.size() + (l.ok() ? validate(*l).error_count() : 0);
    EXPECT_GE(errors, 1u) << h.name;
  }
}

TEST(Hostile, FiftyMegabyteSingleLineIsRejectedQuickly) {
  testing::TempDir dir("hostile_long_line");
  const std::string path = dir.file("long.csv");
  testing::write_file(path, std::string(50u << 20, '7'));
  auto r = read_csv(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("long.csv:1: the line is 52428800 bytes long"), std::string::npos) << r.error().message;
  auto t = read_csv_table(path);
  ASSERT_FALSE(t.ok());
  // A long line inside a file with a normal header fails at its own line.
  testing::write_file(path, header() + "2024-01-01,1,2,0.5,1.5,3\n" + std::string(2u << 20, ',') + "\n");
  auto r2 = read_csv(path);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find("long.csv:3: the line is"), std::string::npos) << r2.error().message;
}

TEST(Hostile, NotAFileOrDirectory) {
  auto missing = read_csv("/nonexistent/x.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "/nonexistent/x.csv: no such file");
  auto dir = read_csv(TRADELOOP_SOURCE_DIR);
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("is a directory"), std::string::npos);
}

TEST(Hostile, CorruptGzip) {
  testing::TempDir dir("hostile_gzip");
  testing::write_file(dir.file("bad.csv.gz"), std::string("\x1f\x8b\x08\x00garbage-garbage-garbage", 27));
  auto r = read_csv(dir.file("bad.csv.gz"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad.csv.gz"), std::string::npos);
}

// Random byte edits of a valid file: the reader returns (ok or an error), never crashes; the
// lenient reader + validate accounts for every data line.
TEST(Hostile, FuzzedFilesNeverCrash) {
  std::string base = header();
  for (int i = 0; i < 50; ++i)
    base += "2024-01-01 00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00,1.5,2,\"0.5\",1.75,3e2\n";
  Rng rng(2024);
  const char alphabet[] = ",;\t\"\r\n0123456789.-+eEnaif: xZT\xEF\xBB\xBF";
  for (int iter = 0; iter < 3000; ++iter) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(rng.uniform() * 8);
    for (int e = 0; e < edits; ++e) {
      const auto pos = static_cast<std::size_t>(rng.uniform() * static_cast<double>(text.size()));
      const char c = alphabet[static_cast<std::size_t>(rng.uniform() * (sizeof alphabet - 1))];
      const double op = rng.uniform();
      if (op < 0.4) text[pos] = c;
      else if (op < 0.7) text.insert(pos, 1, c);
      else text.erase(pos, 1);
    }
    auto strict = parse_csv(text, "fuzz.csv");
    if (!strict.ok()) {
      EXPECT_EQ(strict.error().message.rfind("fuzz.csv", 0), 0u) << strict.error().message;
    }
    CsvReadOptions lenient;
    CsvReadReport rep;
    lenient.report = &rep;
    auto l = parse_csv(text, "fuzz.csv", lenient);
    if (l.ok()) {
      (void)validate(*l);
      (void)sanitise(*l);
      EXPECT_LE(l->size(), rep.data_lines);
    }
    (void)parse_csv_table(text, "fuzz.csv");
  }
}

}  // namespace
}  // namespace tradeloop
