// WrappedKey: a data key (DEK) sealed under one version of the key-encryption key, plus the
// single-BLOB encoding storage keeps it in. A value type; thread-safe as such.
#pragma once

#include <cstdint>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/types.h"

namespace baomi::barrier {

struct WrappedKey {
  std::uint32_t kek_version = 0;
  Bytes sealed;  // XChaCha20-Poly1305 box of the 32-byte DEK
};

// format byte (1) || kek_version (u32 big-endian) || sealed.
Bytes encode(const WrappedKey& key);
// kIntegrity if the bytes are not a well-formed encoding (they come from storage).
Result<WrappedKey> decode_wrapped_key(crypto::BytesView bytes);

}  // namespace baomi::barrier
