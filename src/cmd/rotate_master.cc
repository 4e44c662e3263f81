// `baomi keys rotate-master`: a new master key (docs/operations.md, "Rotating the master key"),
// for when a share holder leaves or the key may have been exposed. Offline: it holds
// DATA/baomi.lock exclusive, because a running server keeps the old master key and the KEKs
// opened under it in memory and would fail (closed) on the first KEK or audit key resealed under
// a key it does not have. The steps, each safe to crash after (master_rotation.h):
//   1. finish or roll back an interrupted rotation (no key needed);
//   2. rebuild the old master key (its file, or K current shares) and open the instance with it;
//   3. a fresh master key; the journal, then the new key files beside the old (.rotating), then
//      the new shares handed out as `init` does (files or printed, maybe encrypted to holders);
//   4. one transaction: the rotation in the trail (keys.rotate_master, a signed checkpoint),
//      every KEK, the purpose root and the rotated audit key resealed, the rotation's id stored;
//   5. the new key files replace the old ones (an old master key file is zeroed first), the
//      journal is removed.
#include <algorithm>
#include <iostream>

#include "audit/audit_log.h"
#include "audit/detail.h"
#include "barrier/engine_tables.h"
#include "barrier/master_reseal.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/master_rotation.h"
#include "cmd/seal_files.h"
#include "cmd/share_input.h"
#include "crypto/random.h"
#include "crypto/secure_buffer.h"
#include "storage/meta.h"

namespace baomi::cmd {
namespace {

// Where the new master key goes: the key file, or a new split of N shares, K of which unseal.
struct NewShape {
  std::optional<barrier::SealConfig> current;  // the current split; none: a key file
  int shares = 0;
  int threshold = 0;
};

Result<NewShape> new_shape(const RotateMasterOptions& o, const InstancePaths& p) {
  if (!p.sealed_by_shares()) {
    if (o.key_shares != 0 || o.key_threshold != 0 || !o.share_files.empty() ||
        !o.share_public_keys.empty() || !o.current_share_files.empty() ||
        !o.current_secret_keys.empty()) {
      return Error::invalid("key_shares",
                            "this instance keeps its master key in " + p.master_key().string() +
                                ": the new key goes there too. To seal it by key shares, run "
                                "baomi operator rekey first, then rotate");
    }
    return NewShape{};
  }
  BAOMI_ASSIGN_OR_RETURN(auto current, read_seal_config(p.seal_config()));
  NewShape shape{current, o.key_shares != 0 ? o.key_shares : current.shares,
                 o.key_threshold != 0 ? o.key_threshold : current.threshold};
  if (shape.threshold < 1 || shape.threshold > shape.shares || shape.shares > 255) {
    return Error::invalid("key_shares", "need 1 <= --key-threshold <= --key-shares <= 255");
  }
  if (!o.share_files.empty() && static_cast<int>(o.share_files.size()) != shape.shares) {
    return Error::invalid("share_file", "give one --share-file per new share (" +
                                            std::to_string(shape.shares) + "), or none");
  }
  for (const auto& f : o.share_files) {
    if (std::filesystem::exists(f)) {
      return Error::conflict("exists",
                             "the share file " + f + " already exists (never overwritten)");
    }
  }
  BAOMI_TRY(read_holder_keys(o.share_public_keys, shape.shares));
  return shape;
}

Result<crypto::SecretKey> current_master(const RotateMasterOptions& o, const InstancePaths& p,
                                         const NewShape& shape) {
  if (shape.current) {
    return master_from_shares({o.current_share_files, o.current_secret_keys}, *shape.current);
  }
  BAOMI_TRY(check_private_key_file(p.master_key()));
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(p.master_key(), 64));
  auto master = crypto::SecretKey::from_bytes(bytes);
  crypto::wipe(bytes);
  return master;
}

// Step 3's files: the new master key file, or the new split and the audit key sealed anew.
Result<void> write_new_key_files(const InstancePaths& p, const std::optional<barrier::Split>& split,
                                 const crypto::SecretKey& old_master,
                                 const crypto::SecretKey& new_master) {
  if (!split) {
    Bytes raw(new_master.data(), new_master.data() + crypto::SecretKey::kSize);
    auto written = write_private_file(rotating_file(p.master_key()), raw);
    crypto::wipe(raw);
    return written;
  }
  BAOMI_ASSIGN_OR_RETURN(auto signing, read_sealed_signing_key(p.sealed_signing_key(), old_master));
  BAOMI_TRY(write_sealed_signing_key(rotating_file(p.sealed_signing_key()), new_master, signing));
  return write_seal_config(rotating_file(p.seal_config()), split->config);
}

std::vector<std::string> absolute(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(std::filesystem::absolute(f).string());
  return out;
}

audit::Detail rotation_detail(const std::string& id, const NewShape& shape, std::size_t keks,
                              std::size_t signing_keys, bool encrypted_to_holders) {
  audit::Detail d;
  d.add("rotation", id).add("keks", keks).add("audit_signing_keys", signing_keys);
  if (!shape.current) return d.add("key_material", "key_file");
  return d.add("key_material", "key_shares")
      .add("shares", shape.shares)
      .add("threshold", shape.threshold)
      .add("previous_shares", shape.current->shares)
      .add("previous_threshold", shape.current->threshold)
      .add("shares_encrypted_to_holders", encrypted_to_holders);
}

// Step 4: the database switches masters in this one transaction. The trail's entry and its
// checkpoint come first: they are signed with the audit key as it opens before the reseal.
Result<barrier::ResealedKeys> commit_rotation(const Instance& inst,
                                              const crypto::SecretKey& old_master,
                                              const crypto::SecretKey& new_master,
                                              const std::string& id, const NewShape& shape,
                                              bool encrypted_to_holders) {
  barrier::ResealedKeys resealed;
  BAOMI_TRY(inst.store->write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto keks, barrier::list_keks(tx));
    BAOMI_ASSIGN_OR_RETURN(auto signing, storage::get_meta(tx, audit::AuditLog::kSigningKeyMeta));
    const std::size_t signing_keys = signing && !signing->empty() ? 1 : 0;
    const auto detail = rotation_detail(id, shape, keks.size(), signing_keys, encrypted_to_holders);
    // I1: the new master key comes into force with a record of it, or not at all.
    BAOMI_TRY(inst.audit->append(
        tx, {"-", "keys.rotate_master", "instance", "allow", "I1", detail.json()}, now_utc()));
    BAOMI_TRY(inst.audit->checkpoint(tx, now_utc()));
    BAOMI_ASSIGN_OR_RETURN(resealed,
                           barrier::reseal_stored_keys(tx, old_master, new_master,
                                                       {audit::AuditLog::kSigningKeyMeta}));
    if (resealed.keks != keks.size() || resealed.signing_keys != signing_keys) {
      return Error::internal("the resealed keys are not the keys the trail records");
    }
    return storage::put_meta(tx, kRotationMeta, to_bytes(id));
  }));
  return resealed;
}

