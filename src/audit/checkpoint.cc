#include "audit/checkpoint.h"

#include <sodium.h>

#include <array>

#include "audit/chain.h"
#include "crypto/init.h"

namespace baomi::audit {

std::string sign_message_hex(const Bytes& msg, const std::uint8_t* ed25519_secret_key64) {
  crypto::detail::ensure_init();  // sodium_init picks the Ed25519 code paths
  std::array<std::uint8_t, kSignatureSize> sig{};
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), ed25519_secret_key64);
  return to_hex(sig.data(), sig.size());
}

bool verify_message_hex(const Bytes& msg, std::string_view signature_hex,
                        const std::uint8_t* public_key32) {
  crypto::detail::ensure_init();  // sodium_init picks the Ed25519 code paths
  std::array<std::uint8_t, kSignatureSize> sig{};
  if (!decode_lower_hex(signature_hex, sig.data(), sig.size())) return false;
  return crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), public_key32) == 0;
}

Bytes checkpoint_message(const Checkpoint& cp) {
  // I1: domain-separated from entry bytes so a signature can never be replayed as anything else.
  Bytes out;
  append_field(out, kCheckpointDomain);
  append_u64(out, cp.seq);
  append_field(out, cp.head);
  append_u64(out, static_cast<std::uint64_t>(cp.time_us));  // two's complement
  return out;
}

Checkpoint sign_checkpoint(std::uint64_t seq, std::string_view head_hex, std::int64_t time_us,
                           const std::uint8_t* ed25519_secret_key64) {
  Checkpoint cp{seq, std::string(head_hex), time_us, {}};
  cp.signature = sign_message_hex(checkpoint_message(cp), ed25519_secret_key64);
  return cp;
}

bool verify_checkpoint(const Checkpoint& cp, const std::uint8_t* public_key32) {
  return verify_message_hex(checkpoint_message(cp), cp.signature, public_key32);
}

}  // namespace baomi::audit
