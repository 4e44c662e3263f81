// Randomness from the OS CSPRNG (libsodium randombytes). Stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/bytes.h"

namespace baomi::crypto {

Bytes random_bytes(std::size_t n);
// 26 lowercase RFC 4648 base32 characters (no padding) encoding 16 random bytes: opaque ids
// for users, documents and other records.
std::string random_id();
// True when `text` is exactly something random_id() can produce (26 characters of a-z2-7 whose
// two unused trailing bits are zero). Lets callers refuse forged ids without a lookup.
bool is_random_id(std::string_view text);
// 43 base64url characters (no padding) encoding 32 random bytes: bearer session tokens.
std::string random_token();

}  // namespace baomi::crypto
