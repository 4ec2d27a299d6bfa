// The search space of an optimisation: named parameters (integer, float, categorical) with
// ranges and steps, and constraints between them ("fast < slow").
//
// Grid search enumerates every point of the lattice low, low+step, ..., <= high (integers with
// no step use step 1; floats need a step for a grid); random search and the genetic algorithm
// sample uniformly on the same lattice (or continuously for a float without a step); the
// Bayesian optimiser works in the unit cube given by `encode`/`decode` (one coordinate per
// numeric parameter, one-hot for categoricals) and snaps back to the lattice.
//
// Constraints are small expressions over parameter names and numbers with + - * / and
// parentheses, compared with < <= > >= == != ("fast < slow", "slow >= 2 * fast + 5"); several
// may be given and all must hold. Bad text is rejected by `add_constraint` with a message that
// quotes it. Not thread-safe for writes; const methods may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/core/params.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/core/rng.hpp"

namespace tradeloop::optimize {

enum class ParamKind { kInt, kFloat, kCategorical };
const char* to_string(ParamKind k) noexcept;
// "int", "float", "categorical" (also "choice"); anything else is kInvalidArgument.
Result<ParamKind> parse_param_kind(std::string_view text);

struct SearchParameter {
  std::string name;
  ParamKind kind = ParamKind::kInt;
  double low = 0, high = 0;  // inclusive, numeric kinds
  double step = 0;           // 0: integers step 1; floats continuous (no grid)
  std::vector<std::string> values;  // categorical choices, in order

  // Number of lattice points; 0 for a float with no step (continuous).
  std::size_t levels() const;
  // The i-th lattice value (i < levels()).
  ParamValue level(std::size_t i) const;
  // Index of the lattice point nearest to v (numeric) or of the choice (categorical).
  std::size_t nearest_level(const ParamValue& v) const;
  // Snaps a numeric value into [low, high] and onto the lattice.
  double snap(double v) const;
  // A uniform draw: a lattice point, a choice, or uniform in [low, high] when continuous.
  ParamValue random(Rng& rng) const;
};

class Constraint;  // parsed expression, defined in param_space.cpp

class ParameterSpace {
 public:
  ParameterSpace();
  ~ParameterSpace();
  ParameterSpace(const ParameterSpace&);
  ParameterSpace& operator=(const ParameterSpace&);
  ParameterSpace(ParameterSpace&&) noexcept;
  ParameterSpace& operator=(ParameterSpace&&) noexcept;

  // Numeric parameter; rejects duplicate names, low > high, negative step, non-integral
  // bounds/step for kInt, and a step larger than the range.
  Status add_parameter(std::string name, ParamKind kind, double low, double high, double step = 0);
  Status add_categorical(std::string name, std::vector<std::string> values);
  // Parses "fast < slow"; every name must already be a numeric parameter.
  Status add_constraint(std::string_view text);
  // A single value (not searched) carried in every ParamSet, e.g. a strategy option fixed by the user.
  void add_fixed(std::string name, ParamValue value);

  const std::vector<SearchParameter>& parameters() const noexcept { return params_; }
  const SearchParameter* find(std::string_view name) const noexcept;
  const std::vector<std::string>& constraint_texts() const noexcept { return constraint_texts_; }
  bool empty() const noexcept { return params_.empty(); }

  // True when every constraint holds (a NaN or a division by zero counts as violated).
  bool satisfies(const ParamSet& p) const;
  // The lattice size ignoring constraints; nullopt if a float has no step or it overflows.
  std::optional<std::uint64_t> grid_size() const;
  // Every lattice point that satisfies the constraints, in lexicographic order (last parameter
  // fastest). kInvalidArgument when the space is continuous or has more than `max_points`.
  Result<std::vector<ParamSet>> grid(std::uint64_t max_points = 10'000'000) const;
  // A uniform random feasible point (rejection sampling, up to `max_tries`); kInvalidArgument
  // when no feasible point was found.
  Result<ParamSet> sample(Rng& rng, int max_tries = 10'000) const;

  // Unit-cube encoding for the Gaussian process: numeric parameters map to [0, 1], categoricals
  // to one-hot blocks. `decode` snaps to the lattice and picks the largest one-hot entry.
  std::size_t encoded_dims() const;
  std::vector<double> encode(const ParamSet& p) const;
  ParamSet decode(const std::vector<double>& x) const;

  // A ParamSet from lattice indices (one per parameter), fixed values appended.
  ParamSet from_levels(const std::vector<std::size_t>& idx) const;
  // The fixed values (added to every ParamSet this space produces).
  const std::vector<std::pair<std::string, ParamValue>>& fixed() const noexcept { return fixed_; }

 private:
  std::vector<SearchParameter> params_;
  std::vector<std::pair<std::string, ParamValue>> fixed_;
  std::vector<std::string> constraint_texts_;
  std::vector<std::shared_ptr<const Constraint>> constraints_;  // immutable once parsed
};

// "5:50:5" -> low 5, high 50, step 5 ("5:50" -> step 0). Used by the CLI `--range`.
struct RangeText {
  double low = 0, high = 0, step = 0;
};
Result<RangeText> parse_range(std::string_view text);

}  // namespace tradeloop::optimize
