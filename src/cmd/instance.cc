#include "cmd/instance.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "audit/record_baseline.h"
#include "audit/tree_store.h"
#include "barrier/engine_tables.h"
#include "barrier/kek_store.h"
#include "cmd/seal_files.h"
#include "cmd/test_hooks.h"
#include "policy/loader.h"
#include "services/record_tables.h"
#include "storage/engine.h"
#include "storage/meta.h"

namespace baomi::cmd {

Result<InstancePaths> paths_of(const std::string& data, const std::string& keys,
                               const std::string& database) {
  if (!database.empty() && !storage::is_postgres_url(database)) {
    return Error::invalid("database",
                          "--database takes a postgresql:// URL (the SQLite file is "
                          "always DATA/baomi.db)");
  }
  InstancePaths p;
  p.data = data;
  p.keys = keys.empty() ? p.data / "keys" : std::filesystem::path(keys);
  p.database_url = database;
  return p;
}

Result<void> check_private_key_file(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    return Error::invalid("missing_key", "private key file " + file.string() + " is missing");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Error::invalid("key_permissions", "private key file " + file.string() +
                                                 " is readable by group or others (mode " + mode +
                                                 "); run: chmod 600 " + file.string());
  }
  return {};
}

Result<Bytes> read_file(const std::filesystem::path& file, std::size_t max_size) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error::invalid("missing_file", "cannot read " + file.string());
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() > max_size)
    return Error::invalid("file_too_large", file.string() + " is too large");
  return data;
}

Result<void> write_private_file(const std::filesystem::path& file, const Bytes& data) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error::invalid("write_failed", "cannot create " + file.string());
  const bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error::invalid("write_failed", "cannot write " + file.string());
  return {};
}

Result<void> write_public_file(const std::filesystem::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) return Error::invalid("write_failed", "cannot write " + file.string());
  std::filesystem::permissions(file, std::filesystem::perms(0644));
  return {};
}

Result<std::filesystem::path> policy_file_in(const std::filesystem::path& dir) {
  if (std::filesystem::is_regular_file(dir)) return dir;
  if (std::filesystem::exists(dir / "default.yaml")) return dir / "default.yaml";
  std::optional<std::filesystem::path> only;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".yaml") continue;
    if (only) return Error::invalid("policy", dir.string() + ": several policy files; name one");
    only = entry.path();
  }
  if (!only) return Error::invalid("policy", dir.string() + ": no policy file (*.yaml) found");
  return *only;
}

std::string moved_to(const InstancePaths& paths) {
  std::ifstream in(paths.moved_marker());
  std::string database;
  if (in) std::getline(in, database);
  return database;
}

Result<void> refuse_moved_instance(const InstancePaths& paths) {
  if (paths.on_postgres() || !std::filesystem::exists(paths.moved_marker())) return {};
  const std::string to = moved_to(paths);
  if (std::filesystem::exists(paths.database())) {
    return Error::conflict("instance_moving",
                           "a migration of the instance at " + paths.data.string() + " to " + to +
                               " started and did not finish (" + paths.moved_marker().string() +
                               "): run baomi migrate again to finish it");
  }
  return Error::conflict("instance_moved",
                         "the instance at " + paths.data.string() + " was moved to " + to +
                             " by baomi migrate: serve it with --database "
                             "(the old SQLite file " +
                             paths.migrated_database().string() + " must not be served again)");
}

