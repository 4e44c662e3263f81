// `baomi audit verify`: checks the whole chain and every signed checkpoint offline, with only
// the database and the auditor's copy of audit.pub (no master key, server running or not).
#include <iostream>

#include "audit/audit_log.h"
#include "audit/kept_head.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "services/record_tables.h"
#include "storage/engine.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::cmd {
namespace {

struct Verdict {
  audit::VerifyReport report;
  std::optional<audit::KeptHeadCheck> kept;
};

// The chain, then (when it verifies) the kept tree head, in the same snapshot.
Result<Verdict> verify_in(storage::ReadTx& tx, const Bytes& key, const std::optional<Bytes>& kept) {
  Verdict v;
  BAOMI_ASSIGN_OR_RETURN(v.report, audit::verify_store(tx, key, services::record_tables()));
  if (kept && v.report.ok) {
    BAOMI_ASSIGN_OR_RETURN(v.kept,
                           audit::check_kept_tree_head(tx, v.report.entries, v.report.root_hash,
                                                       v.report.signing_keys, *kept));
  }
  return v;
}

// PostgreSQL: one read snapshot of the whole trail (the server may be running meanwhile).
Result<Verdict> verify_postgres(const InstancePaths& paths, const Bytes& key,
                                const std::optional<Bytes>& kept) {
  BAOMI_ASSIGN_OR_RETURN(auto store, storage::open_store(paths.database_url, false));
  std::optional<Verdict> verdict;
  BAOMI_TRY(store->read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(verdict, verify_in(tx, key, kept));
    return {};
  }));
  return *verdict;
}

Result<Verdict> verify(const InstancePaths& paths, const Bytes& key,
                       const std::optional<Bytes>& kept) {
  if (paths.on_postgres()) return verify_postgres(paths, key, kept);
  if (!std::filesystem::exists(paths.database())) {
    BAOMI_TRY(refuse_moved_instance(paths));
    return Error::not_found("no database at " + paths.database().string());
  }
  BAOMI_ASSIGN_OR_RETURN(auto db, storage::sqlite::Db::open(paths.database(), false));
  BAOMI_TRY(db.exec("PRAGMA query_only=ON"));
  BAOMI_TRY(db.exec("BEGIN"));
  storage::sqlite::SqliteTx tx(db);
  auto verdict = verify_in(tx, key, kept);
  (void)db.exec("COMMIT");
  return verdict;
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
  std::optional<Bytes> kept;
  if (!o.kept_tree_head_file.empty()) {
    auto bytes = read_file(o.kept_tree_head_file, 64 * 1024);
    if (!bytes.ok()) {
      std::cerr << "baomi audit verify: " << bytes.error().message << "\n";
      return 2;
    }
    kept = std::move(*bytes);
  }
  auto verdict = verify(paths, *key, kept);
  if (!verdict.ok()) {
    std::cerr << "baomi audit verify: " << verdict.error().message << "\n";
    return 2;
  }
  const audit::VerifyReport* report = &verdict->report;
  if (!report->ok) {
    std::cout << "FAILED: first bad sequence number " << report->first_bad_seq.value_or(0) << ": "
              << report->problem << "\n";
    return 1;
  }
  std::cout << "ok: " << report->entries << " entries, head " << report->head << ", "
            << report->checkpoints_verified << " signed checkpoints verified, Merkle root "
            << report->root_hash << ", " << report->tree_heads_verified
            << " signed tree heads verified\n";
  if (report->signing_keys.size() > 1) {
    std::cout << "ok: " << report->signing_keys.size() - 1
              << " audit signing key transition(s) followed from the trusted key; checkpoints "
                 "from seq "
              << report->signing_keys.back().from_seq << " are signed by key "
              << audit::key_fingerprint(report->signing_keys.back().public_key).substr(0, 16)
              << "…\n";
  }
  if (verdict->kept) {
    if (verdict->kept->verdict != audit::KeptHeadVerdict::kExtends) {
      std::cout << "FAILED: " << verdict->kept->problem << "\n";
      return 1;
    }
    std::cout << "ok: the trail holds the kept tree head (size " << verdict->kept->kept_size
              << ")\n";
  }
  return 0;
}

}  // namespace baomi::cmd
