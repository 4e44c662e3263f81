#include "barrier/master_reseal.h"

#include <optional>

#include "barrier/engine_tables.h"
#include "barrier/keyring.h"
#include "crypto/compare.h"
#include "storage/meta.h"

namespace baomi::barrier {
namespace {

Result<Keyring> open_stored(storage::ReadTx& tx, const crypto::SecretKey& master) {
  BAOMI_ASSIGN_OR_RETURN(auto rows, list_keks(tx));
  std::vector<KekRecord> keks;
  keks.reserve(rows.size());
  for (auto& row : rows) keks.push_back({row.version, std::move(row.sealed)});
  BAOMI_ASSIGN_OR_RETURN(auto root, storage::get_meta(tx, kPurposeRootMeta));
  return Keyring::open(master.clone(), keks, root);
}

// The purpose keys after the reseal must be the very keys before it: a different key would
// leave every stored MAC and blind index unverifiable.
bool same_purpose_keys(const Keyring& a, const Keyring& b) {
  return a.blind_index_key().equals(b.blind_index_key()) &&
         a.audit_hash_key().equals(b.audit_hash_key()) &&
         a.token_hash_key().equals(b.token_hash_key()) && a.row_mac_key().equals(b.row_mac_key());
}

}  // namespace

Result<ResealedKeys> reseal_stored_keys(storage::WriteTx& tx, const crypto::SecretKey& old_master,
                                        const crypto::SecretKey& new_master,
                                        const std::vector<std::string>& signing_key_metas) {
  if (old_master.equals(new_master)) {
    return Error::invalid("master_key", "the new master key is the old one");
  }
  BAOMI_ASSIGN_OR_RETURN(const Keyring before, open_stored(tx, old_master));
  ResealedKeys done;
  for (const KekRecord& record : before.keks_sealed_under(new_master)) {
    BAOMI_TRY(
        tx.update_row(kek_table(), {std::int64_t{record.version}, record.sealed}, std::nullopt));
    ++done.keks;
  }
  // An instance from before the root was stored has the old master key as its root: it is
  // stored now, sealed under the new key, so the purpose keys stay those of the old key.
  BAOMI_TRY(storage::put_meta(tx, kPurposeRootMeta, before.purpose_root_sealed_under(new_master)));
  for (const std::string& meta : signing_key_metas) {
    BAOMI_ASSIGN_OR_RETURN(auto sealed, storage::get_meta(tx, meta));
    if (!sealed || sealed->empty()) continue;
    BAOMI_ASSIGN_OR_RETURN(auto resealed, before.reseal_signing_key(*sealed, new_master));
    BAOMI_TRY(storage::put_meta(tx, meta, resealed));
    ++done.signing_keys;
  }
  BAOMI_ASSIGN_OR_RETURN(const Keyring after, open_stored(tx, new_master));
  if (!same_purpose_keys(before, after) || after.versions() != before.versions()) {
    return Error::internal("the resealed keys do not give the same key ring");
  }
  return done;
}

}  // namespace baomi::barrier
