// `baomi init`: creates an instance (database, keys, certificate, policy, administrators).
#include <boost/json.hpp>
#include <iostream>

#include "auth/accounts.h"
#include "barrier/engine_tables.h"
#include "barrier/key_share.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/seal_files.h"
#include "crypto/random.h"
#include "http/server/tls.h"
#include "policy/loader.h"
#include "storage/engine.h"
#include "storage/meta.h"

namespace baomi::cmd {
namespace {

constexpr const char* kAdminRoles[] = {"sysadmin", "secadmin", "auditor"};

Result<std::map<std::string, std::string>> admin_passwords(const std::optional<std::string>& file) {
  std::map<std::string, std::string> out;
  if (!file) {
    for (const char* role : kAdminRoles) out[role] = crypto::random_token().substr(0, 24);
    return out;
  }
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(*file, 64 * 1024));
  boost::system::error_code ec;
  auto value = boost::json::parse(to_string(bytes), ec);
  if (ec || !value.is_object()) {
    return Error::invalid("admin_passwords", *file + ": must be a JSON object");
  }
  const auto& obj = value.as_object();
  for (const auto& [key, v] : obj) {
    bool known = false;
    for (const char* role : kAdminRoles) known = known || key == role;
    if (!known)
      return Error::invalid("admin_passwords", *file + ": unknown key '" + std::string(key) + "'");
  }
  for (const char* role : kAdminRoles) {
    auto it = obj.find(role);
    if (it == obj.end() || !it->value().is_string()) {
      return Error::invalid("admin_passwords", *file + ": '" + role + "' must be a string");
    }
    out[role] = std::string(it->value().as_string());
  }
  return out;
}

Result<std::string> policy_text(const std::optional<std::string>& dir) {
  if (!dir) return std::string(builtin_default_policy());
  BAOMI_ASSIGN_OR_RETURN(auto file, policy_file_in(*dir));
  BAOMI_TRY(policy::load_policy(file));  // validated before anything is created
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(file, 1 << 20));
  return to_string(bytes);
}

bool sealed_by_shares(const InitOptions& o) { return o.key_shares > 0; }

// Checked before anything is created.
Result<void> check_sharing(const InitOptions& o) {
  if (!sealed_by_shares(o)) {
    if (o.key_threshold != 0 || !o.share_files.empty() || !o.share_public_keys.empty()) {
      return Error::invalid("key_shares",
                            "--key-threshold, --share-file and --share-public-key need "
                            "--key-shares");
    }
    return {};
  }
  if (o.key_threshold < 1 || o.key_threshold > o.key_shares || o.key_shares > 255) {
    return Error::invalid("key_shares", "need 1 <= --key-threshold <= --key-shares <= 255");
  }
  if (!o.share_files.empty() && static_cast<int>(o.share_files.size()) != o.key_shares) {
    return Error::invalid("share_file", "give one --share-file per share (" +
                                            std::to_string(o.key_shares) +
                                            "), or none to print "
                                            "them");
  }
  BAOMI_TRY(read_holder_keys(o.share_public_keys, o.key_shares));
  for (const auto& f : o.share_files) {
    if (std::filesystem::exists(f)) {
      return Error::conflict("exists",
                             "the share file " + f + " already exists (never overwritten)");
    }
  }
  return {};
}

// The master key never touches the disk when the instance is sealed by shares: only the
// split's digests (seal.json) and the signing key sealed under it; the shares go to their
// holders (files or the terminal).
Result<void> store_master_key(const InstancePaths& p, const std::optional<barrier::Split>& split,
                              const crypto::SecretKey& master, const crypto::SigningKey& signing) {
  if (!split) {
    BAOMI_TRY(
        write_private_file(p.master_key(), Bytes(master.data(), master.data() + master.kSize)));
    return write_private_file(p.signing_key(), signing.seed());
  }
  BAOMI_TRY(write_sealed_signing_key(p.sealed_signing_key(), master, signing));
  return write_seal_config(p.seal_config(), split->config);
}

Result<void> create_keys(const InstancePaths& p, const InitOptions& o,
                         const std::optional<barrier::Split>& split,
                         const crypto::SecretKey& master, const crypto::SigningKey& signing) {
  std::error_code ec;
  std::filesystem::create_directories(p.keys, ec);
  std::filesystem::permissions(p.keys, std::filesystem::perms::owner_all, ec);
  BAOMI_TRY(store_master_key(p, split, master, signing));
  BAOMI_TRY(write_public_file(p.audit_pub(), to_hex(signing.public_key()) + "\n"));
  if (o.tls_cert && o.tls_key) {
    BAOMI_ASSIGN_OR_RETURN(auto key, read_file(*o.tls_key, 1 << 20));
    BAOMI_ASSIGN_OR_RETURN(auto cert, read_file(*o.tls_cert, 1 << 20));
    BAOMI_TRY(write_private_file(p.tls_key(), key));
    BAOMI_TRY(write_public_file(p.tls_cert(), to_string(cert)));
    return {};
  }
  return http::write_self_signed_cert(p.tls_cert(), p.tls_key());
}

