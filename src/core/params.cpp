#include "tradeloop/core/params.hpp"

#include <charconv>
#include <cmath>

namespace tradeloop {

const char* to_string(ParamType t) noexcept {
  switch (t) {
    case ParamType::kInt: return "int";
    case ParamType::kFloat: return "float";
    case ParamType::kBool: return "bool";
    case ParamType::kChoice: return "choice";
  }
  return "?";
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

std::string format_param_value(const ParamValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
  return std::get<std::string>(v);
}

Status ParamSpec::validate(const ParamValue& v) const {
  const std::string shown = "'" + name + "' = " + format_param_value(v);
  if (type == ParamType::kChoice) {
    const auto* s = std::get_if<std::string>(&v);
    if (!s) return invalid_argument("parameter " + shown + " must be one of its choices");
    for (const auto& c : choices)
      if (c == *s) return Status::Ok();
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    return invalid_argument("parameter " + shown + " is not a valid choice; expected one of: " + list);
  }
  const auto* d = std::get_if<double>(&v);
  if (!d) return invalid_argument("parameter " + shown + " must be a number");
  if (!std::isfinite(*d)) return invalid_argument("parameter " + shown + " must be finite");
  if (type == ParamType::kBool) {
    if (*d != 0 && *d != 1) return invalid_argument("parameter " + shown + " must be true or false");
    return Status::Ok();
  }
  if (type == ParamType::kInt && *d != std::floor(*d))
    return invalid_argument("parameter " + shown + " must be a whole number");
  if (*d < min || *d > max)
    return invalid_argument("parameter " + shown + " is out of range [" + format_number(min) + ", " +
                            format_number(max) + "]");
  return Status::Ok();
}

Result<ParamValue> ParamSpec::parse(std::string_view text) const {
  if (type == ParamType::kChoice) return ParamValue(std::string(text));
  if (type == ParamType::kBool) {
    if (text == "true" || text == "1" || text == "yes" || text == "on") return ParamValue(1.0);
    if (text == "false" || text == "0" || text == "no" || text == "off") return ParamValue(0.0);
    return invalid_argument("parameter '" + name + "': '" + std::string(text) + "' is not true/false");
  }
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size())
    return invalid_argument("parameter '" + name + "': '" + std::string(text) + "' is not a number");
  return ParamValue(v);
}

ParamSet::ParamSet(std::initializer_list<std::pair<std::string, ParamValue>> init) {
  for (const auto& [k, v] : init) set(k, v);
}

void ParamSet::set(std::string name, ParamValue v) {
  for (auto& [k, old] : items_)
    if (k == name) {
      old = std::move(v);
      return;
    }
  items_.emplace_back(std::move(name), std::move(v));
}

bool ParamSet::has(std::string_view name) const noexcept { return find(name) != nullptr; }

const ParamValue* ParamSet::find(std::string_view name) const noexcept {
  for (const auto& [k, v] : items_)
    if (k == name) return &v;
  return nullptr;
}

double ParamSet::get_double(std::string_view name) const {
  const ParamValue* v = find(name);
  if (!v) throw Exception(ErrorCode::kInvalidArgument, "missing parameter '" + std::string(name) + "'");
  if (const auto* d = std::get_if<double>(v)) return *d;
  throw Exception(ErrorCode::kInvalidArgument, "parameter '" + std::string(name) + "' must be a number");
}

long long ParamSet::get_int(std::string_view name) const {
  const double d = get_double(name);
  if (d != std::floor(d) || std::fabs(d) > 9.0e15)
    throw Exception(ErrorCode::kInvalidArgument,
                    "parameter '" + std::string(name) + "' must be a whole number, got " + format_number(d));
  return static_cast<long long>(d);
}

bool ParamSet::get_bool(std::string_view name) const { return get_double(name) != 0; }

const std::string& ParamSet::get_string(std::string_view name) const {
  const ParamValue* v = find(name);
  if (!v) throw Exception(ErrorCode::kInvalidArgument, "missing parameter '" + std::string(name) + "'");
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  throw Exception(ErrorCode::kInvalidArgument, "parameter '" + std::string(name) + "' must be a choice");
}

double ParamSet::get_double_or(std::string_view name, double fallback) const {
  const ParamValue* v = find(name);
  if (!v) return fallback;
  const auto* d = std::get_if<double>(v);
  return d ? *d : fallback;
}

std::string ParamSet::to_string() const {
  std::string out;
  for (const auto& [k, v] : items_) out += (out.empty() ? "" : ",") + k + "=" + format_param_value(v);
  return out;
}

Result<ParamSet> resolve_params(const std::vector<ParamSpec>& schema, const ParamSet& given,
                                std::string_view owner) {
  for (const auto& [k, v] : given.items()) {
    bool known = false;
    for (const auto& s : schema) known = known || s.name == k;
    if (!known) {
      std::string list;
      for (const auto& s : schema) list += (list.empty() ? "" : ", ") + s.name;
      return invalid_argument("unknown parameter '" + k + "' for " + std::string(owner) +
                              (list.empty() ? std::string("; it takes no parameters") : "; known: " + list));
    }
  }
  ParamSet out;
  for (const auto& s : schema) {
    const ParamValue* v = given.find(s.name);
    ParamValue value = v ? *v : s.default_value;
    // A number given for a choice parameter on the command line arrives as text already;
    // a choice given where a number is expected is caught by validate.
    Status st = s.validate(value);
    if (!st.ok()) return Error{st.error().code, std::string(owner) + ": " + st.error().message};
    out.set(s.name, std::move(value));
  }
  return out;
}

}  // namespace tradeloop
