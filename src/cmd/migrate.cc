// `baomi migrate --from-data DIR --to postgresql://…`: moves an instance from its SQLite file
// into an empty PostgreSQL database, keys and trail intact (issue 13). In order:
//   1. refuse what must not move: no instance, one already moved, one a process has open
//      (DIR/baomi.lock), a schema this build does not know, a trail that does not verify;
//   2. refuse a target that holds anything (another instance, rows), checked again inside the
//      copy's transaction under the writer's advisory lock;
//   3. mark DIR (DIR/baomi.db.moved): from here `serve` without --database refuses the file;
//   4. copy every table row by row, as opaque bytes, in ONE PostgreSQL transaction: a failure
//      leaves the target as it was (and the mark is removed);
//   5. prove the copy: every table's tally (rows, bytes, BLAKE2b-256) equal, the audit chain,
//      checkpoints, tree heads and record ledger verify on PostgreSQL with the SAME head;
//   6. record `instance.migrate` on PostgreSQL (after the head was compared; both printed),
//      with the instance's keys: this also proves that they open the moved instance;
//   7. rename DIR/baomi.db to DIR/baomi.db.migrated: one instance, one engine (no split brain).
// A run interrupted after 4 is finished by running the command again (the target then holds
// this instance with the source's head: steps 6-7 only).
#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "audit/audit_log.h"
#include "audit/detail.h"
#include "audit/trail_tables.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/master_rotation.h"
#include "cmd/migrate_copy.h"
#include "services/record_tables.h"
#include "storage/engine.h"
#include "storage/meta.h"
#include "storage/transfer.h"

namespace baomi::cmd {
namespace {

// Exit statuses (docs/operations.md, `baomi migrate`).
enum MigrateExit : int {
  kMigrated = 0,
  kMigrateFailed = 1,         // the copy or its proof failed; what the target holds is printed
  kMigrateUsage = 2,          // bad arguments
  kMigrateSourceRefused = 3,  // not an instance, already moved, or its trail does not verify
  kSourceInUse = 4,           // a process has the instance open (stop the server first)
  kMigrateTargetRefused = 5,  // the target holds another instance, or rows
  kSchemaMismatch = 6,        // a schema version (or a table) this build does not know
};

struct MigrateRefusal {
  int exit;
  Error error;
};
template <typename T>
using Step = std::variant<T, MigrateRefusal>;

struct Head {
  std::uint64_t seq = 0;
  std::string hash;
  bool operator==(const Head&) const = default;
};

std::string describe(const Head& h) {
  return "seq " + std::to_string(h.seq) + " hash " + (h.hash.empty() ? "(empty trail)" : h.hash);
}

// What the source is, read in one snapshot.
struct Source {
  std::string instance_id;
  Bytes public_key;
  std::vector<const storage::Table*> tables;
  audit::VerifyReport report;
  Head head;
};

MigrateRefusal refusal(int exit, Error e) { return MigrateRefusal{exit, std::move(e)}; }

int exit_for_open_failure(const Error& e, int otherwise) {
  return e.code == "schema_version" ? kSchemaMismatch : otherwise;
}

// A meta value, empty when absent. (Not an optional<Bytes> in the caller's lambda: GCC 12 at -O3
// reports its vector as maybe uninitialised there, and -Werror makes that fatal.)
Result<Bytes> meta_or_empty(storage::ReadTx& tx, const std::string& key) {
  BAOMI_ASSIGN_OR_RETURN(auto value, storage::get_meta(tx, key));
  if (!value) return Bytes{};
  return std::move(*value);
}

std::optional<MigrateRefusal> inspect_source(storage::Store& store, const InstancePaths& paths,
                                             Source& out) {
  std::optional<MigrateRefusal> refused;
  auto read = store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto id, meta_or_empty(tx, "instance_id"));
    BAOMI_ASSIGN_OR_RETURN(out.public_key, meta_or_empty(tx, "audit_public_key"));
    out.instance_id = to_string(id);
    if (id.empty() || out.public_key.empty()) {
      refused = refusal(kMigrateSourceRefused,
                        Error::invalid("not_an_instance",
                                       paths.database().string() + " holds no Baomi instance"));
      return {};
    }
    BAOMI_ASSIGN_OR_RETURN(auto names, tx.table_names());
    auto tables = tables_to_copy(names);
    if (!tables.ok()) {
      refused = refusal(kSchemaMismatch, tables.error());
      return {};
    }
    out.tables = std::move(tables).value();
    BAOMI_ASSIGN_OR_RETURN(out.report,
                           audit::verify_store(tx, out.public_key, services::record_tables()));
    BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
    if (last) out.head = {last->seq, last->hash};
    return {};
  });
  if (!read.ok()) return refusal(kMigrateSourceRefused, read.error());
  if (refused) return refused;
  if (!out.report.ok) {
    return refusal(kMigrateSourceRefused,
                   Error::integrity("the source's audit trail does not verify (first bad "
                                    "sequence number " +
                                    std::to_string(out.report.first_bad_seq.value_or(0)) + ": " +
                                    out.report.problem +
                                    "); nothing was copied. Run: baomi "
                                    "audit verify --data " +
                                    paths.data.string()));
  }
  return std::nullopt;
}

