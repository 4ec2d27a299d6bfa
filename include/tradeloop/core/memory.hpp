// Memory hints for large result buffers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace tradeloop {

// Asks the OS to back the 2 MiB-aligned interior of [p, p + bytes) with transparent huge pages
// (Linux madvise(MADV_HUGEPAGE); a no-op elsewhere, for small ranges, or when the kernel has THP
// disabled). Call it on freshly reserved, not yet touched memory: a 40 MB equity curve then
// costs ~20 page faults instead of ~10,000, which was half the time of a cold 1M-bar backtest.
// Contents and correctness are unaffected; only page size changes.
void advise_huge_pages(const void* p, std::size_t bytes) noexcept;

// Makes room for one more element of a result vector that grows by appending (orders, fills,
// trades): when full, the capacity doubles (as push_back would) into a new block that is
// advised for huge pages once it is large (>= 8 MiB), where a 4 KiB page fault per 4 KiB
// written would otherwise cost more than the appends themselves.
template <class T>
void reserve_for_append(std::vector<T>& v) {
  if (v.size() < v.capacity()) return;
  std::vector<T> bigger;
  bigger.reserve(std::max<std::size_t>(16, v.capacity() * 2));
  if (bigger.capacity() * sizeof(T) >= (std::size_t{8} << 20))
    advise_huge_pages(bigger.data(), bigger.capacity() * sizeof(T));
  for (T& x : v) bigger.push_back(std::move(x));
  v.swap(bigger);
}

}  // namespace tradeloop
