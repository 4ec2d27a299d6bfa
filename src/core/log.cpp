#include "tradeloop/core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <vector>

#include "tradeloop/core/time.hpp"

namespace tradeloop {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_mu;
std::vector<std::string>& secrets() {
  static std::vector<std::string> s;
  return s;
}

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    default: return "";
  }
}

std::string redact_locked(std::string_view text) {
  std::string out(text);
  for (const auto& s : secrets()) {
    for (std::size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3))
      out.replace(pos, s.size(), "***");
  }
  return out;
}

}  // namespace

void set_log_level(LogLevel level) noexcept { g_level = level; }
LogLevel log_level() noexcept { return g_level; }

void register_secret(std::string secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(g_mu);
  secrets().push_back(std::move(secret));
}

std::string redact(std::string_view text) {
  std::lock_guard lock(g_mu);
  return redact_locked(text);
}

void log(LogLevel level, std::string_view message) {
  if (level < g_level.load() || level == LogLevel::kOff) return;
  const std::string stamp = format_timestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::lock_guard lock(g_mu);
  const std::string line = redact_locked(message);
  std::fprintf(stderr, "%s [%s] %s\n", stamp.c_str(), level_name(level), line.c_str());
}

}  // namespace tradeloop
