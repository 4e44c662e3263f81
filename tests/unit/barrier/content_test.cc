#include "barrier/content.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>

#include "barrier_fixture.h"
#include "crypto/random.h"

namespace baomi::barrier {
namespace {

using crypto::SecretKey;
using testing::flipped;
using testing::Instance;

constexpr std::size_t kChunk = ContentSealer::kChunkSize;

// Splits `content` as callers must: full chunks, then one final chunk (possibly empty).
std::vector<Bytes> seal_stream(SecretKey dek, const std::string& doc, std::uint64_t version,
                               const Bytes& content) {
  ContentSealer sealer(std::move(dek), doc, version);
  std::vector<Bytes> chunks;
  std::size_t off = 0;
  for (std::uint64_t index = 0;; ++index) {
    const std::size_t n = std::min(kChunk, content.size() - off);
    const bool final = off + n == content.size() && n < kChunk;
    Bytes out;
    sealer.seal_chunk(index, crypto::BytesView(content).subspan(off, n), final, out);
    chunks.push_back(std::move(out));
    off += n;
    if (final) return chunks;
  }
}

// Opens chunks in order with final = last, as a reader using the version row's chunk count.
Result<Bytes> open_stream(SecretKey dek, const std::string& doc, std::uint64_t version,
                          const std::vector<Bytes>& chunks) {
  ContentOpener opener(std::move(dek), doc, version);
  Bytes content;
  Bytes out;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    BAOMI_TRY(opener.open_chunk(i, chunks[i], i + 1 == chunks.size(), out));
    content.insert(content.end(), out.begin(), out.end());
  }
  return content;
}

class ContentTest : public ::testing::Test {
 protected:
  SecretKey dek() const { return barrier_->unwrap(dk_.wrapped, "docver:d1:1").value(); }
  void expect_integrity(const std::vector<Bytes>& chunks, const std::string& doc = "d1",
                        std::uint64_t version = 1) {
    auto r = open_stream(dek(), doc, version, chunks);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }

  Instance inst_;
  std::unique_ptr<Barrier> barrier_ = inst_.barrier();
  DataKey dk_ = barrier_->new_data_key("docver:d1:1");
  Bytes content_ = crypto::random_bytes(2 * kChunk + 1000);
  std::vector<Bytes> chunks_ = seal_stream(dk_.key.clone(), "d1", 1, content_);
};

TEST_F(ContentTest, RoundTripsAtChunkBoundaries) {
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1, 2 * kChunk + 1000}) {
    const Bytes content = crypto::random_bytes(size);
    const auto chunks = seal_stream(dek(), "d1", 1, content);
    EXPECT_EQ(chunks.size(), size / kChunk + 1) << size;
    EXPECT_EQ(chunks.back().size(), size % kChunk + ContentSealer::kOverhead);
    auto back = open_stream(dek(), "d1", 1, chunks);
    ASSERT_TRUE(back.ok()) << size;
    EXPECT_EQ(*back, content);
  }
}

TEST_F(ContentTest, OpenerAllowsRandomAccess) {
  ContentOpener opener(dek(), "d1", 1);
  Bytes out;
  ASSERT_TRUE(opener.open_chunk(1, chunks_[1], false, out).ok());
  EXPECT_EQ(out, Bytes(content_.begin() + kChunk, content_.begin() + 2 * kChunk));
}

TEST_F(ContentTest, EverySingleByteFlipOfAFinalChunkFails) {
  ContentOpener opener(dek(), "d1", 1);
  for (std::size_t i = 0; i < chunks_[2].size(); ++i) {
    Bytes out;
    auto r = opener.open_chunk(2, flipped(chunks_[2], i), true, out);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
    EXPECT_TRUE(out.empty());
  }
}

TEST_F(ContentTest, ByteFlipsAcrossAFullChunkFail) {
  // Every 4099th byte plus the whole tag: a full sweep of 256 KiB would take minutes.
  ContentOpener opener(dek(), "d1", 1);
  const std::size_t n = chunks_[0].size();
  for (std::size_t i = 0; i < n; i += (i + 32 >= n ? 1 : 4099)) {
    Bytes out;
    auto r = opener.open_chunk(0, flipped(chunks_[0], i, 0x40), false, out);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
}

TEST_F(ContentTest, SwappedOrReorderedChunksFail) {
  auto swapped = chunks_;
  std::swap(swapped[0], swapped[1]);
  expect_integrity(swapped);
  auto rotated = chunks_;
  std::rotate(rotated.begin(), rotated.begin() + 1, rotated.end());
  expect_integrity(rotated);
}

TEST_F(ContentTest, TruncationByDroppingTheFinalChunkFails) {
  auto truncated = chunks_;
  truncated.pop_back();  // chunk 1 was sealed as non-final, so reading it as final fails
  expect_integrity(truncated);
  expect_integrity({chunks_[0]});
}

TEST_F(ContentTest, ExtensionFails) {
  // A reader told there are four chunks opens the real final chunk as non-final.
  auto extended = chunks_;
  extended.push_back(chunks_[2]);
  expect_integrity(extended);
  // An empty-content stream cannot be extended either.
  auto empty = seal_stream(dek(), "d1", 1, {});
  empty.push_back(empty[0]);
  expect_integrity(empty);
}

TEST_F(ContentTest, WrongFinalFlagFails) {
  ContentOpener opener(dek(), "d1", 1);
  Bytes out;
  EXPECT_EQ(opener.open_chunk(0, chunks_[0], true, out).error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ(opener.open_chunk(2, chunks_[2], false, out).error().kind, ErrorKind::kIntegrity);
}

TEST_F(ContentTest, WrongDocumentVersionOrKeyFails) {
  expect_integrity(chunks_, "d2", 1);
  expect_integrity(chunks_, "d1", 2);
  auto r = open_stream(SecretKey::generate(), "d1", 1, chunks_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
}

TEST_F(ContentTest, ChunkFromAnotherVersionOfTheSameDocumentFails) {
  // Even if two versions shared a key (they must not), the version in the AD keeps them apart.
  auto other_version = seal_stream(dek(), "d1", 2, content_);
  auto mixed = chunks_;
  mixed[1] = other_version[1];
  expect_integrity(mixed);
}

TEST_F(ContentTest, FreshKeysMakeEqualContentSealDifferently) {
  const DataKey other = barrier_->new_data_key("docver:d1:2");
  const auto again = seal_stream(other.key.clone(), "d1", 1, content_);
  EXPECT_NE(again[0], chunks_[0]);
  EXPECT_NE(again[2], chunks_[2]);
}

TEST_F(ContentTest, SealerRefusesNonceReuseAndMisuse) {
  ContentSealer sealer(dek(), "d1", 1);
  const Bytes full(kChunk, 0);
  Bytes out;
  sealer.seal_chunk(0, full, false, out);
  EXPECT_THROW(sealer.seal_chunk(0, full, false, out), std::logic_error);          // counter reuse
  EXPECT_THROW(sealer.seal_chunk(2, full, false, out), std::logic_error);          // gap
  EXPECT_THROW(sealer.seal_chunk(1, Bytes(10, 0), false, out), std::logic_error);  // short
  EXPECT_THROW(sealer.seal_chunk(1, Bytes(kChunk + 1, 0), true, out), std::logic_error);
  sealer.seal_chunk(1, Bytes(10, 0), true, out);
  EXPECT_THROW(sealer.seal_chunk(2, Bytes(10, 0), true, out), std::logic_error);  // past final
}

}  // namespace
}  // namespace baomi::barrier
