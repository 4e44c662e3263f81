// SecureSlab: secrets get distinct, zero-filled memory; a released slot is wiped before it is
// handed out again; sizes beyond the slots still work; concurrent use keeps slots distinct.
#include "crypto/secure_slab.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "crypto/secure_buffer.h"

namespace baomi::crypto {
namespace {

bool all_zero(const std::uint8_t* p, std::size_t n) {
  return std::all_of(p, p + n, [](std::uint8_t b) { return b == 0; });
}

TEST(SecureSlab, SlotsAreDistinctZeroedAndDoNotOverlap) {
  std::vector<std::uint8_t*> slots;
  for (int i = 0; i < 5000; ++i) {  // more than one region's worth
    auto* p = detail::secure_alloc(32);
    ASSERT_TRUE(all_zero(p, 32));
    std::memset(p, 0xA5, 32);
    slots.push_back(p);
  }
  std::vector<std::uint8_t*> sorted = slots;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) ASSERT_GE(sorted[i] - sorted[i - 1], 32);
  for (auto* p : slots) detail::secure_free(p, 32);
}

TEST(SecureSlab, ReleasedSlotsAreWipedBeforeReuse) {
  std::vector<std::uint8_t*> first;
  for (int i = 0; i < 100; ++i) {
    auto* p = detail::secure_alloc(64);
    std::memset(p, 0x5A, 64);
    first.push_back(p);
  }
  for (auto* p : first) detail::secure_free(p, 64);
  std::set<std::uint8_t*> old(first.begin(), first.end());
  int reused = 0;
  for (int i = 0; i < 100; ++i) {
    auto* p = detail::secure_alloc(64);
    reused += old.count(p) ? 1 : 0;
    EXPECT_TRUE(all_zero(p, 64)) << "a reused slot still held the previous secret";
    first[static_cast<std::size_t>(i)] = p;
  }
  EXPECT_GT(reused, 0) << "the test must exercise reuse";
  for (auto* p : first) detail::secure_free(p, 64);
}

TEST(SecureSlab, LargeSecretsAndEverySizeWork) {
  for (std::size_t size : {1u, 31u, 32u, 33u, 64u, 100u, 128u, 129u, 4096u}) {
    SecureBuffer b(size);
    ASSERT_EQ(b.size(), size);
    EXPECT_TRUE(all_zero(b.data(), size));
    std::memset(b.data(), 0xFF, size);
    SecureBuffer moved(std::move(b));
    EXPECT_EQ(moved.data()[size - 1], 0xFF);
  }
}

TEST(SecureSlab, ConcurrentUseKeepsSlotsDistinct) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      for (int round = 0; round < 2000; ++round) {
        std::vector<SecureBuffer> held;
        for (int i = 0; i < 8; ++i) {
          held.emplace_back(32);
          std::memset(held.back().data(), t + 1, 32);
        }
        for (const auto& b : held) {
          if (!std::all_of(b.data(), b.data() + 32,
                           [t](std::uint8_t x) { return x == static_cast<std::uint8_t>(t + 1); })) {
            ++failures[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace baomi::crypto
