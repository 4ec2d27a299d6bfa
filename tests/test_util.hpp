// Helpers shared by the test suites: fixture paths and scratch directories.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace tradeloop::testing {

// Path of a file in the source tree: source_path("tests/data/ohlcv_small.csv").
inline std::string source_path(std::string_view rel) {
  return std::string(TRADELOOP_SOURCE_DIR) + "/" + std::string(rel);
}

// A fresh directory under the build tree, removed when the object dies.
class TempDir {
 public:
  explicit TempDir(std::string_view name) {
    path_ = std::filesystem::path(TRADELOOP_BINARY_DIR) / "test-tmp" / std::string(name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(std::string_view name) const { return (path_ / std::string(name)).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// What a shell command printed on stdout and how it exited (-1 when it did not exit normally).
struct CommandResult {
  int code = -1;
  std::string out;
};

// Runs `cmd` with /bin/sh; redirect stderr in `cmd` itself ("2>&1", "2>file") as needed.
inline CommandResult run_shell(const std::string& cmd) {
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The built CLI (suites that use it add_dependencies(<suite> tradeloop_cli)).
inline std::string tradeloop_cli() { return std::string(TRADELOOP_BINARY_DIR) + "/bin/tradeloop"; }

// `tradeloop <args>` with stdout and stderr together.
inline CommandResult run_tradeloop(const std::string& args) {
  return run_shell(tradeloop_cli() + " " + args + " 2>&1");
}

}  // namespace tradeloop::testing
