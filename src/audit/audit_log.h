// AuditLog: the single point of recording. Every entry is appended inside the same storage
// transaction as the effect it records, so both commit or neither does (fail closed: DESIGN.md).
// Entries are hash-chained (audit/chain.h) and a signed checkpoint of the head is written every
// `checkpoint_every` entries and on demand (the server calls checkpoint() on a timer).
// Content and personal data never enter an entry: callers pass ids and keyed hashes only.
// Thread-safety: safe for concurrent use; appends are serialised by the store's single writer.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "audit/key_transition.h"
#include "audit/trail_tables.h"
#include "audit/tree_head.h"
#include "audit/verify.h"
#include "barrier/barrier.h"
#include "barrier/transaction.h"
#include "core/histogram.h"
#include "core/result.h"
#include "core/time.h"
#include "crypto/sign.h"
#include "storage/store.h"

namespace baomi::audit {

struct AuditEvent {
  std::string actor;     // account id, "-" when anonymous, "system"
  std::string action;    // e.g. "document.read_content"
  std::string target;    // e.g. "document:<id>"
  std::string decision;  // "allow" | "deny" | "error"
  std::string rule;      // RULES.md id behind the decision, or ""
  std::string detail;    // small JSON object, no secrets; "{}" when empty
};

struct AuditOptions {
  std::uint64_t checkpoint_every = 1000;
};

// Watches the trail as it is written (S9: repeated probing raises an alert). It sees each event
// inside its write job before the entry is appended, so what it stores is committed to by that
// entry and shares its fate (a restart or a second instance neither forgets nor doubles it).
// It returns events to append right after that entry (e.g. "alert.raise"); those are not
// observed again. Implementations must be cheap for the events they ignore.
class AuditObserver {
 public:
  virtual ~AuditObserver() = default;
  // The observed event's entry gets AuditLog::next_seq(tx) as it stands during this call.
  virtual Result<std::vector<AuditEvent>> observe(barrier::WriteTx& tx, const AuditEvent& event,
                                                  TimePoint now) const = 0;
};

class AuditLog {
 public:
  // The meta entry holding the signing key in force after a rotation, sealed under the master
  // key (barrier::Keyring::seal_signing_key). Absent: the instance's first key signs.
  static constexpr const char* kSigningKeyMeta = "audit_signing_key";
  // Every key transition so far, as a JSON array of key_transition_json records: a copy of what
  // the trail's transition entries say, for bundles and the key list (a verifier checks each
  // one's signatures and never needs to trust this copy).
  static constexpr const char* kKeyTransitionsMeta = "audit_key_transitions";

  // `signing_key`: the instance's first audit key (KEYDIR/audit-signing.key, the auditors'
  // audit.pub): the trust anchor of the chain of keys, and the signer until a rotation.
  AuditLog(crypto::SigningKey signing_key, std::string policy_version, AuditOptions options = {});

  // Opens a rotated signing key stored in the meta table; set once, before concurrent use.
  // Without one, a trail whose key was rotated cannot be checkpointed (fails closed).
  void set_key_vault(const barrier::Barrier* vault) { vault_ = vault; }
  // Loads the signing key in force from `tx` (the one another instance rotated to, too).
  Result<void> refresh_signing_key(storage::ReadTx& tx) const;
  Result<void> refresh_signing_key(barrier::ReadTx& tx) const;
  // I1: a new signing key, in the caller's write job: the old key signs the hand-over
  // (key_transition.h) in an entry of its own (`actor`, decided by `rule`), the new key is
  // stored sealed and signs a checkpoint of that entry at once. Used from then on here, and by
  // every instance that checkpoints on this database.
  Result<KeyTransition> rotate_signing_key(barrier::WriteTx& tx, std::string_view actor,
                                           std::string_view rule, TimePoint now) const;
  Result<KeyTransition> rotate_signing_key(storage::WriteTx& tx, std::string_view actor,
                                           std::string_view rule, TimePoint now) const;

