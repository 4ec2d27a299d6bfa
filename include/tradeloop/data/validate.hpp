// Validation and sanitising of bar data (the two modes of issue #2).
//
// Strict mode is the CSV reader's default (data/csv.hpp): it stops at the first problem.
// Report mode is here: validate() lists EVERY problem of a series, validate_file() every problem
// of a file (rows that do not parse, then the rules below on the rows that do), and sanitise()
// repairs what is safely repairable and says what it did.
//
// Rules (errors unless noted): NaN/Inf in a price or volume; a price <= 0;
// high < max(open, close) or high < low; low > min(open, close); volume < 0; a timestamp earlier
// than the previous row (unsorted); the same timestamp as the previous row (a duplicate row when
// every value is equal, else a conflicting duplicate); gaps against the timeframe (WARNINGS:
// sessions and weekends are normal for equities and FX).
//
// Safe repairs: drop rows with NaN/Inf or non-positive prices (or NaN/Inf volume), sort by time
// (stable), drop exact duplicate rows (same timestamp and every value). Not repaired, because any
// choice would invent data: conflicting duplicates, high/low inconsistent with open/close,
// negative volume, gaps. They stay in the `remaining` report.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/core/timeframe.hpp"
#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/data/problem.hpp"
#include "tradeloop/data/resample.hpp"

namespace tradeloop {

struct ValidateOptions {
  std::optional<Timeframe> timeframe;  // grid for gaps; default series.timeframe(), else detected
  bool check_gaps = true;
  // File line of each row (CsvReadReport::row_lines) so messages say "file:line:"; may be null.
  const std::vector<std::size_t>* row_lines = nullptr;
};

struct ValidationReport {
  std::string source;
  std::size_t rows = 0;                 // rows of the series checked
  std::vector<DataProblem> problems;    // in file/row order (file-level and parse problems first)
  GapReport gaps;

  std::size_t error_count() const noexcept;
  std::size_t warning_count() const noexcept;
  bool ok() const noexcept { return error_count() == 0; }  // warnings (gaps) do not fail
  std::map<ProblemKind, std::size_t> counts() const;
};

ValidationReport validate(const BarSeries& series, const ValidateOptions& options = {});

struct FileValidation {
  ValidationReport report;
  BarSeries series;                    // the rows that parsed, as they are in the file
  std::vector<std::size_t> row_lines;  // file line of each row of `series`
};

// Lenient read + validate. File-level problems (empty, binary, header only, missing columns) are
// a report with one problem and no rows, not an Error; an Error is returned only when the file
// cannot be read at all (kNotFound, kIo).
Result<FileValidation> validate_file(const std::string& path, CsvReadOptions read = {},
                                     const ValidateOptions& options = {});

struct SanitiseOptions {
  bool drop_invalid_prices = true;  // NaN/Inf/non-positive prices, NaN/Inf volume
  bool sort = true;
  bool drop_duplicates = true;      // exact duplicate rows only
};

struct SanitiseResult {
  BarSeries series;
  std::vector<std::size_t> row_lines;  // file lines of the kept rows (when given)
  std::size_t dropped_invalid = 0;
  std::size_t dropped_duplicates = 0;
  std::size_t moved_rows = 0;          // rows whose position changed by sorting
  ValidationReport remaining;          // validate() of the result: what could not be repaired
};

SanitiseResult sanitise(const BarSeries& series, const SanitiseOptions& options = {},
                        const ValidateOptions& validate_options = {});

}  // namespace tradeloop