void wipe_shares(std::optional<barrier::Split>& split) {
  if (!split) return;
  for (auto& text : split->share_texts) std::fill(text.begin(), text.end(), '\0');
}

// Step 3: the journal, the new key files beside the old ones, then the new shares. Handed out
// before the commit: once the database has switched, these shares are the only way in.
Result<void> prepare(const RotateMasterOptions& o, const InstancePaths& p,
                     std::optional<barrier::Split>& split, const std::vector<Bytes>& holder_keys,
                     const crypto::SecretKey& old_master, const crypto::SecretKey& new_master) {
  BAOMI_TRY(write_new_key_files(p, split, old_master, new_master));
  BAOMI_TRY(sync_rotating_files(p));
  rotation_crash_point("files");
  if (!split) return {};
  auto handed = hand_out_shares(*split, o.share_files, holder_keys);
  wipe_shares(split);
  return handed;
}

void report_rotated(const InstancePaths& p, const NewShape& shape,
                    const barrier::ResealedKeys& resealed) {
  std::cerr << "Master key rotated: " << resealed.keks << " KEK version(s)"
            << (resealed.signing_keys > 0 ? ", the rotated audit signing key" : "")
            << " and the purpose root were resealed under the new key; no data was re-encrypted. "
            << (shape.current
                    ? "The old key shares no longer open the instance; " +
                          std::to_string(shape.threshold) + " of " + std::to_string(shape.shares) +
                          " new shares do. Copy " + p.seal_config().string() + " and " +
                          p.sealed_signing_key().string() + " to every server of the instance.\n"
                    : "The old key file no longer opens the instance. Copy " +
                          p.master_key().string() +
                          " to every server of the instance and destroy every copy "
                          "of the old one.\n");
}