// What the target holds: nothing (copy), this instance already (finish), or a refusal.
enum class TargetState { kEmpty, kHoldsThisInstance };

Result<std::optional<Bytes>> target_instance_id(storage::ReadTx& tx) {
  return storage::get_meta(tx, "instance_id");
}

Step<TargetState> judge_target(storage::ReadTx& tx, const Source& source, const std::string& url) {
  const std::string where = storage::describe_database(url);
  auto id = target_instance_id(tx);
  if (!id.ok()) return refusal(kMigrateFailed, id.error());
  if (*id && to_string(**id) != source.instance_id) {
    return refusal(kMigrateTargetRefused,
                   Error::conflict("target_holds_instance",
                                   where + " already holds another Baomi instance; migrate "
                                           "into an empty database"));
  }
  if (*id) {
    // A run that copied and committed but did not finish: the target must hold the source's
    // trail up to its head (a server may have appended since).
    auto entry = Result<std::optional<audit::AuditRow>>(std::nullopt);
    if (source.head.seq > 0) entry = audit::get_audit_entry(tx, source.head.seq);
    if (!entry.ok()) return refusal(kMigrateFailed, entry.error());
    const bool same = source.head.seq == 0 || (*entry && (*entry)->hash == source.head.hash);
    if (!same) {
      return refusal(kMigrateTargetRefused,
                     Error::conflict("target_diverged",
                                     where + " holds this instance with another trail than " +
                                         "the source's (head " + describe(source.head) +
                                         " not found there): the source changed since it was "
                                         "copied; migrate into an empty database"));
    }
    return TargetState::kHoldsThisInstance;
  }
  for (const auto* table : instance_tables()) {
    auto empty = storage::table_is_empty(tx, *table);
    if (!empty.ok()) return refusal(kMigrateFailed, empty.error());
    if (!*empty) {
      return refusal(kMigrateTargetRefused,
                     Error::conflict("target_not_empty",
                                     where + " is not empty (table " + table->name +
                                         " has rows) but holds no instance; migrate into an "
                                         "empty database"));
    }
  }
  return TargetState::kEmpty;
}

Result<void> sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::unavailable("cannot open " + dir.string());
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error::unavailable("cannot sync " + dir.string());
  return {};
}

// Step 3: from here on, `serve` without --database refuses DIR/baomi.db.
Result<void> mark_moving(const InstancePaths& paths, const std::string& url) {
  if (std::filesystem::exists(paths.moved_marker())) return {};
  const std::string text = storage::describe_database(url) + "\n" + "written by baomi migrate at " +
                           format_rfc3339(now_utc()) + "\n";
  BAOMI_TRY(write_private_file(paths.moved_marker(), to_bytes(text)));
  return sync_directory(paths.data);
}

void unmark(const InstancePaths& paths) {
  std::error_code ec;
  std::filesystem::remove(paths.moved_marker(), ec);
  (void)sync_directory(paths.data);
}

void print_tallies(const std::vector<TableTally>& tallies) {
  std::uint64_t rows = 0, bytes = 0;
  for (const auto& t : tallies) {
    std::cout << "  " << t.table << ": " << t.rows << " rows, " << t.bytes << " bytes\n";
    rows += t.rows;
    bytes += t.bytes;
  }
  std::cout << "  total: " << tallies.size() << " tables, " << rows << " rows, " << bytes
            << " bytes\n";
}

std::uint64_t total_rows(const std::vector<TableTally>& tallies) {
  std::uint64_t rows = 0;
  for (const auto& t : tallies) rows += t.rows;
  return rows;
}

