// SlipStore: how slips are kept (storage/handover_rows.h). The clear skeleton holds only what
// lists and access checks need; content, confirmations and hold reasons are sealed under the
// slip's own data key ("handover:<id>"), and every row carries a MAC over all its columns so a
// database editor can neither read a slip nor move it to another author, state or copy.
// Purging destroys the data key and the sealed bytes (crypto-shredding, H3).
// Thread-safety: stateless apart from the Runtime; use inside a Tx's job.
#pragma once

#include "auth/runtime.h"
#include "services/handovers/slip.h"
#include "storage/store.h"

namespace baomi::services {

class SlipStore {
 public:
  explicit SlipStore(const auth::Runtime& rt) : rt_(rt) {}

  // A new slip with its first version and one copy per department, all under a new data key.
  Result<void> insert(storage::WriteTx& tx, Slip& slip, const SlipContent& content,
                      const std::string& hash, const std::vector<std::string>& departments) const;
  // A new version (I1) and its copies, then the slip row (current_version must be raised).
  Result<void> add_version(storage::WriteTx& tx, Slip& slip, const SlipContent& content,
                           const std::string& hash,
                           const std::vector<std::string>& departments) const;
  // Stores the changed slip row over the revision it was read at.
  Result<void> update(storage::WriteTx& tx, Slip& slip) const;
  // Records the copy's acknowledgement (copy.acknowledged_by/at set); the hash never changes.
  Result<void> acknowledge(storage::WriteTx& tx, const std::string& slip_id,
                           const SlipCopy& copy) const;
  // H3: shreds the data key and every sealed byte; the slip row becomes a `purged` tombstone.
  Result<void> purge(storage::WriteTx& tx, Slip& slip, TimePoint now) const;

  // kIntegrity when a row was altered; nullopt when absent.
  Result<std::optional<Slip>> get(storage::ReadTx& tx, const std::string& id) const;
  // The clear skeleton of listed slips (no decryption: progress stays empty).
  Result<std::vector<Slip>> list(storage::ReadTx& tx, const storage::HandoverQuery& q) const;
  // Versions with their content opened when `open_content` (and not purged).
  Result<std::vector<SlipVersion>> versions(storage::ReadTx& tx, const Slip& slip,
                                            bool open_content) const;
  Result<std::vector<SlipCopy>> copies(storage::ReadTx& tx, const std::string& id) const;

 private:
  Result<crypto::SecretKey> key_of(const storage::HandoverRow& row) const;
  Result<storage::HandoverRow> seal_slip(const Slip& slip, Bytes wrapped_key,
                                         const crypto::SecretKey* key) const;
  Result<Slip> open_slip(const storage::HandoverRow& row, bool open_progress) const;
  Result<void> insert_version(storage::WriteTx& tx, const crypto::SecretKey& key,
                              const SlipContent& content, const std::string& hash,
                              const std::vector<std::string>& departments) const;
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
