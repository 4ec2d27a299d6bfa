#include "tradeloop/core/memory.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tradeloop::testing {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(HugePageCapacity, SmallRequestsAreUnchangedLargeOnesFillWhole2MiBMappings) {
  EXPECT_EQ(huge_page_capacity(100, 40), 100u);
  EXPECT_EQ(huge_page_capacity(0, 40), 0u);
  EXPECT_EQ(huge_page_capacity(5, 0), 5u);
  for (std::size_t elem : {std::size_t{1}, std::size_t{8}, std::size_t{40}, std::size_t{88}, std::size_t{248}, std::size_t{4000}})
    for (std::size_t bytes : {4 * kMiB, 4 * kMiB + 1, std::size_t{40000000}, 64 * kMiB - 7}) {
      const std::size_t n = bytes / elem;
      const std::size_t cap = huge_page_capacity(n, elem);
      EXPECT_GE(cap, n) << elem << " " << bytes;
      if (n * elem < 4 * kMiB) {  // below 4 MiB: as asked
        EXPECT_EQ(cap, n);
        continue;
      }
      // The block plus a 64-byte allocator header never spills into another 2 MiB page, and
      // less than one page plus an element is left unused at the end.
      const std::size_t mapped = (cap * elem + 64 + 2 * kMiB - 1) / (2 * kMiB) * (2 * kMiB);
      EXPECT_EQ(mapped, (n * elem + 64 + 2 * kMiB - 1) / (2 * kMiB) * (2 * kMiB)) << elem << " " << bytes;
      EXPECT_LT(mapped - cap * elem, 64 + elem + 1) << elem << " " << bytes;
    }
}

TEST(HugePageAdvice, IsHarmlessOnAnyRange) {
  advise_huge_pages(nullptr, 0);
  advise_huge_pages(nullptr, 10 * kMiB);
  std::vector<char> small(100, 'x');
  advise_huge_pages(small.data(), small.size());
  std::vector<double> big(6 * kMiB / sizeof(double), 1.5);
  advise_huge_pages(big.data(), big.size() * sizeof(double));
  for (double v : big) ASSERT_EQ(v, 1.5);
}

TEST(ReserveAdvised, KeepsTheElementsAndGrowsLikePushBack) {
  std::vector<std::string> v = {"a", "bb", std::string(40, 'c')};
  reserve_advised(v, 2);  // already enough room: nothing changes
  EXPECT_EQ(v.size(), 3u);
  reserve_advised(v, 1000);
  EXPECT_GE(v.capacity(), 1000u);
  EXPECT_EQ(v, (std::vector<std::string>{"a", "bb", std::string(40, 'c')}));
  std::vector<int> w;
  for (int i = 0; i < 100'000; ++i) {
    reserve_for_append(w);
    const std::size_t cap = w.capacity();
    w.push_back(i);
    ASSERT_EQ(w.capacity(), cap) << "push_back after reserve_for_append must not reallocate";
  }
  for (int i = 0; i < 100'000; ++i) ASSERT_EQ(w[static_cast<std::size_t>(i)], i);
  std::vector<double> big;
  reserve_advised(big, 5'000'000);  // 40 MB: rounded to fill whole 2 MiB pages
  EXPECT_EQ(big.capacity(), huge_page_capacity(5'000'000, sizeof(double)));
}

}  // namespace
}  // namespace tradeloop::testing
