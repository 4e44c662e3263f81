// Randomness from the OS CSPRNG (libsodium randombytes). Stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <string>

#include "core/bytes.h"

namespace baomi::crypto {

Bytes random_bytes(std::size_t n);
// 26 lowercase RFC 4648 base32 characters (no padding) encoding 16 random bytes: opaque ids
// for users, documents and other records.
std::string random_id();
// 43 base64url characters (no padding) encoding 32 random bytes: bearer session tokens.
std::string random_token();

}  // namespace baomi::crypto
