#include "storage/sqlite/snapshot.h"

#include <chrono>
#include <thread>

namespace baomi::storage::sqlite {

Result<void> online_backup(const std::filesystem::path& source, const std::filesystem::path& dest) {
  BAOMI_ASSIGN_OR_RETURN(auto src, Db::open(source, false));
  sqlite3* out = nullptr;
  int rc =
      sqlite3_open_v2(dest.c_str(), &out,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(out);
    return Error::unavailable("cannot create the snapshot " + dest.string());
  }
  // The snapshot is a scratch file: what makes the backup durable is the fsync of the finished
  // file, so its own writes need neither a journal nor syncs.
  char* msg = nullptr;
  rc = sqlite3_exec(out, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(out, rc, "prepare the snapshot");
    sqlite3_close_v2(out);
    return e;
  }
  sqlite3_backup* backup = sqlite3_backup_init(out, "main", src.raw(), "main");
  if (backup == nullptr) {
    Error e = sqlite_error(out, sqlite3_errcode(out), "start the online backup");
    sqlite3_close_v2(out);
    return e;
  }
  for (int attempt = 0; attempt < 600; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(backup);
  Result<void> done;
  if (rc != SQLITE_DONE) {
    done = sqlite_error(out, rc, "copy the database (online backup)");
  } else {
    // The copy stands alone: a rollback journal, no WAL beside it.
    rc = sqlite3_exec(out, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &msg);
    sqlite3_free(msg);
    if (rc != SQLITE_OK) done = sqlite_error(out, rc, "finish the snapshot");
  }
  if (sqlite3_close_v2(out) != SQLITE_OK && done.ok()) {
    done = Error::unavailable("cannot close the snapshot " + dest.string());
  }
  return done;
}

Result<std::string> quick_check(Db& db) {
  BAOMI_ASSIGN_OR_RETURN(auto stmt, db.prepare("PRAGMA quick_check"));
  BAOMI_ASSIGN_OR_RETURN(bool row, stmt.step());
  return row ? stmt.text(0) : std::string{};
}

Result<std::int64_t> user_version(Db& db) {
  BAOMI_ASSIGN_OR_RETURN(auto stmt, db.prepare("PRAGMA user_version"));
  BAOMI_ASSIGN_OR_RETURN(bool row, stmt.step());
  return row ? stmt.int64(0) : 0;
}

}  // namespace baomi::storage::sqlite
