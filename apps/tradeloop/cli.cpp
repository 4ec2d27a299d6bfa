#include "cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

namespace tradeloop::cli {

namespace {
std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}
}  // namespace

bool register_command(const Command& c) {
  registry().push_back(c);
  return true;
}

const std::vector<Command>& commands() { return registry(); }

int run_command(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: usage error: %s\nRun '%s --help' for the options.\n", app.get_name().c_str(),
                 e.what(), app.get_name().c_str());
    return kExitUsage;
  }
  try {
    return body();
  } catch (const Exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", app.get_name().c_str(), e.what());
    return e.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: error: out of memory\n", app.get_name().c_str());
    return kExitFailure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", app.get_name().c_str(), e.what());
    return kExitFailure;
  }
}

void ConfigOptions::add_to(CLI::App& app) {
  app.add_option("--config", config_file, "TOML configuration file");
  app.add_option("--set", sets, "Override a configuration key: --set key=value (repeatable)");
}

Config ConfigOptions::load() const {
  Config c;
  if (!config_file.empty()) c = unwrap(Config::load_toml(config_file));
  for (const auto& s : sets) unwrap(c.set_from_arg(s));
  return c;
}

void print_json(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

std::string resolve_home(const std::string& home_option) {
  if (!home_option.empty()) return home_option;
  if (const char* env = std::getenv("TRADELOOP_HOME"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.tradeloop";
}

}  // namespace tradeloop::cli
