// Helpers shared by the test suites: fixture paths and scratch directories.
#pragma once

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

}  // namespace tradeloop::testing
