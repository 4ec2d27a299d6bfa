// Progress reporting for long work (backtests over big files, optimisation, downloads).
//
// One `Progress` per task. The sink is chosen by the caller:
//   * a terminal progress bar with rate and ETA on stderr when it is a TTY,
//   * a log line every few seconds otherwise (CI logs, redirected output),
//   * a callback, for the job manager and the API; returning false from it asks for
//     cancellation, which the task notices through `cancelled()` and stops at its next check.
// `advance()` is cheap (an atomic add and a clock check every ~1/64 calls) and thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace tradeloop {

struct ProgressUpdate {
  std::string label;
  std::int64_t done = 0;
  std::int64_t total = 0;  // 0 when unknown
  double elapsed_s = 0;
  double rate_per_s = 0;
  double eta_s = -1;       // -1 when unknown
  bool finished = false;
  double fraction() const { return total > 0 ? static_cast<double>(done) / total : 0.0; }
};

// Return false to request cancellation.
using ProgressCallback = std::function<bool(const ProgressUpdate&)>;

enum class ProgressMode { kAuto, kTerminal, kLog, kSilent, kCallback };

class Progress {
 public:
  // kAuto: terminal bar if stderr is a TTY, else log lines.
  Progress(std::string label, std::int64_t total, ProgressMode mode = ProgressMode::kAuto);
  Progress(std::string label, std::int64_t total, ProgressCallback callback);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::int64_t n = 1);
  void set_total(std::int64_t total);
  // Ends the bar (prints the final line) and fires the callback with finished = true.
  void finish();
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }

  ProgressUpdate snapshot() const;

 private:
  void emit(bool final);

  std::string label_;
  std::atomic<std::int64_t> done_{0};
  std::atomic<std::int64_t> total_{0};
  std::atomic<bool> cancelled_{false};
  ProgressMode mode_;
  ProgressCallback callback_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_emit_;
  std::mutex emit_mu_;
  bool finished_ = false;
};

}  // namespace tradeloop
