// The indicator registry: every indicator by name, with its inputs, parameters (ParamSpec with
// defaults and valid ranges), outputs and lookback, a batch `compute` and a streaming factory.
// Used by the CLI (`tradeloop indicators`), the API and strategies that take indicator specs.
//
// Specs are text: `rsi`, `rsi(14)`, `macd(12,26,9)`, `bbands(period=20,k=2)`, `ema(20, seed=first)`
// -- positional values in the order of the parameters, or name=value, missing ones default.
// Columns added to a BarSeries are named by the spec as written (surrounding spaces trimmed),
// plus `.output` for multi-output indicators: `rsi(14)`, `macd(12,26,9).signal`.
//
// Thread-safety: the registry is immutable after first use; streams are not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/core/params.hpp"
#include "tradeloop/core/result.hpp"

namespace tradeloop {
class BarSeries;
}

namespace tradeloop::ind {

// One streaming indicator behind a uniform interface: one row of inputs in, one row of outputs
// out, in the registry entry's input and output order.
class IndicatorStream {
 public:
  virtual ~IndicatorStream() = default;
  virtual void update(const double* inputs, double* outputs) noexcept = 0;
  // Feeds rows [0, rows) of column-wise spans (one span per input / output).
  void update(std::span<const std::span<const double>> inputs, std::span<const std::span<double>> outputs);
  virtual void reset() noexcept = 0;
  virtual int lookback() const noexcept = 0;
};

using ColumnsIn = std::span<const std::span<const double>>;
using ColumnsOut = std::span<const std::span<double>>;

struct IndicatorInfo {
  std::string name;     // "rsi"
  std::string family;   // "momentum", "moving_average", ...
  std::string summary;  // one line, with the convention
  // BarSeries columns read: open, high, low, close, volume, time (open time in ns as double),
  // or a named extra column (benchmark for correl/beta).
  std::vector<std::string> inputs;
  std::vector<ParamSpec> params;
  std::vector<std::string> outputs;  // {"value"} for single-output indicators
  // Builds a stream from resolved parameters (every parameter present and valid); throws
  // tradeloop::Exception(kInvalidArgument) on a cross-parameter error (e.g. fast >= slow).
  std::function<std::unique_ptr<IndicatorStream>(const ParamSet&)> make_stream;
  // Batch over whole columns (all of equal length; outputs sized like inputs).
  std::function<Status(const ParamSet&, ColumnsIn, ColumnsOut)> compute;
  // Output k at bar t of the stream belongs to bar t − shift(k) in the batch output (only
  // ichimoku's chikou is shifted, by its displacement). Empty = no shift.
  std::function<std::vector<int>(const ParamSet&)> shifts;

  bool multi_output() const noexcept { return outputs.size() > 1; }
  // Index of the first bar where every output is defined (throws on bad parameters).
  int lookback(const ParamSet& resolved) const;
};

// All entries, sorted by family then name.
const std::vector<IndicatorInfo>& registry();
const IndicatorInfo* find_indicator(std::string_view name) noexcept;

struct IndicatorSpec {
  std::string text;  // as written, trimmed: the column name (prefix)
  const IndicatorInfo* info = nullptr;
  ParamSet params;  // resolved: every parameter present
  // Column names this spec adds: text, or text + "." + output.
  std::vector<std::string> column_names() const;
};

// Parses and validates a spec; errors name the spec and say what is wrong (unknown indicator,
// too many values, unknown or out-of-range parameter).
Result<IndicatorSpec> parse_spec(std::string_view text);

// Computes `spec` over `series` and adds its columns. Errors: a missing input column, a
// non-finite input value (row named), a lookback not shorter than the series ("needs at least
// N bars"), or a cross-parameter error.
Status add_indicator(BarSeries& series, const IndicatorSpec& spec);
Status add_indicator(BarSeries& series, std::string_view spec_text);

}  // namespace tradeloop::ind
