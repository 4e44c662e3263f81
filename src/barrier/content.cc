#include "barrier/content.h"

#include <stdexcept>

namespace baomi::barrier {

namespace detail {

ChunkAd::ChunkAd(std::string_view doc_id, std::uint64_t version) {
  append_field(ad_, "baomi-chunk");
  append_field(ad_, doc_id);
  append_u64(ad_, version);
  prefix_size_ = ad_.size();
  ad_.reserve(prefix_size_ + 9);  // index + flag: no allocation per chunk
}

crypto::BytesView ChunkAd::for_chunk(std::uint64_t index, bool final) {
  ad_.resize(prefix_size_);
  append_u64(ad_, index);
  ad_.push_back(final ? 1 : 0);
  return ad_;
}

}  // namespace detail

ContentSealer::ContentSealer(crypto::SecretKey dek, std::string doc_id, std::uint64_t version)
    : cipher_(dek), ad_(doc_id, version) {}  // `dek` is wiped when this constructor returns

void ContentSealer::seal_chunk(std::uint64_t index, crypto::BytesView plaintext, bool final,
                               Bytes& out) {
  // GCM with counter nonces breaks if a counter is sealed twice: refuse anything but one
  // straight pass.
  if (finished_ || index != next_index_) {
    throw std::logic_error("content chunks must be sealed once each, in order");
  }
  if (plaintext.size() > kChunkSize || (!final && plaintext.size() != kChunkSize)) {
    throw std::logic_error("only the final content chunk may be shorter than kChunkSize");
  }
  cipher_.seal(index, plaintext, ad_.for_chunk(index, final), out);
  ++next_index_;
  finished_ = final;
}

ContentOpener::ContentOpener(crypto::SecretKey dek, std::string doc_id, std::uint64_t version)
    : cipher_(dek), ad_(doc_id, version) {}

Result<void> ContentOpener::open_chunk(std::uint64_t index, crypto::BytesView sealed, bool final,
                                       Bytes& out) {
  return cipher_.open(index, sealed, ad_.for_chunk(index, final), out);
}

}  // namespace baomi::barrier
