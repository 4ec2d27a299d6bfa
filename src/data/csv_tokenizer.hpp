// Internal: the one CSV tokenizer behind CsvTable and the bar reader.
//
// Works in place on an owned, mutable buffer: unquoted fields are views into it; quoted fields
// with "" escapes are unescaped in place (the unescaped text is never longer). Line ends LF or
// CRLF; blank lines are skipped. A line longer than max_line_bytes, or an unterminated quote,
// stops the tokenizer with an error message (no quadratic work, no read past the buffer).
#pragma once

#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/time.hpp"
#include "tradeloop/data/problem.hpp"

namespace tradeloop::detail_csv {

// File-level checks: empty, binary. Returns the text without a UTF-8 BOM.
// Error kinds: kEmptyFile, kBinary (message names `source`).
struct TextCheck {
  std::size_t begin = 0;  // offset after the BOM
  std::optional<DataProblem> problem;
};
TextCheck check_text(std::string_view text, std::string_view source);

// ',' ';' or '\t', whichever occurs most often outside quotes in the header line (',' on a tie
// or when none occurs).
char detect_delimiter(std::string_view header_line);
// The same on the first non-blank line of `text` at or after `begin`.
char detect_delimiter_at(std::string_view text, std::size_t begin);

// Case-folds and trims a header name: " Adj Close " -> "adj close".
std::string normalise_name(std::string_view name);

class Tokenizer {
 public:
  Tokenizer(char* text, std::size_t size, std::size_t begin, char delimiter, std::size_t max_line_bytes)
      : base_(text), size_(size), pos_(begin), delim_(delimiter), max_line_(max_line_bytes) {}

  enum class Next { kRecord, kEnd, kError };
  // Splits the next non-blank record into `fields` (cleared first).
  Next next(std::vector<std::string_view>& fields);
  // 1-based line where the last record started.
  std::size_t line() const noexcept { return record_line_; }
  // After kError: what is wrong ("line is 52428800 bytes long ...").
  const std::string& error() const noexcept { return error_; }
  ProblemKind error_kind() const noexcept { return error_kind_; }
  // Offset of a field's first byte in the buffer.
  std::size_t offset_of(std::string_view field) const noexcept {
    return static_cast<std::size_t>(field.data() - base_);
  }

 private:
  Next quoted_record(std::size_t line_end, std::vector<std::string_view>& fields);
  Next finish_record(std::vector<std::string_view>& fields, std::size_t start, std::size_t at);
  Next slow_record(std::vector<std::string_view>& fields);
  Next line_too_long();
  Next fail(ProblemKind kind, std::string message);

  char* base_;
  std::size_t size_;
  std::size_t pos_;
  char delim_;
  std::size_t max_line_;
  std::size_t line_ = 1;         // line at pos_
  std::size_t record_line_ = 0;
  std::string error_;
  ProblemKind error_kind_ = ProblemKind::kBadNumber;
};

// Number parsing shared by the table and the bar reader: fast_float on the trimmed cell, leading
// '+' accepted; `nan`/`inf` parse; a decimal beyond the double range (1e400) is kOverflow.
enum class NumberStatus { kOk, kEmpty, kNotNumber, kOverflow };
NumberStatus parse_number(std::string_view cell, double* out) noexcept;
// "is empty, expected a number", "is not a number", "is out of range for a double (overflow)".
const char* describe(NumberStatus status) noexcept;

// Timestamp with a fast path for `YYYY-MM-DD[ T]HH:MM:SS[Z]`, else core parse_timestamp.
Result<Timestamp> parse_time_cell(std::string_view cell, const TimeParseOptions& options);

}  // namespace tradeloop::detail_csv
