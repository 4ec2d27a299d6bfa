// Shared plumbing of the `tradeloop` CLI: command registration, the error boundary, exit codes.
//
// Exit codes (DESIGN.md §4): 0 ok, 1 failure (bad data, failed run), 2 usage error (unknown
// option, bad argument). Every command catches tradeloop::Exception and std::exception at one
// place (`run_command`) and prints one line: "tradeloop <command>: error: <message>".
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "tradeloop/core/config.hpp"
#include "tradeloop/core/result.hpp"

namespace tradeloop::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// argv[0] is "tradeloop <name>"; the rest are the command's own arguments.
using CommandFn = int (*)(int argc, char** argv);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

bool register_command(const Command& c);
const std::vector<Command>& commands();

// Parses `app` and runs `body`: CLI11 errors -> message + exit 2; tradeloop::Exception with
// kInvalidArgument -> exit 2 when `usage_on_invalid` else 1; other errors -> exit 1.
int run_command(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

// Throws tradeloop::Exception when the result holds an error.
template <class T>
T unwrap(Result<T> r) {
  return std::move(r).value();
}
inline void unwrap(const Status& s) { s.check(); }

// Options shared by commands that take configuration: --config file.toml and --set key=value.
struct ConfigOptions {
  std::string config_file;
  std::vector<std::string> sets;
  void add_to(CLI::App& app);
  // Loads the file (if any) then applies every --set in order.
  Config load() const;
};

// Prints a JSON value on stdout (2-space indent) followed by a newline.
void print_json(const nlohmann::json& j);

// Home directory for stores and jobs: --home, else $TRADELOOP_HOME, else ~/.tradeloop.
std::string resolve_home(const std::string& home_option);

}  // namespace tradeloop::cli

#define TL_COMMAND_CAT2(a, b) a##b
#define TL_COMMAND_CAT(a, b) TL_COMMAND_CAT2(a, b)
// Registers a subcommand from its own .cpp file.
#define TL_COMMAND(name, summary, fn) \
  static const bool TL_COMMAND_CAT(tl_registered_, __LINE__) = ::tradeloop::cli::register_command({name, summary, fn})
