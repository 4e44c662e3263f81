// Key derivation (libsodium crypto_kdf, BLAKE2b): independent purpose keys from one master key.
// Stateless; safe from any thread.
#pragma once

#include <cstdint>

#include "crypto/secret_key.h"

namespace baomi::crypto {

// `context` must be a string literal of exactly 8 characters (enforced by the array type), e.g.
// "baomi-bi". Different (subkey_id, context) pairs give unrelated keys.
SecretKey derive_key(const SecretKey& master, std::uint64_t subkey_id, const char (&context)[9]);

}  // namespace baomi::crypto
