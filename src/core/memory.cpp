#include "tradeloop/core/memory.hpp"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tradeloop {

namespace {
constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
// Allocators serve large blocks from their own mmap with a small header before the block (glibc:
// 16 bytes; a counting operator new adds its own); up to this much is allowed for.
constexpr std::size_t kMaxHeader = 64;
}  // namespace

std::size_t huge_page_capacity(std::size_t n, std::size_t elem_size) noexcept {
  if (elem_size == 0 || n * elem_size < 2 * kHuge) return n;
  const std::size_t bytes = (n * elem_size + kMaxHeader + kHuge - 1) / kHuge * kHuge - kMaxHeader;
  return bytes / elem_size;
}

void advise_huge_pages(const void* p, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  // A block right after an allocator header at a 2 MiB boundary owns that huge page too.
  if ((begin & (kHuge - 1)) <= kMaxHeader) first = begin & ~(kHuge - 1);
  // The end likewise: a capacity rounded by huge_page_capacity ends less than one element (and
  // the header) before the end of its mapping.
  const std::uintptr_t last = (begin + bytes + kMaxHeader + 4096) & ~(kHuge - 1);
  if (p == nullptr || last <= first) return;
  // Advice only: an error (EINVAL without THP support) changes nothing, so it is ignored.
  (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace tradeloop
