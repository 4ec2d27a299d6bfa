#include "tradeloop/core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace tradeloop {
namespace {

using Clock = std::chrono::steady_clock;

std::string eta_text(double s) {
  if (s < 0) return "--:--";
  char buf[32];
  const long t = static_cast<long>(s + 0.5);
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  return buf;
}

}  // namespace

Progress::Progress(std::string label, std::int64_t total, ProgressMode mode)
    : label_(std::move(label)), mode_(mode), start_(Clock::now()), last_emit_(start_) {
  total_ = total;
  if (mode_ == ProgressMode::kAuto) mode_ = isatty(STDERR_FILENO) ? ProgressMode::kTerminal : ProgressMode::kLog;
}

Progress::Progress(std::string label, std::int64_t total, ProgressCallback callback)
    : label_(std::move(label)),
      mode_(ProgressMode::kCallback),
      callback_(std::move(callback)),
      start_(Clock::now()),
      last_emit_(start_) {
  total_ = total;
}

Progress::~Progress() { finish(); }

void Progress::set_total(std::int64_t total) { total_ = total; }

ProgressUpdate Progress::snapshot() const {
  ProgressUpdate u;
  u.label = label_;
  u.done = done_.load(std::memory_order_relaxed);
  u.total = total_.load(std::memory_order_relaxed);
  u.elapsed_s = std::chrono::duration<double>(Clock::now() - start_).count();
  u.rate_per_s = u.elapsed_s > 0 ? u.done / u.elapsed_s : 0;
  if (u.total > 0 && u.rate_per_s > 0) u.eta_s = (u.total - u.done) / u.rate_per_s;
  return u;
}

void Progress::advance(std::int64_t n) {
  const std::int64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
  if (mode_ == ProgressMode::kSilent) return;
  // Check the clock only now and then: advance() sits in hot loops.
  if ((done & 63) != 0 && n < 64 && done != total_.load(std::memory_order_relaxed)) return;
  const auto now = Clock::now();
  const auto period = mode_ == ProgressMode::kLog ? std::chrono::seconds(5) : std::chrono::milliseconds(100);
  {
    std::lock_guard lock(emit_mu_);
    if (now - last_emit_ < period) return;
    last_emit_ = now;
  }
  emit(false);
}

void Progress::finish() {
  {
    std::lock_guard lock(emit_mu_);
    if (finished_) return;
    finished_ = true;
  }
  emit(true);
}

void Progress::emit(bool final) {
  ProgressUpdate u = snapshot();
  u.finished = final;
  switch (mode_) {
    case ProgressMode::kCallback:
      if (callback_ && !callback_(u)) cancel();
      break;
    case ProgressMode::kTerminal: {
      constexpr int kWidth = 30;
      const int filled = u.total > 0 ? static_cast<int>(u.fraction() * kWidth) : 0;
      std::string bar(static_cast<std::size_t>(filled), '#');
      bar.resize(kWidth, '.');
      std::fprintf(stderr, "\r%s [%s] %lld/%lld %.0f/s ETA %s%s", label_.c_str(), bar.c_str(),
                   static_cast<long long>(u.done), static_cast<long long>(u.total), u.rate_per_s,
                   eta_text(u.eta_s).c_str(), final ? "\n" : "");
      std::fflush(stderr);
      break;
    }
    case ProgressMode::kLog:
      if (final && u.elapsed_s < 5) break;  // short tasks stay quiet in logs
      std::fprintf(stderr, "%s: %lld/%lld (%.1f%%) %.0f/s ETA %s%s\n", label_.c_str(),
                   static_cast<long long>(u.done), static_cast<long long>(u.total), 100 * u.fraction(),
                   u.rate_per_s, eta_text(u.eta_s).c_str(), final ? " done" : "");
      break;
    default: break;
  }
}

}  // namespace tradeloop
