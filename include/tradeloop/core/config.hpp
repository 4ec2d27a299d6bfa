// Configuration: TOML files flattened to dotted keys, overridable with `--set key=value`.
//
// Every key is settable from the command line (DESIGN.md §4). Values are kept as text until a
// typed getter reads them, so a TOML file and `--set` behave the same. Getters name the key and
// the file (or "--set") in their error messages. Rates are fractions (DESIGN.md §3 "Units"):
// `get_fraction` rejects values outside [lo, hi] with a message saying the value is a fraction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/core/result.hpp"

namespace tradeloop {

class Config {
 public:
  // Reads a TOML file; tables become prefixes ("[backtest] fee = 0.001" -> "backtest.fee").
  static Result<Config> load_toml(const std::string& path);
  static Result<Config> parse_toml(std::string_view text, std::string_view source_name);

  // "key=value" from the command line.
  Status set_from_arg(std::string_view assignment);
  void set(std::string key, std::string value, std::string source = "--set");
  // Later values win: the receiver's keys are overwritten by `other`'s.
  void merge(const Config& other);

  bool has(std::string_view key) const;
  std::optional<std::string> get_string(std::string_view key) const;
  Result<double> get_double(std::string_view key, double fallback) const;
  Result<long long> get_int(std::string_view key, long long fallback) const;
  Result<bool> get_bool(std::string_view key, bool fallback) const;
  // A rate given as a fraction, in [lo, hi]; "commission_pct = 2" is rejected with
  // "commission_pct = 2 is out of range: it is a fraction (0.001 = 0.1 %), expected [0, 0.1]".
  Result<double> get_fraction(std::string_view key, double fallback, double lo, double hi) const;

  // Keys present but never read by a getter: lets commands reject typos ("unknown key 'comission_pct'").
  std::vector<std::string> keys() const;
  std::string source_of(std::string_view key) const;

 private:
  struct Entry {
    std::string value;
    std::string source;
  };
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace tradeloop
