// Content streams through the barrier into a real store: the key stays inside, the stored
// chunks are opaque, and a chunk or key moved to another stream does not open.
#include "barrier/content_stream.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "barrier_fixture.h"
#include "crypto/random.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::barrier {
namespace {

class ContentStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("baomi-content-" + crypto::random_id());
    std::filesystem::create_directories(dir_);
    store_ = storage::sqlite::SqliteStore::open(dir_ / "baomi.db", true).value();
    barrier_ = instance_.barrier();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Seals and stores `text` (in chunks of kChunkSize) into `stream`; returns the wrapped key.
  Bytes write(const ContentStream& stream, const std::string& text, std::uint64_t& chunks) {
    ContentWriter writer(*barrier_, stream);
    const std::size_t size = ContentWriter::kChunkSize;
    chunks = text.size() / size + 1;  // the last chunk may be empty
    EXPECT_TRUE(
        SealedStore(*store_)
            .write([&](WriteTx& tx) -> Result<void> {
              Bytes sealed;
              for (std::uint64_t i = 0; i < chunks; ++i) {
                const std::size_t from = i * size;
                const std::size_t n = std::min(size, text.size() - from);
                writer.seal_chunk(
                    i,
                    crypto::BytesView(reinterpret_cast<const std::uint8_t*>(text.data()) + from, n),
                    i + 1 == chunks, sealed);
                BAOMI_TRY(writer.store_chunk(tx, i, sealed));
              }
              return {};
            })
            .ok());
    return writer.wrapped_key();
  }

  Result<std::string> read(const ContentStream& stream, const Bytes& wrapped,
                           std::uint64_t chunks) {
    BAOMI_ASSIGN_OR_RETURN(auto reader, ContentReader::open(*barrier_, stream, wrapped, chunks));
    std::string out;
    Bytes plain;
    for (std::uint64_t i = 0; i < chunks; ++i) {
      BAOMI_TRY(SealedStore(*store_).read(
          [&](ReadTx& tx) -> Result<void> { return reader.read_chunk(tx, i, plain); }));
      out.append(plain.begin(), plain.end());
    }
    return out;
  }

  testing::Instance instance_;
  std::unique_ptr<Barrier> barrier_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(ContentStreamTest, DocumentVersionRoundTripsOverSeveralChunks) {
  const std::string text(ContentWriter::kChunkSize * 2 + 17, 'x');
  const auto stream = ContentStream::document_version("d1", 3);
  std::uint64_t chunks = 0;
  const auto wrapped = write(stream, text, chunks);
  EXPECT_EQ(chunks, 3u);
  auto back = read(stream, wrapped, chunks);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, text);
  EXPECT_EQ(stream.key_owner(), "docver:d1:3");  // existing instances' keys are bound to it
}

TEST_F(ContentStreamTest, BlobRoundTripsAndIsKeptApartFromDocuments) {
  const auto blob = ContentStream::blob("evidence:e1");
  std::uint64_t chunks = 0;
  const auto wrapped = write(blob, "leaked excerpt", chunks);
  auto back = read(blob, wrapped, chunks);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "leaked excerpt");
  EXPECT_EQ(blob.key_owner(), "evidence:e1");
}

TEST_F(ContentStreamTest, KeyOfAnotherStreamDoesNotOpen) {
  std::uint64_t chunks = 0;
  const auto wrapped = write(ContentStream::document_version("d1", 1), "v1", chunks);
  write(ContentStream::document_version("d1", 2), "v2", chunks);
  // Version 1's key offered for version 2: the wrapped key is bound to its owner.
  auto r = read(ContentStream::document_version("d1", 2), wrapped, chunks);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
}

TEST_F(ContentStreamTest, DamagedWrappedKeyIsAnIntegrityFailure) {
  std::uint64_t chunks = 0;
  const auto stream = ContentStream::document_version("d2", 1);
  const auto wrapped = write(stream, "secret", chunks);
  for (std::size_t i : {std::size_t{0}, wrapped.size() - 1}) {
    auto r = read(stream, testing::flipped(wrapped, i), chunks);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
  auto empty = read(stream, Bytes{}, chunks);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, ErrorKind::kIntegrity);
}