// Step 4, in one write job (one transaction) of the target, reading one snapshot of the source.
Step<std::vector<TableTally>> copy(storage::Store& source_store, storage::Store& target,
                                   const Source& source, const std::string& url, Head& copied) {
  std::optional<MigrateRefusal> refused;
  std::vector<TableTally> tallies;
  auto written = target.write([&](storage::WriteTx& tx) -> Result<void> {
    auto state = judge_target(tx, source, url);  // again, under the writer's advisory lock
    if (auto* r = std::get_if<MigrateRefusal>(&state)) {
      refused = *r;
      return Error::conflict("refused", "refused");
    }
    if (std::get<TargetState>(state) != TargetState::kEmpty) {
      refused = refusal(kMigrateTargetRefused,
                        Error::conflict("target_changed", "the target changed meanwhile"));
      return Error::conflict("refused", "refused");
    }
    return source_store.read([&](storage::ReadTx& src) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(src));
      if (last) copied = {last->seq, last->hash};
      BAOMI_ASSIGN_OR_RETURN(tallies, copy_tables(src, tx, source.tables));
      return {};
    });
  });
  if (refused) return *refused;
  if (!written.ok()) return refusal(kMigrateFailed, written.error());
  return tallies;
}

// Step 5: the target, read back in one snapshot.
std::optional<MigrateRefusal> prove_copy(storage::Store& target, const Source& source,
                                         const std::vector<TableTally>& copied) {
  std::vector<TableTally> held;
  audit::VerifyReport report;
  Head head;
  auto read = target.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(held, tally_tables(tx, source.tables));
    BAOMI_ASSIGN_OR_RETURN(report,
                           audit::verify_store(tx, source.public_key, services::record_tables()));
    BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
    if (last) head = {last->seq, last->hash};
    return {};
  });
  if (!read.ok()) return refusal(kMigrateFailed, read.error());
  for (std::size_t i = 0; i < copied.size(); ++i) {
    if (i >= held.size() || !(held[i] == copied[i])) {
      return refusal(kMigrateFailed, Error::integrity("table " + copied[i].table +
                                                      " differs on the target from what was read"));
    }
  }
  if (!report.ok) {
    return refusal(kMigrateFailed,
                   Error::integrity("the audit trail does not verify on the target "
                                    "(first bad sequence number " +
                                    std::to_string(report.first_bad_seq.value_or(0)) + ": " +
                                    report.problem + ")"));
  }
  if (!(head == source.head)) {
    return refusal(kMigrateFailed,
                   Error::integrity("the target's audit head (" + describe(head) +
                                    ") is not the source's (" + describe(source.head) + ")"));
  }
  std::cout << "verified on the target: every table identical (rows, bytes, BLAKE2b-256), "
            << report.entries << " audit entries, " << report.checkpoints_verified
            << " signed checkpoints, " << report.tree_heads_verified
            << " signed tree heads, record ledger ok\n"
            << "audit head on the target: " << describe(head)
            << " (source: " << describe(source.head) << ": the same)\n";
  return std::nullopt;
}

// Steps 4-5 into an empty target; `rows` the rows copied.
std::optional<MigrateRefusal> copy_and_prove(storage::Store& source_store, storage::Store& target,
                                             const Source& source, const InstancePaths& paths,
                                             const std::string& url, std::uint64_t& rows) {
  const std::string where = storage::describe_database(url);
  Head copied;
  auto tallies = copy(source_store, target, source, url, copied);
  if (auto* r = std::get_if<MigrateRefusal>(&tallies)) {
    unmark(paths);  // nothing moved: the SQLite file is still the instance
    std::cerr << "baomi migrate: nothing was copied; " << where << " is as it was and "
              << paths.database().string() << " is still the instance\n";
    return *r;
  }
  const auto& copied_tallies = std::get<std::vector<TableTally>>(tallies);
  std::cout << "copied into " << where << " in one transaction:\n";
  print_tallies(copied_tallies);
  rows = total_rows(copied_tallies);
  auto refused =
      copied == source.head
          ? prove_copy(target, source, copied_tallies)
          : refusal(kMigrateFailed, Error::integrity("the source changed while it was "
                                                     "copied (another program wrote it)"));
  if (refused) {
    std::cerr << "baomi migrate: " << where << " holds a copy that failed its check: do not "
              << "serve it, and empty it before another try. " << paths.database().string()
              << " is unchanged; to serve it again meanwhile, remove "
              << paths.moved_marker().string() << "\n";
  }
  return refused;
}

