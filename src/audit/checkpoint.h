// Signed checkpoints of the audit chain (I1): an Ed25519 signature by the server's audit key
// over (seq, head hash, time), so an auditor holding only the public key can tell that entries
// up to `seq` were neither rewritten nor removed. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "audit/entry.h"
#include "core/bytes.h"

namespace baomi::audit {

inline constexpr std::string_view kCheckpointDomain = "baomi-checkpoint-v1";
inline constexpr std::size_t kPublicKeySize = 32;
inline constexpr std::size_t kSecretKeySize = 64;  // libsodium's seed || public key form
inline constexpr std::size_t kSignatureSize = 64;

// field("baomi-checkpoint-v1") || u64(seq) || field(head hex text) || u64(time_us).
Bytes checkpoint_message(const Checkpoint& cp);

// The audit key's detached Ed25519 signature over `msg` as lowercase hex, and its check (false
// for non-canonical hex or a bad signature). Shared by checkpoints, tree heads and bundles.
std::string sign_message_hex(const Bytes& msg, const std::uint8_t* ed25519_secret_key64);
bool verify_message_hex(const Bytes& msg, std::string_view signature_hex,
                        const std::uint8_t* public_key32);

// Signs with a libsodium Ed25519 secret key (64 bytes). The key never leaves this call.
Checkpoint sign_checkpoint(std::uint64_t seq, std::string_view head_hex, std::int64_t time_us,
                           const std::uint8_t* ed25519_secret_key64);

// True only if cp.signature is canonical lowercase hex of a valid signature by the key.
bool verify_checkpoint(const Checkpoint& cp, const std::uint8_t* public_key32);

}  // namespace baomi::audit
