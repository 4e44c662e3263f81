// Minimal RAII over the SQLite C API: a connection and a prepared statement with typed binds.
// Not thread-safe: one Db per thread at a time (the store pools them).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/bytes.h"
#include "core/result.h"

namespace baomi::storage::sqlite {

struct GeneratedSql;  // generated_sql.h

// A prepared statement borrowed from the connection's cache (reset and returned on
// destruction) or, when the cached one is busy in an outer loop, owned outright.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
      : db_(db), stmt_(stmt), in_use_(in_use) {}
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), in_use_(o.in_use_) {
    o.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, const Bytes& v);
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, std::optional<std::int64_t> v);
  Statement& bind_null(int i);

  // Steps once: true when a row is available, false when done; error on failure.
  Result<bool> step();
  Result<void> run();  // steps to completion, expecting no rows

  std::string text(int col) const;
  Bytes blob(int col) const;
  void blob_into(int col, Bytes& out) const;
  // Views into SQLite's buffer for the current row: valid until the next step or reset.
  std::string_view text_view(int col) const;
  std::span<const std::uint8_t> blob_view(int col) const;
  std::int64_t int64(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // cache slot flag; null when this statement is owned
};

class Db {
 public:
  static Result<Db> open(const std::filesystem::path& file, bool create);
  Db(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Runs SQL text (several statements allowed), parsed every time: for set-up and DDL.
  Result<void> exec(const char* sql);
  Result<Statement> prepare(const char* sql);
  // One statement without parameters or rows, prepared once per connection: for what runs on
  // every request (BEGIN, COMMIT, savepoints), so that it is not parsed again each time.
  Result<void> run(const char* sql);
  sqlite3* raw() { return db_; }
  int changes() const { return sqlite3_changes(db_); }
  // The SQL text generated from table declarations for this connection (generated_sql.h).
  GeneratedSql& generated_sql();

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Looked up by the SQL text as it is passed, without building a std::string per call.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  explicit Db(sqlite3* db);
  sqlite3* db_;
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;
  std::unique_ptr<GeneratedSql> generated_;
};

// Maps a SQLite failure to a value: busy/full/io/constraint become distinct errors whose
// messages say what failed, never what data was involved.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

}  // namespace baomi::storage::sqlite
