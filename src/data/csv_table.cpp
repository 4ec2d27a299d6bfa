#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "csv_tokenizer.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop {

namespace detail_csv {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

Result<std::string> gunzip(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) return io_error(path + ": cannot open gzip file");
  gzbuffer(gz, 1 << 17);
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const int n = gzread(gz, buf, sizeof buf);
    if (n < 0) {
      int err = 0;
      std::string msg = gzerror(gz, &err);
      gzclose(gz);
      return parse_error(path + ": corrupt gzip data (" + msg + ")");
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  gzclose(gz);
  return out;
}

// Builds a CsvTable from owned text.
struct TableBuilder {
  static Result<CsvTable> build(std::string text, std::string_view source, const CsvTableOptions& opt) {
    CsvTable t;
    t.source_ = std::string(source);
    t.text_ = std::move(text);
    const TextCheck check = check_text(t.text_, source);
    if (check.problem) return parse_error(check.problem->message);
    std::string_view rest = std::string_view(t.text_).substr(check.begin);
    const std::size_t header_begin = check.begin + rest.find_first_not_of("\r\n");
    const std::size_t header_end = t.text_.find('\n', header_begin);
    t.delimiter_ = opt.delimiter ? opt.delimiter
                                 : detect_delimiter(std::string_view(t.text_).substr(
                                       header_begin, std::min(header_end, t.text_.size()) - header_begin));
    Tokenizer tok(t.text_, check.begin, t.delimiter_, opt.max_line_bytes);
    std::vector<std::string_view> fields;
    auto r = tok.next(fields);
    if (r == Tokenizer::Next::kError) return parse_error(problem_prefix(t.source_, tok.line(), "") + tok.error());
    for (auto f : fields) {
      std::string name(f);
      while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.erase(0, 1);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
      t.header_.push_back(std::move(name));
    }
    const std::size_t ncol = t.header_.size();
    for (;;) {
      r = tok.next(fields);
      if (r == Tokenizer::Next::kEnd) break;
      if (r == Tokenizer::Next::kError) return parse_error(problem_prefix(t.source_, tok.line(), "") + tok.error());
      if (fields.size() != ncol && !opt.allow_ragged_rows)
        return parse_error(problem_prefix(t.source_, tok.line(), "") + "the row has " +
                           std::to_string(fields.size()) + " fields, the header has " + std::to_string(ncol));
      t.lines_.push_back(tok.line());
      for (std::size_t c = 0; c < ncol; ++c) {
        if (c < fields.size())
          t.cells_.push_back({tok.offset_of(fields[c]), fields[c].size()});
        else
          t.cells_.push_back({0, 0});
      }
    }
    return t;
  }
};

}  // namespace detail_csv

Result<std::string> read_file_bytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return not_found(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) return io_error(path + ": is a directory, expected a file");
  std::unique_ptr<std::FILE, detail_csv::FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return io_error(path + ": cannot open: " + std::strerror(errno));
  unsigned char magic[2] = {0, 0};
  const std::size_t got = std::fread(magic, 1, 2, f.get());
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) return detail_csv::gunzip(path);
  std::fseek(f.get(), 0, SEEK_END);
  const long size = std::ftell(f.get());
  std::fseek(f.get(), 0, SEEK_SET);
  std::string out;
  if (size > 0) {
    out.resize(static_cast<std::size_t>(size));
    const std::size_t n = std::fread(out.data(), 1, out.size(), f.get());
    if (n != out.size()) return io_error(path + ": read error: " + std::strerror(errno));
  } else {
    // Pipes and special files report no size: read until EOF.
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.append(buf, n);
  }
  return out;
}

std::optional<std::size_t> CsvTable::column_index(std::string_view name) const noexcept {
  const std::string want = detail_csv::normalise_name(name);
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (detail_csv::normalise_name(header_[i]) == want) return i;
  return std::nullopt;
}

Result<std::size_t> CsvTable::require_column(std::initializer_list<std::string_view> names) const {
  std::string wanted;
  for (auto n : names) {
    if (auto i = column_index(n)) return *i;
    wanted += (wanted.empty() ? "'" : " or '") + std::string(n) + "'";
  }
  std::string have;
  for (const auto& h : header_) have += (have.empty() ? "" : ", ") + quote_cell(h);
  return parse_error(source_ + ": no column " + wanted + "; the header has: " + have);
}

std::string_view CsvTable::cell(std::size_t row, std::size_t col) const noexcept {
  const Span& s = cells_[row * header_.size() + col];
  return std::string_view(text_).substr(s.offset, s.size);
}

Result<double> CsvTable::parse_double(std::size_t row, std::size_t col) const {
  double v = 0;
  const std::string_view c = cell(row, col);
  const auto status = detail_csv::parse_number(c, &v);
  if (status == detail_csv::NumberStatus::kOk) return v;
  return parse_error(problem_prefix(source_, lines_[row], header_[col]) + quote_cell(c) + " " +
                     detail_csv::describe(status));
}

Result<Timestamp> CsvTable::parse_time(std::size_t row, std::size_t col, const TimeParseOptions& options) const {
  auto t = detail_csv::parse_time_cell(cell(row, col), options);
  if (t) return t;
  return parse_error(problem_prefix(source_, lines_[row], header_[col]) + t.error().message);
}

Result<std::vector<double>> CsvTable::column_doubles(std::size_t col) const {
  std::vector<double> out;
  out.reserve(row_count());
  for (std::size_t r = 0; r < row_count(); ++r) {
    auto v = parse_double(r, col);
    if (!v) return std::move(v).error();
    out.push_back(*v);
  }
  return out;
}

Result<CsvTable> read_csv_table(const std::string& path, const CsvTableOptions& options) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return std::move(bytes).error();
  return detail_csv::TableBuilder::build(std::move(*bytes), path, options);
}

Result<CsvTable> parse_csv_table(std::string_view text, std::string_view source_name, const CsvTableOptions& options) {
  return detail_csv::TableBuilder::build(std::string(text), source_name, options);
}

}  // namespace tradeloop
