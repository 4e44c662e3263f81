// Throughput micro-check for the verifier (DESIGN target: >= 1M entries/s on one core).
// Prints the rate; asserts only correctness, since timing depends on the build and machine.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "audit/verify.h"
#include "audit_test_util.h"

namespace baomi::audit {
namespace {

TEST(AuditThroughput, PrintsEntriesPerSecond) {
  constexpr std::uint64_t kEntries = 100'000;
  const auto key = testing::make_key(3);
  const auto chain = testing::make_chain(kEntries);
  const auto cps = testing::make_checkpoints(chain, 1000, key);

  const auto start = std::chrono::steady_clock::now();
  ChainVerifier v(key.public_key());
  v.add_checkpoints(cps);
  for (const auto& e : chain) ASSERT_TRUE(v.feed(e));
  const VerifyReport r = v.finish();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;

  ASSERT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, kEntries);
  EXPECT_EQ(r.checkpoints_verified, kEntries / 1000);
  std::printf("[ audit    ] verified %llu entries (%llu checkpoints) in %.3f s: %.0f entries/s\n",
              static_cast<unsigned long long>(r.entries),
              static_cast<unsigned long long>(r.checkpoints_verified), took.count(),
              static_cast<double>(r.entries) / took.count());
}

}  // namespace
}  // namespace baomi::audit
