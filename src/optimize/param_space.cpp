#include "tradeloop/optimize/param_space.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace tradeloop::optimize {

const char* to_string(ParamKind k) noexcept {
  switch (k) {
    case ParamKind::kInt: return "int";
    case ParamKind::kFloat: return "float";
    case ParamKind::kCategorical: return "categorical";
  }
  return "?";
}

Result<ParamKind> parse_param_kind(std::string_view text) {
  if (text == "int" || text == "integer") return ParamKind::kInt;
  if (text == "float" || text == "double" || text == "real") return ParamKind::kFloat;
  if (text == "categorical" || text == "choice") return ParamKind::kCategorical;
  return invalid_argument("unknown parameter type '" + std::string(text) +
                          "'; expected int, float or categorical");
}

// ---------------------------------------------------------------------------------------------
// SearchParameter

namespace {
// Decimal places of a number typed by a user (0.05 -> 2), at most 12.
int decimals_of(double x) {
  for (int k = 0; k < 12; ++k) {
    const double m = x * std::pow(10.0, k);
    if (std::abs(m - std::round(m)) < 1e-9 * std::max(1.0, std::abs(m))) return k;
  }
  return 12;
}

double effective_step(const SearchParameter& p) {
  if (p.kind == ParamKind::kInt) return p.step > 0 ? p.step : 1.0;
  return p.step;
}
}  // namespace

std::size_t SearchParameter::levels() const {
  if (kind == ParamKind::kCategorical) return values.size();
  const double st = effective_step(*this);
  if (st <= 0) return 0;
  // The small epsilon keeps 0.1-steps from losing their last point to rounding.
  return static_cast<std::size_t>(std::floor((high - low) / st + 1e-9)) + 1;
}

ParamValue SearchParameter::level(std::size_t i) const {
  if (kind == ParamKind::kCategorical) return values[i];
  const double st = effective_step(*this);
  double v = low + static_cast<double>(i) * st;
  // Express stepped floats in the decimals the user typed (0.1 * 3 -> 0.3, not 0.30000000000000004).
  if (kind == ParamKind::kFloat) {
    const double scale = std::pow(10.0, decimals_of(st) > decimals_of(low) ? decimals_of(st) : decimals_of(low));
    v = std::round(v * scale) / scale;
  }
  return std::min(v, high);
}

std::size_t SearchParameter::nearest_level(const ParamValue& v) const {
  if (kind == ParamKind::kCategorical) {
    const auto* s = std::get_if<std::string>(&v);
    for (std::size_t i = 0; s && i < values.size(); ++i)
      if (values[i] == *s) return i;
    return 0;
  }
  const double st = effective_step(*this);
  const double x = std::get_if<double>(&v) ? std::get<double>(v) : low;
  if (st <= 0) return 0;
  const double idx = std::round((std::clamp(x, low, high) - low) / st);
  return std::min(static_cast<std::size_t>(std::max(idx, 0.0)), levels() - 1);
}

double SearchParameter::snap(double v) const {
  v = std::clamp(v, low, high);
  if (effective_step(*this) <= 0) return v;
  return std::get<double>(level(nearest_level(v)));
}

ParamValue SearchParameter::random(Rng& rng) const {
  const std::size_t l = levels();
  if (l == 0) return rng.uniform(low, high);
  return level(static_cast<std::size_t>(rng.below(l)));
}

// ---------------------------------------------------------------------------------------------
// Constraint expressions: a recursive-descent parser into a small tree.

class Constraint {
 public:
  struct Node {
    enum class Op { kNum, kVar, kAdd, kSub, kMul, kDiv, kNeg } op = Op::kNum;
    double value = 0;
    std::string var;
    std::unique_ptr<Node> a, b;
  };
  enum class Cmp { kLt, kLe, kGt, kGe, kEq, kNe };

