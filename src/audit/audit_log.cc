#include "audit/audit_log.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "audit/chain.h"
#include "audit/checkpoint.h"
#include "audit/evidence_bundle.h"
#include "audit/record_ledger.h"
#include "audit/trail_tables.h"
#include "audit/tree_head.h"
#include "audit/tree_store.h"
#include "barrier/engine_access.h"
#include "storage/meta.h"

namespace baomi::audit {

AuditLog::AuditLog(crypto::SigningKey signing_key, std::string policy_version, AuditOptions options)
    : first_key_(std::make_shared<const crypto::SigningKey>(std::move(signing_key))),
      policy_version_(std::move(policy_version)),
      options_(options),
      // 100 µs to 10 s: an fdatasync on a quiet disk up to a stalled one.
      record_latency_({0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                       0.5, 1, 2.5, 10}) {
  current_key_ = first_key_;
}

AuditEntry to_entry(const audit::AuditRow& r) {
  return AuditEntry{r.seq,  r.time_us,        r.actor,  r.action,    r.target, r.decision,
                    r.rule, r.policy_version, r.detail, r.prev_hash, r.hash};
}

audit::AuditRow to_row(const AuditEntry& e) {
  return audit::AuditRow{e.seq,  e.time_us,        e.actor,  e.action,    e.target, e.decision,
                         e.rule, e.policy_version, e.detail, e.prev_hash, e.hash};
}

Result<std::uint64_t> AuditLog::append(storage::WriteTx& tx, const AuditEvent& event,
                                       TimePoint now) const {
  if (!observer_) return append_entry(tx, event, now);
  BAOMI_ASSIGN_OR_RETURN(auto follow_ups,
                         barrier::EngineAccess::with(tx, [&](barrier::WriteTx& service_tx) {
                           return observer_->observe(service_tx, event, now);
                         }));
  BAOMI_ASSIGN_OR_RETURN(const auto seq, append_entry(tx, event, now));
  for (const auto& follow_up : follow_ups) BAOMI_TRY(append_entry(tx, follow_up, now));
  return seq;
}

Result<std::uint64_t> AuditLog::append_entry(storage::WriteTx& tx, const AuditEvent& event,
                                             TimePoint now) const {
  // The head as this transaction last saw it: read once per group commit, not per append.
  BAOMI_ASSIGN_OR_RETURN(const auto head, audit::audit_head(tx));
  const bool first = head.seq == 0;
  // A damaged head cannot be chained onto: refuse rather than extend a broken trail.
  const auto prev = first ? std::optional<RawHash>(RawHash{}) : parse_hash_hex(head.hash);
  if (!prev) return Error::integrity("audit head is damaged");
  AuditEntry entry;
  entry.seq = head.seq + 1;
  entry.time_us = to_micros(now);
  entry.actor = event.actor.empty() ? "-" : event.actor;
  entry.action = event.action;
  entry.target = event.target;
  entry.decision = event.decision;
  entry.rule = event.rule;
  entry.policy_version = policy_version_;
  entry.detail = event.detail.empty() ? "{}" : event.detail;
  // I1: the entry commits to the sealed records its job wrote (rollback detection).
  BAOMI_ASSIGN_OR_RETURN(auto writes, commit_record_writes(tx, entry.seq));
  if (writes) entry.detail = detail_with_writes(entry.detail, *writes);
  seal_entry(entry, first ? genesis_hash() : head.hash);
  BAOMI_TRY(audit::insert_audit(tx, to_row(entry)));
  // I1, S10: the Merkle tree grows in the same transaction (and savepoint) as the trail.
  BAOMI_TRY(extend_tree(tx, entry.seq, *parse_hash_hex(entry.hash), *prev));
  if (options_.checkpoint_every > 0 && entry.seq % options_.checkpoint_every == 0) {
    BAOMI_TRY(checkpoint(tx, now));
  }
  return entry.seq;
}

Result<std::uint64_t> AuditLog::append(barrier::WriteTx& tx, const AuditEvent& event,
                                       TimePoint now) const {
  return append(barrier::EngineAccess::engine(tx), event, now);
}

Result<std::uint64_t> AuditLog::next_seq(barrier::WriteTx& tx) const {
  return next_seq(barrier::EngineAccess::engine(tx));
}

Result<void> AuditLog::checkpoint(barrier::WriteTx& tx, TimePoint now) const {
  return checkpoint(barrier::EngineAccess::engine(tx), now);
}

Result<std::uint64_t> AuditLog::next_seq(storage::WriteTx& tx) const {
  BAOMI_ASSIGN_OR_RETURN(const auto head, audit::audit_head(tx));
  return head.seq + 1;
}

Result<void> AuditLog::record(const barrier::SealedStore& store, const AuditEvent& event,
                              TimePoint now) const {
  const auto start = std::chrono::steady_clock::now();
  auto recorded =
      barrier::EngineAccess::engine(store).write([&](storage::WriteTx& tx) -> Result<void> {
        BAOMI_TRY(append(tx, event, now));
        return {};
      });
  record_latency_.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return recorded;
}

Result<void> AuditLog::checkpoint(storage::WriteTx& tx, TimePoint now) const {
  BAOMI_ASSIGN_OR_RETURN(const auto last, audit::audit_head(tx));
  if (last.seq == 0) return {};
  // I1: the key this transaction's trail is in force under (another instance may have rotated).
  BAOMI_ASSIGN_OR_RETURN(const auto signing_key, key_for(tx));
  BAOMI_ASSIGN_OR_RETURN(auto latest, audit::latest_checkpoint(tx));
  if (!latest || latest->seq < last.seq) {
    Checkpoint cp{last.seq, last.hash, to_micros(now), {}};
    cp.signature = to_hex(signing_key->sign(checkpoint_message(cp)));
    BAOMI_TRY(audit::insert_checkpoint(tx, {cp.seq, cp.head, cp.time_us, cp.signature}));
  }
  // The same moment as a signed tree head (RFC 9162 style): size, Merkle root, chain head. A
  // head checkpointed before the tree existed gets its tree head now.
  BAOMI_ASSIGN_OR_RETURN(auto signed_head, audit::first_tree_head_from(tx, last.seq));
  if (signed_head && signed_head->tree_size == last.seq) return {};
  BAOMI_ASSIGN_OR_RETURN(auto root, stored_root(tx, last.seq));
  TreeHead th{last.seq, to_hex(root.data(), root.size()), last.hash, to_micros(now), {}};
  th.signature = to_hex(signing_key->sign(tree_head_message(th)));
  return audit::insert_tree_head(tx,
                                 {th.tree_size, th.root_hash, th.head, th.time_us, th.signature});
}

}  // namespace baomi::audit

