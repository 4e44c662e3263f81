// `baomi restore FILE --data NEWDIR --public-key audit.pub [--kept-tree-head tree-head.json]`:
// a backup (backup_file.h) into a new instance directory (issue 15). In order:
//   1. refuse a target that exists and is not an empty directory;
//   2. check the header: magic, manifest, its signature under the auditor's copy of audit.pub;
//   3. extract the database and the policy into a staging directory beside NEWDIR, checking
//      each file's size and SHA-256 against the signed manifest and that nothing follows;
//   4. check the database: SQLite quick_check, the schema version the manifest names, and the
//      whole audit trail under the same key (I1), whose head must be the manifest's;
//   5. with --kept-tree-head, the trail must hold the auditor's kept signed tree head: a backup
//      older than that head is refused as a TRUNCATED trail, a rewritten one as FORKED;
//   6. rename the staging directory to NEWDIR. Any failure removes the staging directory:
//      nothing is ever left half-written in NEWDIR.
// It reads and writes no key: the operator puts the instance's keys in place afterwards.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "audit/audit_log.h"
#include "audit/kept_head.h"
#include "cmd/backup_file.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "crypto/random.h"
#include "services/record_tables.h"
#include "storage/meta.h"
#include "storage/sqlite/snapshot.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::cmd {
namespace {

namespace fs = std::filesystem;

// Exit statuses (docs/cli.md, `baomi restore`).
enum RestoreExit : int {
  kRestored = 0,
  kDamaged = 1,               // the backup is damaged, truncated, altered or not signed by the key
  kRestoreUsage = 2,          // bad arguments, unreadable inputs
  kRestoreTargetRefused = 3,  // NEWDIR exists and is not empty
  kBehindKeptHead = 4,  // the backup's trail is older than (or forked from) the kept tree head
};

struct RestoreRefusal {
  int exit;
  std::string message;
};

// The staging directory, removed with everything in it unless released.
class Staging {
 public:
  explicit Staging(fs::path path) : path_(std::move(path)) {}
  ~Staging() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  const fs::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

bool target_usable(const fs::path& target) {
  std::error_code ec;
  if (!fs::exists(target, ec)) return true;
  return fs::is_directory(target, ec) && fs::is_empty(target, ec);
}

struct TrailCheck {
  audit::VerifyReport report;
  std::optional<audit::KeptHeadCheck> kept;
  std::string stored_key;
};

Result<TrailCheck> check_trail(storage::sqlite::Db& db, const Bytes& key,
                               const std::optional<Bytes>& kept) {
  BAOMI_TRY(db.exec("BEGIN"));
  TrailCheck out;
  auto run = [&]() -> Result<void> {
    storage::sqlite::SqliteTx tx(db);
    BAOMI_ASSIGN_OR_RETURN(auto stored, storage::get_meta(tx, "audit_public_key"));
    out.stored_key = stored ? to_string(*stored) : std::string{};
    BAOMI_ASSIGN_OR_RETURN(out.report, audit::verify_store(tx, key, services::record_tables()));
    if (kept && out.report.ok) {
      BAOMI_ASSIGN_OR_RETURN(
          out.kept, audit::check_kept_tree_head(tx, out.report.entries, out.report.root_hash,
                                                out.report.signing_keys, *kept));
    }
    return {};
  };
  auto done = run();
  (void)db.exec("COMMIT");
  BAOMI_TRY(done);
  return out;
}

// Step 4 and 5 on the staged database.
std::optional<RestoreRefusal> check_database(const fs::path& file, const BackupManifest& m,
                                             const Bytes& key, const std::optional<Bytes>& kept) {
  auto damaged = [](std::string message) { return RestoreRefusal{kDamaged, std::move(message)}; };
  std::optional<RestoreRefusal> refused;
  {
    auto db = storage::sqlite::Db::open(file, false);
    if (!db.ok()) return damaged("baomi.db does not open as a database: " + db.error().message);
    auto check = storage::sqlite::quick_check(*db);
    if (!check.ok() || *check != "ok") return damaged("baomi.db fails SQLite's quick_check");
    auto version = storage::sqlite::user_version(*db);
    if (!version.ok() || *version != m.schema_version) {
      return damaged("baomi.db has another schema version than the manifest names");
    }
    auto trail = check_trail(*db, key, kept);
    if (!trail.ok()) return damaged("baomi.db: " + trail.error().message);
    const auto& r = trail->report;
    if (trail->stored_key != to_string(key)) {
      refused = damaged("baomi.db records another audit public key than the supplied one");
    } else if (!r.ok) {
      refused = damaged("the restored audit trail does not verify (first bad sequence number " +
                        std::to_string(r.first_bad_seq.value_or(0)) + ": " + r.problem + ")");
    } else if (r.entries != m.trail.entries || r.head != m.trail.head_hash ||
               r.root_hash != m.trail.root_hash) {
      refused =
          damaged("the restored audit trail (" + std::to_string(r.entries) + " entries, head " +
                  r.head + ") is not the one the manifest names (" +
                  std::to_string(m.trail.entries) + " entries, head " + m.trail.head_hash + ")");
    } else if (trail->kept && trail->kept->verdict != audit::KeptHeadVerdict::kExtends) {
      const bool unusable = trail->kept->verdict == audit::KeptHeadVerdict::kUnusable;
      refused = RestoreRefusal{unusable ? kRestoreUsage : kBehindKeptHead, trail->kept->problem};
    }
    // The staged file goes back to a rollback journal, as the backup holds it.
    (void)db->exec("PRAGMA journal_mode=DELETE");
  }
  return refused;
}

Result<void> sync_restored_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::unavailable("cannot open " + dir.string());
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Result<void>{} : Error::unavailable("cannot sync " + dir.string());
}

std::variant<BackupManifest, RestoreRefusal> restore(const RestoreOptions& o, const Bytes& key,
                                                     const std::optional<Bytes>& kept) {
  fs::path target = fs::absolute(o.data).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();  // "NEWDIR/"
  const fs::path parent = target.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  BackupReader reader(o.file);
  auto manifest = reader.read_header(key);
  if (!manifest.ok()) {
    const bool io = manifest.error().code == "backup_unreadable";
    return RestoreRefusal{io ? kRestoreUsage : kDamaged, manifest.error().message};
  }
  Staging staging(parent / ("." + target.filename().string() + ".restoring-" +
                            to_hex(crypto::random_bytes(6))));
  if (!fs::create_directory(staging.path(), ec)) {
    staging.release();
    return RestoreRefusal{kRestoreUsage, "cannot create " + staging.path().string()};
  }
  fs::permissions(staging.path(), fs::perms::owner_all, ec);
  for (const auto& entry : manifest->files) {
    if (auto x = reader.extract(entry, staging.path() / entry.name); !x.ok()) {
      const bool io = x.error().code == "backup_unreadable";
      return RestoreRefusal{io ? kRestoreUsage : kDamaged, x.error().message};
    }
  }
  if (auto end = reader.expect_end(); !end.ok())
    return RestoreRefusal{kDamaged, end.error().message};
  if (auto r = check_database(staging.path() / kBackupDatabaseName, *manifest, key, kept))
    return *r;
  if (auto synced = sync_restored_dir(staging.path()); !synced.ok()) {
    return RestoreRefusal{kRestoreUsage, synced.error().message};
  }
  // rename(2) replaces an empty directory and refuses a non-empty one (ENOTEMPTY): a target
  // filled meanwhile is still refused.
  if (::rename(staging.path().c_str(), target.c_str()) != 0) {
    return RestoreRefusal{target_usable(target) ? kRestoreUsage : kRestoreTargetRefused,
                          "cannot move the restored instance to " + target.string() +
                              (target_usable(target) ? "" : " (it is not empty)")};
  }
  staging.release();
  (void)sync_restored_dir(parent);
  return std::move(manifest).value();
}

}  // namespace