TEST_F(ContentStreamTest, TruncatedStreamFailsAtItsLastChunk) {
  const std::string text(ContentWriter::kChunkSize + 5, 'y');
  const auto stream = ContentStream::document_version("d3", 1);
  std::uint64_t chunks = 0;
  const auto wrapped = write(stream, text, chunks);
  // A record claiming one chunk fewer: the last one read is not the one sealed as final.
  auto r = read(stream, wrapped, chunks - 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
}

TEST_F(ContentStreamTest, StoredChunksHoldNoPlaintext) {
  const std::string marker = "MARKER-content-stream-7f3a";
  std::uint64_t chunks = 0;
  write(ContentStream::document_version("d4", 1), marker, chunks);
  store_.reset();  // checkpoint and close, so the file holds everything
  std::string file;
  std::size_t chunk_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    if (entry.path().parent_path().filename() == "baomi.db-chunks") ++chunk_files;
    std::ifstream in(entry.path(), std::ios::binary);
    file.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(file.find(marker), std::string::npos);
  EXPECT_GE(chunk_files, 1u) << "the chunk files beside the database were searched too";
}

// Issue 14: on SQLite a version's sealed chunks are a file beside the database. The file is not
// trusted: every chunk is still opened with its AD (C-rules: AEAD per chunk; I1 integrity), so
// a file edited, truncated, swapped with another version's or removed fails closed with
// kIntegrity, as a damaged row did, and never crashes the reader.
class ChunkFileTamperTest : public ContentStreamTest {
 protected:
  std::filesystem::path file_of(const std::string& doc, std::uint64_t version) {
    return dir_ / "baomi.db-chunks" / storage::sqlite::ChunkFiles::file_name(doc, version);
  }
  void expect_refused(const ContentStream& stream, const Bytes& wrapped, std::uint64_t chunks,
                      const char* what) {
    auto r = read(stream, wrapped, chunks);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity) << what << ": " << r.error().message;
  }
  const std::string text_ = std::string(ContentWriter::kChunkSize * 2 + 100, 'z');
};

TEST_F(ChunkFileTamperTest, AnEditedByteInAChunkFileIsRefusedI1) {
  const auto stream = ContentStream::document_version("t1", 1);
  std::uint64_t chunks = 0;
  const auto wrapped = write(stream, text_, chunks);
  ASSERT_TRUE(read(stream, wrapped, chunks).ok());
  const auto file = file_of("t1", 1);
  ASSERT_TRUE(std::filesystem::exists(file)) << "the chunks are in a file beside the database";
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(ContentWriter::kChunkSize + 40);
    char c = 0;
    f.get(c);
    f.seekp(ContentWriter::kChunkSize + 40);
    f.put(static_cast<char>(c ^ 1));
  }
  expect_refused(stream, wrapped, chunks, "one bit flipped in the second chunk");
}

TEST_F(ChunkFileTamperTest, ATruncatedChunkFileIsRefusedI1) {
  const auto stream = ContentStream::document_version("t2", 1);
  std::uint64_t chunks = 0;
  const auto wrapped = write(stream, text_, chunks);
  const auto file = file_of("t2", 1);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 1);
  expect_refused(stream, wrapped, chunks, "the file one byte short");
  std::filesystem::resize_file(file, ContentWriter::kChunkSize);
  expect_refused(stream, wrapped, chunks, "the file cut inside the first chunk");
}

TEST_F(ChunkFileTamperTest, AChunkFileSwappedWithAnotherVersionsIsRefusedI1) {
  std::uint64_t chunks = 0;
  const auto wrapped1 = write(ContentStream::document_version("t3", 1), text_, chunks);
  write(ContentStream::document_version("t3", 2), text_, chunks);
  // Same plaintext, same size: only the AD (and the key) tell the versions apart.
  std::filesystem::copy_file(file_of("t3", 2), file_of("t3", 1),
                             std::filesystem::copy_options::overwrite_existing);
  expect_refused(ContentStream::document_version("t3", 1), wrapped1, chunks,
                 "version 2's file in version 1's place");
}

TEST_F(ChunkFileTamperTest, AMissingChunkFileIsAnIntegrityFailureNotACrashI1) {
  const auto stream = ContentStream::document_version("t4", 1);
  std::uint64_t chunks = 0;
  const auto wrapped = write(stream, text_, chunks);
  std::filesystem::remove(file_of("t4", 1));
  expect_refused(stream, wrapped, chunks, "the file removed");
}

}  // namespace
}  // namespace baomi::barrier
