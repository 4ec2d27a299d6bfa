// The OHLCV reader: column resolution (aliases, split date/time, explicit mapping) and the row
// loop on the shared tokenizer.
#include <algorithm>
#include <array>
#include <filesystem>

#include "bar_checks.hpp"
#include "csv_tokenizer.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop {
namespace detail_bars {

using detail_csv::normalise_name;

constexpr std::array<std::string_view, 13> kTimeNames = {
    "timestamp", "datetime", "date_time", "date time", "open_time", "opentime", "open time",
    "ts",        "unix",     "time_ms",   "timestamp_ms", "dt", "t"};
constexpr std::array<std::string_view, 4> kOpenNames = {"open", "o", "open_price", "open price"};
constexpr std::array<std::string_view, 4> kHighNames = {"high", "h", "high_price", "high price"};
constexpr std::array<std::string_view, 4> kLowNames = {"low", "l", "low_price", "low price"};
constexpr std::array<std::string_view, 5> kCloseNames = {"close", "c", "close_price", "close price", "last"};
constexpr std::array<std::string_view, 8> kVolumeNames = {"volume", "vol", "v", "base_volume", "volume_base",
                                                          "tick_volume", "tickvol", "qty"};
constexpr std::array<std::string_view, 6> kAdjCloseNames = {"adj close", "adj_close", "adjclose",
                                                            "adj. close", "adjusted close", "adjusted_close"};
constexpr std::array<std::string_view, 4> kOpenInterestNames = {"openinterest", "open_interest", "open interest", "oi"};
constexpr std::array<std::string_view, 5> kSymbolNames = {"symbol", "ticker", "pair", "instrument", "market"};

struct Layout {
  int time = -1, date = -1, clock = -1;  // time, or date + clock (split columns)
  int open = -1, high = -1, low = -1, close = -1, volume = -1, symbol = -1;
  std::vector<std::pair<int, std::string>> extras;  // column, series name
  std::string time_label;                            // column name used in messages
};

template <std::size_t N>
int find_any(const std::vector<std::string>& names, const std::array<std::string_view, N>& aliases) {
  for (auto a : aliases)
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == a) return static_cast<int>(i);
  return -1;
}

int find_exact(const std::vector<std::string>& names, std::string_view n) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == n) return static_cast<int>(i);
  return -1;
}

std::string extra_name(std::string_view raw) {
  std::string s = normalise_name(raw);
  for (char& c : s)
    if (c == ' ' || c == '.' || c == '-') c = '_';
  return s;
}

std::string header_list(const std::vector<std::string_view>& header) {
  std::string have;
  for (auto h : header) have += (have.empty() ? "" : ", ") + quote_cell(h);
  return have;
}