// A target that holds this instance from an earlier run: still the bare copy (its head is the
// source's) is proven and the move recorded; a copy already recorded (or served) is left as is.
std::optional<MigrateRefusal> finish_earlier_copy(storage::Store& source_store,
                                                  storage::Store& target, const Source& source,
                                                  bool& record, std::uint64_t& rows) {
  std::cout << "the target already holds this instance (an earlier run copied it): finishing\n";
  Head target_head;
  auto read = target.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
    if (last) target_head = {last->seq, last->hash};
    return {};
  });
  if (!read.ok()) return refusal(kMigrateFailed, read.error());
  record = target_head == source.head;
  if (!record) return std::nullopt;
  std::vector<TableTally> source_tallies;
  read = source_store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(source_tallies, tally_tables(tx, source.tables));
    return {};
  });
  if (!read.ok()) return refusal(kMigrateFailed, read.error());
  rows = total_rows(source_tallies);
  return prove_copy(target, source, source_tallies);
}

// Step 6: the trail records the move, with the instance's own keys (which proves that they
// open it on PostgreSQL, as `serve` will).
std::optional<MigrateRefusal> record_move(const InstancePaths& paths, const std::string& url,
                                          const Source& source, std::uint64_t rows) {
  auto pg_paths = paths_of(paths.data.string(), paths.keys.string(), url);
  if (!pg_paths.ok()) return refusal(kMigrateUsage, pg_paths.error());
  auto inst = open_instance(*pg_paths, std::nullopt, /*take_lock=*/false);
  if (!inst.ok()) {
    return refusal(kMigrateFailed,
                   Error::invalid("keys",
                                  "the instance was copied, but cannot be opened on the "
                                  "target with the keys in " +
                                      paths.keys.string() + ": " + inst.error().message));
  }
  const auto detail = audit::Detail{}
                          .add("from", "sqlite")
                          .add("to", storage::describe_database(url))
                          .add("head_seq", source.head.seq)
                          .add("head", source.head.hash)
                          .add("tables", source.tables.size())
                          .add("rows", rows);
  auto& opened = **inst;
  Head head;
  auto appended = opened.store->write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(opened.audit->append(
        tx, {"system", "instance.migrate", "instance", "allow", "", detail}, now_utc()));
    BAOMI_TRY(opened.audit->checkpoint(tx, now_utc()));
    BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
    if (last) head = {last->seq, last->hash};
    return {};
  });
  opened.store->close();
  if (!appended.ok()) return refusal(kMigrateFailed, appended.error());
  std::cout << "recorded instance.migrate on the target: new head " << describe(head)
            << " (signed checkpoint)\n";
  return std::nullopt;
}

// Step 7: the SQLite file (and a WAL left beside it, and its chunk files: the copy reads them
// where it is, storage/sqlite/chunk_files.h) becomes a backup no `serve` opens.
Result<void> retire_source(const InstancePaths& paths) {
  for (const char* suffix : {"", "-wal", "-shm", "-chunks"}) {
    const std::filesystem::path from = paths.database().string() + suffix;
    const std::filesystem::path to = paths.migrated_database().string() + suffix;
    std::error_code ec;
    if (!std::filesystem::exists(from)) continue;
    std::filesystem::rename(from, to, ec);
    if (ec) return Error::unavailable("cannot rename " + from.string() + ": " + ec.message());
  }
  return sync_directory(paths.data);
}

// Before the lock: what the directory says (moved already, or no instance at all).
std::optional<MigrateRefusal> refuse_source_files(const InstancePaths& paths) {
  if (std::filesystem::exists(paths.moved_marker()) && !std::filesystem::exists(paths.database())) {
    return refusal(
        kMigrateSourceRefused,
        Error::conflict("already_moved", "the instance at " + paths.data.string() +
                                             " was already moved to " + moved_to(paths) + " (" +
                                             paths.moved_marker().string() + ")"));
  }
  if (!std::filesystem::exists(paths.database())) {
    return refusal(kMigrateSourceRefused,
                   Error::not_found("no instance at " + paths.data.string() + " (no " +
                                    paths.database().string() + ")"));
  }
  return std::nullopt;
}

