#include "crypto/mac_key.h"

#include "crypto/hash.h"

namespace baomi::crypto {

Bytes MacKey::keyed_hash32(BytesView data) const { return crypto::keyed_hash32(key_, data); }

Bytes MacKey::keyed_hash32(std::string_view data) const { return crypto::keyed_hash32(key_, data); }

}  // namespace baomi::crypto
