#include "storage/sqlite/snapshot.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include "storage/sqlite/chunk_files.h"

namespace baomi::storage::sqlite {
namespace {

// Holds the chunk directory's guard exclusive (chunk_files.h): the server unlinks no chunk file
// meanwhile (it leaves them to a later sweep), so every file the snapshot names stays to copy.
class BackupGuard {
 public:
  static Result<BackupGuard> take(const std::filesystem::path& dir) {
    BackupGuard g;
    if (!std::filesystem::is_directory(dir)) return g;  // no chunk files (an older instance)
    g.fd_ = ::open((dir / ".guard").c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
    if (g.fd_ < 0) return Error::unavailable("cannot open " + (dir / ".guard").string());
    if (::flock(g.fd_, LOCK_EX) != 0) return Error::unavailable("cannot lock the chunk files");
    return g;
  }
  BackupGuard() = default;
  BackupGuard(BackupGuard&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  BackupGuard& operator=(BackupGuard&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~BackupGuard() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  int fd_ = -1;
};

Result<void> exec_raw(sqlite3* db, const char* sql, const char* what) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK) return sqlite_error(db, rc, what);
  return {};
}

// The copy carries the content of the chunk files its index names, as rows of its chunks table
// (the layout before issue 14, which every build reads): the snapshot is then one file that
// stands alone, and the backup file, its signature and `baomi restore` stay as they were.
Result<void> inline_chunk_files(sqlite3* out, const std::filesystem::path& chunk_dir) {
  std::unique_ptr<ChunkFiles> files;
  sqlite3_stmt* rows = nullptr;
  sqlite3_stmt* insert = nullptr;
  auto finish = [&](Result<void> r) {
    sqlite3_finalize(rows);
    sqlite3_finalize(insert);
    return r;
  };
  // A database from before issue 14 has no chunk_files table: nothing to do.
  int rc = sqlite3_prepare_v2(out,
                              "SELECT document_id, version, idx, pos, len FROM chunk_files "
                              "ORDER BY document_id, version, idx",
                              -1, &rows, nullptr);
  if (rc != SQLITE_OK) return finish({});
  rc = sqlite3_prepare_v2(out,
                          "INSERT INTO chunks(document_id, version, idx, data) VALUES (?, ?, ?, ?)",
                          -1, &insert, nullptr);
  if (rc != SQLITE_OK) return finish(sqlite_error(out, rc, "prepare the snapshot's chunks"));
  BAOMI_TRY(exec_raw(out, "BEGIN", "copy the chunk files"));
  Bytes data;
  for (;;) {
    rc = sqlite3_step(rows);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return finish(sqlite_error(out, rc, "read the chunk index"));
    if (!files) {
      auto opened = ChunkFiles::open(chunk_dir);
      if (!opened.ok()) return finish(opened.error());
      files = std::move(*opened);
    }
    const auto* id = reinterpret_cast<const char*>(sqlite3_column_text(rows, 0));
    const std::string document_id(id == nullptr ? "" : id,
                                  static_cast<std::size_t>(sqlite3_column_bytes(rows, 0)));
    const auto version = sqlite3_column_int64(rows, 1), idx = sqlite3_column_int64(rows, 2);
    const auto pos = sqlite3_column_int64(rows, 3), len = sqlite3_column_int64(rows, 4);
    if (version < 0 || pos < 0 || len < 0) {
      return finish(Error::integrity("the chunk index is damaged"));
    }
    auto read = files->read(document_id, static_cast<std::uint64_t>(version),
                            static_cast<std::uint64_t>(pos), static_cast<std::uint64_t>(len), data);
    if (!read.ok()) {
      return finish(Error{
          read.error().kind,
          read.error().code,
          "a chunk file the database names is missing or short (" + read.error().message + ")",
          {}});
    }
    sqlite3_reset(insert);
    sqlite3_bind_text(insert, 1, document_id.data(), static_cast<int>(document_id.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(insert, 2, version);
    sqlite3_bind_int64(insert, 3, idx);
    sqlite3_bind_blob(insert, 4, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
    rc = sqlite3_step(insert);
    if (rc != SQLITE_DONE) return finish(sqlite_error(out, rc, "copy a chunk into the snapshot"));
  }
  sqlite3_finalize(rows);
  rows = nullptr;
  BAOMI_TRY(finish(exec_raw(out, "DELETE FROM chunk_files; COMMIT", "copy the chunk files")));
  return {};
}

}  // namespace

Result<void> online_backup(const std::filesystem::path& source, const std::filesystem::path& dest) {
  // Before the snapshot: no chunk file it names may be unlinked until they are copied.
  BAOMI_ASSIGN_OR_RETURN(auto guard, BackupGuard::take(ChunkFiles::dir_for(source)));
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
  } else if (done = inline_chunk_files(out, ChunkFiles::dir_for(source)); !done.ok()) {
    (void)exec_raw(out, "ROLLBACK", "roll back the snapshot");
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
