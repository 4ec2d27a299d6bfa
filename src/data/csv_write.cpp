#include <zlib.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "tradeloop/data/csv.hpp"

namespace tradeloop {
namespace detail_write {

void put_digits(std::string& out, std::int64_t v, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 || n < width);
  while (n > 0) out += buf[--n];
}

void put_time(std::string& out, Timestamp ts, CsvTimeStyle style) {
  if (style == CsvTimeStyle::kEpochMs) {
    // Whole milliseconds, plus a 6-digit fraction when the time has sub-millisecond nanos.
    char buf[24];
    std::int64_t ms = ts / kNanosPerMilli, sub = ts % kNanosPerMilli;
    if (sub < 0) sub += kNanosPerMilli, --ms;
    const auto r = std::to_chars(buf, buf + sizeof buf, ms);
    out.append(buf, r.ptr);
    if (sub != 0) {
      out += '.';
      put_digits(out, sub, 6);
    }
    return;
  }
  const CivilTime c = to_civil(ts);
  if (c.year < 0 || c.year > 9999) {  // outside the 4-digit ISO range: let the core formatter say it
    out += format_timestamp(ts);
    return;
  }
  put_digits(out, c.year, 4);
  out += '-';
  put_digits(out, c.month, 2);
  out += '-';
  put_digits(out, c.day, 2);
  out += style == CsvTimeStyle::kSpace ? ' ' : 'T';
  put_digits(out, c.hour, 2);
  out += ':';
  put_digits(out, c.minute, 2);
  out += ':';
  put_digits(out, c.second, 2);
  if (c.nanos != 0) {
    out += '.';
    put_digits(out, c.nanos, 9);
  }
  if (style != CsvTimeStyle::kSpace) out += 'Z';
}

void put_double(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  out.append(buf, r.ptr);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Status write_bytes(const std::string& path, const std::string& text, bool gzip) {
  const std::string tmp = path + ".tmp";
  if (gzip) {
    gzFile gz = gzopen(tmp.c_str(), "wb6");
    if (!gz) return io_error(path + ": cannot create: " + std::strerror(errno));
    std::size_t done = 0;
    while (done < text.size()) {
      const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(text.size() - done, 1u << 30));
      if (gzwrite(gz, text.data() + done, chunk) != static_cast<int>(chunk)) {
        gzclose(gz);
        std::remove(tmp.c_str());
        return io_error(path + ": write error");
      }
      done += chunk;
    }
    if (gzclose(gz) != Z_OK) {
      std::remove(tmp.c_str());
      return io_error(path + ": write error");
    }
  } else {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return io_error(path + ": cannot create: " + std::strerror(errno));
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok) {
      std::remove(tmp.c_str());
      return io_error(path + ": write error: " + std::strerror(errno));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return io_error(path + ": cannot rename the temporary file: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace detail_write

std::string format_csv(const BarSeries& s, const CsvWriteOptions& opt) {
  const char d = opt.delimiter;
  std::string out;
  out.reserve(s.size() * 72 + 64);
  out += "timestamp";
  for (const char* n : {"open", "high", "low", "close", "volume"}) (out += d) += n;
  if (opt.extra_columns)
    for (const auto& [name, col] : s.extra_columns()) (out += d) += name;
  out += '\n';
  const auto ts = s.timestamps();
  const auto o = s.open(), h = s.high(), l = s.low(), c = s.close(), v = s.volume();
  for (std::size_t i = 0; i < s.size(); ++i) {
    detail_write::put_time(out, ts[i], opt.time_style);
    for (const auto* col : {&o, &h, &l, &c, &v}) {
      out += d;
      detail_write::put_double(out, (*col)[i]);
    }
    if (opt.extra_columns)
      for (const auto& [name, col] : s.extra_columns()) {
        out += d;
        detail_write::put_double(out, col[i]);
      }
    out += '\n';
  }
  return out;
}

Status write_csv(const BarSeries& series, const std::string& path, const CsvWriteOptions& options) {
  return detail_write::write_bytes(path, format_csv(series, options),
                                   options.gzip || detail_write::ends_with(path, ".gz"));
}

}  // namespace tradeloop
