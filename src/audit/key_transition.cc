#include "audit/key_transition.h"

#include <boost/json.hpp>

#include "audit/chain.h"
#include "audit/checkpoint.h"
#include "audit/detail.h"
#include "crypto/sha256.h"

namespace baomi::audit {
namespace {

namespace json = boost::json;

std::optional<std::string> lower_hex_member(const json::object& o, std::string_view name,
                                            std::size_t bytes) {
  const auto* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  std::string text(v->get_string());
  Bytes raw(bytes);
  if (!decode_lower_hex(text, raw.data(), raw.size())) return std::nullopt;
  return text;
}

bool fill_keys_and_signatures(const json::object& o, KeyTransition& t) {
  auto old_key = lower_hex_member(o, "old_public_key", kPublicKeySize);
  auto new_key = lower_hex_member(o, "new_public_key", kPublicKeySize);
  auto sig = lower_hex_member(o, "signature", kSignatureSize);
  auto new_sig = lower_hex_member(o, "new_signature", kSignatureSize);
  if (!old_key || !new_key || !sig || !new_sig) return false;
  t.old_public_key = std::move(*old_key);
  t.new_public_key = std::move(*new_key);
  t.signature = std::move(*sig);
  t.new_signature = std::move(*new_sig);
  return true;
}

std::string short_fingerprint(crypto::BytesView key) { return key_fingerprint(key).substr(0, 16); }

}  // namespace

Bytes key_transition_message(const KeyTransition& t) {
  // I1: its own domain, so neither signature can be replayed as a checkpoint or tree head.
  Bytes out;
  append_field(out, kKeyTransitionDomain);
  append_u64(out, t.seq);
  append_field(out, t.prev_hash);
  append_field(out, t.old_public_key);
  append_field(out, t.new_public_key);
  return out;
}

KeyTransition sign_key_transition(std::uint64_t seq, std::string_view prev_hash,
                                  const crypto::SigningKey& current,
                                  const crypto::SigningKey& next) {
  KeyTransition t{
      seq, std::string(prev_hash), to_hex(current.public_key()), to_hex(next.public_key()), {}, {}};
  const Bytes msg = key_transition_message(t);
  t.signature = to_hex(current.sign(msg));
  t.new_signature = to_hex(next.sign(msg));
  return t;
}

std::string key_transition_detail(const KeyTransition& t) {
  return Detail{}
      .add("old_public_key", t.old_public_key)
      .add("new_public_key", t.new_public_key)
      .add("signature", t.signature)
      .add("new_signature", t.new_signature);
}

std::optional<KeyTransition> parse_key_transition_detail(std::uint64_t seq,
                                                         std::string_view prev_hash,
                                                         std::string_view detail) {
  boost::system::error_code ec;
  auto value = json::parse(detail, ec);
  if (ec || !value.is_object()) return std::nullopt;
  KeyTransition t;
  t.seq = seq;
  t.prev_hash = std::string(prev_hash);
  if (!fill_keys_and_signatures(value.get_object(), t)) return std::nullopt;
  return t;
}

json::object key_transition_json(const KeyTransition& t) {
  return json::object{{"seq", t.seq},
                      {"prev_hash", t.prev_hash},
                      {"old_public_key", t.old_public_key},
                      {"new_public_key", t.new_public_key},
                      {"signature", t.signature},
                      {"new_signature", t.new_signature}};
}

std::optional<KeyTransition> parse_key_transition_json(const json::object& o) {
  const auto* seq = o.if_contains("seq");
  auto prev = lower_hex_member(o, "prev_hash", kHashSize);
  if (seq == nullptr || !prev) return std::nullopt;
  KeyTransition t;
  if (seq->is_uint64()) {
    t.seq = seq->get_uint64();
  } else if (seq->is_int64() && seq->get_int64() > 0) {
    t.seq = static_cast<std::uint64_t>(seq->get_int64());
  } else {
    return std::nullopt;
  }
  t.prev_hash = std::move(*prev);
  if (t.seq == 0 || !fill_keys_and_signatures(o, t)) return std::nullopt;
  return t;
}

std::string key_fingerprint(crypto::BytesView public_key32) {
  crypto::Sha256 digest;
  digest.update(public_key32);
  return digest.hex_digest();
}

SigningKeyChain::SigningKeyChain(Bytes trusted_first_key) {
  epochs_.push_back({0, std::move(trusted_first_key)});
}

std::optional<std::string> SigningKeyChain::follow(const KeyTransition& t) {
  const std::string where = "key transition at seq " + std::to_string(t.seq);
  const Bytes& in_force = current();
  if (t.seq <= epochs_.back().from_seq) {
    return where + " does not come after the previous one (replayed or reordered transition)";
  }
  if (in_force.size() != kPublicKeySize) {
    return where + ": the trusted audit public key is not a 32-byte Ed25519 key";
  }
  if (t.old_public_key != to_hex(in_force)) {
    return where + " hands over from a key that is not the audit key in force (fingerprint " +
           short_fingerprint(in_force) +
           "…): forged transition, or the chain of keys does not start at the trusted key";
  }
  const Bytes msg = key_transition_message(t);
  if (!verify_message_hex(msg, t.signature, in_force.data())) {
    return where + " is not signed by the audit key in force (fingerprint " +
           short_fingerprint(in_force) + "…): forged or altered transition";
  }
  const Bytes next = *from_hex(t.new_public_key);
  if (!verify_message_hex(msg, t.new_signature, next.data())) {
    return where + " is not countersigned by the new key it names: forged or altered transition";
  }
  epochs_.push_back({t.seq, next});
  return std::nullopt;
}

const Bytes& SigningKeyChain::key_at(std::uint64_t seq) const {
  for (auto it = epochs_.rbegin(); it != epochs_.rend(); ++it) {
    if (it->from_seq <= seq) return it->public_key;
  }
  return epochs_.front().public_key;
}

}  // namespace baomi::audit
