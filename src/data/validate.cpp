#include "tradeloop/data/validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "bar_checks.hpp"

namespace tradeloop {
namespace detail_validate {

std::size_t line_of(const ValidateOptions& o, std::size_t row) {
  return o.row_lines && row < o.row_lines->size() ? (*o.row_lines)[row] : 0;
}

// "file:line:" when the line is known, else "source: row N:".
std::string where(const std::string& source, const ValidateOptions& o, std::size_t row, std::string_view column) {
  const std::size_t line = line_of(o, row);
  if (line > 0) return problem_prefix(source, line, column);
  std::string out = (source.empty() ? std::string("series") : source) + ": row " + std::to_string(row + 1) + ": ";
  if (!column.empty()) out += "column '" + std::string(column) + "': ";
  return out;
}

bool row_is_repairable_drop(const Bar& b) {
  for (double p : {b.open, b.high, b.low, b.close})
    if (!std::isfinite(p) || p <= 0) return true;
  return !std::isfinite(b.volume);
}

bool same_row(const BarSeries& s, std::size_t a, std::size_t b) {
  if (!(s.bar(a) == s.bar(b))) return false;
  for (const auto& [name, col] : s.extra_columns())
    if (std::memcmp(&col[a], &col[b], sizeof(double)) != 0) return false;
  return true;
}

constexpr std::size_t kLinearGroup = 32;

// FNV-1a over the bits of every value of a row (the timestamp is the group's, so left out).
std::uint64_t row_hash(const BarSeries& s, std::size_t i) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    h = (h ^ bits) * 1099511628211ULL;
  };
  for (double v : {s.open()[i], s.high()[i], s.low()[i], s.close()[i], s.volume()[i]}) mix(v);
  for (const auto& [name, col] : s.extra_columns()) mix(col[i]);
  return h;
}

// Builds a series from rows `keep` (in that order) of `s`, metadata and extras included.
BarSeries take_rows(const BarSeries& s, const std::vector<std::size_t>& keep) {
  BarSeries out(s.symbol());
  out.set_source(s.source());
  out.set_timeframe(s.timeframe());
  out.reserve(keep.size());
  for (std::size_t i : keep) out.push_back(s.bar(i));
  for (const auto& [name, col] : s.extra_columns()) {
    std::vector<double> v;
    v.reserve(keep.size());
    for (std::size_t i : keep) v.push_back(col[i]);
    (void)out.set_column(name, std::move(v));  // sizes match by construction
  }
  return out;
}

}  // namespace detail_validate

std::size_t ValidationReport::error_count() const noexcept {
  return static_cast<std::size_t>(std::count_if(problems.begin(), problems.end(),
                                                [](const DataProblem& p) { return p.severity() == Severity::kError; }));
}

std::size_t ValidationReport::warning_count() const noexcept { return problems.size() - error_count(); }

std::map<ProblemKind, std::size_t> ValidationReport::counts() const {
  std::map<ProblemKind, std::size_t> m;
  for (const auto& p : problems) ++m[p.kind];
  return m;
}

ValidationReport validate(const BarSeries& s, const ValidateOptions& opt) {
  using detail_validate::where;
  ValidationReport r;
  r.source = s.source();
  r.rows = s.size();
  std::vector<detail_checks::BarIssue> issues;
  Bar prev;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Bar b = s.bar(i);
    issues.clear();
    detail_checks::check_bar(b, i > 0 ? &prev : nullptr, issues);
    // Exact duplicates of the previous row also compare the extra columns.
    for (auto& is : issues)
      if (is.kind == ProblemKind::kDuplicateRow && !detail_validate::same_row(s, i - 1, i))
        is = {ProblemKind::kDuplicateTimestamp, "timestamp",
              format_timestamp(b.ts) + " repeats the previous row's timestamp with different values"};
    for (auto& is : issues)
      r.problems.push_back(DataProblem{is.kind, detail_validate::line_of(opt, i), i, is.column,
                                       where(r.source, opt, i, is.column) + is.what});
    prev = b;
  }
  if (opt.check_gaps) {
    r.gaps = find_gaps(s, opt.timeframe);
    for (const Gap& g : r.gaps.gaps)
      r.problems.push_back(DataProblem{
          ProblemKind::kGap, detail_validate::line_of(opt, g.row), g.row, "timestamp",
          where(r.source, opt, g.row, "timestamp") + std::to_string(g.missing) + " missing " +
              r.gaps.timeframe->to_string() + " bar" + (g.missing == 1 ? "" : "s") + " after " +
              format_timestamp(g.after) + " (next bar " + format_timestamp(g.before) + ")"});
  }
  std::stable_sort(r.problems.begin(), r.problems.end(),
                   [](const DataProblem& a, const DataProblem& b) { return a.row < b.row; });
  return r;
}

