// `tradeloop indicators`: add indicator columns to a CSV of bars, or list the registry.
//
//   tradeloop indicators --data btc.csv --add 'rsi(14)' --add 'macd(12,26,9)' --output out.csv
//   tradeloop indicators --list [--json]
//
// Output keeps the input columns and adds one column per indicator output, named by the spec
// as written (plus `.output` for multi-output indicators). Exit 0 ok, 1 unreadable data,
// 2 usage (unknown indicator, wrong arity, out-of-range parameter, window longer than the data).
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/indicators/registry.hpp"

namespace tradeloop::cli {
namespace {

using nlohmann::json;

std::string describe_param(const ParamSpec& p) {
  std::string s = p.name + "=" + format_param_value(p.default_value);
  if (p.type == ParamType::kChoice) {
    std::string list;
    for (const auto& c : p.choices) list += (list.empty() ? "" : "|") + c;
    return s + " {" + list + "}";
  }
  const auto bound = [&](double v) {
    return p.type == ParamType::kInt ? std::to_string(static_cast<long long>(v)) : format_number(v);
  };
  return s + " [" + bound(p.min) + ".." + bound(p.max) + "]";
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

int run_list(bool as_json) {
  json arr = json::array();
  for (const auto& info : ind::registry()) {
    const ParamSet defaults = unwrap(resolve_params(info.params, {}, info.name));
    const int lookback = info.lookback(defaults);
    if (as_json) {
      json params = json::array();
      for (const auto& p : info.params) {
        json jp = {{"name", p.name}, {"type", to_string(p.type)}, {"description", p.description}};
        if (p.type == ParamType::kChoice) {
          jp["default"] = std::get<std::string>(p.default_value);
          jp["choices"] = p.choices;
        } else {
          jp["default"] = std::get<double>(p.default_value);
          jp["min"] = p.min;
          jp["max"] = p.max;
        }
        params.push_back(jp);
      }
      arr.push_back({{"name", info.name}, {"family", info.family}, {"summary", info.summary},
                     {"inputs", info.inputs}, {"params", params}, {"outputs", info.outputs},
                     {"lookback", lookback}});
      continue;
    }
    std::vector<std::string> params;
    for (const auto& p : info.params) params.push_back(describe_param(p));
    std::printf("%-22s %-15s lookback %-4d in: %s\n", info.name.c_str(), info.family.c_str(), lookback,
                join(info.inputs, ",").c_str());
    std::printf("  %s\n", info.summary.c_str());
    if (!params.empty()) std::printf("  params:  %s\n", join(params, ", ").c_str());
    std::printf("  outputs: %s\n", join(info.outputs, ", ").c_str());
  }
  if (as_json) print_json(arr);
  else std::printf("%zu indicators\n", ind::registry().size());
  return kExitOk;
}

int run_add(const std::string& data, const std::vector<std::string>& specs, const std::string& output, bool as_json) {
  if (data.empty()) throw Exception(ErrorCode::kInvalidArgument, "--data FILE is required (or use --list)");
  if (specs.empty()) throw Exception(ErrorCode::kInvalidArgument, "give at least one --add SPEC, e.g. --add 'rsi(14)'");
  std::vector<ind::IndicatorSpec> parsed;
  for (const auto& s : specs) parsed.push_back(unwrap(ind::parse_spec(s)));  // all specs checked before reading
  auto series = read_csv(data);
  if (!series.ok()) throw Exception(ErrorCode::kIo, series.error().message);
  BarSeries& bars = series.value();
  json added = json::array();
  for (const auto& spec : parsed) {
    const Status st = ind::add_indicator(bars, spec);
    if (!st.ok()) throw Exception(st.error().code, data + ": " + st.error().message);
    for (const auto& col : spec.column_names()) {
      const auto values = bars.column(col).value();
      std::size_t first = values.size();
      for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isnan(values[i])) {
          first = i;
          break;
        }
      added.push_back({{"column", col}, {"first_value_row", first},
                       {"last", values.empty() || std::isnan(values.back()) ? json(nullptr) : json(values.back())}});
    }
  }
  if (!output.empty()) unwrap(write_csv(bars, output));
  else if (!as_json) std::fputs(format_csv(bars).c_str(), stdout);
  if (as_json) print_json({{"input", data}, {"output", output}, {"rows", bars.size()}, {"columns", added}});
  return kExitOk;
}

int run_indicators(int argc, char** argv) {
  CLI::App app{"Add technical indicator columns to a CSV of bars, or list the indicators", "tradeloop indicators"};
  std::string data, output;
  std::vector<std::string> specs;
  bool list = false, as_json = false;
  app.add_option("--data", data, "Input CSV of OHLCV bars");
  app.add_option("--add", specs,
                 "Indicator spec, repeatable: 'rsi(14)', 'macd(12,26,9)', 'bbands(period=20,k=2)'")
      ->allow_extra_args(false);
  app.add_option("--output,-o", output, "Output CSV (default: CSV on stdout)");
  app.add_flag("--list", list, "Print the registry: names, parameters with defaults and ranges, outputs, lookback");
  app.add_flag("--json", as_json, "Machine-readable output");
  return run_command(app, argc, argv, [&]() -> int {
    if (list) return run_list(as_json);
    return run_add(data, specs, output, as_json);
  });
}

}  // namespace
}  // namespace tradeloop::cli

TL_COMMAND("indicators", "Add indicator columns to a CSV of bars; --list shows every indicator",
           tradeloop::cli::run_indicators);
