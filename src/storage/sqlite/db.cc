#include "storage/sqlite/db.h"

#include "storage/sqlite/generated_sql.h"

namespace baomi::storage::sqlite {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    return Error::conflict("conflict", std::string(what) + ": already exists");
  }
  // Everything else means the store cannot do its job: fail closed as 503. The SQLite message
  // names the failing operation (never bound values), so it may go to the server log.
  std::string msg = std::string(what) + ": " + sqlite3_errstr(rc);
  if (db != nullptr) msg += std::string(" (") + sqlite3_errmsg(db) + ")";
  return {ErrorKind::kUnavailable, "storage_unavailable", msg, {}};
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int i, const Bytes& v) {
  // A zero-length blob must still be a blob, not NULL.
  sqlite3_bind_blob64(stmt_, i, v.empty() ? "" : static_cast<const void*>(v.data()), v.size(),
                      SQLITE_STATIC);
  return *this;
}
Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::optional<std::int64_t> v) {
  if (v) return bind(i, *v);
  return bind_null(i);
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, rc, "statement");
}

Result<void> Statement::run() {
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool row, step());
    if (!row) return {};
  }
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}
Bytes Statement::blob(int col) const {
  Bytes out;
  blob_into(col, out);
  return out;
}
void Statement::blob_into(int col, Bytes& out) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  out.assign(p, p + (p == nullptr ? 0 : n));
}
std::string_view Statement::text_view(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
}
std::span<const std::uint8_t> Statement::blob_view(int col) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(n)};
}
std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
std::optional<std::int64_t> Statement::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

namespace {
// SQLite's allocator keeps usage statistics under one process-wide mutex, taken on every
// allocation: with a reader connection per request thread it was contended on every small read
// (about two futex calls a read, issue 14). Nothing here reads those statistics. Must precede
// SQLite's initialisation; where something else initialised it first, the call is refused and
// changes nothing.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}
}  // namespace

Result<Db> Db::open(const std::filesystem::path& file, bool create) {
  configure_sqlite_once();
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(raw, rc, "open database");
    sqlite3_close_v2(raw);
    return e;
  }
  sqlite3_extended_result_codes(raw, 1);
  Db db(raw);
  // Incremental auto-vacuum lets the server give the pages of deleted rows (aborted uploads)
  // back to the file system. Only a new database can take it, before WAL and its first table;
  // existing ones, and every reader connection, are left as they are (docs/operations.md).
  if (create) BAOMI_TRY(db.exec("PRAGMA auto_vacuum=INCREMENTAL;"));
  // WAL: readers never block the writer. synchronous=FULL: an acknowledged commit survives
  // power loss (DESIGN.md: durability is promised for every acknowledged write).
  // secure_delete: freed pages are zeroed so shredded ciphertext does not linger.
  BAOMI_TRY(
      db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
              "PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY; PRAGMA busy_timeout=10000;"));
  return db;
}

Db::~Db() {
  if (db_ == nullptr) return;
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Db::Db(sqlite3* db) : db_(db) {}

Db::Db(Db&& o) noexcept
    : db_(o.db_), cache_(std::move(o.cache_)), generated_(std::move(o.generated_)) {
  o.db_ = nullptr;
}

GeneratedSql& Db::generated_sql() {
  if (!generated_) generated_ = std::make_unique<GeneratedSql>();
  return *generated_;
}

Result<void> Db::exec(const char* sql) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
  return {};
}

Result<void> Db::run(const char* sql) {
  BAOMI_ASSIGN_OR_RETURN(auto s, prepare(sql));
  return s.run();
}

Result<Statement> Db::prepare(const char* sql) {
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end()) it = cache_.emplace(sql, Cached{}).first;
  auto& slot = it->second;
  if (slot.stmt != nullptr && !slot.in_use) {
    slot.in_use = true;
    return Statement(db_, slot.stmt, &slot.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
  if (slot.stmt == nullptr) {
    slot.stmt = stmt;
    slot.in_use = true;
    return Statement(db_, stmt, &slot.in_use);
  }
  return Statement(db_, stmt, nullptr);  // the cached one is busy in an outer loop
}

}  // namespace baomi::storage::sqlite
