// Grants: the need-to-know that approved access requests give (S6). Documents asks usable()
// when a reader lacks a category and spends one use per read in the read's own transaction;
// the custodian or the security administrator revokes a grant at once; a reported loss
// suspends the holder's grants on that document (S8). Every change is audited.
// Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <vector>

#include "auth/user.h"
#include "services/grants/grant.h"

namespace baomi::services {

struct GrantTerms {
  std::string request_id;
  std::string document_id;
  std::string holder_id;
  int days = 1;
  std::optional<int> uses;
};

class Grants {
 public:
  explicit Grants(const auth::Runtime& rt) : rt_(rt), objects_(rt) {}

  // Inside the approving transaction: a new active grant.
  Result<Grant> create(barrier::WriteTx& tx, const GrantTerms& terms, TimePoint now) const;
  // The grant that supplies `holder` need-to-know on `document_id` at `now`, if any.
  Result<std::optional<Grant>> usable(barrier::ReadTx& tx, const std::string& holder_id,
                                      const std::string& document_id, TimePoint now) const;
  // Spends one use of a grant with limited uses (inside the reading transaction).
  Result<void> spend(barrier::WriteTx& tx, const std::string& grant_id, TimePoint now) const;
  // S8: suspends every active grant of `holder_id` on `document_id`; returns how many.
  Result<int> suspend(barrier::WriteTx& tx, const std::string& holder_id,
                      const std::string& document_id, const std::string& actor_id,
                      TimePoint now) const;

  // Stores "expired" on active grants past their time (audited as "system"); returns how many.
  Result<int> expire_due(TimePoint now) const;

  // GET /grants: the caller's grants that are usable now.
  Result<std::vector<Grant>> usable_of(const auth::User& holder) const;
  // The document's custodian or secadmin ends a grant at once (audited; 409 when not active).
  Result<Grant> revoke(const auth::User& actor, const std::string& grant_id) const;

 private:
  const auth::Runtime& rt_;
  SealedObjects objects_;
};

}  // namespace baomi::services