// Resolves the columns; `first_row` (may be empty) decides which unknown columns are numeric.
Result<Layout> resolve_layout(const std::vector<std::string_view>& header, const std::vector<std::string_view>& first_row,
                              const CsvReadOptions& opt, std::string_view source) {
  std::vector<std::string> names;
  names.reserve(header.size());
  for (auto h : header) names.push_back(normalise_name(h));
  Layout L;
  auto missing = [&](std::string_view what) {
    return Error{ErrorCode::kParse, std::string(source) + ":1: no " + std::string(what) +
                                        " column; the header has: " + header_list(header) +
                                        " (see docs/data.md for accepted names, or map it with --column)"};
  };
  // Explicit mapping first.
  for (const auto& [field, col] : opt.columns) {
    const int i = find_exact(names, normalise_name(col));
    if (i < 0)
      return Error{ErrorCode::kParse, std::string(source) + ":1: mapped column '" + col + "' (for " + field +
                                          ") is not in the header: " + header_list(header)};
    if (field == "time" || field == "timestamp") L.time = i;
    else if (field == "date") L.date = i;
    else if (field == "clock") L.clock = i;
    else if (field == "open") L.open = i;
    else if (field == "high") L.high = i;
    else if (field == "low") L.low = i;
    else if (field == "close") L.close = i;
    else if (field == "volume") L.volume = i;
    else
      return invalid_argument("unknown column mapping field '" + field +
                              "': expected time, date, clock, open, high, low, close or volume");
  }
  if (L.time < 0 && !(L.date >= 0 && L.clock >= 0)) {
    L.time = find_any(names, kTimeNames);
    if (L.time < 0) {
      const int d = find_exact(names, "date"), t = find_exact(names, "time");
      if (d >= 0 && t >= 0) L.date = d, L.clock = t;
      else if (d >= 0) L.time = d;
      else if (t >= 0) L.time = t;
      else if (!names.empty() && (names[0].empty() || names[0] == "unnamed: 0" || names[0] == "index")) L.time = 0;
    }
  }
  if (L.time < 0 && !(L.date >= 0 && L.clock >= 0)) return missing("time (timestamp, date, datetime, time, ...)");
  if (L.open < 0) L.open = find_any(names, kOpenNames);
  if (L.high < 0) L.high = find_any(names, kHighNames);
  if (L.low < 0) L.low = find_any(names, kLowNames);
  if (L.close < 0) L.close = find_any(names, kCloseNames);
  if (L.volume < 0) L.volume = find_any(names, kVolumeNames);
  if (L.open < 0) return missing("'open'");
  if (L.high < 0) return missing("'high'");
  if (L.low < 0) return missing("'low'");
  if (L.close < 0) return missing("'close'");
  L.symbol = find_any(names, kSymbolNames);
  L.time_label = std::string(L.time >= 0 ? header[static_cast<std::size_t>(L.time)] : header[static_cast<std::size_t>(L.date)]);
  if (L.time_label.empty()) L.time_label = "time";
  const int adj = find_any(names, kAdjCloseNames), oi = find_any(names, kOpenInterestNames);
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (i == L.time || i == L.date || i == L.clock || i == L.open || i == L.high || i == L.low || i == L.close ||
        i == L.volume || i == L.symbol)
      continue;
    if (i == adj) L.extras.emplace_back(i, "adj_close");
    else if (i == oi) L.extras.emplace_back(i, "open_interest");
    else if (!names[static_cast<std::size_t>(i)].empty() && static_cast<std::size_t>(i) < first_row.size()) {
      double v = 0;
      if (detail_csv::parse_number(first_row[static_cast<std::size_t>(i)], &v) == detail_csv::NumberStatus::kOk)
        L.extras.emplace_back(i, extra_name(header[static_cast<std::size_t>(i)]));
    }
  }
  return L;
}

// 0 = epoch number, 1 = calendar text. Used to reject files that mix the two.
int time_kind(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  std::size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;  // a signed epoch number
  for (; i < s.size(); ++i)
    if (s[i] == '-' || s[i] == '/' || s[i] == ':' || s[i] == 'T' || s[i] == ' ') return 1;
  return 0;
}

std::string stem_of(std::string_view source) {
  std::filesystem::path p{std::string(source)};
  if (p.extension() == ".gz") p = p.stem();
  return p.stem().string();
}

class Reader {
 public:
  Reader(FileText text, std::string_view source, const CsvReadOptions& opt)
      : text_(std::move(text)), source_(source), opt_(opt) {}

  Result<BarSeries> run();

 private:
  // Records a problem; returns the Error to stop with in strict mode, nullopt to go on.
  std::optional<Error> problem(ProblemKind kind, std::size_t line, std::string_view column, std::string what) {
    std::string msg = problem_prefix(source_, line, column) + what;
    if (!opt_.report) return Error{ErrorCode::kParse, std::move(msg)};
    opt_.report->problems.push_back(DataProblem{kind, line, kNoRow, std::string(column), std::move(msg)});
    return std::nullopt;
  }
  // A problem with the whole file: always an Error, also listed in the lenient report.
  Error file_problem(ProblemKind kind, std::string message) {
    if (opt_.report) opt_.report->problems.push_back(DataProblem{kind, 0, kNoRow, "", message});
    return Error{ErrorCode::kParse, std::move(message)};
  }

  FileText text_;
  std::string source_;
  const CsvReadOptions& opt_;
};

