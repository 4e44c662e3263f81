#include "audit/tree_head.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "audit/chain.h"
#include "audit/checkpoint.h"

namespace baomi::audit {
namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

Bytes tree_head_message(const TreeHead& th) {
  // Own domain tag: a tree head signature can never pass for a checkpoint or a statement.
  Bytes out;
  append_field(out, kTreeHeadDomain);
  append_u64(out, th.tree_size);
  append_field(out, th.root_hash);
  append_field(out, th.head);
  append_u64(out, static_cast<std::uint64_t>(th.time_us));  // two's complement
  return out;
}

TreeHead sign_tree_head(std::uint64_t tree_size, std::string_view root_hex,
                        std::string_view head_hex, std::int64_t time_us,
                        const std::uint8_t* ed25519_secret_key64) {
  ensure_sodium();
  TreeHead th{tree_size, std::string(root_hex), std::string(head_hex), time_us, {}};
  const Bytes msg = tree_head_message(th);
  std::array<std::uint8_t, kSignatureSize> sig{};
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), ed25519_secret_key64);
  th.signature = to_hex(sig.data(), sig.size());
  return th;
}

bool verify_tree_head(const TreeHead& th, const std::uint8_t* public_key32) {
  ensure_sodium();
  std::array<std::uint8_t, kSignatureSize> sig{};
  if (!decode_lower_hex(th.signature, sig.data(), sig.size())) return false;
  const Bytes msg = tree_head_message(th);
  return crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), public_key32) == 0;
}

}  // namespace baomi::audit