  static Result<std::shared_ptr<const Constraint>> parse(std::string_view text,
                                                         const ParameterSpace& space) {
    auto c = std::make_shared<Constraint>();
    ConstraintParser p{text, 0, space, {}};
    c->lhs_ = p.expr();
    if (p.error.empty()) {
      p.skip();
      static constexpr std::pair<std::string_view, Cmp> kOps[] = {
          {"<=", Cmp::kLe}, {">=", Cmp::kGe}, {"==", Cmp::kEq}, {"!=", Cmp::kNe},
          {"<", Cmp::kLt},  {">", Cmp::kGt},  {"=", Cmp::kEq}};
      bool found = false;
      for (const auto& [s, op] : kOps)
        if (p.text.substr(p.pos, s.size()) == s) {
          c->cmp_ = op;
          p.pos += s.size();
          found = true;
          break;
        }
      if (!found) p.fail("expected a comparison (<, <=, >, >=, ==, !=)");
    }
    if (p.error.empty()) c->rhs_ = p.expr();
    p.skip();
    if (p.error.empty() && p.pos != p.text.size()) p.fail("unexpected text");
    if (!p.error.empty())
      return invalid_argument("constraint '" + std::string(text) + "': " + p.error);
    return std::shared_ptr<const Constraint>(std::move(c));
  }

  bool holds(const ParamSet& p) const {
    const double l = eval(*lhs_, p), r = eval(*rhs_, p);
    if (std::isnan(l) || std::isnan(r)) return false;
    switch (cmp_) {
      case Cmp::kLt: return l < r;
      case Cmp::kLe: return l <= r;
      case Cmp::kGt: return l > r;
      case Cmp::kGe: return l >= r;
      case Cmp::kEq: return l == r;
      case Cmp::kNe: return l != r;
    }
    return false;
  }

 private:
  struct ConstraintParser {
    std::string_view text;
    std::size_t pos;
    const ParameterSpace& space;
    std::string error;

    void fail(const std::string& what) {
      if (error.empty()) error = what + " at column " + std::to_string(pos + 1);
    }
    void skip() {
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    }
    bool eat(char c) {
      skip();
      if (pos < text.size() && text[pos] == c) return ++pos, true;
      return false;
    }
    std::unique_ptr<Node> binary(std::unique_ptr<Node> a, Node::Op op, std::unique_ptr<Node> b) {
      auto n = std::make_unique<Node>();
      n->op = op;
      n->a = std::move(a);
      n->b = std::move(b);
      return n;
    }
    std::unique_ptr<Node> expr() {
      auto n = term();
      while (error.empty()) {
        if (eat('+')) n = binary(std::move(n), Node::Op::kAdd, term());
        else if (eat('-')) n = binary(std::move(n), Node::Op::kSub, term());
        else break;
      }
      return n;
    }
    std::unique_ptr<Node> term() {
      auto n = factor();
      while (error.empty()) {
        if (eat('*')) n = binary(std::move(n), Node::Op::kMul, factor());
        else if (eat('/')) n = binary(std::move(n), Node::Op::kDiv, factor());
        else break;
      }
      return n;
    }
    std::unique_ptr<Node> factor() {
      auto n = std::make_unique<Node>();
      if (eat('-')) {
        n->op = Node::Op::kNeg;
        n->a = factor();
        return n;
      }
      if (eat('(')) {
        n = expr();
        if (!eat(')')) fail("expected ')'");
        return n;
      }
      skip();
      const std::size_t start = pos;
      if (pos < text.size() && (std::isalpha(static_cast<unsigned char>(text[pos])) || text[pos] == '_')) {
        while (pos < text.size() && (std::isalnum(static_cast<unsigned char>(text[pos])) || text[pos] == '_'))
          ++pos;
        n->op = Node::Op::kVar;
        n->var = std::string(text.substr(start, pos - start));
        const auto* p = space.find(n->var);
        if (!p) {
          pos = start;
          fail("unknown parameter '" + n->var + "'");
        } else if (p->kind == ParamKind::kCategorical) {
          pos = start;
          fail("parameter '" + n->var + "' is categorical and cannot be compared");
        }
        return n;
      }
      const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), n->value);
      if (ec != std::errc()) {
        fail("expected a number or a parameter name");
        return n;
      }
      pos = static_cast<std::size_t>(end - text.data());
      return n;
    }
  };

  static double eval(const Node& n, const ParamSet& p) {
    switch (n.op) {
      case Node::Op::kNum: return n.value;
      case Node::Op::kVar: {
        const auto* v = p.find(n.var);
        return v && std::holds_alternative<double>(*v) ? std::get<double>(*v)
                                                       : std::numeric_limits<double>::quiet_NaN();
      }
      case Node::Op::kAdd: return eval(*n.a, p) + eval(*n.b, p);
      case Node::Op::kSub: return eval(*n.a, p) - eval(*n.b, p);
      case Node::Op::kMul: return eval(*n.a, p) * eval(*n.b, p);
      case Node::Op::kDiv: {
        const double d = eval(*n.b, p);
        return d == 0 ? std::numeric_limits<double>::quiet_NaN() : eval(*n.a, p) / d;
      }
      case Node::Op::kNeg: return -eval(*n.a, p);
    }
    return std::numeric_limits<double>::quiet_NaN();
  }

  std::unique_ptr<Node> lhs_, rhs_;
  Cmp cmp_ = Cmp::kLt;
};

