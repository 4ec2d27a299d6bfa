#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "csv_tokenizer.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop {

namespace detail_csv {

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
  static Result<CsvTable> build(FileText text, std::string_view source, const CsvTableOptions& opt) {
    CsvTable t;
    t.source_ = std::string(source);
    t.text_ = std::move(text);
    const TextCheck check = check_text(t.text_.view(), source);
    if (check.problem) return parse_error(check.problem->message);
    t.delimiter_ = opt.delimiter ? opt.delimiter : detect_delimiter_at(t.text_.view(), check.begin);
    Tokenizer tok(t.text_.data(), t.text_.size(), check.begin, t.delimiter_, opt.max_line_bytes);
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

FileText::FileText(FileText&& o) noexcept
    : owned_(std::move(o.owned_)), map_(std::exchange(o.map_, nullptr)), map_size_(std::exchange(o.map_size_, 0)) {}

FileText& FileText::operator=(FileText&& o) noexcept {
  if (this != &o) {
    release();
    owned_ = std::move(o.owned_);
    map_ = std::exchange(o.map_, nullptr);
    map_size_ = std::exchange(o.map_size_, 0);
  }
  return *this;
}

FileText::~FileText() { release(); }

void FileText::release() noexcept {
  if (map_) munmap(map_, map_size_);
  map_ = nullptr;
  map_size_ = 0;
}

FileText FileText::from_string(std::string text) {
  FileText t;
  t.owned_ = std::move(text);
  return t;
}

Result<FileText> FileText::load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return not_found(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) return io_error(path + ": is a directory, expected a file");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(path + ": cannot open: " + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  unsigned char magic[2] = {0, 0};
  if (::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    auto text = detail_csv::gunzip(path);
    if (!text) return std::move(text).error();
    return from_string(std::move(*text));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<std::size_t>(st.st_size);
    // Private and writable: quote unescaping writes to copy-on-write pages, never to the file.
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      ::madvise(p, size, MADV_SEQUENTIAL);
      FileText t;
      t.map_ = p;
      t.map_size_ = size;
      return t;
    }
  }
  // Pipes, special files, or mmap refused: read to EOF.
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(path + ": read error: " + std::strerror(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return from_string(std::move(out));
}

Result<std::string> read_file_bytes(const std::string& path) {
  auto text = FileText::load(path);
  if (!text) return std::move(text).error();
  return std::string(text->view());
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
  return text_.view().substr(s.offset, s.size);
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
  auto text = FileText::load(path);
  if (!text) return std::move(text).error();
  return detail_csv::TableBuilder::build(std::move(*text), path, options);
}

Result<CsvTable> parse_csv_table(std::string_view text, std::string_view source_name, const CsvTableOptions& options) {
  return detail_csv::TableBuilder::build(FileText::from_string(std::string(text)), source_name, options);
}

}  // namespace tradeloop