// A step after the journal failed (not crashed): the database says whether the rotation
// committed (an error may come after the commit), and it is finished or rolled back at once.
Result<void> after_failure(const RotateMasterOptions& o, const InstancePaths& p,
                           const NewShape& shape, Error error) {
  auto recovered = recover_rotation_locked(p);
  if (recovered.ok() && *recovered == RotationRecovery::kFinished) {
    std::cerr << "Master key rotated (" << error.message << " after the commit).\n";
    return {};
  }
  error.message =
      "the master key was not rotated (" + error.message +
      "); the old key material is still in force" +
      (shape.current && o.share_files.empty() ? " and any new shares printed above are void" : "");
  return error;
}

Result<void> rotate(const RotateMasterOptions& o, const InstancePaths& p) {
  BAOMI_ASSIGN_OR_RETURN(const auto shape, new_shape(o, p));
  BAOMI_ASSIGN_OR_RETURN(const auto old_master, current_master(o, p, shape));
  // The old key must open this instance before anything is written.
  BAOMI_ASSIGN_OR_RETURN(
      auto inst, open_instance(p, std::nullopt, false, shape.current ? &old_master : nullptr));
  const auto new_master = crypto::SecretKey::generate();
  std::optional<barrier::Split> split;
  if (shape.current) {
    BAOMI_ASSIGN_OR_RETURN(split,
                           barrier::split_master_key(new_master, shape.shares, shape.threshold));
  }
  BAOMI_ASSIGN_OR_RETURN(auto holder_keys, read_holder_keys(o.share_public_keys, shape.shares));
  const std::string id = to_hex(crypto::random_bytes(16));
  BAOMI_TRY(write_rotation_journal(p, {id, absolute(o.share_files)}));
  rotation_crash_point("journal");
  if (auto prepared = prepare(o, p, split, holder_keys, old_master, new_master); !prepared.ok()) {
    inst.reset();
    return after_failure(o, p, shape, prepared.error());
  }
  rotation_crash_point("shares");
  auto committed = commit_rotation(*inst, old_master, new_master, id, shape, !holder_keys.empty());
  inst.reset();
  if (!committed.ok()) return after_failure(o, p, shape, committed.error());
  rotation_crash_point("committed");
  BAOMI_TRY(switch_key_files(p));
  report_rotated(p, shape, *committed);
  return {};
}

Result<void> run(const RotateMasterOptions& o, const InstancePaths& p) {
  BAOMI_TRY(refuse_moved_instance(p));
  const bool has_keys = std::filesystem::exists(p.master_key()) || p.sealed_by_shares() ||
                        std::filesystem::exists(rotation_journal_file(p));
  if (!(p.on_postgres() ? has_keys : std::filesystem::exists(p.database()))) {
    return Error::not_found("no instance at " + p.data.string() + " (run: baomi init)");
  }
  // Offline: no server (nor any other command) has the instance open while its keys change.
  BAOMI_ASSIGN_OR_RETURN(
      auto lock, InstanceLock::acquire(p.data, InstanceLock::Mode::kExclusive, !p.on_postgres()));
  BAOMI_ASSIGN_OR_RETURN(const auto recovery, recover_rotation_locked(p));
  if (recovery == RotationRecovery::kFinished) {
    std::cerr << "An interrupted master key rotation had committed: it was finished, and the "
                 "new key material is in force. Nothing else was done.\n";
    return {};
  }
  if (recovery == RotationRecovery::kRolledBack) {
    std::cerr << "An interrupted master key rotation had not committed: it was rolled back (the "
                 "shares it handed out are void). Rotating now.\n";
  }
  return rotate(o, p);
}

}  // namespace

int run_rotate_master(const RotateMasterOptions& o) {
  auto paths = paths_of(o.data, o.keys, o.database);
  auto r = paths.ok() ? run(o, *paths) : Result<void>(paths.error());
  if (!r.ok()) {
    std::cerr << "baomi keys rotate-master: " << r.error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace baomi::cmd
