// A fixed pool of worker threads for data-parallel work (optimisation, Monte Carlo).
//
// `parallel_for` hands out indices dynamically but each index writes only its own slot, so the
// results never depend on the number of threads or on scheduling (DESIGN.md §3 "Determinism").
// The pool is owned by one object; `parallel_for` may be called from one thread at a time.
// An exception thrown by a task is re-thrown by `parallel_for` in the calling thread (the first
// one by index); the other tasks still run to completion or are skipped once one failed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tradeloop {

class ThreadPool {
 public:
  // threads == 0 means std::thread::hardware_concurrency(); 1 runs everything inline.
  explicit ThreadPool(std::size_t threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::size_t size() const noexcept { return workers_.size() + 1; }  // workers + the caller

  // Runs fn(i) for i in [0, n) on the workers and the calling thread; returns when all are done.
  void parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn);

  static std::size_t default_threads() noexcept;

 private:
  void worker_loop();
  void run_batch();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_start_, cv_done_;
  const std::function<void(std::size_t)>* fn_ = nullptr;
  std::size_t n_ = 0, next_ = 0, active_ = 0;
  std::size_t generation_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::size_t error_index_ = 0;
};

}  // namespace tradeloop
