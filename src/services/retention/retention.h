// Retention: legal holds on documents and their destruction by crypto-shredding (S5, H3, A1).
//  - A legal hold (security administrator or auditor, as the policy says; with a reason, kept
//    sealed) blocks destruction until it is lifted.
//  - A document, or one of its versions, whose retention floor has passed is destroyed by its
//    custodian (policy action destroy_document) under an approved `destroy` request of theirs
//    (approval routing: the security administrator by default; never the custodian, A1). Its
//    data keys are erased (a version's content key; for the whole document its own key too,
//    with the sealed title and description), so its ciphertext can never be decrypted again;
//    the ciphertext itself may stay until it is compacted away. What remains is a tombstone
//    signed with the audit key (who, when, under which approval, the plaintext digests) and
//    the audit trail. The answer lists the copies still out, for recall (S5, S8).
// Every change and every refusal is audited in the transaction of its effect (fail closed).
// Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/copies/copy.h"
#include "services/documents/documents.h"
#include "services/requests/requests.h"

namespace baomi::services {

inline constexpr std::string_view kTombstoneKind = "tombstone";

struct DestroySpec {
  std::optional<std::uint64_t> version;   // one version; none: the whole document
  std::optional<std::string> request_id;  // none: the caller's approved destroy request for it
};

struct DestroyedVersion {
  std::uint64_t version = 0;
  std::string sha256;  // plaintext digest, as the tombstone records it ("" if never committed)
};

// What a destruction leaves: the signed tombstone. `statement` is what was signed, with the
// audit key, as "baomi-statement\ndocument-tombstone\n" + statement (hex Ed25519 signature).
struct Tombstone {
  std::string id;
  std::string document_id;
  std::uint64_t version = 0;  // 0: the whole document
  TimePoint destroyed_at;
  std::string destroyed_by;
  std::string request_id;
  std::vector<std::string> approved_by;
  std::vector<DestroyedVersion> versions;
  std::string statement;
  std::string signature;
};

struct DestructionReceipt {
  Tombstone tombstone;
  std::vector<Copy> recall;  // copies still issued (or reported lost) of what was destroyed
};

struct HoldState {
  std::string document_id;
  bool hold = false;
  std::string by;
  TimePoint at;
};

class Retention {
 public:
  Retention(const auth::Runtime& rt, const Documents& documents, const Requests& requests)
      : rt_(rt), documents_(documents), requests_(requests), records_(rt), objects_(rt) {}

  Result<HoldState> hold(const auth::User& actor, const std::string& id,
                         const std::string& reason) const;
  Result<HoldState> release(const auth::User& actor, const std::string& id,
                            const std::string& reason) const;
  Result<DestructionReceipt> destroy(const auth::User& actor, const std::string& id,
                                     const DestroySpec& spec) const;
  // The document's tombstones, oldest first: for whoever may see its metadata.
  Result<std::vector<Tombstone>> tombstones(const auth::User& actor, const std::string& id) const;

 private:
  Result<HoldState> set_hold(const auth::User& actor, const std::string& id,
                             const std::string& reason, bool placed) const;
  Result<Request> approved_request(const auth::User& actor, const Document& doc,
                                   const DestroySpec& spec, TimePoint now) const;
  Result<Tombstone> shred(barrier::WriteTx& tx, const auth::User& actor, const std::string& id,
                          std::uint64_t version, const Request& request, TimePoint now) const;
  Result<std::vector<Copy>> copies_to_recall(const std::string& id, std::uint64_t version) const;
  // Audits a refusal (S9) and returns it (or the audit failure: fail closed).
  Error refuse(const auth::User& actor, std::string_view action, const std::string& id,
               Error error) const;

  const auth::Runtime& rt_;
  const Documents& documents_;
  const Requests& requests_;
  DocumentRepository records_;
  SealedObjects objects_;
};

}  // namespace baomi::services