namespace baomi::audit {

std::string AuditLog::sign_statement(std::string_view domain, std::string_view message) const {
  std::string text = "baomi-statement\n";
  text.append(domain).append("\n").append(message);
  return to_hex(current_key()->sign(text));
}

}  // namespace baomi::audit

namespace baomi::audit {

std::string AuditLog::sign_bundle(std::span<const std::uint8_t> manifest,
                                  const TreeHead& th) const {
  return to_hex(current_key()->sign(bundle_message(manifest, th)));
}

}  // namespace baomi::audit

namespace baomi::audit {

AuditLog::KeyPtr AuditLog::current_key() const {
  std::lock_guard lock(key_mu_);
  return current_key_;
}

Bytes AuditLog::public_key() const { return current_key()->public_key(); }

Result<AuditLog::KeyPtr> AuditLog::key_for(storage::ReadTx& tx) const {
  BAOMI_ASSIGN_OR_RETURN(auto sealed, storage::get_meta(tx, kSigningKeyMeta));
  std::lock_guard lock(key_mu_);
  if (!sealed) {
    current_key_ = first_key_;
    current_sealed_.clear();
    return current_key_;
  }
  if (*sealed == current_sealed_) return current_key_;
  // I1: never sign with a key this server cannot vouch for: a rotated trail without the vault
  // fails closed rather than falling back to the first key.
  if (vault_ == nullptr) {
    return Error::integrity("the audit signing key was rotated, and this process cannot open it");
  }
  BAOMI_ASSIGN_OR_RETURN(auto key, vault_->open_signing_key(*sealed));
  current_key_ = std::make_shared<const crypto::SigningKey>(std::move(key));
  current_sealed_ = std::move(*sealed);
  return current_key_;
}

Result<void> AuditLog::refresh_signing_key(storage::ReadTx& tx) const {
  BAOMI_TRY(key_for(tx));
  return {};
}

Result<KeyTransition> AuditLog::rotate_signing_key(barrier::WriteTx& tx, std::string_view actor,
                                                   std::string_view rule, TimePoint now) const {
  return rotate_signing_key(barrier::EngineAccess::engine(tx), actor, rule, now);
}

Result<KeyTransition> AuditLog::rotate_signing_key(storage::WriteTx& tx, std::string_view actor,
                                                   std::string_view rule, TimePoint now) const {
  if (vault_ == nullptr) {
    return Error::internal("audit signing key rotation needs the key vault");
  }
  BAOMI_ASSIGN_OR_RETURN(const auto old_key, key_for(tx));
  BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
  if (last && !is_hash_hex(last->hash)) return Error::integrity("audit head is damaged");
  const std::uint64_t seq = last ? last->seq + 1 : 1;
  const std::string prev = last ? last->hash : genesis_hash();
  auto next = crypto::SigningKey::generate();
  KeyTransition t = sign_key_transition(seq, prev, *old_key, next);
  // Stored first, so that any checkpoint from this entry on (even one append() makes) is
  // signed by the new key: the verifier switches keys at this entry.
  BAOMI_TRY(storage::put_meta(tx, kSigningKeyMeta, vault_->seal_signing_key(next)));
  BAOMI_ASSIGN_OR_RETURN(const auto appended,
                         append(tx,
                                {std::string(actor), std::string(kKeyTransitionAction),
                                 "audit-key:" + key_fingerprint(next.public_key()).substr(0, 16),
                                 "allow", std::string(rule), key_transition_detail(t)},
                                now));
  if (appended != seq) return Error::internal("the key transition entry moved in the trail");
  BAOMI_ASSIGN_OR_RETURN(auto transitions, stored_key_transitions(tx));
  boost::json::array list;
  for (const auto& earlier : transitions) list.push_back(key_transition_json(earlier));
  list.push_back(key_transition_json(t));
  BAOMI_TRY(storage::put_meta(tx, kKeyTransitionsMeta, to_bytes(boost::json::serialize(list))));
  BAOMI_TRY(checkpoint(tx, now));
  return t;
}

Result<void> AuditLog::refresh_signing_key(barrier::ReadTx& tx) const {
  return refresh_signing_key(barrier::EngineAccess::engine(tx));
}

Result<std::vector<KeyTransition>> stored_key_transitions(storage::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto stored, storage::get_meta(tx, AuditLog::kKeyTransitionsMeta));
  std::vector<KeyTransition> out;
  if (!stored) return out;
  boost::system::error_code ec;
  auto value = boost::json::parse(to_string(*stored), ec);
  if (ec || !value.is_array())
    return Error::integrity("the stored list of key transitions is damaged");
  for (const auto& item : value.get_array()) {
    auto t = item.is_object() ? parse_key_transition_json(item.get_object()) : std::nullopt;
    if (!t) return Error::integrity("the stored list of key transitions is damaged");
    out.push_back(std::move(*t));
  }
  return out;
}

Result<std::vector<KeyTransition>> stored_key_transitions(barrier::ReadTx& tx) {
  return stored_key_transitions(barrier::EngineAccess::engine(tx));
}

}  // namespace baomi::audit
