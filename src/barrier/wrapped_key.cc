#include "barrier/wrapped_key.h"

#include "crypto/aead.h"
#include "crypto/secret_key.h"

namespace baomi::barrier {

namespace {
constexpr std::uint8_t kFormat = 1;
constexpr std::size_t kHeaderSize = 5;
constexpr std::size_t kSealedSize = crypto::kAeadOverhead + crypto::SecretKey::kSize;
}  // namespace

Bytes encode(const WrappedKey& key) {
  Bytes out;
  out.reserve(kHeaderSize + key.sealed.size());
  out.push_back(kFormat);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(key.kek_version >> shift));
  }
  out.insert(out.end(), key.sealed.begin(), key.sealed.end());
  return out;
}

Result<WrappedKey> decode_wrapped_key(crypto::BytesView bytes) {
  if (bytes.size() != kHeaderSize + kSealedSize || bytes[0] != kFormat) {
    return Error::integrity("wrapped key is malformed");
  }
  WrappedKey key;
  for (std::size_t i = 1; i < kHeaderSize; ++i) key.kek_version = key.kek_version << 8 | bytes[i];
  if (key.kek_version == 0) return Error::integrity("wrapped key is malformed");
  key.sealed.assign(bytes.begin() + kHeaderSize, bytes.end());
  return key;
}

}  // namespace baomi::barrier
