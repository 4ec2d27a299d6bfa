#include "tradeloop/data/problem.hpp"

namespace tradeloop {

const char* to_string(ProblemKind kind) noexcept {
  switch (kind) {
    case ProblemKind::kEmptyFile: return "empty_file";
    case ProblemKind::kBinary: return "binary";
    case ProblemKind::kLineTooLong: return "line_too_long";
    case ProblemKind::kMissingColumn: return "missing_column";
    case ProblemKind::kColumnCount: return "column_count";
    case ProblemKind::kBadNumber: return "bad_number";
    case ProblemKind::kBadTime: return "bad_time";
    case ProblemKind::kMixedTimeFormats: return "mixed_time_formats";
    case ProblemKind::kMixedSymbols: return "mixed_symbols";
    case ProblemKind::kUnsorted: return "unsorted";
    case ProblemKind::kDuplicateTimestamp: return "duplicate_timestamp";
    case ProblemKind::kDuplicateRow: return "duplicate_row";
    case ProblemKind::kNotFinite: return "not_finite";
    case ProblemKind::kNonPositivePrice: return "non_positive_price";
    case ProblemKind::kHighBelowOpenClose: return "high_below_open_close";
    case ProblemKind::kLowAboveOpenClose: return "low_above_open_close";
    case ProblemKind::kNegativeVolume: return "negative_volume";
    case ProblemKind::kGap: return "gap";
  }
  return "unknown";
}

Severity severity_of(ProblemKind kind) noexcept {
  return kind == ProblemKind::kGap ? Severity::kWarning : Severity::kError;
}

std::string problem_prefix(std::string_view source, std::size_t line, std::string_view column) {
  std::string out(source);
  if (line > 0) out += ":" + std::to_string(line);
  if (!out.empty()) out += ": ";
  if (!column.empty()) {
    out += "column '";
    out += column;
    out += "': ";
  }
  return out;
}

std::string quote_cell(std::string_view cell) {
  std::string out = "'";
  const std::size_t n = std::min<std::size_t>(cell.size(), 40);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(cell[i]);
    out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  }
  if (cell.size() > n) out += "...";
  out += "'";
  return out;
}

}  // namespace tradeloop
