// tradeloop: the command-line entry point. Dispatches to the subcommand registered by
// cmd_<name>.cpp; see cli.hpp for the exit codes and the error boundary.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli.hpp"

namespace {

void print_usage() {
  std::printf("tradeloop %s: algorithmic trading framework\n\nUsage: tradeloop <command> [options]\n\nCommands:\n",
              TRADELOOP_VERSION);
  for (const auto& c : tradeloop::cli::commands()) std::printf("  %-12s %s\n", c.name, c.summary);
  std::printf("\nRun 'tradeloop <command> --help' for a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    print_usage();
    return argc < 2 ? tradeloop::cli::kExitUsage : tradeloop::cli::kExitOk;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::printf("tradeloop %s\n", TRADELOOP_VERSION);
    return 0;
  }
  for (const auto& c : tradeloop::cli::commands()) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    std::string name = std::string("tradeloop ") + c.name;
    argv[1] = name.data();
    return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "tradeloop: unknown command '%s'\n", argv[1]);
  print_usage();
  return tradeloop::cli::kExitUsage;
}
