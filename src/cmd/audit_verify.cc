// `baomi audit verify`: checks the whole chain and every signed checkpoint offline, with only
// the database and the auditor's copy of audit.pub (no master key, server running or not).
#include <iostream>

#include "audit/audit_log.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "services/record_tables.h"
#include "storage/engine.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::cmd {
namespace {

// PostgreSQL: one read snapshot of the whole trail (the server may be running meanwhile).
Result<audit::VerifyReport> verify_postgres(const InstancePaths& paths, const Bytes& key) {
  BAOMI_ASSIGN_OR_RETURN(auto store, storage::open_store(paths.database_url, false));
  std::optional<audit::VerifyReport> report;
  BAOMI_TRY(store->read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(report, audit::verify_store(tx, key, services::record_tables()));
    return {};
  }));
  return *report;
}

Result<audit::VerifyReport> verify(const InstancePaths& paths, const Bytes& key) {
  if (paths.on_postgres()) return verify_postgres(paths, key);
  if (!std::filesystem::exists(paths.database())) {
    BAOMI_TRY(refuse_moved_instance(paths));
    return Error::not_found("no database at " + paths.database().string());
  }
  BAOMI_ASSIGN_OR_RETURN(auto db, storage::sqlite::Db::open(paths.database(), false));
  BAOMI_TRY(db.exec("PRAGMA query_only=ON"));
  BAOMI_TRY(db.exec("BEGIN"));
  storage::sqlite::SqliteTx tx(db);
  auto report = audit::verify_store(tx, key, services::record_tables());
  (void)db.exec("COMMIT");
  return report;
}

}  // namespace

Result<Bytes> read_public_key_file(const std::filesystem::path& file) {
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(file, 1024));
  std::string text = to_string(bytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  auto key = from_hex(text);
  if (!key || key->size() != 32) {
    return Error::invalid("public_key", file.string() + " is not a hex Ed25519 public key");
  }
  return *key;
}

int run_audit_verify(const VerifyOptions& o) {
  const auto paths_given = paths_of(o.data, o.keys, o.database);
  if (!paths_given.ok()) {
    std::cerr << "baomi audit verify: " << paths_given.error().message << "\n";
    return 2;
  }
  const InstancePaths& paths = *paths_given;
  auto key = read_public_key_file(o.public_key_file ? std::filesystem::path(*o.public_key_file)
                                                    : paths.audit_pub());
  if (!key.ok()) {
    std::cerr << "baomi audit verify: " << key.error().message << "\n";
    return 2;
  }
  auto report = verify(paths, *key);
  if (!report.ok()) {
    std::cerr << "baomi audit verify: " << report.error().message << "\n";
    return 2;
  }
  if (!report->ok) {
    std::cout << "FAILED: first bad sequence number " << report->first_bad_seq.value_or(0) << ": "
              << report->problem << "\n";
    return 1;
  }
  std::cout << "ok: " << report->entries << " entries, head " << report->head << ", "
            << report->checkpoints_verified << " signed checkpoints verified, Merkle root "
            << report->root_hash << ", " << report->tree_heads_verified
            << " signed tree heads verified\n";
  return 0;
}

}  // namespace baomi::cmd