namespace {

struct InstanceKeys {
  crypto::SecretKey master;
  crypto::SigningKey signing;
};

Result<crypto::SecretKey> read_master_key(const InstancePaths& paths) {
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(paths.master_key(), 64));
  auto master = crypto::SecretKey::from_bytes(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return master;
}

// The master key given (rebuilt from shares) or read from its file, and the audit signing key
// (sealed under the master key when the instance is sealed by shares).
Result<InstanceKeys> load_keys(const InstancePaths& paths, const crypto::SecretKey* given) {
  if (given == nullptr && paths.sealed_by_shares()) {
    return Error::invalid("sealed_by_shares",
                          "the instance at " + paths.data.string() +
                              " keeps its master key in key shares (" +
                              paths.seal_config().string() +
                              "), not in a file: it opens only in a server unsealed with "
                              "`baomi operator unseal`");
  }
  if (given != nullptr && std::filesystem::exists(paths.sealed_signing_key())) {
    BAOMI_ASSIGN_OR_RETURN(auto signing,
                           read_sealed_signing_key(paths.sealed_signing_key(), *given));
    return InstanceKeys{given->clone(), std::move(signing)};
  }
  if (given == nullptr) BAOMI_TRY(check_private_key_file(paths.master_key()));
  BAOMI_TRY(check_private_key_file(paths.signing_key()));
  auto master =
      given != nullptr ? Result<crypto::SecretKey>(given->clone()) : read_master_key(paths);
  if (!master.ok()) return master.take_error();
  BAOMI_ASSIGN_OR_RETURN(auto seed, read_file(paths.signing_key(), 64));
  auto signing = crypto::SigningKey::from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (!signing.ok()) return signing.take_error();
  return InstanceKeys{std::move(master).value(), std::move(signing).value()};
}

// An instance from before the purpose root was stored derives its purpose keys from the master
// key: that key's bytes become the root, stored sealed once, so that a master key rotation can
// keep every row MAC, blind index and token hash (nothing changes for existing data). Another
// process may store it at the same moment: the first one written stays. A database that cannot
// be written (a standby) keeps working without it and is migrated by the primary.
Result<void> store_purpose_root(storage::Store& store, const barrier::Keyring& keyring) {
  auto stored = store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto existing, storage::get_meta(tx, barrier::kPurposeRootMeta));
    if (existing) return {};
    return storage::put_meta(tx, barrier::kPurposeRootMeta, keyring.seal_purpose_root());
  });
  if (!stored.ok()) {
    std::cerr << "baomi: the purpose root was not stored yet: " << stored.error().message << "\n";
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Instance>> open_instance(
    const InstancePaths& paths, const std::optional<std::filesystem::path>& policy_override,
    bool take_lock, const crypto::SecretKey* given_master) {
  BAOMI_TRY(refuse_moved_instance(paths));
  const bool has_keys = std::filesystem::exists(paths.master_key()) || paths.sealed_by_shares();
  if (!(paths.on_postgres() ? has_keys : std::filesystem::exists(paths.database()))) {
    return Error::not_found("no instance at " + paths.data.string() + " (run: baomi init)");
  }
  BAOMI_ASSIGN_OR_RETURN(auto keys, load_keys(paths, given_master));
  auto inst = std::make_unique<Instance>();
  // A PostgreSQL instance's directory may be read-only: it holds no database to protect.
  if (take_lock) {
    BAOMI_ASSIGN_OR_RETURN(
        inst->lock,
        InstanceLock::acquire(paths.data, InstanceLock::Mode::kShared, !paths.on_postgres()));
  }
  inst->paths = paths;
  std::filesystem::path policy_path = paths.policy();
  if (policy_override) {
    BAOMI_ASSIGN_OR_RETURN(policy_path, policy_file_in(*policy_override));
  }
  BAOMI_ASSIGN_OR_RETURN(auto policy, policy::load_policy(policy_path));
  inst->policy = std::make_unique<policy::Policy>(std::move(policy));
  BAOMI_ASSIGN_OR_RETURN(inst->store, storage::open_store(paths.database_target(), false));
  BAOMI_TRY(inst->store->ensure_tables(services::declared_tables()));
  // I1, S10: a trail from before the Merkle tree gets its nodes now, once. A trail too damaged
  // to build a tree over still opens (the auditor must reach it to see why); appends that need
  // the missing nodes then fail closed.
  if (auto built = audit::ensure_tree(*inst->store); !built.ok()) {
    std::cerr << "baomi: audit Merkle tree not rebuilt: " << built.error().message << "\n";
  } else if (*built > 0) {
    std::cerr << "baomi: audit Merkle tree rebuilt (" << *built << " nodes)\n";
  }

  std::vector<barrier::KekRow> kek_rows;
  std::optional<Bytes> stored_pub;
  std::optional<Bytes> purpose_root;
  BAOMI_TRY(inst->store->read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(kek_rows, barrier::list_keks(tx));
    BAOMI_ASSIGN_OR_RETURN(stored_pub, storage::get_meta(tx, "audit_public_key"));
    BAOMI_ASSIGN_OR_RETURN(purpose_root, storage::get_meta(tx, barrier::kPurposeRootMeta));
    return {};
  }));
  std::vector<barrier::KekRecord> keks;
  for (const auto& k : kek_rows) keks.push_back({k.version, k.sealed});
  auto keyring = barrier::Keyring::open(std::move(keys.master), keks, purpose_root);
  if (keyring.ok() && !purpose_root) BAOMI_TRY(store_purpose_root(*inst->store, *keyring));
  if (!keyring.ok()) {
    return Error::invalid(
        "master_key_mismatch",
        given_master != nullptr
            ? std::string("the key shares rebuilt a master key that does not "
                          "match this instance")
            : "the master key in " + paths.master_key().string() + " does not match this instance");
  }
  inst->barrier = std::make_unique<barrier::Barrier>(std::move(keyring).value());
  // KEK rotation by another instance on this database: its KEK is learnt from the store when
  // first met (or at the next refresh), never by a restart.
  inst->barrier->set_kek_source(
      [store = inst->store.get()]() -> Result<std::vector<barrier::KekRecord>> {
        std::vector<barrier::KekRecord> stored;
        BAOMI_TRY(store->read([&](storage::ReadTx& tx) -> Result<void> {
          BAOMI_ASSIGN_OR_RETURN(stored, barrier::stored_keks(tx));
          return {};
        }));
        return stored;
      });

  if (!stored_pub || *stored_pub != keys.signing.public_key()) {
    return Error::invalid(
        "signing_key_mismatch",
        "the audit signing key in " + paths.keys.string() + " does not match this instance");
  }
  inst->audit = std::make_unique<audit::AuditLog>(std::move(keys.signing), inst->policy->version());
  // I1: after a rotation the key in force is stored sealed under the master key; the key file
  // stays the first key, the trust anchor its audit.pub names.
  inst->audit->set_key_vault(inst->barrier.get());
  BAOMI_TRY(inst->store->read(
      [&](storage::ReadTx& tx) -> Result<void> { return inst->audit->refresh_signing_key(tx); }));
  // I1: rows from before the record ledger get their recorded write now, once per table.
  BAOMI_ASSIGN_OR_RETURN(
      auto baseline,
      audit::baseline_records(*inst->store, *inst->audit, services::record_tables(), now_utc()));
  if (baseline.rows > 0) {
    std::cerr << "baomi: record ledger baseline: " << baseline.rows << " rows recorded\n";
  }
  inst->runtime = std::unique_ptr<auth::Runtime>(
      new auth::Runtime{*inst->store, *inst->barrier, *inst->policy, *inst->audit, now_utc});
  inst->runtime->password_cost = test_hooks::password_cost();
  inst->probing_watch = std::make_unique<services::ProbingWatch>(*inst->runtime);
  inst->read_watch = std::make_unique<services::ReadWatch>(*inst->runtime);
  inst->watches = std::make_unique<services::Watches>(*inst->probing_watch, *inst->read_watch);
  inst->audit->set_observer(inst->watches.get());
  return inst;
}

}  // namespace baomi::cmd
