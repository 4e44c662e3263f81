#include "marking/fingerprint_frame.h"

#include <string_view>

#include "core/bytes.h"
#include "crypto/compare.h"
#include "crypto/hash.h"

namespace baomi::marking::detail {
namespace {

// Domain separation, and a version for a future frame format.
constexpr std::string_view kTagContext = "baomi.fingerprint.v1";
constexpr std::size_t kTagBytes = kTagLen * 2 / 8;

void put_symbols(Frame& frame, std::size_t at, std::uint64_t value, std::size_t count) {
  for (std::size_t k = 0; k < count; ++k) {
    frame[at + k] = static_cast<std::uint8_t>(value >> (2 * (count - 1 - k)) & 3);
  }
}

Bytes be_bytes(std::uint64_t v, std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * (n - 1 - i)));
  return out;
}

}  // namespace

std::uint64_t frame_tag(const crypto::MacKey& key, std::uint64_t payload) {
  Bytes msg = to_bytes(kTagContext);
  append_u64(msg, payload);
  const Bytes digest = key.keyed_hash32(msg);
  std::uint64_t tag = 0;
  for (std::size_t i = 0; i < kTagBytes; ++i) tag = tag << 8 | digest[i];
  return tag;
}

Frame make_frame(std::uint64_t payload, const crypto::MacKey& key) {
  Frame frame{};
  for (std::size_t k = 0; k < kSyncLen; ++k) frame[k] = kSync[k];
  put_symbols(frame, kSyncLen, payload, kPayloadLen);
  put_symbols(frame, kSyncLen + kPayloadLen, frame_tag(key, payload), kTagLen);
  return frame;
}

bool tag_matches(const crypto::MacKey& key, std::uint64_t payload, std::uint64_t tag) {
  return crypto::constant_time_equal(be_bytes(frame_tag(key, payload), kTagBytes),
                                     be_bytes(tag, kTagBytes));
}

}  // namespace baomi::marking::detail