  // Appends `event` in the caller's write transaction; returns its sequence number.
  Result<std::uint64_t> append(barrier::WriteTx& tx, const AuditEvent& event, TimePoint now) const;
  Result<std::uint64_t> append(storage::WriteTx& tx, const AuditEvent& event, TimePoint now) const;
  // Set once, before the log is used from several threads; nullptr removes it.
  void set_observer(const AuditObserver* observer) { observer_ = observer; }
  // The seq the next append in this transaction will get: for a record that names its own
  // entry and must be written before it (the entry commits to the job's record writes).
  Result<std::uint64_t> next_seq(barrier::WriteTx& tx) const;
  Result<std::uint64_t> next_seq(storage::WriteTx& tx) const;
  // Appends `event` as a write job of its own and waits until it is durable (reads, refusals).
  Result<void> record(const barrier::SealedStore& store, const AuditEvent& event,
                      TimePoint now) const;
  // Signs a checkpoint of the current head unless the head already has one.
  Result<void> checkpoint(barrier::WriteTx& tx, TimePoint now) const;
  Result<void> checkpoint(storage::WriteTx& tx, TimePoint now) const;

  // Hex Ed25519 signature, with the checkpoint key, over "baomi-statement\n" + domain + "\n" +
  // message: explicit evidence beside an entry (e.g. an H3 tombstone), verifiable with the
  // exported public key. The domain keeps statements apart from checkpoints.
  std::string sign_statement(std::string_view domain, std::string_view message) const;
  // Hex Ed25519 signature over bundle_message(manifest, th) (evidence_bundle.h): S10 evidence
  // that this server vouches for the manifest together with that tree head.
  std::string sign_bundle(std::span<const std::uint8_t> manifest, const TreeHead& th) const;

  const std::string& policy_version() const { return policy_version_; }
  // Seconds from handing an entry of its own to the writer (record()) until it is durable: what
  // every audited read waits before it may answer (for /metrics).
  const Histogram& record_latency() const { return record_latency_; }
  // The key that signs now (after any rotation), and the first key: the trust anchor a
  // verifier starts the chain of keys from.
  Bytes public_key() const;
  Bytes first_public_key() const { return first_key_->public_key(); }

 private:
  Result<std::uint64_t> append_entry(storage::WriteTx& tx, const AuditEvent& event,
                                     TimePoint now) const;

  using KeyPtr = std::shared_ptr<const crypto::SigningKey>;
  // The key that signs checkpoints in `tx`: the stored rotated key, else the first key.
  Result<KeyPtr> key_for(storage::ReadTx& tx) const;
  KeyPtr current_key() const;

  KeyPtr first_key_;
  const barrier::Barrier* vault_ = nullptr;
  mutable std::mutex key_mu_;  // guards the two below
  mutable KeyPtr current_key_;
  mutable Bytes current_sealed_;  // the meta value current_key_ was opened from; empty: first key
  std::string policy_version_;
  AuditOptions options_;
  const AuditObserver* observer_ = nullptr;
  mutable Histogram record_latency_;
};

// How verify_store spreads its work (audit/verify_store.cc). The verdict is the same either way.
struct VerifyStoreOptions {
  // Entries handed from the reading thread to the checking thread at a time; at most three
  // batches are held at once (memory stays bounded on a trail of any length).
  std::size_t batch_entries = 4096;
  // Check the chain on a second thread while this one reads the store (and the record ledger);
  // false: read and check in turn on this thread.
  bool checking_thread = true;
};

// Verifies the whole stored chain and every checkpoint against `public_key` (offline-capable:
// needs only the store and the public key), then the record ledger against the chain and the
// stored records of `record_tables` against the ledger (I1, rollback detection). Only the
// calling thread uses `tx`; the chain is checked on a second thread (VerifyStoreOptions).
Result<VerifyReport> verify_store(storage::ReadTx& tx, const Bytes& public_key,
                                  const std::vector<const storage::Table*>& record_tables = {},
                                  const VerifyStoreOptions& options = {});
Result<VerifyReport> verify_store(barrier::ReadTx& tx, const Bytes& public_key,
                                  const std::vector<const storage::Table*>& record_tables = {},
                                  const VerifyStoreOptions& options = {});

// The key transitions recorded so far, oldest first (AuditLog::kKeyTransitionsMeta).
Result<std::vector<KeyTransition>> stored_key_transitions(storage::ReadTx& tx);
Result<std::vector<KeyTransition>> stored_key_transitions(barrier::ReadTx& tx);

// Converts between storage rows and chain entries (same fields, different layers).
AuditEntry to_entry(const audit::AuditRow& row);
audit::AuditRow to_row(const AuditEntry& entry);

}  // namespace baomi::audit
