// One problem found in market data: by the CSV reader (lenient mode), by validate(), by the store.
//
// A problem names where it is (file line and/or series row, column) and what is wrong, in the
// form the user sees: "data.csv:17: column 'close': 'abc' is not a number". Errors make a file
// unusable as is; warnings (gaps against the timeframe) are facts the user should know about
// (equities and FX have session and weekend gaps), not defects.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tradeloop {

enum class ProblemKind {
  kEmptyFile,          // no bytes, or a header and no data rows
  kBinary,             // NUL bytes or otherwise not text
  kLineTooLong,        // a line longer than the reader's limit
  kMissingColumn,      // a required column (time, open, high, low, close) is not in the header
  kColumnCount,        // a row with a different number of fields than the header
  kBadNumber,          // a cell that is not a number
  kBadTime,            // a cell that is not a timestamp
  kMixedTimeFormats,   // rows of one file use different time layouts (ISO vs epoch)
  kMixedSymbols,       // a symbol column with several symbols (and no --symbol to pick one)
  kUnsorted,           // a timestamp earlier than the previous row's
  kDuplicateTimestamp, // the same timestamp as the previous row, different values
  kDuplicateRow,       // the same timestamp and values as an earlier row
  kNotFinite,          // NaN or +-Inf in a price or volume (`nan`, `1e400`)
  kNonPositivePrice,   // open/high/low/close <= 0
  kHighBelowOpenClose, // high < max(open, close) (or high < low)
  kLowAboveOpenClose,  // low > min(open, close)
  kNegativeVolume,     // volume < 0
  kGap,                // missing bars against the timeframe (a warning)
};

enum class Severity { kWarning, kError };

// Stable snake_case name ("bad_number", "non_positive_price"), used in --json output.
const char* to_string(ProblemKind kind) noexcept;
Severity severity_of(ProblemKind kind) noexcept;

inline constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);

struct DataProblem {
  ProblemKind kind = ProblemKind::kBadNumber;
  std::size_t line = 0;     // 1-based line in the source file; 0 when not from a file
  std::size_t row = kNoRow; // 0-based row of the series, kNoRow when the row was not kept
  std::string column;       // "close", "timestamp"; empty for whole-row or whole-file problems
  std::string message;      // full text: "file:line: column 'close': 'abc' is not a number"

  Severity severity() const noexcept { return severity_of(kind); }
  bool operator==(const DataProblem&) const = default;
};

// Builds the standard message prefix "source:line: column 'col': " (parts omitted when empty/0).
std::string problem_prefix(std::string_view source, std::size_t line, std::string_view column);

// Shortens a cell for a message: at most 40 characters, then "...".
std::string quote_cell(std::string_view cell);

}  // namespace tradeloop
