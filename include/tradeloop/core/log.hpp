// Logging to stderr with secret redaction (DESIGN.md §3 "Secrets").
//
// Every registered secret (API keys and secrets read from the environment or `.env`) is replaced
// by `***` in every line before it is written, whoever logs it. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tradeloop {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

void set_log_level(LogLevel level) noexcept;
LogLevel log_level() noexcept;
// Secrets shorter than 4 characters are ignored (they would redact ordinary text).
void register_secret(std::string secret);
// Applies the redaction to a string (also used for API responses and job records).
std::string redact(std::string_view text);

void log(LogLevel level, std::string_view message);
inline void log_debug(std::string_view m) { log(LogLevel::kDebug, m); }
inline void log_info(std::string_view m) { log(LogLevel::kInfo, m); }
inline void log_warn(std::string_view m) { log(LogLevel::kWarn, m); }
inline void log_error(std::string_view m) { log(LogLevel::kError, m); }

}  // namespace tradeloop
