// SlipStore: how slips are kept, through the sealed-record layer (slip_records.h). The clear
// skeleton holds only what lists and access checks need; content, confirmations and hold
// reasons are sealed under the slip's own data key, every row is MACed and the record ledger
// refuses an older row put back (I1). Purging shreds the data key and every sealed byte (H3).
// Lists are generic scans of the declared tables, filtered here.
// Thread-safety: stateless apart from the Runtime; use inside a Tx's job.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "barrier/transaction.h"
#include "services/handovers/slip.h"

namespace baomi::services {

// Filters for listing slips; unset fields do not filter. Ordered by id, ids > after_id.
// `overdue_at` makes the state filter judge deadlines as of that time (H2): "overdue" also
// matches open slips past due_at, and "issued"/"acknowledged" only those not yet due.
struct SlipQuery {
  std::optional<std::string> state;
  std::optional<std::string> department;  // slips with a copy for it (current version)
  std::optional<bool> acknowledged;       // with `department`: that copy's acknowledgement
  std::optional<std::string> shift_date;
  std::optional<std::string> shift_name;
  std::optional<std::string> author_id;
  std::optional<std::string> carried_from;
  bool with_alert = false;   // only slips that raised an overdue alert
  bool lapsed_only = false;  // only slips stored as issued/acknowledged and past due (sweep)
  TimePoint overdue_at;
  std::string after_id;
  std::size_t limit = 100;
};

class SlipStore {
 public:
  explicit SlipStore(const auth::Runtime& rt) : rt_(rt) {}

  // A new slip with its first version and one copy per department, all under a new data key.
  Result<void> insert(barrier::WriteTx& tx, Slip& slip, const SlipContent& content,
                      const std::string& hash, const std::vector<std::string>& departments) const;
  // A new version (I1) and its copies, then the slip row (current_version must be raised).
  Result<void> add_version(barrier::WriteTx& tx, Slip& slip, const SlipContent& content,
                           const std::string& hash,
                           const std::vector<std::string>& departments) const;
  // Stores the changed slip row over the revision it was read at.
  Result<void> update(barrier::WriteTx& tx, Slip& slip) const;
  // Records the copy's acknowledgement (copy.acknowledged_by/at set) on the stored copy, which
  // must not be acknowledged yet (conflict); its content hash is never rewritten (H1).
  Result<void> acknowledge(barrier::WriteTx& tx, const std::string& slip_id,
                           const SlipCopy& copy) const;
  // H3: shreds the data key and every sealed byte; the slip row becomes a `purged` tombstone.
  Result<void> purge(barrier::WriteTx& tx, Slip& slip, TimePoint now) const;

  // kIntegrity when a row was altered or replayed; nullopt when absent.
  Result<std::optional<Slip>> get(barrier::ReadTx& tx, const std::string& id) const;
  // The clear skeleton of listed slips (no decryption: progress stays empty).
  Result<std::vector<Slip>> list(barrier::ReadTx& tx, const SlipQuery& q) const;
  // Versions with their content opened when `open_content` (and not purged).
  Result<std::vector<SlipVersion>> versions(barrier::ReadTx& tx, const Slip& slip,
                                            bool open_content) const;
  // Every copy of every version of the slip, ordered by version then department.
  Result<std::vector<SlipCopy>> copies(barrier::ReadTx& tx, const std::string& id) const;

 private:
  Result<void> insert_version(barrier::WriteTx& tx, const SlipContent& content,
                              const std::string& hash,
                              const std::vector<std::string>& departments) const;
  Result<std::vector<Slip>> scan_page(barrier::ReadTx& tx, const SlipQuery& q,
                                      const std::string& after) const;
  Result<bool> has_copy(barrier::ReadTx& tx, const Slip& slip, const SlipQuery& q) const;
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
