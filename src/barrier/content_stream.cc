#include "barrier/content_stream.h"

#include <stdexcept>

#include "barrier/engine_access.h"
#include "barrier/engine_tables.h"
#include "barrier/wrapped_key.h"

namespace baomi::barrier {

ContentStream ContentStream::document_version(std::string doc_id, std::uint64_t version) {
  std::string owner = "docver:" + doc_id + ":" + std::to_string(version);
  return ContentStream(false, std::move(doc_id), version, std::move(owner));
}

// A blob's chunks are sealed as version 1 of a stream named by its owner.
ContentStream ContentStream::blob(std::string owner) {
  std::string id = owner;
  return ContentStream(true, std::move(id), 1, std::move(owner));
}

ContentStream::ContentStream(bool is_blob, std::string id, std::uint64_t version,
                             std::string key_owner)
    : is_blob_(is_blob), id_(std::move(id)), version_(version), key_owner_(std::move(key_owner)) {}

Result<void> ContentStream::store(storage::WriteTx& tx, std::uint64_t index,
                                  const Bytes& sealed) const {
  if (is_blob_) return barrier::write_blob_chunk(tx, id_, index, sealed);
  return barrier::write_chunk(tx, id_, version_, index, sealed);
}

Result<void> ContentStream::load(storage::ReadTx& tx, std::uint64_t index, Bytes& sealed) const {
  if (is_blob_) return barrier::read_blob_chunk(tx, id_, index, sealed);
  return barrier::read_chunk(tx, id_, version_, index, sealed);
}

Result<void> ContentStream::erase(WriteTx& tx) const {
  if (is_blob_) throw std::logic_error("blobs are not erased on their own");
  return barrier::delete_chunks(EngineAccess::engine(tx), id_, version_);
}

ContentWriter::ContentWriter(const Barrier& barrier, ContentStream stream)
    : stream_(std::move(stream)) {
  auto dek = barrier.new_data_key(stream_.key_owner());
  wrapped_key_ = encode(dek.wrapped);
  sealer_ = std::make_unique<ContentSealer>(std::move(dek.key), stream_.id_, stream_.version_);
}

void ContentWriter::seal_chunk(std::uint64_t index, crypto::BytesView plain, bool final,
                               Bytes& sealed) {
  sealer_->seal_chunk(index, plain, final, sealed);
}

Result<void> ContentWriter::store_chunk(WriteTx& tx, std::uint64_t index,
                                        const Bytes& sealed) const {
  return stream_.store(EngineAccess::engine(tx), index, sealed);
}

Result<ContentReader> ContentReader::open(const Barrier& barrier, ContentStream stream,
                                          const Bytes& wrapped_key, std::uint64_t chunk_count) {
  auto wrapped = decode_wrapped_key(wrapped_key);
  if (!wrapped.ok()) return Error::integrity("a stored data key is damaged");
  BAOMI_ASSIGN_OR_RETURN(auto key, barrier.unwrap(*wrapped, stream.key_owner()));
  auto opener = std::make_unique<ContentOpener>(std::move(key), stream.id_, stream.version_);
  return ContentReader(std::move(stream), std::move(opener), chunk_count);
}

ContentReader::ContentReader(ContentStream stream, std::unique_ptr<ContentOpener> opener,
                             std::uint64_t chunk_count)
    : stream_(std::move(stream)), opener_(std::move(opener)), chunk_count_(chunk_count) {}

Result<void> ContentReader::read_chunk(ReadTx& tx, std::uint64_t index, Bytes& plain) {
  BAOMI_TRY(stream_.load(EngineAccess::engine(tx), index, sealed_));
  return opener_->open_chunk(index, sealed_, index + 1 == chunk_count_, plain);
}

}  // namespace baomi::barrier
