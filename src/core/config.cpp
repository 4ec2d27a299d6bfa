#include "tradeloop/core/config.hpp"

#include <charconv>
#include <cstdio>
#include <optional>
#include <cmath>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "tradeloop/core/params.hpp"

namespace tradeloop {
namespace {

std::optional<std::string> scalar_text(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) return format_number(f->get());
  if (const auto* b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
  if (const auto* d = node.as_date()) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->get().year, d->get().month, d->get().day);
    return std::string(buf);
  }
  return std::nullopt;
}

void flatten(const toml::table& table, const std::string& prefix, const std::string& source,
             Config& out) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* t = node.as_table()) {
      flatten(*t, key, source, out);
    } else if (const auto* a = node.as_array()) {
      std::string joined;
      for (const auto& el : *a) joined += (joined.empty() ? "" : ",") + scalar_text(el).value_or("");
      out.set(key, joined, source);
    } else {
      out.set(key, scalar_text(node).value_or(""), source);
    }
  }
}

}  // namespace

Result<Config> Config::parse_toml(std::string_view text, std::string_view source_name) {
  try {
    toml::table table = toml::parse(text, std::string(source_name));
    Config c;
    flatten(table, "", std::string(source_name), c);
    return c;
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << source_name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
       << e.description();
    return parse_error(os.str());
  }
}

Result<Config> Config::load_toml(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open config file '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_toml(ss.str(), path);
}

Status Config::set_from_arg(std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return invalid_argument("--set expects key=value, got '" + std::string(assignment) + "'");
  set(std::string(assignment.substr(0, eq)), std::string(assignment.substr(eq + 1)), "--set");
  return Status::Ok();
}

void Config::set(std::string key, std::string value, std::string source) {
  entries_[std::move(key)] = Entry{std::move(value), std::move(source)};
}

void Config::merge(const Config& other) {
  for (const auto& [k, e] : other.entries_) entries_[k] = e;
}

bool Config::has(std::string_view key) const { return entries_.find(key) != entries_.end(); }

std::optional<std::string> Config::get_string(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second.value;
}

std::string Config::source_of(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? std::string() : it->second.source;
}

Result<double> Config::get_double(std::string_view key, double fallback) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return fallback;
  const std::string& s = it->second.value;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
    return invalid_argument(it->second.source + ": " + std::string(key) + " = '" + s +
                            "' is not a finite number");
  return v;
}

Result<long long> Config::get_int(std::string_view key, long long fallback) const {
  auto d = get_double(key, static_cast<double>(fallback));
  if (!d.ok()) return d.error();
  if (*d != std::floor(*d))
    return invalid_argument(source_of(key) + ": " + std::string(key) + " = " + format_number(*d) +
                            " must be a whole number");
  return static_cast<long long>(*d);
}

Result<bool> Config::get_bool(std::string_view key, bool fallback) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return fallback;
  const std::string& s = it->second.value;
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return invalid_argument(it->second.source + ": " + std::string(key) + " = '" + s + "' is not true/false");
}

Result<double> Config::get_fraction(std::string_view key, double fallback, double lo, double hi) const {
  auto d = get_double(key, fallback);
  if (!d.ok()) return d.error();
  if (*d < lo || *d > hi)
    return invalid_argument(source_of(key) + ": " + std::string(key) + " = " + format_number(*d) +
                            " is out of range: it is a fraction (0.01 = 1 %), expected [" +
                            format_number(lo) + ", " + format_number(hi) + "]");
  return *d;
}

std::vector<std::string> Config::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, e] : entries_) out.push_back(k);
  return out;
}

}  // namespace tradeloop
