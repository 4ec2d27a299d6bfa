// CSV input and output: a generic table reader (equity curves, trade lists, anything with a
// header row) and the OHLCV bar reader/writer built on the same tokenizer.
//
// Input accepted by both readers:
//   - a header row; column names matched case-insensitively, surrounding spaces/quotes ignored;
//   - delimiter `,` `;` or tab, auto-detected from the header line (or forced);
//   - RFC 4180 quoted fields ("a,b", "say ""hi"""), CRLF or LF line ends, a UTF-8 BOM;
//   - gzip-compressed files (detected by their magic bytes, e.g. `.csv.gz`).
// Hostile input (binary junk, an empty file, a line longer than `max_line_bytes`, rows with the
// wrong number of fields) gives an Error with code kParse naming the file and line; nothing
// asserts, nothing reads past the buffer, and work is linear in the file size.
//
// Bars (see docs/data.md for every alias):
//   time column: timestamp, time, datetime, date, ts, open_time, unix, ... or a first column
//     with an empty name (a pandas index); split `Date` + `Time` columns are joined;
//   open/high/low/close: also o/h/l/c; volume: vol, v, ... (0 when absent);
//   `Adj Close` -> extra column "adj_close", `OpenInterest` -> "open_interest"; any other column
//     whose first data cell is a number is kept as an extra column (name lower-cased, spaces ->
//     '_'); text columns (e.g. `symbol`) are not kept, but a symbol column names the series.
//   Numbers are parsed exactly as written (fast_float, round-to-nearest: the double closest to
//   the decimal text). Timestamps use core `parse_timestamp` (ISO 8601, `YYYY-MM-DD HH:MM:SS`,
//   dates, epoch s/ms/us/ns by magnitude) with a fast path for `YYYY-MM-DD HH:MM:SS`.
//
// Thread-safety: the functions are re-entrant; a CsvTable is immutable after parsing.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/time.hpp"
#include "tradeloop/core/timeframe.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/data/problem.hpp"

namespace tradeloop {

namespace detail_csv {
struct TableBuilder;
}

inline constexpr std::size_t kDefaultMaxLineBytes = 1 << 20;  // 1 MiB: no real CSV row is longer

// Times the readers accept: 1850-01-01 <= t < 2100-01-01 UTC. Wider than any market data, and
// narrow enough that the difference of any two accepted times fits in int64 ns (steps, gaps).
// A time outside (often an epoch number in the wrong unit) is a kParse error naming the cell.
inline constexpr Timestamp kMinDataTime = days_from_civil(1850, 1, 1) * kNanosPerDay;
inline constexpr Timestamp kMaxDataTime = days_from_civil(2100, 1, 1) * kNanosPerDay;

// The bytes of a file, ready to tokenize in place: a regular file is memory-mapped privately
// (copy-on-write, so the readers may unescape quotes in place without touching the file); a
// gzip file (detected by its magic bytes) is decompressed into memory; pipes are read to EOF.
// Move-only. Errors (kIo / kNotFound / kParse for a corrupt gzip stream) name the path.
// Known limit: a file truncated by another process while mapped raises SIGBUS (as any mmap).
class FileText {
 public:
  static Result<FileText> load(const std::string& path);
  static FileText from_string(std::string text);

  FileText() = default;
  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText();

  char* data() noexcept { return map_ ? static_cast<char*>(map_) : owned_.data(); }
  const char* data() const noexcept { return map_ ? static_cast<const char*>(map_) : owned_.data(); }
  std::size_t size() const noexcept { return map_ ? map_size_ : owned_.size(); }
  std::string_view view() const noexcept { return {data(), size()}; }

