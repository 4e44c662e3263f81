// `baomi backup --data DIR -o FILE`: a consistent copy of a running instance (issue 15). In order:
//   1. refuse what cannot be backed up here: a PostgreSQL instance (its engine's tools do it,
//      docs/operations.md), a moved instance, an existing FILE;
//   2. hold DATA/baomi.lock shared (the server keeps serving; no migration meanwhile);
//   3. copy the database with SQLite's online backup API in ONE step: one read transaction, so
//      the copy is the database as of one commit while writers go on (WAL);
//   4. check the copy: integrity, schema version, and the whole audit trail (I1) under the
//      instance's audit key, which must be the key that signs the manifest;
//   5. write FILE.partial-* (0600) with the signed manifest (backup_file.h), the database and the
//      policy, fsync, and rename it to FILE only when complete.
// No key is read but the audit signing key (on an instance sealed by key shares, K current
// shares open it for this process only), and no key is written: the master key and the audit
// key are backed up separately (docs/operations.md#keys).
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include <iostream>

#include "audit/audit_log.h"
#include "cmd/backup_file.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/master_rotation.h"
#include "cmd/seal_files.h"
#include "cmd/share_input.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "services/record_tables.h"
#include "storage/meta.h"
#include "storage/sqlite/snapshot.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::cmd {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxPolicyBytes = 16 << 20;

std::string sha256_hex(const Bytes& data) {
  crypto::Sha256 digest;
  digest.update(data);
  return digest.hex_digest();
}

// Exit statuses (docs/cli.md, `baomi backup`).
enum BackupExit : int {
  kBackupWritten = 0,
  kBackupFailed = 1,
  kBackupUsage = 2,
  kBackupSourceRefused = 3
};

struct BackupRefusal {
  int exit;
  std::string message;
};

