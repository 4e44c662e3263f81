// Text encodings of binary values (base64url via libsodium, lowercase base32).
// Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/types.h"

namespace baomi::crypto {

// base64url without padding (RFC 4648 section 5), as used in tokens and JSON fields.
std::string base64url_encode(BytesView data);
// nullopt unless `text` is entirely valid unpadded base64url.
std::optional<Bytes> base64url_decode(std::string_view text);
// Lowercase RFC 4648 base32 without padding (alphabet a-z2-7): case-insensitive-safe ids.
std::string base32_lower(BytesView data);

}  // namespace baomi::crypto
