// Audit signing-key rotation (I1; docs/audit-format.md, "Key transitions"). The trail records
// each hand-over as an entry of its own (action kKeyTransitionAction) whose detail carries a
// key-transition record: the old key signs the new public key, bound to the entry's position
// (seq and prev_hash), and the new key countersigns the same message. Checkpoints and tree heads
// for seq >= the transition's seq are signed by the new key. A verifier that trusts only the
// first key follows the chain of transitions entry by entry (SigningKeyChain); a checkpoint
// signed by any key the chain does not reach fails. Pure functions and a value type;
// thread-safe as values.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "crypto/sign.h"

namespace baomi::audit {

inline constexpr std::string_view kKeyTransitionDomain = "baomi-key-transition-v1";
inline constexpr std::string_view kKeyTransitionAction = "audit.signing_key_rotate";

// Whether an entry hands the trail over to a new key: kKeyTransitionAction, decision "allow" (a
// refused rotation is audited under the same action with "deny" and changes no key).
template <typename Entry>
bool is_key_transition(const Entry& e) {
  return e.action == kKeyTransitionAction && e.decision == "allow";
}

struct KeyTransition {
  std::uint64_t seq = 0;       // the transition entry's seq
  std::string prev_hash;       // that entry's prev_hash (64 lowercase hex)
  std::string old_public_key;  // 64 lowercase hex
  std::string new_public_key;  // 64 lowercase hex
  std::string signature;       // old key over key_transition_message, 128 lowercase hex
  std::string new_signature;   // new key over the same message (proof of possession)
};

// field(domain) || u64(seq) || field(prev_hash) || field(old_public_key) || field(new_public_key),
// the hex fields as their ASCII text.
Bytes key_transition_message(const KeyTransition& t);

// The transition from `current` to `next` for the entry at `seq` whose prev_hash is `prev_hash`.
KeyTransition sign_key_transition(std::uint64_t seq, std::string_view prev_hash,
                                  const crypto::SigningKey& current,
                                  const crypto::SigningKey& next);

// The entry detail that carries `t` ({"old_public_key","new_public_key","signature",
// "new_signature"}); seq and prev_hash are the entry's own.
std::string key_transition_detail(const KeyTransition& t);
// The transition an entry's detail carries; nullopt when the detail lacks a field or a field is
// not canonical lowercase hex of the right length.
std::optional<KeyTransition> parse_key_transition_detail(std::uint64_t seq,
                                                         std::string_view prev_hash,
                                                         std::string_view detail);
// The same record as one JSON object with seq and prev_hash (evidence bundles).
boost::json::object key_transition_json(const KeyTransition& t);
std::optional<KeyTransition> parse_key_transition_json(const boost::json::object& o);

// Lowercase hex SHA-256 of a 32-byte public key: how reports name a key.
std::string key_fingerprint(crypto::BytesView public_key32);

// A signing key and the first seq whose checkpoint and tree head it signs.
struct KeyEpoch {
  std::uint64_t from_seq = 0;  // 0 for the trusted first key
  Bytes public_key;
};

// The chain of audit signing keys, from the key the verifier trusts.
class SigningKeyChain {
 public:
  explicit SigningKeyChain(Bytes trusted_first_key);

  // Follows `t` when the key in force signed it, the new key countersigned it, and it comes after
  // the last transition followed; else returns the problem (and the chain does not move).
  std::optional<std::string> follow(const KeyTransition& t);
  // The key in force for a checkpoint or tree head of `seq`, among the transitions followed.
  const Bytes& key_at(std::uint64_t seq) const;
  const Bytes& current() const { return epochs_.back().public_key; }
  const std::vector<KeyEpoch>& epochs() const { return epochs_; }

 private:
  std::vector<KeyEpoch> epochs_;
};

}  // namespace baomi::audit
