// Chunked AEAD for document content (DESIGN.md "Content"). A document version's plaintext is
// split into chunks of kChunkSize bytes; every chunk but the last is full, the last may be
// shorter or empty and is the only one sealed with final = true. Each chunk is AES-256-GCM
// under the version's own DEK with nonce = chunk index, and its AD binds the document id,
// version, chunk index and final flag, so swapped, reordered, truncated (final chunk dropped),
// extended or edited chunks fail to open.
//
// ContentSealer enforces one pass over indexes 0, 1, 2, ... so no nonce is ever reused; it
// must be given a fresh DEK that seals nothing else. ContentOpener allows random access; to
// detect truncation the caller passes final = (index == chunk_count - 1) from the version row.
// Neither class is thread-safe: one per stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.h"
#include "crypto/chunk_cipher.h"
#include "crypto/secret_key.h"
#include "crypto/types.h"

namespace baomi::barrier {

namespace detail {
// Builds the per-chunk associated data, reusing one buffer.
class ChunkAd {
 public:
  ChunkAd(std::string_view doc_id, std::uint64_t version);
  crypto::BytesView for_chunk(std::uint64_t index, bool final);

 private:
  Bytes ad_;
  std::size_t prefix_size_;
};
}  // namespace detail

class ContentSealer {
 public:
  static constexpr std::size_t kChunkSize = 256 * 1024;
  static constexpr std::size_t kOverhead = crypto::ChunkCipher::kTagSize;

  ContentSealer(crypto::SecretKey dek, std::string doc_id, std::uint64_t version);
  // out = sealed chunk (plaintext size + kOverhead). Throws std::logic_error on misuse: an
  // index out of sequence, a chunk after the final one, or a wrongly sized chunk.
  void seal_chunk(std::uint64_t index, crypto::BytesView plaintext, bool final, Bytes& out);

 private:
  crypto::ChunkCipher cipher_;
  detail::ChunkAd ad_;
  std::uint64_t next_index_ = 0;
  bool finished_ = false;
};

class ContentOpener {
 public:
  static constexpr std::size_t kChunkSize = ContentSealer::kChunkSize;

  ContentOpener(crypto::SecretKey dek, std::string doc_id, std::uint64_t version);
  // out = plaintext, or kIntegrity (out cleared) if the chunk is not exactly the one sealed at
  // this index with this final flag for this document version.
  Result<void> open_chunk(std::uint64_t index, crypto::BytesView sealed, bool final, Bytes& out);

 private:
  crypto::ChunkCipher cipher_;
  detail::ChunkAd ad_;
};

}  // namespace baomi::barrier