int run_restore(const RestoreOptions& o) {
  auto refuse = [](int code, const std::string& message) {
    std::cerr << "baomi restore: " << message << "\n";
    if (code != kRestoreUsage) std::cerr << "baomi restore: nothing was restored\n";
    return code;
  };
  if (!target_usable(o.data)) {
    return refuse(kRestoreTargetRefused, o.data +
                                             " exists and is not an empty directory; restore into "
                                             "a new instance directory");
  }
  auto key = read_public_key_file(o.public_key_file);
  if (!key.ok()) return refuse(kRestoreUsage, key.error().message);
  std::optional<Bytes> kept;
  if (!o.kept_tree_head_file.empty()) {
    auto bytes = read_file(o.kept_tree_head_file, 64 * 1024);
    if (!bytes.ok()) return refuse(kRestoreUsage, bytes.error().message);
    kept = std::move(*bytes);
  }
  auto result = restore(o, *key, kept);
  if (auto* r = std::get_if<RestoreRefusal>(&result)) return refuse(r->exit, r->message);
  const auto& m = std::get<BackupManifest>(result);
  const fs::path keys = fs::path(o.data) / "keys";
  std::cout << "restored: instance " << m.instance_id << " (backup of " << m.created_at << ") into "
            << o.data << "\n"
            << "  audit trail verified: " << m.trail.entries << " entries, head "
            << m.trail.head_hash << ", Merkle root " << m.trail.root_hash << "\n";
  if (kept) std::cout << "  the trail holds the kept tree head\n";
  std::cout << "Now put the instance's keys in place before serving it: copy master.key, "
               "audit-signing.key, audit.pub, tls.crt and tls.key from the key backup into "
            << keys.string()
            << " (mode 0600 for the private ones), or pass --keys DIR to serve "
               "(docs/operations.md, \"baomi restore\").\n";
  return kRestored;
}

}  // namespace baomi::cmd