 private:
  void release() noexcept;
  std::string owned_;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
};

// Reads a whole file into a string (FileText::load, copied). Same errors.
Result<std::string> read_file_bytes(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Generic table

struct CsvTableOptions {
  char delimiter = 0;  // 0 = auto-detect among ',' ';' '\t' from the header line
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
  // Rows with a different number of fields than the header are an error (kParse) unless true,
  // in which case short rows read missing cells as empty and long rows' extra cells are ignored.
  bool allow_ragged_rows = false;
};

class CsvTable {
 public:
  const std::string& source() const noexcept { return source_; }
  char delimiter() const noexcept { return delimiter_; }
  // Header names as written (trimmed, quotes removed).
  const std::vector<std::string>& header() const noexcept { return header_; }
  std::size_t column_count() const noexcept { return header_.size(); }
  std::size_t row_count() const noexcept { return lines_.size(); }

  // Case-insensitive lookup, surrounding spaces ignored; the first match wins.
  std::optional<std::size_t> column_index(std::string_view name) const noexcept;
  // The first of `names` present, else kParse "file: no column 'a' (or 'b'); the header has: ...".
  Result<std::size_t> require_column(std::initializer_list<std::string_view> names) const;

  // The cell text (quotes removed, "" unescaped; surrounding spaces kept). Empty when the row is
  // short (ragged mode). Precondition: row < row_count(), col < column_count().
  std::string_view cell(std::size_t row, std::size_t col) const noexcept;
  // 1-based line in the file where the row starts (the header is line 1 of most files).
  std::size_t line_number(std::size_t row) const noexcept { return lines_[row]; }

  // Errors: "file:line: column 'equity': 'abc' is not a number" (kParse).
  // Accepts what fast_float accepts plus surrounding spaces and a leading '+'; `nan`/`inf` parse
  // to NaN/Inf; a decimal that overflows a double (1e400) is an error.
  Result<double> parse_double(std::size_t row, std::size_t col) const;
  // Errors: "file:line: column 'time': cannot parse timestamp ..." (kParse).
  Result<Timestamp> parse_time(std::size_t row, std::size_t col, const TimeParseOptions& options = {}) const;
  // A whole column of doubles; stops at the first bad cell.
  Result<std::vector<double>> column_doubles(std::size_t col) const;

 private:
  friend struct detail_csv::TableBuilder;
  std::string source_;
  FileText text_;  // owned bytes; cells index into it (quoted cells unescaped in place)
  char delimiter_ = ',';
  std::vector<std::string> header_;
  struct Span {
    std::size_t offset = 0;
    std::size_t size = 0;
  };
  std::vector<Span> cells_;         // row-major, column_count() per row
  std::vector<std::size_t> lines_;  // per row
};

Result<CsvTable> read_csv_table(const std::string& path, const CsvTableOptions& options = {});
// `source_name` is used in messages (a path, "<stdin>", a test name).
Result<CsvTable> parse_csv_table(std::string_view text, std::string_view source_name,
                                 const CsvTableOptions& options = {});

// ---------------------------------------------------------------------------------------------
// OHLCV bars

// What the lenient reader found besides the bars (see CsvReadOptions::report).
struct CsvReadReport {
  std::vector<DataProblem> problems;  // rows that could not be read (they are not in the series)
  std::vector<std::size_t> row_lines; // 1-based file line of each row of the returned series
  std::size_t data_lines = 0;         // data rows in the file (read or not)
};

struct CsvReadOptions {
  char delimiter = 0;                  // 0 = auto-detect
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
  // Series symbol; empty = a `symbol`/`ticker` column's first value, else the file name's stem.
  // With a symbol column, a non-empty `symbol` also SELECTS that symbol's rows (other rows are
  // skipped); without it, a second symbol in the column is a problem (kMixedSymbols).
  std::string symbol;
  // Time parsing: an explicit strptime-like format and/or the epoch unit (see core/time.hpp).
  TimeParseOptions time;
  // Explicit column mapping, field -> header name, overriding the aliases. Fields: "time",
  // "date" + "clock" (split date/time columns), "open", "high", "low", "close", "volume".
  std::map<std::string, std::string> columns;
  // Force the timeframe instead of detecting it from the most common step.
  std::optional<Timeframe> timeframe;
  // Strict mode (report == nullptr): the first problem stops the read with an Error
  // "file:line: column 'close': what is wrong". With check_rows, strict mode also rejects rows
  // that parse but are bad bars (NaN/Inf, non-positive price, high/low inconsistent with
  // open/close, negative volume, unsorted or duplicate timestamps); see data/validate.hpp.
  bool check_rows = true;
  // Lenient mode (report != nullptr): rows that do not parse are skipped and listed in the report;
  // parsed rows are kept as they are (no row checks: run validate() on the result). File-level
  // problems (empty, binary, missing columns) are still returned as an Error.
  CsvReadReport* report = nullptr;
};

Result<BarSeries> read_csv(const std::string& path, const CsvReadOptions& options = {});
Result<BarSeries> parse_csv(std::string_view text, std::string_view source_name,
                            const CsvReadOptions& options = {});

enum class CsvTimeStyle {
  kIso,      // 2024-01-01T00:00:00Z (fraction only when non-zero)
  kSpace,    // 2024-01-01 00:00:00 (the user guide's layout; fraction only when non-zero)
  kEpochMs,  // 1704067200000 (with a 6-digit fraction when sub-millisecond)
};

struct CsvWriteOptions {
  char delimiter = ',';
  CsvTimeStyle time_style = CsvTimeStyle::kIso;
  bool extra_columns = true;  // write the series' extra columns after volume
  bool gzip = false;          // also implied by a path ending in ".gz"
};

// Writes `timestamp,open,high,low,close,volume[,extras]` with shortest round-trip doubles
// (std::to_chars), so read_csv gives back bit-identical values. Writes to `path.tmp` then renames,
// so a failed write never leaves a half file at `path`.
Status write_csv(const BarSeries& series, const std::string& path, const CsvWriteOptions& options = {});
// The same text in memory.
std::string format_csv(const BarSeries& series, const CsvWriteOptions& options = {});

}  // namespace tradeloop