Result<FileValidation> validate_file(const std::string& path, CsvReadOptions read, const ValidateOptions& options) {
  FileValidation fv;
  CsvReadReport report;
  read.report = &report;
  auto series = read_csv(path, read);
  fv.report.source = path;
  if (!series) {
    if (report.problems.empty()) return std::move(series).error();  // cannot read at all
    fv.report.problems = std::move(report.problems);
    return fv;
  }
  fv.series = std::move(*series);
  fv.row_lines = std::move(report.row_lines);
  ValidateOptions vo = options;
  vo.row_lines = &fv.row_lines;
  ValidationReport rows = validate(fv.series, vo);
  fv.report.rows = rows.rows;
  fv.report.gaps = std::move(rows.gaps);
  // Parse problems and row problems merged in file-line order.
  fv.report.problems = std::move(report.problems);
  fv.report.problems.insert(fv.report.problems.end(), rows.problems.begin(), rows.problems.end());
  std::stable_sort(fv.report.problems.begin(), fv.report.problems.end(),
                   [](const DataProblem& a, const DataProblem& b) { return a.line < b.line; });
  return fv;
}

SanitiseResult sanitise(const BarSeries& s, const SanitiseOptions& opt, const ValidateOptions& vopt) {
  SanitiseResult r;
  std::vector<std::size_t> keep;
  keep.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (opt.drop_invalid_prices && detail_validate::row_is_repairable_drop(s.bar(i))) {
      ++r.dropped_invalid;
      continue;
    }
    keep.push_back(i);
  }
  const auto ts = s.timestamps();
  if (opt.sort) {
    std::vector<std::size_t> before = keep;
    std::stable_sort(keep.begin(), keep.end(), [&](std::size_t a, std::size_t b) { return ts[a] < ts[b]; });
    for (std::size_t k = 0; k < keep.size(); ++k) r.moved_rows += keep[k] != before[k];
  }
  if (opt.drop_duplicates) {
    // Exact duplicates anywhere among rows with the same timestamp (adjacent groups once sorted).
    // A group is scanned linearly while small and through a hash of the row once it grows, so a
    // hostile file with a million rows at one timestamp stays O(n).
    std::vector<std::size_t> unique;
    unique.reserve(keep.size());
    std::unordered_multimap<std::uint64_t, std::size_t> big_group;
    std::size_t group_begin = 0;  // first entry of `unique` with the current run's timestamp
    for (const std::size_t i : keep) {
      if (unique.empty() || ts[unique.back()] != ts[i]) {
        group_begin = unique.size();
        if (!big_group.empty()) big_group = {};
      }
      bool dup = false;
      const std::size_t group_size = unique.size() - group_begin;
      if (group_size < detail_validate::kLinearGroup) {
        for (std::size_t j = group_begin; j < unique.size() && !dup; ++j) dup = detail_validate::same_row(s, unique[j], i);
      } else {
        if (big_group.empty())
          for (std::size_t j = group_begin; j < unique.size(); ++j)
            big_group.emplace(detail_validate::row_hash(s, unique[j]), unique[j]);
        const auto range = big_group.equal_range(detail_validate::row_hash(s, i));
        for (auto it = range.first; it != range.second && !dup; ++it) dup = detail_validate::same_row(s, it->second, i);
      }
      if (dup) {
        ++r.dropped_duplicates;
        continue;
      }
      unique.push_back(i);
      if (!big_group.empty()) big_group.emplace(detail_validate::row_hash(s, i), i);
    }
    keep = std::move(unique);
  }
  r.series = detail_validate::take_rows(s, keep);
  if (vopt.row_lines)
    for (std::size_t i : keep) r.row_lines.push_back(detail_validate::line_of(vopt, i));
  ValidateOptions after = vopt;
  after.row_lines = vopt.row_lines ? &r.row_lines : nullptr;
  r.remaining = validate(r.series, after);
  return r;
}

}  // namespace tradeloop