Result<void> create_database(const InstancePaths& p, const crypto::SecretKey& master,
                             const crypto::SigningKey& signing) {
  auto kek = barrier::Keyring::new_kek(master, 1);
  BAOMI_ASSIGN_OR_RETURN(auto store, storage::open_store(p.database_target(), true));
  return store->write([&](storage::WriteTx& tx) -> Result<void> {
    // A PostgreSQL database outlives data directories: init never takes over an instance's.
    BAOMI_ASSIGN_OR_RETURN(auto existing, storage::get_meta(tx, "instance_id"));
    if (existing) {
      return Error::conflict("exists", "the database " +
                                           storage::describe_database(p.database_target()) +
                                           " already holds a Baomi instance (init never touches "
                                           "an existing instance)");
    }
    BAOMI_TRY(barrier::insert_kek(tx, {kek.version, kek.sealed}));
    BAOMI_TRY(storage::put_meta(tx, "instance_id", to_bytes(crypto::random_id())));
    BAOMI_TRY(storage::put_meta(tx, "audit_public_key", signing.public_key()));
    // The purpose keys' own root, sealed under the master key (a master key rotation reseals it).
    BAOMI_TRY(storage::put_meta(tx, barrier::kPurposeRootMeta,
                                barrier::Keyring::new_purpose_root(master)));
    return {};
  });
}

// Before anything is created: a PostgreSQL database that already holds an instance is refused
// (create_database checks again inside its transaction).
Result<void> refuse_existing_database(const InstancePaths& p) {
  if (!p.on_postgres()) return {};
  BAOMI_ASSIGN_OR_RETURN(auto store, storage::open_store(p.database_target(), true));
  std::optional<Bytes> existing;
  BAOMI_TRY(store->read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(existing, storage::get_meta(tx, "instance_id"));
    return {};
  }));
  if (!existing) return {};
  return Error::conflict("exists", "the database " +
                                       storage::describe_database(p.database_target()) +
                                       " already holds a Baomi instance (init never touches an "
                                       "existing instance)");
}

Result<void> create_admins(const InstancePaths& p, const std::map<std::string, std::string>& pw,
                           const crypto::SecretKey& master) {
  BAOMI_ASSIGN_OR_RETURN(auto inst, open_instance(p, std::nullopt, true, &master));
  auth::Accounts accounts(*inst->runtime);
  for (const char* role : kAdminRoles) {
    auth::NewUser nu{role, role, "administration", pw.at(role), {role}};
    BAOMI_TRY(accounts.bootstrap_user(nu, policy::Level::kPublic, 0));
  }
  return inst->store->write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(inst->audit->append(tx, {"system", "instance.init", "instance", "allow", "", "{}"},
                                  now_utc()));
    return inst->audit->checkpoint(tx, now_utc());
  });
}

Result<void> init(const InitOptions& o, const InstancePaths& p) {
  if (std::filesystem::exists(p.database()) || std::filesystem::exists(p.master_key()) ||
      std::filesystem::exists(p.seal_config())) {
    return Error::conflict("exists", "an instance already exists at " + p.data.string() +
                                         " (init never touches an existing instance)");
  }
  if (o.tls_cert.has_value() != o.tls_key.has_value()) {
    return Error::invalid("tls", "--tls-cert and --tls-key go together");
  }
  BAOMI_TRY(check_sharing(o));
  BAOMI_ASSIGN_OR_RETURN(auto passwords, admin_passwords(o.admin_passwords_file));
  for (const auto& [role, password] : passwords) {
    if (password.size() < 8) {
      return Error::invalid("admin_passwords",
                            "the " + role + " password must be at least 8 characters");
    }
  }
  BAOMI_ASSIGN_OR_RETURN(auto policy, policy_text(o.policy_dir));
  BAOMI_TRY(refuse_existing_database(p));
  std::error_code ec;
  std::filesystem::create_directories(p.data, ec);
  std::filesystem::permissions(p.data, std::filesystem::perms::owner_all, ec);
  BAOMI_TRY(write_public_file(p.policy(), policy));
  const auto master = crypto::SecretKey::generate();
  const auto signing = crypto::SigningKey::generate();
  std::optional<barrier::Split> split;
  if (sealed_by_shares(o)) {
    BAOMI_ASSIGN_OR_RETURN(split, barrier::split_master_key(master, o.key_shares, o.key_threshold));
  }
  BAOMI_TRY(create_keys(p, o, split, master, signing));
  BAOMI_TRY(create_database(p, master, signing));
  BAOMI_TRY(create_admins(p, passwords, master));
  std::cout << "Created a Baomi instance at " << p.data.string() << "\n"
            << "  keys:             " << p.keys.string()
            << (sealed_by_shares(o)
                    ? " (no master key on disk: " + std::to_string(o.key_threshold) + " of " +
                          std::to_string(o.key_shares) +
                          " key shares unseal it; seal.json, audit-signing.key.sealed)\n"
                    : std::string(" (master.key, audit-signing.key: 0600)\n"))
            << "  audit public key: " << p.audit_pub().string() << "\n"
            << "  TLS certificate:  " << p.tls_cert().string() << "\n";
  // Handed out last: only an instance that exists gets shares.
  if (split) {
    BAOMI_ASSIGN_OR_RETURN(auto holder_keys, read_holder_keys(o.share_public_keys, o.key_shares));
    BAOMI_TRY(hand_out_shares(*split, o.share_files, holder_keys));
  }
  if (!o.admin_passwords_file) {
    std::cout << "Administrator passwords (shown once, store them apart):\n";
    for (const char* role : kAdminRoles)
      std::cout << "  " << role << ": " << passwords[role] << "\n";
  }
  return {};
}

}  // namespace

int run_init(const InitOptions& o) {
  auto paths = paths_of(o.data, o.keys, o.database);
  auto r = paths.ok() ? init(o, *paths) : Result<void>(paths.error());
  if (!r.ok()) {
    std::cerr << "baomi init: " << r.error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace baomi::cmd
