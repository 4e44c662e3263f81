// Large content streams both ways (DESIGN.md "Streams, not buffers"): 64 MiB generated on the fly
// is uploaded and downloaded over HTTPS, and its SHA-256 matches end to end. Also many concurrent
// readers of one document's metadata.
#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <thread>

#include "crypto/init.h"
#include "integration/harness.h"

namespace baomi::testing {
namespace {

constexpr std::uint64_t kSize = 64ull * 1024 * 1024;

// Deterministic, incompressible-looking bytes that depend only on the offset.
std::uint8_t byte_at(std::uint64_t offset) {
  std::uint64_t x = (offset / 8) * 0x9E3779B97F4A7C15ull;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return static_cast<std::uint8_t>(x >> (8 * (offset % 8)));
}

std::string hex(const unsigned char* data, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

class StreamingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::init();
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete instance_;
    server_ = nullptr;
    instance_ = nullptr;
    ready_ = false;
  }
  // Tests stop at once, instead of crashing, when the suite's set-up threw.
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }
  static inline bool ready_ = false;
  static TestInstance* instance_;
  static ServerProcess* server_;
};
TestInstance* StreamingTest::instance_ = nullptr;
ServerProcess* StreamingTest::server_ = nullptr;

TEST_F(StreamingTest, Upload64MiBAndDownloadWithMatchingSha256) {
  HttpsClient c(server_->port());
  auto u = make_user(c, *instance_, "bulk", "staff", "secret", {"technology"});
  const std::string id(
      create_document(c, u.token, "Big", "secret", {"technology"}).at("id").as_string());

  crypto_hash_sha256_state up_state;
  crypto_hash_sha256_init(&up_state);
  std::uint64_t generated = 0;
  auto up = c.put_stream(
      "/api/v1/documents/" + id + "/content", kSize,
      [&](std::uint64_t offset, std::uint8_t* buf, std::size_t n) {
        EXPECT_EQ(offset, generated);
        for (std::size_t i = 0; i < n; ++i) buf[i] = byte_at(offset + i);
        crypto_hash_sha256_update(&up_state, buf, n);
        generated += n;
      },
      u.token);
  ASSERT_EQ(up.status, 200) << up.body;
  unsigned char up_digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&up_state, up_digest);
  const auto reply = up.json();
  EXPECT_EQ(reply.at("size").to_number<std::uint64_t>(), kSize);
  EXPECT_EQ(reply.at("version").to_number<std::uint64_t>(), 1u);
  EXPECT_EQ(reply.at("sha256").as_string(), hex(up_digest, sizeof up_digest));

  crypto_hash_sha256_state down_state;
  crypto_hash_sha256_init(&down_state);
  std::uint64_t received = 0;
  std::uint64_t mismatches = 0;
  auto down = c.get_stream("/api/v1/documents/" + id + "/content", u.token,
                           [&](const std::uint8_t* p, std::size_t n) {
                             for (std::size_t i = 0; i < n; ++i)
                               mismatches += p[i] != byte_at(received + i);
                             crypto_hash_sha256_update(&down_state, p, n);
                             received += n;
                           });
  ASSERT_EQ(down.status, 200) << down.body;
  unsigned char down_digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&down_state, down_digest);
  EXPECT_EQ(received, kSize);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(hex(down_digest, sizeof down_digest), reply.at("sha256").as_string());
  EXPECT_EQ(down.header("content-length"), std::to_string(kSize));
  EXPECT_EQ(down.header("content-type"), "application/octet-stream");
  EXPECT_FALSE(down.header("x-baomi-marking").empty());
}

TEST_F(StreamingTest, EmptyAndExactChunkSizedContentRoundTrip) {
  HttpsClient c(server_->port());
  auto u = make_user(c, *instance_, "edges", "staff", "internal", {});
  for (std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{256 * 1024},
                             std::uint64_t{512 * 1024 + 1}}) {
    const std::string id(create_document(c, u.token, "Edge", "internal", {}).at("id").as_string());
    auto up = c.put_stream(
        "/api/v1/documents/" + id + "/content", size,
        [](std::uint64_t offset, std::uint8_t* buf, std::size_t n) {
          for (std::size_t i = 0; i < n; ++i) buf[i] = byte_at(offset + i);
        },
        u.token);
    ASSERT_EQ(up.status, 200) << "size " << size << ": " << up.body;
    EXPECT_EQ(up.json().at("size").to_number<std::uint64_t>(), size);
    auto down = c.get("/api/v1/documents/" + id + "/content", u.token);
    ASSERT_EQ(down.status, 200) << "size " << size;
    ASSERT_EQ(down.body.size(), size);
    bool same = true;
    for (std::size_t i = 0; i < size; ++i)
      same = same && static_cast<std::uint8_t>(down.body[i]) == byte_at(i);
    EXPECT_TRUE(same) << "size " << size;
  }
}

// 16 threads × 20 authorised metadata reads, each with its durable audit entry: all 200.
TEST_F(StreamingTest, ConcurrentMetadataReadsAllSucceed) {
  HttpsClient c(server_->port());
  auto u = make_user(c, *instance_, "many", "staff", "internal", {"other"});
  const std::string id(
      create_document(c, u.token, "Shared", "internal", {"other"}).at("id").as_string());
  constexpr int kThreads = 16, kReads = 20;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      HttpsClient mine(server_->port());
      for (int i = 0; i < kReads; ++i) {
        try {
          auto r = mine.get("/api/v1/documents/" + id, u.token);
          (r.status == 200 && r.body.find("\"Shared\"") != std::string::npos ? ok : failed)++;
        } catch (const std::exception&) {
          failed++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kReads);
  EXPECT_EQ(failed.load(), 0);
  // Every read is on the record, and the chain is intact after the burst.
  auto reads = audit_entries(c, *instance_, "document_id=" + id + "&action=document.read_metadata");
  EXPECT_EQ(reads.size(), static_cast<std::size_t>(kThreads * kReads));
  auto verify = c.get("/api/v1/audit/verify", instance_->admin_token(c, "auditor"));
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
}

}  // namespace
}  // namespace baomi::testing
