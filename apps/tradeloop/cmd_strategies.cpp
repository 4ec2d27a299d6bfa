// tradeloop strategies: the built-in strategies with their parameter schemas.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "tradeloop/backtest/registry.hpp"

namespace tradeloop::cli {

namespace {

nlohmann::json schema_json(const std::vector<ParamSpec>& params) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : params) {
    nlohmann::json j;
    j["name"] = p.name;
    j["type"] = to_string(p.type);
    if (const auto* d = std::get_if<double>(&p.default_value))
      j["default"] = *d;
    else
      j["default"] = std::get<std::string>(p.default_value);
    if (p.type == ParamType::kChoice) {
      j["choices"] = p.choices;
    } else {
      j["min"] = p.min;
      j["max"] = p.max;
      j["step"] = p.step;
    }
    j["description"] = p.description;
    out.push_back(j);
  }
  return out;
}

int run(int argc, char** argv) {
  CLI::App app{"List the built-in strategies and their parameters", "tradeloop strategies"};
  bool json = false;
  app.add_flag("--json", json, "Print a JSON array");
  return run_command(app, argc, argv, [&] {
    const auto& all = builtin_strategies().all();
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : all) out.push_back({{"name", s.name}, {"description", s.description}, {"params", schema_json(s.params)}});
      print_json(out);
      return kExitOk;
    }
    for (const auto& s : all) {
      std::printf("%s\n  %s\n", s.name.c_str(), s.description.c_str());
      for (const auto& p : s.params)
        std::printf("    %-12s %-6s default %-6s range [%s, %s] step %s  %s\n", p.name.c_str(), to_string(p.type),
                    format_param_value(p.default_value).c_str(), format_number(p.min).c_str(),
                    format_number(p.max).c_str(), format_number(p.step).c_str(), p.description.c_str());
      std::printf("\n");
    }
    return kExitOk;
  });
}

}  // namespace

TL_COMMAND("strategies", "List the built-in strategies with their parameter schemas", run);

}  // namespace tradeloop::cli