// Removes a temporary file unless released.
class TempFile {
 public:
  explicit TempFile(fs::path path) : path_(std::move(path)) {}
  ~TempFile() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove(path_, ec);
    fs::remove(fs::path(path_.string() + "-journal"), ec);
    fs::remove(fs::path(path_.string() + "-wal"), ec);
    fs::remove(fs::path(path_.string() + "-shm"), ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

fs::path sibling(const fs::path& out, std::string_view what) {
  return out.parent_path() / ("." + out.filename().string() + "." + std::string(what) + "-" +
                              to_hex(crypto::random_bytes(6)));
}

Result<std::string> meta_text(storage::ReadTx& tx, const std::string& key) {
  BAOMI_ASSIGN_OR_RETURN(auto value, storage::get_meta(tx, key));
  return value ? to_string(*value) : std::string{};
}

// Step 4: what the copy holds, checked; a Refusal when it must not be signed.
std::variant<BackupManifest, BackupRefusal> inspect(const fs::path& snapshot_file,
                                                    const Bytes& public_key) {
  auto fail = [](const Error& e) { return BackupRefusal{kBackupFailed, e.message}; };
  auto db = storage::sqlite::Db::open(snapshot_file, false);
  if (!db.ok()) return fail(db.error());
  auto check = storage::sqlite::quick_check(*db);
  if (!check.ok()) return fail(check.error());
  if (*check != "ok")
    return BackupRefusal{kBackupSourceRefused, "the database fails SQLite's quick_check"};
  BackupManifest m;
  auto schema = storage::sqlite::user_version(*db);
  if (!schema.ok()) return fail(schema.error());
  m.schema_version = *schema;
  std::optional<audit::VerifyReport> report;
  std::string stored_key;
  auto began = db->exec("BEGIN");
  if (!began.ok()) return fail(began.error());
  {
    storage::sqlite::SqliteTx tx(*db);
    auto id = meta_text(tx, "instance_id");
    auto key = meta_text(tx, "audit_public_key");
    if (!id.ok() || !key.ok()) return fail(id.ok() ? key.error() : id.error());
    m.instance_id = *id;
    stored_key = *key;
    if (!m.instance_id.empty() && stored_key == to_string(public_key)) {
      auto verified = audit::verify_store(tx, public_key, services::record_tables());
      if (!verified.ok()) return fail(verified.error());
      report = std::move(*verified);
    }
  }
  (void)db->exec("COMMIT");
  if (m.instance_id.empty())
    return BackupRefusal{kBackupSourceRefused, "the database holds no Baomi instance"};
  if (!report) {
    return BackupRefusal{
        kBackupSourceRefused,
        "the audit signing key given is not this instance's (its public key differs "
        "from the one the database records)"};
  }
  if (!report->ok) {
    return BackupRefusal{
        kBackupSourceRefused,
        "the audit trail does not verify (first bad sequence number " +
            std::to_string(report->first_bad_seq.value_or(0)) + ": " + report->problem +
            "); no backup was written. Run baomi audit verify; to keep the damaged "
            "state for investigation, stop the server and copy the data directory"};
  }
  m.audit_public_key = to_hex(public_key);
  m.trail = {report->entries, report->head, report->root_hash, report->checkpoints_verified,
             report->tree_heads_verified};
  return m;
}

Result<void> write_all_bytes(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n <= 0) return Error::unavailable("write failed");
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

Result<void> append_file(int fd, const fs::path& file) {
  const int in = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Error::unavailable("cannot read " + file.string());
  std::vector<std::uint8_t> buf(1 << 20);
  Result<void> done;
  for (;;) {
    const ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0) done = Error::unavailable("cannot read " + file.string());
    if (n <= 0) break;
    done = write_all_bytes(fd, buf.data(), static_cast<std::size_t>(n));
    if (!done.ok()) break;
  }
  ::close(in);
  return done;
}

Result<void> sync_parent(const fs::path& file) {
  const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::unavailable("cannot open " + dir.string());
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Result<void>{} : Error::unavailable("cannot sync " + dir.string());
}

// Step 5: header, database, policy into a partial file; renamed to `out` once complete and
// synced, never over an existing file.
Result<void> write_backup(const fs::path& out, const Bytes& header, const fs::path& database,
                          const Bytes& policy) {
  TempFile partial(sibling(out, "partial"));
  const int fd = ::open(partial.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    partial.release();
    return Error::unavailable("cannot create " + partial.path().string());
  }
  auto written = write_all_bytes(fd, header.data(), header.size());
  if (written.ok()) written = append_file(fd, database);
  if (written.ok()) written = write_all_bytes(fd, policy.data(), policy.size());
  if (written.ok() && ::fsync(fd) != 0) written = Error::unavailable("fsync failed");
  ::close(fd);
  if (!written.ok()) {
    return Error::unavailable("cannot write " + partial.path().string() + ": " +
                              written.error().message);
  }
  if (::renameat2(AT_FDCWD, partial.path().c_str(), AT_FDCWD, out.c_str(), RENAME_NOREPLACE) != 0) {
    return Error::unavailable("cannot rename the finished backup to " + out.string() +
                              (errno == EEXIST ? " (it exists now)" : ""));
  }
  partial.release();
  return sync_parent(out);
}

Result<crypto::SigningKey> audit_signing_key(const InstancePaths& paths, const BackupOptions& o) {
  if (paths.sealed_by_shares()) {
    // The instance's audit key is sealed under the master key: K holders' shares rebuild that
    // key in this process only, to open the audit key; neither is written anywhere.
    BAOMI_ASSIGN_OR_RETURN(auto config, read_seal_config(paths.seal_config()));
    BAOMI_ASSIGN_OR_RETURN(
        auto master, master_from_shares({o.current_share_files, o.current_secret_keys}, config));
    return read_sealed_signing_key(paths.sealed_signing_key(), master);
  }
  BAOMI_TRY(check_private_key_file(paths.signing_key()));
  BAOMI_ASSIGN_OR_RETURN(auto seed, read_file(paths.signing_key(), 64));
  auto key = crypto::SigningKey::from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

std::variant<BackupManifest, BackupRefusal> back_up(const InstancePaths& paths, const fs::path& out,
                                                    const BackupOptions& o) {
  auto key = audit_signing_key(paths, o);
  if (!key.ok()) return BackupRefusal{kBackupUsage, key.error().message};
  auto lock = InstanceLock::acquire(paths.data, InstanceLock::Mode::kShared);
  if (!lock.ok()) return BackupRefusal{kBackupSourceRefused, lock.error().message};
  TempFile snap(sibling(out, "snapshot"));
  if (auto taken = storage::sqlite::online_backup(paths.database(), snap.path()); !taken.ok()) {
    return BackupRefusal{kBackupFailed, taken.error().message};
  }
  auto inspected = inspect(snap.path(), key->public_key());
  if (auto* r = std::get_if<BackupRefusal>(&inspected)) return *r;
  auto manifest = std::get<BackupManifest>(std::move(inspected));
  manifest.created_at = format_rfc3339(now_utc());
  const auto db_sha = file_sha256(snap.path());
  if (!db_sha.ok()) return BackupRefusal{kBackupFailed, db_sha.error().message};
  const auto policy = read_file(paths.policy(), kMaxPolicyBytes);
  if (!policy.ok()) return BackupRefusal{kBackupSourceRefused, policy.error().message};
  manifest.files = {{kBackupDatabaseName, fs::file_size(snap.path()), *db_sha},
                    {kBackupPolicyName, policy->size(), sha256_hex(*policy)}};
  const Bytes text = manifest_bytes(manifest);
  const Bytes header = backup_header(text, key->sign(backup_signed_message(text)));
  if (auto w = write_backup(out, header, snap.path(), *policy); !w.ok()) {
    return BackupRefusal{kBackupFailed, w.error().message};
  }
  return manifest;
}

}  // namespace

int run_backup(const BackupOptions& o) {
  auto refuse = [](int code, const std::string& message) {
    std::cerr << "baomi backup: " << message << "\n";
    return code;
  };
  if (!o.database.empty()) {
    return refuse(kBackupSourceRefused,
                  "a PostgreSQL instance is backed up with PostgreSQL's own tools (pg_dump for a "
                  "logical copy, pg_basebackup with WAL archiving for point-in-time recovery) and "
                  "its keys separately: see docs/operations.md, \"Backing up a PostgreSQL "
                  "instance\"");
  }
  const auto paths = paths_of(o.data, o.keys);
  if (!paths.ok()) return refuse(kBackupUsage, paths.error().message);
  const fs::path out = o.output;
  if (fs::exists(out))
    return refuse(kBackupUsage, out.string() + " exists; a backup never overwrites");
  if (auto moved = refuse_moved_instance(*paths); !moved.ok()) {
    return refuse(kBackupSourceRefused, moved.error().message);
  }
  if (!fs::exists(paths->database())) {
    return refuse(kBackupSourceRefused, "no instance at " + paths->data.string());
  }
  // I1: the audit key is read under the master key in force only once a rotation killed
  // half-way is finished or rolled back (as `serve` does at its start).
  if (auto recovered = recover_interrupted_rotation(*paths); !recovered.ok()) {
    return refuse(kBackupSourceRefused, recovered.error().message);
  }
  auto result = back_up(*paths, out, o);
  if (auto* r = std::get_if<BackupRefusal>(&result)) return refuse(r->exit, r->message);
  const auto& m = std::get<BackupManifest>(result);
  std::cout << "backup written: " << out.string() << " (" << fs::file_size(out) << " bytes)\n"
            << "  instance " << m.instance_id << ", schema version " << m.schema_version << "\n"
            << "  audit trail: " << m.trail.entries << " entries, head " << m.trail.head_hash
            << ", Merkle root " << m.trail.root_hash << "\n"
            << "  database SHA-256 " << m.files[0].sha256 << "\n"
            << "It holds no key: back up the key directory (" << paths->keys.string()
            << ") separately, as docs/operations.md says.\n";
  return kBackupWritten;
}

}  // namespace baomi::cmd