Result<BarSeries> Reader::run() {
  const detail_csv::TextCheck check = detail_csv::check_text(text_.view(), source_);
  if (check.problem) return file_problem(check.problem->kind, check.problem->message);
  const char delim = opt_.delimiter ? opt_.delimiter : detail_csv::detect_delimiter_at(text_.view(), check.begin);
  detail_csv::Tokenizer tok(text_.data(), text_.size(), check.begin, delim, opt_.max_line_bytes);
  auto token_error = [&] { return file_problem(tok.error_kind(), problem_prefix(source_, tok.line(), "") + tok.error()); };

  std::vector<std::string_view> header, fields;
  if (tok.next(header) == detail_csv::Tokenizer::Next::kError) return token_error();
  auto first = tok.next(fields);
  if (first == detail_csv::Tokenizer::Next::kError) return token_error();
  if (first == detail_csv::Tokenizer::Next::kEnd)
    return file_problem(ProblemKind::kEmptyFile, source_ + ": the file has a header line and no data rows");
  auto layout = resolve_layout(header, fields, opt_, source_);
  if (!layout) {
    if (layout.error().code != ErrorCode::kParse) return std::move(layout).error();
    return file_problem(ProblemKind::kMissingColumn, layout.error().message);
  }
  const Layout& L = *layout;
  const std::size_t ncol = header.size();

  BarSeries out;
  out.reserve(text_.size() / 48 + 16);  // typical rows are 45..70 bytes
  std::vector<std::vector<double>> extras(L.extras.size());
  std::vector<detail_checks::BarIssue> issues;
  std::string joined;  // "date time" for split columns
  std::string symbol;
  std::vector<std::string> seen_symbols;  // other symbols skipped by --symbol (for the message)
  int first_kind = -1;
  std::size_t data_lines = 0;
  const bool strict = opt_.report == nullptr;
  const bool check_rows = strict && opt_.check_rows;
  const bool check_kind = opt_.time.format.empty() && L.time >= 0;

  for (auto r = first; r != detail_csv::Tokenizer::Next::kEnd; r = tok.next(fields)) {
    if (r == detail_csv::Tokenizer::Next::kError) {
      if (auto e = problem(tok.error_kind(), tok.line(), "", tok.error())) return *e;
      break;  // the tokenizer cannot resume after an unterminated quote or an overlong line
    }
    ++data_lines;
    const std::size_t line = tok.line();
    if (fields.size() != ncol) {
      if (auto e = problem(ProblemKind::kColumnCount, line, "",
                           "the row has " + std::to_string(fields.size()) + " fields, the header has " +
                               std::to_string(ncol)))
        return *e;
      continue;
    }
    // Symbol column: one series per read. --symbol picks the rows of one symbol; without it, a
    // second symbol is a problem (a multi-symbol file would interleave two price series).
    if (L.symbol >= 0) {
      std::string_view sym = fields[static_cast<std::size_t>(L.symbol)];
      while (!sym.empty() && sym.front() == ' ') sym.remove_prefix(1);
      while (!sym.empty() && (sym.back() == ' ' || sym.back() == '\r')) sym.remove_suffix(1);
      if (!opt_.symbol.empty()) {
        if (sym != opt_.symbol) {
          if (seen_symbols.size() < 8 && std::find(seen_symbols.begin(), seen_symbols.end(), sym) == seen_symbols.end())
            seen_symbols.emplace_back(sym);
          continue;
        }
      } else if (symbol.empty()) {
        symbol = std::string(sym);
      } else if (sym != symbol) {
        if (auto e = problem(ProblemKind::kMixedSymbols, line, header[static_cast<std::size_t>(L.symbol)],
                             quote_cell(sym) + " differs from the first row's '" + symbol +
                                 "': one series per file, pick one with --symbol"))
          return *e;
        continue;
      }
    }
    // Time.
    std::string_view tcell;
    if (L.time >= 0) {
      tcell = fields[static_cast<std::size_t>(L.time)];
    } else {
      joined.assign(fields[static_cast<std::size_t>(L.date)]);
      joined += ' ';
      joined.append(fields[static_cast<std::size_t>(L.clock)]);
      tcell = joined;
    }
    auto ts = detail_csv::parse_time_cell(tcell, opt_.time);
    if (!ts) {
      if (auto e = problem(ProblemKind::kBadTime, line, L.time_label, ts.error().message)) return *e;
      continue;
    }
    if (check_kind) {
      const int kind = time_kind(tcell);
      if (first_kind < 0) first_kind = kind;
      if (kind != first_kind) {
        if (auto e = problem(ProblemKind::kMixedTimeFormats, line, L.time_label,
                             quote_cell(tcell) + " is " + (kind ? "a calendar date" : "an epoch number") +
                                 " but the first row uses " + (first_kind ? "calendar dates" : "epoch numbers") +
                                 " (mixed time formats)"))
          return *e;
        continue;
      }
    }
    // Numbers.
    Bar b;
    b.ts = *ts;
    bool row_ok = true;
    auto num = [&](int col, double* out_value) {
      const std::string_view cell = fields[static_cast<std::size_t>(col)];
      const auto status = detail_csv::parse_number(cell, out_value);
      if (status == detail_csv::NumberStatus::kOk) return true;
      const ProblemKind kind =
          status == detail_csv::NumberStatus::kOverflow ? ProblemKind::kNotFinite : ProblemKind::kBadNumber;
      if (auto e = problem(kind, line, header[static_cast<std::size_t>(col)],
                           quote_cell(cell) + " " + detail_csv::describe(status)))
        throw Exception(std::move(*e));
      return false;
    };
    try {
      row_ok = num(L.open, &b.open) && num(L.high, &b.high) && num(L.low, &b.low) && num(L.close, &b.close) &&
               (L.volume < 0 || num(L.volume, &b.volume));
      for (std::size_t k = 0; row_ok && k < L.extras.size(); ++k) {
        double v = 0;
        row_ok = num(L.extras[k].first, &v);
        if (row_ok) extras[k].push_back(v);
      }
    } catch (const Exception& e) {
      return e.error();
    }
    if (!row_ok) {
      // Keep the extra columns the same length as the series.
      for (auto& col : extras)
        if (col.size() > out.size()) col.pop_back();
      continue;
    }
    if (check_rows) {
      issues.clear();
      const Bar prev = out.empty() ? Bar{} : out.back();
      detail_checks::check_bar(b, out.empty() ? nullptr : &prev, issues);
      if (!issues.empty()) {
        const auto& is = issues.front();
        const std::string col = is.column == std::string_view("timestamp") ? L.time_label : std::string(is.column);
        return parse_error(problem_prefix(source_, line, col) + is.what);
      }
    }
    out.push_back(b);
    if (opt_.report) opt_.report->row_lines.push_back(line);
  }
  if (opt_.report) opt_.report->data_lines = data_lines;
  for (std::size_t k = 0; k < L.extras.size(); ++k) TL_RETURN_IF_ERROR(out.set_column(L.extras[k].second, std::move(extras[k])));
  if (out.empty() && !opt_.symbol.empty() && L.symbol >= 0) {
    std::string have;
    for (const auto& x : seen_symbols) have += (have.empty() ? "" : ", ") + quote_cell(x);
    return file_problem(ProblemKind::kMixedSymbols,
                        source_ + ": no rows for symbol '" + opt_.symbol + "'; the file has " + have);
  }
  if (out.empty() && strict) return parse_error(source_ + ": no data rows");
  out.set_source(source_);
  out.set_symbol(!opt_.symbol.empty() ? opt_.symbol : !symbol.empty() ? symbol : stem_of(source_));
  out.set_timeframe(opt_.timeframe ? opt_.timeframe : out.detect_timeframe());
  return out;
}

}  // namespace detail_bars

Result<BarSeries> read_csv(const std::string& path, const CsvReadOptions& options) {
  auto text = FileText::load(path);
  if (!text) return std::move(text).error();
  return detail_bars::Reader(std::move(*text), path, options).run();
}

Result<BarSeries> parse_csv(std::string_view text, std::string_view source_name, const CsvReadOptions& options) {
  return detail_bars::Reader(FileText::from_string(std::string(text)), source_name, options).run();
}

}  // namespace tradeloop
