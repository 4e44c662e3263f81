// Sealed content streams behind the barrier: a document version's content or a blob (an
// investigation's evidence), sealed chunk by chunk (barrier/content.h) under a data key of its
// own that never leaves this layer. Services get a writer that hands them the wrapped key to
// keep in their record, and a reader opened from that wrapped key; neither exposes the key,
// and both reach the stored chunks themselves.
// Not thread-safe: one writer or reader per stream at a time, except that a writer's
// store_chunk (const: it only names the stream) may run while the next chunk is sealed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "barrier/barrier.h"
#include "barrier/content.h"
#include "barrier/transaction.h"
#include "core/result.h"

namespace baomi::barrier {

// Which stream, and so which key owner, chunk AD and storage place.
class ContentStream {
 public:
  // Version `version` of document `doc_id`: key owner "docver:<id>:<version>", chunks in the
  // engine's content chunks.
  static ContentStream document_version(std::string doc_id, std::uint64_t version);
  // A blob named `owner` (e.g. "evidence:<id>"): the key owner and the chunks' AD name it.
  static ContentStream blob(std::string owner);

  const std::string& key_owner() const { return key_owner_; }
  // Removes a document version's stored chunks (those of a failed upload, or of a version
  // erased with its record). Blobs go with their owner's record and have no erase.
  Result<void> erase(WriteTx& tx) const;

 private:
  friend class ContentWriter;
  friend class ContentReader;
  ContentStream(bool is_blob, std::string id, std::uint64_t version, std::string key_owner);
  Result<void> store(storage::WriteTx& tx, std::uint64_t index, const Bytes& sealed) const;
  Result<void> load(storage::ReadTx& tx, std::uint64_t index, Bytes& sealed) const;

  bool is_blob_;
  std::string id_;  // document id, or the blob's owner
  std::uint64_t version_;
  std::string key_owner_;
};

class ContentWriter {
 public:
  static constexpr std::size_t kChunkSize = ContentSealer::kChunkSize;

  // A fresh data key for `stream`, wrapped under the current KEK.
  ContentWriter(const Barrier& barrier, ContentStream stream);
  // The data key, wrapped (barrier::encode): the record that names the stream keeps it;
  // destroying every copy shreds the content.
  const Bytes& wrapped_key() const { return wrapped_key_; }
  // Seals chunk `index` (0, 1, 2, ... in one pass; only the final chunk may be short) into
  // `sealed`, for store_chunk() now or later.
  void seal_chunk(std::uint64_t index, crypto::BytesView plain, bool final, Bytes& sealed);
  Result<void> store_chunk(WriteTx& tx, std::uint64_t index, const Bytes& sealed) const;

 private:
  ContentStream stream_;
  Bytes wrapped_key_;
  std::unique_ptr<ContentSealer> sealer_;
};

class ContentReader {
 public:
  // kIntegrity when `wrapped_key` is damaged or belongs to another stream.
  static Result<ContentReader> open(const Barrier& barrier, ContentStream stream,
                                    const Bytes& wrapped_key, std::uint64_t chunk_count);
  // Reads chunk `index` in `tx` and authenticates it (kIntegrity when it is not exactly the
  // chunk sealed there, the last one flagged final).
  Result<void> read_chunk(ReadTx& tx, std::uint64_t index, Bytes& plain);
  std::uint64_t chunk_count() const { return chunk_count_; }

 private:
  ContentReader(ContentStream stream, std::unique_ptr<ContentOpener> opener,
                std::uint64_t chunk_count);
  ContentStream stream_;
  std::unique_ptr<ContentOpener> opener_;
  std::uint64_t chunk_count_;
  Bytes sealed_;
};

}  // namespace baomi::barrier
