// Named parameters with a schema: used by indicator specs, built-in strategies, the optimiser,
// the CLI (`--param k=v`, `--range`) and later the API.
//
// A value is a number (integers are stored exactly in a double) or a choice string. A
// `ParamSpec` says the type, default, valid range [min, max], the step used by grid search and
// a description; `validate` rejects a value with a message that names the parameter and the
// range. `ParamSet` keeps insertion order so that output columns are stable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tradeloop/core/result.hpp"

namespace tradeloop {

using ParamValue = std::variant<double, std::string>;

enum class ParamType { kInt, kFloat, kBool, kChoice };
const char* to_string(ParamType t) noexcept;

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kFloat;
  ParamValue default_value = 0.0;
  double min = 0;  // inclusive; for kInt/kFloat
  double max = 0;  // inclusive
  double step = 0;  // grid step; 0 = none suggested
  std::vector<std::string> choices;  // for kChoice
  std::string description;

  // Checks type and range; the message names the parameter, the value and the valid range.
  Status validate(const ParamValue& v) const;
  // Parses command-line text ("14", "0.02", "true", "ema") into a value of this type.
  Result<ParamValue> parse(std::string_view text) const;
};

class ParamSet {
 public:
  ParamSet() = default;
  ParamSet(std::initializer_list<std::pair<std::string, ParamValue>> init);

  void set(std::string name, ParamValue v);
  bool has(std::string_view name) const noexcept;
  const ParamValue* find(std::string_view name) const noexcept;

  // Typed getters: an absent name or a wrong type throws Exception(kInvalidArgument).
  double get_double(std::string_view name) const;
  long long get_int(std::string_view name) const;  // value must be integral
  bool get_bool(std::string_view name) const;
  const std::string& get_string(std::string_view name) const;
  double get_double_or(std::string_view name, double fallback) const;

  const std::vector<std::pair<std::string, ParamValue>>& items() const noexcept { return items_; }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  // "fast=10,slow=50" (numbers in shortest round-trip form).
  std::string to_string() const;

  bool operator==(const ParamSet&) const = default;

 private:
  std::vector<std::pair<std::string, ParamValue>> items_;
};

// Fills defaults for missing names, validates every value, and rejects names that are not in
// the schema ("unknown parameter 'fsat' for sma_cross; known: fast, slow").
Result<ParamSet> resolve_params(const std::vector<ParamSpec>& schema, const ParamSet& given,
                                std::string_view owner);

// Shortest text that parses back to the same double ("0.1", "14", "1e-05").
std::string format_number(double v);
std::string format_param_value(const ParamValue& v);

}  // namespace tradeloop