// ---------------------------------------------------------------------------------------------
// ParameterSpace

ParameterSpace::ParameterSpace() = default;
ParameterSpace::~ParameterSpace() = default;
ParameterSpace::ParameterSpace(const ParameterSpace&) = default;
ParameterSpace& ParameterSpace::operator=(const ParameterSpace&) = default;
ParameterSpace::ParameterSpace(ParameterSpace&&) noexcept = default;
ParameterSpace& ParameterSpace::operator=(ParameterSpace&&) noexcept = default;

const SearchParameter* ParameterSpace::find(std::string_view name) const noexcept {
  for (const auto& p : params_)
    if (p.name == name) return &p;
  return nullptr;
}

Status ParameterSpace::add_parameter(std::string name, ParamKind kind, double low, double high,
                                     double step) {
  const std::string what = "parameter '" + name + "'";
  if (name.empty()) return invalid_argument("parameter name must not be empty");
  if (find(name)) return invalid_argument(what + " is already in the search space");
  if (kind == ParamKind::kCategorical)
    return invalid_argument(what + ": categorical parameters take a list of values");
  if (!std::isfinite(low) || !std::isfinite(high) || !std::isfinite(step))
    return invalid_argument(what + ": bounds and step must be finite");
  if (low > high)
    return invalid_argument(what + ": low " + format_number(low) + " > high " + format_number(high));
  if (step < 0) return invalid_argument(what + ": step must be >= 0, got " + format_number(step));
  if (kind == ParamKind::kInt &&
      (low != std::floor(low) || high != std::floor(high) || step != std::floor(step)))
    return invalid_argument(what + ": an int parameter needs whole-number bounds and step");
  if (step > 0 && step > high - low && high > low)
    return invalid_argument(what + ": step " + format_number(step) + " is larger than the range");
  params_.push_back({std::move(name), kind, low, high, step, {}});
  return Status::Ok();
}

Status ParameterSpace::add_categorical(std::string name, std::vector<std::string> values) {
  if (find(name)) return invalid_argument("parameter '" + name + "' is already in the search space");
  if (values.empty()) return invalid_argument("parameter '" + name + "': no values given");
  params_.push_back({std::move(name), ParamKind::kCategorical, 0, 0, 0, std::move(values)});
  return Status::Ok();
}

Status ParameterSpace::add_constraint(std::string_view text) {
  auto c = Constraint::parse(text, *this);
  if (!c) return c.error();
  constraints_.push_back(std::move(*c));
  constraint_texts_.emplace_back(text);
  return Status::Ok();
}

void ParameterSpace::add_fixed(std::string name, ParamValue value) {
  fixed_.emplace_back(std::move(name), std::move(value));
}

bool ParameterSpace::satisfies(const ParamSet& p) const {
  for (const auto& c : constraints_)
    if (!c->holds(p)) return false;
  return true;
}

std::optional<std::uint64_t> ParameterSpace::grid_size() const {
  std::uint64_t n = 1;
  for (const auto& p : params_) {
    const std::size_t l = p.levels();
    if (l == 0) return std::nullopt;
    if (n > std::numeric_limits<std::uint64_t>::max() / l) return std::nullopt;
    n *= l;
  }
  return n;
}

