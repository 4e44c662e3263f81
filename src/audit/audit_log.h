// AuditLog: the single point of recording. Every entry is appended inside the same storage
// transaction as the effect it records, so both commit or neither does (fail closed: DESIGN.md).
// Entries are hash-chained (audit/chain.h) and a signed checkpoint of the head is written every
// `checkpoint_every` entries and on demand (the server calls checkpoint() on a timer).
// Content and personal data never enter an entry: callers pass ids and keyed hashes only.
// Thread-safety: safe for concurrent use; appends are serialised by the store's single writer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "audit/trail_tables.h"
#include "audit/tree_head.h"
#include "audit/verify.h"
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
  AuditLog(crypto::SigningKey signing_key, std::string policy_version, AuditOptions options = {});

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
  Bytes public_key() const { return signing_key_.public_key(); }

 private:
  Result<std::uint64_t> append_entry(storage::WriteTx& tx, const AuditEvent& event,
                                     TimePoint now) const;

  crypto::SigningKey signing_key_;
  std::string policy_version_;
  AuditOptions options_;
  const AuditObserver* observer_ = nullptr;
  mutable Histogram record_latency_;
};

// Verifies the whole stored chain and every checkpoint against `public_key` (offline-capable:
// needs only the store and the public key), then the record ledger against the chain and the
// stored records of `record_tables` against the ledger (I1, rollback detection).
Result<VerifyReport> verify_store(storage::ReadTx& tx, const Bytes& public_key,
                                  const std::vector<const storage::Table*>& record_tables = {});
Result<VerifyReport> verify_store(barrier::ReadTx& tx, const Bytes& public_key,
                                  const std::vector<const storage::Table*>& record_tables = {});

// Converts between storage rows and chain entries (same fields, different layers).
AuditEntry to_entry(const audit::AuditRow& row);
audit::AuditRow to_row(const AuditEntry& entry);

}  // namespace baomi::audit
