// Issue 16: the space of an upload killed mid-way goes back to the file system. The server is
// killed (-9) while a large upload streams in; the next start purges the pending chunks. On
// SQLite they are a file beside the database (issue 14): the purge unlinks it, and the database
// itself (their index) keeps its free list (nearly) empty (incremental auto-vacuum). On
// PostgreSQL the purge is the same; giving the space back is autovacuum's business, not Baomi's.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

TEST(FreeSpaceTest, AKilledUploadsPagesAreReclaimedAtTheNextStart) {
  auto instance = TestInstance::create();
  auto server = instance->start();
  HttpsClient c(server->port());
  const auto keeper =
      make_user(c, *instance, "keeper" + random_suffix(), "custodian", "internal", {"finance"});
  const std::string id(
      create_document(c, keeper.token, "大文件", "internal", {"finance"}).at("id").as_string());
  const auto pending_chunks = [&] {
    RawDb db(*instance);
    return db.count_chunks(id);
  };

  constexpr std::uint64_t kSize = std::uint64_t{256} << 20;  // never finishes: killed before
  std::thread uploader([&] {
    try {
      (void)c.put_stream(
          "/api/v1/documents/" + id + "/content", kSize,
          [](std::uint64_t, std::uint8_t* buf, std::size_t n) { std::memset(buf, 0x5a, n); },
          keeper.token);
    } catch (const std::exception&) {
      // The server dies mid-upload: the client's error is the expected outcome.
    }
  });
  // At least 16 MiB of chunks (64 of 256 KiB) stored as pending before the kill.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (pending_chunks() < 64 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto before = pending_chunks();
  server->kill9();
  uploader.join();
  ASSERT_GE(before, 64) << "the upload did not get far enough before the deadline";
  if (!instance->on_postgres()) {
    RawDb db(*instance);
    EXPECT_EQ(db.query_int("PRAGMA auto_vacuum"), 2) << "new instances vacuum incrementally";
  }

  std::filesystem::path file;
  if (!instance->on_postgres()) {
    file = RawDb(*instance).chunk_file(id, 1);
    EXPECT_GE(std::filesystem::file_size(file), std::uint64_t{16} << 20);
  }
  server = instance->start();  // start-up purges the pending version and reclaims its pages
  EXPECT_EQ(pending_chunks(), 0);
  if (!instance->on_postgres()) {
    EXPECT_FALSE(std::filesystem::exists(file)) << "the killed upload's chunk file was unlinked";
    RawDb db(*instance);
    EXPECT_LT(db.query_int("PRAGMA freelist_count"), 100)
        << "the freed pages of the index went back to the file system";
  }
  EXPECT_EQ(HttpsClient(server->port()).get("/healthz").status, 200)
      << "the restarted server serves";
}

}  // namespace
}  // namespace baomi::testing