ParamSet ParameterSpace::from_levels(const std::vector<std::size_t>& idx) const {
  ParamSet s;
  for (std::size_t i = 0; i < params_.size(); ++i) s.set(params_[i].name, params_[i].level(idx[i]));
  for (const auto& [k, v] : fixed_) s.set(k, v);
  return s;
}

Result<std::vector<ParamSet>> ParameterSpace::grid(std::uint64_t max_points) const {
  const auto n = grid_size();
  for (const auto& p : params_)
    if (p.levels() == 0)
      return invalid_argument("parameter '" + p.name + "' is a float with no step; grid search needs a step");
  if (!n || *n > max_points)
    return invalid_argument("the grid has more than " + std::to_string(max_points) +
                            " points; use random, bayes or genetic search, or coarser steps");
  std::vector<ParamSet> out;
  std::vector<std::size_t> idx(params_.size(), 0);
  for (std::uint64_t k = 0; k < *n; ++k) {
    ParamSet s = from_levels(idx);
    if (satisfies(s)) out.push_back(std::move(s));
    for (std::size_t d = params_.size(); d-- > 0;) {  // odometer, last parameter fastest
      if (++idx[d] < params_[d].levels()) break;
      idx[d] = 0;
    }
  }
  return out;
}

Result<ParamSet> ParameterSpace::sample(Rng& rng, int max_tries) const {
  for (int t = 0; t < max_tries; ++t) {
    ParamSet s;
    for (const auto& p : params_) s.set(p.name, p.random(rng));
    for (const auto& [k, v] : fixed_) s.set(k, v);
    if (satisfies(s)) return s;
  }
  return invalid_argument("no parameter set satisfies the constraints after " +
                          std::to_string(max_tries) + " random draws");
}

std::size_t ParameterSpace::encoded_dims() const {
  std::size_t d = 0;
  for (const auto& p : params_) d += p.kind == ParamKind::kCategorical ? p.values.size() : 1;
  return d;
}

std::vector<double> ParameterSpace::encode(const ParamSet& s) const {
  std::vector<double> x;
  x.reserve(encoded_dims());
  for (const auto& p : params_) {
    const ParamValue* v = s.find(p.name);
    if (p.kind == ParamKind::kCategorical) {
      const std::size_t k = v ? p.nearest_level(*v) : 0;
      for (std::size_t i = 0; i < p.values.size(); ++i) x.push_back(i == k ? 1.0 : 0.0);
      continue;
    }
    const double d = v && std::holds_alternative<double>(*v) ? std::get<double>(*v) : p.low;
    x.push_back(p.high > p.low ? (d - p.low) / (p.high - p.low) : 0.5);
  }
  return x;
}

ParamSet ParameterSpace::decode(const std::vector<double>& x) const {
  ParamSet s;
  std::size_t j = 0;
  for (const auto& p : params_) {
    if (p.kind == ParamKind::kCategorical) {
      const auto first = x.begin() + static_cast<std::ptrdiff_t>(j);
      const auto best = std::max_element(first, first + static_cast<std::ptrdiff_t>(p.values.size()));
      s.set(p.name, p.values[static_cast<std::size_t>(best - first)]);
      j += p.values.size();
      continue;
    }
    s.set(p.name, p.snap(p.low + std::clamp(x[j++], 0.0, 1.0) * (p.high - p.low)));
  }
  for (const auto& [k, v] : fixed_) s.set(k, v);
  return s;
}

Result<RangeText> parse_range(std::string_view text) {
  RangeText r;
  if (std::count(text.begin(), text.end(), ':') > 2)
    return invalid_argument("range '" + std::string(text) + "': expected low:high[:step]");
  double* fields[3] = {&r.low, &r.high, &r.step};
  std::size_t start = 0;
  int n = 0;
  while (n < 3) {
    const std::size_t colon = text.find(':', start);
    const std::string_view part = text.substr(start, colon == std::string_view::npos ? text.npos : colon - start);
    const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), *fields[n]);
    if (part.empty() || ec != std::errc() || p != part.data() + part.size())
      return invalid_argument("range '" + std::string(text) + "': '" + std::string(part) +
                              "' is not a number; expected low:high[:step]");
    ++n;
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (n < 2)
    return invalid_argument("range '" + std::string(text) + "': expected low:high[:step]");
  return r;
}

}  // namespace tradeloop::optimize
