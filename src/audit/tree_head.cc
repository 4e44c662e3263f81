#include "audit/tree_head.h"

#include "audit/chain.h"
#include "audit/checkpoint.h"

namespace baomi::audit {
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
  TreeHead th{tree_size, std::string(root_hex), std::string(head_hex), time_us, {}};
  th.signature = sign_message_hex(tree_head_message(th), ed25519_secret_key64);
  return th;
}

bool verify_tree_head(const TreeHead& th, const std::uint8_t* public_key32) {
  return verify_message_hex(tree_head_message(th), th.signature, public_key32);
}

}  // namespace baomi::audit
