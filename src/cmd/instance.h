// Instance: the files of one Baomi instance and everything opened from them.
//   DATA/baomi.db         the database (opaque sealed bytes + clear query columns), unless
//                         --database names a PostgreSQL URL (storage/engine.h)
//   DATA/policy.yaml      the policy in force (copied at init; --policy overrides)
//   DATA/baomi.lock       held by every process that has the instance open (instance_lock.h)
//   DATA/baomi.db.moved   after `baomi migrate`: the PostgreSQL database the instance moved to;
//   DATA/baomi.db.migrated  the SQLite file it left behind (a backup, never served again)
//   KEYDIR/master.key     32-byte master key (0600); absent when the instance is sealed by
//                         key shares: then KEYDIR/seal.json and audit-signing.key.sealed
//                         instead (seal_files.h)
//   KEYDIR/audit-signing.key  Ed25519 seed for audit checkpoints (0600)
//   KEYDIR/audit.pub      the public half, hex, for auditors
//   KEYDIR/tls.crt, tls.key   the HTTPS certificate and key (0600)
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "audit/audit_log.h"
#include "auth/runtime.h"
#include "barrier/barrier.h"
#include "cmd/instance_lock.h"
#include "crypto/secret_key.h"
#include "crypto/sign.h"
#include "policy/policy.h"
#include "services/watch/probing_watch.h"
#include "services/watch/read_watch.h"
#include "storage/store.h"

namespace baomi::cmd {

struct InstancePaths {
  std::filesystem::path data;
  std::filesystem::path keys;
  std::string database_url;  // --database: a postgresql:// URL, or empty for the SQLite file

  std::filesystem::path database() const { return data / "baomi.db"; }
  bool on_postgres() const { return !database_url.empty(); }
  // What storage::open_store takes: the URL, or the SQLite file.
  std::string database_target() const { return on_postgres() ? database_url : database().string(); }
  std::filesystem::path moved_marker() const { return data / "baomi.db.moved"; }
  std::filesystem::path migrated_database() const { return data / "baomi.db.migrated"; }
  std::filesystem::path policy() const { return data / "policy.yaml"; }
  std::filesystem::path master_key() const { return keys / "master.key"; }
  std::filesystem::path signing_key() const { return keys / "audit-signing.key"; }
  std::filesystem::path seal_config() const { return keys / "seal.json"; }
  std::filesystem::path sealed_signing_key() const { return keys / "audit-signing.key.sealed"; }
  // Sealed by key shares (init --key-shares): every start needs K shares (POST /sys/unseal).
  bool sealed_by_shares() const { return std::filesystem::exists(seal_config()); }
  std::filesystem::path audit_pub() const { return keys / "audit.pub"; }
  std::filesystem::path tls_cert() const { return keys / "tls.crt"; }
  std::filesystem::path tls_key() const { return keys / "tls.key"; }
};

// Refuses a --database value that is neither empty nor a postgresql:// URL.
Result<InstancePaths> paths_of(const std::string& data, const std::string& keys,
                               const std::string& database = {});

// The opened instance. Members are declared in dependency order (destroyed in reverse).
struct Instance {
  std::optional<InstanceLock> lock;  // shared: no migration while the instance is open
  InstancePaths paths;
  std::unique_ptr<policy::Policy> policy;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<barrier::Barrier> barrier;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<auth::Runtime> runtime;
  // S9: counts refusals, and C4, S6, S7: reads and copy requests, as the trail records them
  // (both, as `watches`, the audit log's observer).
  std::unique_ptr<services::ProbingWatch> probing_watch;
  std::unique_ptr<services::ReadWatch> read_watch;
  std::unique_ptr<services::Watches> watches;
};

// Opens an existing instance: checks private key file modes, loads the policy, opens the store,
// unseals the key ring (failing if the master key does not match) and the audit signing key.
// Errors are one-line reasons for the operator.
// `take_lock` false only for `baomi migrate`, which holds DATA/baomi.lock exclusive itself.
// `master`: the master key rebuilt from key shares (an instance sealed by shares has no key
// file); null reads KEYDIR/master.key.
Result<std::unique_ptr<Instance>> open_instance(
    const InstancePaths& paths, const std::optional<std::filesystem::path>& policy_file,
    bool take_lock = true, const crypto::SecretKey* master = nullptr);

// Refuses the SQLite file of an instance that `baomi migrate` moved, or is moving, to
// PostgreSQL, naming the database to serve instead: one instance is never served by two
// engines (split brain). Nothing to refuse with --database or without DATA/baomi.db.moved.
Result<void> refuse_moved_instance(const InstancePaths& paths);
// The database named in DATA/baomi.db.moved ("" when there is none).
std::string moved_to(const InstancePaths& paths);

// Refuses a private key file that group or others may read (or that is missing).
Result<void> check_private_key_file(const std::filesystem::path& file);
Result<Bytes> read_file(const std::filesystem::path& file, std::size_t max_size);
// An exported audit.pub: hex of a 32-byte Ed25519 public key, trailing whitespace allowed.
Result<Bytes> read_public_key_file(const std::filesystem::path& file);
// Creates `file` with mode 0600 (O_EXCL: never overwrites) and writes `data`, fsynced.
Result<void> write_private_file(const std::filesystem::path& file, const Bytes& data);
Result<void> write_public_file(const std::filesystem::path& file, std::string_view text);

// The policy file a directory holds: DIR/default.yaml, else its only *.yaml file.
Result<std::filesystem::path> policy_file_in(const std::filesystem::path& dir);
// The built-in default policy (policies/default.yaml at build time).
std::string_view builtin_default_policy();

}  // namespace baomi::cmd