Step<Source> open_source(const InstancePaths& paths, std::unique_ptr<storage::Store>& store) {
  auto opened = storage::open_store(paths.database().string(), false);
  if (!opened.ok()) {
    return refusal(
        exit_for_open_failure(opened.error(), kMigrateSourceRefused),
        Error::invalid("source", paths.database().string() + ": " + opened.error().message));
  }
  store = std::move(opened).value();
  Source source;
  if (auto refused = inspect_source(*store, paths, source)) return *refused;
  return source;
}

int migrate(const MigrateOptions& o) {
  auto fail = [](const MigrateRefusal& r) {
    std::cerr << "baomi migrate: " << r.error.message << "\n";
    return r.exit;
  };
  if (!storage::is_postgres_url(o.to)) {
    return fail(refusal(kMigrateUsage, Error::invalid("to", "--to takes a postgresql:// URL")));
  }
  auto paths = paths_of(o.from_data, o.keys);
  if (!paths.ok()) return fail(refusal(kMigrateUsage, paths.error()));
  const std::string where = storage::describe_database(o.to);

  if (auto refused = refuse_source_files(*paths)) return fail(*refused);
  // Held to the end: no process opens the instance while it moves.
  auto lock = InstanceLock::acquire(paths->data, InstanceLock::Mode::kExclusive);
  if (!lock.ok()) {
    return fail(
        refusal(lock.error().code == "instance_in_use" ? kSourceInUse : kMigrateSourceRefused,
                lock.error()));
  }
  // I1: a master key rotation killed half-way is finished or rolled back before a key is read.
  if (auto recovered = recover_rotation_locked(*paths); !recovered.ok()) {
    return fail(refusal(kMigrateSourceRefused, recovered.error()));
  }
  std::unique_ptr<storage::Store> source_store;
  auto opened_source = open_source(*paths, source_store);
  if (auto* r = std::get_if<MigrateRefusal>(&opened_source)) return fail(*r);
  const Source source = std::get<Source>(std::move(opened_source));
  std::cout << "source: " << paths->database().string() << " (SQLite), instance "
            << source.instance_id << ", audit trail verified (" << source.report.entries
            << " entries), head " << describe(source.head) << "\n";

  auto opened_target = storage::open_store(o.to, true);
  if (!opened_target.ok()) {
    return fail(refusal(exit_for_open_failure(opened_target.error(), kMigrateFailed),
                        Error::invalid("target", where + ": " + opened_target.error().message)));
  }
  auto target = std::move(opened_target).value();
  if (auto made = target->ensure_tables(services::declared_tables()); !made.ok()) {
    return fail(refusal(kMigrateFailed, made.error()));
  }
  std::optional<Step<TargetState>> state;
  if (auto read = target->read([&](storage::ReadTx& tx) -> Result<void> {
        state = judge_target(tx, source, o.to);
        return {};
      });
      !read.ok()) {
    return fail(refusal(kMigrateFailed, read.error()));
  }
  if (auto* r = std::get_if<MigrateRefusal>(&*state)) return fail(*r);
  const bool finishing = std::get<TargetState>(*state) == TargetState::kHoldsThisInstance;

  if (auto marked = mark_moving(*paths, o.to); !marked.ok()) {
    return fail(refusal(kMigrateFailed, marked.error()));
  }
  std::uint64_t rows = 0;
  bool record = true;
  auto refused = finishing ? finish_earlier_copy(*source_store, *target, source, record, rows)
                           : copy_and_prove(*source_store, *target, source, *paths, o.to, rows);
  if (refused) return fail(*refused);
  target->close();
  target.reset();
  source_store->close();
  source_store.reset();
  if (record) {
    if (auto refused = record_move(*paths, o.to, source, rows)) return fail(*refused);
  }
  if (auto retired = retire_source(*paths); !retired.ok()) {
    return fail(refusal(kMigrateFailed, retired.error()));
  }
  std::cout << "the instance now lives in " << where << "; " << paths->database().string()
            << " is now " << paths->migrated_database().string()
            << " (a backup: never serve it again).\n"
            << "check:  baomi audit verify --data " << paths->data.string() << " --database URL\n"
            << "serve:  baomi serve --data " << paths->data.string() << " --database URL\n";
  return kMigrated;
}

}  // namespace

int run_migrate(const MigrateOptions& o) { return migrate(o); }

}  // namespace baomi::cmd
