// RawDb: direct access to an instance's stored rows, on SQLite (the C API, loaded with dlopen)
// or PostgreSQL (libpq), for the tests that break storage on purpose.
#include <dlfcn.h>
#include <libpq-fe.h>
#include <sqlite3.h>  // declarations only: the library is loaded with dlopen

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

[[noreturn]] void raw_db_fail(const std::string& what) { throw std::runtime_error(what); }

}  // namespace

class RawDb::Backend {
 public:
  virtual ~Backend() = default;
  virtual void exec(const std::string& sql) = 0;
  virtual std::vector<std::uint8_t> query_blob(const std::string& sql,
                                               const std::vector<std::string>& params) = 0;
  virtual std::int64_t query_int(const std::string& sql,
                                 const std::vector<std::string>& params) = 0;
  virtual int exec_with_blob(const std::string& sql, const std::vector<std::uint8_t>& blob,
                             const std::vector<std::string>& params) = 0;
  virtual std::string as_blob(const std::string& text_expr) const = 0;
  virtual std::string as_text(const std::string& blob_expr) const = 0;
};

namespace {

// ---- SQLite ----

// The few SQLite functions the tests need, resolved once from libsqlite3.so.0.
struct SqliteApi {
  decltype(&::sqlite3_open_v2) open_v2;
  decltype(&::sqlite3_close_v2) close_v2;
  decltype(&::sqlite3_exec) exec;
  decltype(&::sqlite3_free) free;
  decltype(&::sqlite3_busy_timeout) busy_timeout;
  decltype(&::sqlite3_errmsg) errmsg;
  decltype(&::sqlite3_prepare_v2) prepare_v2;
  decltype(&::sqlite3_bind_text) bind_text;
  decltype(&::sqlite3_bind_blob) bind_blob;
  decltype(&::sqlite3_step) step;
  decltype(&::sqlite3_column_blob) column_blob;
  decltype(&::sqlite3_column_bytes) column_bytes;
  decltype(&::sqlite3_column_int64) column_int64;
  decltype(&::sqlite3_finalize) finalize;
  decltype(&::sqlite3_changes) changes;

  static const SqliteApi& get() {
    static const SqliteApi api = load();
    return api;
  }

 private:
  static SqliteApi load() {
    void* lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) raw_db_fail(std::string("RawDb: cannot load libsqlite3.so.0: ") + dlerror());
    SqliteApi a{};
    auto sym = [lib](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
      if (!fn) raw_db_fail(std::string("RawDb: libsqlite3 lacks ") + name);
    };
    sym(a.open_v2, "sqlite3_open_v2");
    sym(a.close_v2, "sqlite3_close_v2");
    sym(a.exec, "sqlite3_exec");
    sym(a.free, "sqlite3_free");
    sym(a.busy_timeout, "sqlite3_busy_timeout");
    sym(a.errmsg, "sqlite3_errmsg");
    sym(a.prepare_v2, "sqlite3_prepare_v2");
    sym(a.bind_text, "sqlite3_bind_text");
    sym(a.bind_blob, "sqlite3_bind_blob");
    sym(a.step, "sqlite3_step");
    sym(a.column_blob, "sqlite3_column_blob");
    sym(a.column_bytes, "sqlite3_column_bytes");
    sym(a.column_int64, "sqlite3_column_int64");
    sym(a.finalize, "sqlite3_finalize");
    sym(a.changes, "sqlite3_changes");
    return a;
  }
};

// A prepared statement that is finalized on every path.
class Statement {
 public:
  Statement(const SqliteApi& api, sqlite3* db, const std::string& sql) : api_(api), db_(db) {
    if (api_.prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      raw_db_fail("RawDb: " + sql + ": " + api_.errmsg(db));
    }
  }
  ~Statement() { api_.finalize(stmt_); }
  void bind_texts(const std::vector<std::string>& params, int first) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      api_.bind_text(stmt_, first + static_cast<int>(i), params[i].c_str(), -1, SQLITE_TRANSIENT);
    }
  }
  void bind_blob(int index, const std::vector<std::uint8_t>& blob) {
    api_.bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  }
  // True for a row, false when done.
  bool step() {
    const int rc = api_.step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    raw_db_fail(std::string("RawDb: step: ") + api_.errmsg(db_));
  }
  sqlite3_stmt* get() { return stmt_; }

 private:
  const SqliteApi& api_;
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteBackend final : public RawDb::Backend {
 public:
  explicit SqliteBackend(const std::filesystem::path& file) : api_(SqliteApi::get()) {
    const int rc = api_.open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
    if (rc != SQLITE_OK) {
      api_.close_v2(db_);
      raw_db_fail("RawDb: cannot open " + file.string());
    }
    api_.busy_timeout(db_, 10000);
  }
  ~SqliteBackend() override { api_.close_v2(db_); }

  void exec(const std::string& sql) override {
    char* err = nullptr;
    if (api_.exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "unknown error";
      api_.free(err);
      raw_db_fail("RawDb: " + sql + ": " + message);
    }
  }
  std::vector<std::uint8_t> query_blob(const std::string& sql,
                                       const std::vector<std::string>& params) override {
    Statement st(api_, db_, sql);
    st.bind_texts(params, 1);
    if (!st.step()) raw_db_fail("RawDb: no row for " + sql);
    const auto* data = static_cast<const std::uint8_t*>(api_.column_blob(st.get(), 0));
    const int n = api_.column_bytes(st.get(), 0);
    return data ? std::vector<std::uint8_t>(data, data + n) : std::vector<std::uint8_t>();
  }
  std::int64_t query_int(const std::string& sql, const std::vector<std::string>& params) override {
    Statement st(api_, db_, sql);
    st.bind_texts(params, 1);
    if (!st.step()) raw_db_fail("RawDb: no row for " + sql);
    return api_.column_int64(st.get(), 0);
  }
  int exec_with_blob(const std::string& sql, const std::vector<std::uint8_t>& blob,
                     const std::vector<std::string>& params) override {
    Statement st(api_, db_, sql);
    st.bind_blob(1, blob);
    st.bind_texts(params, 2);
    while (st.step()) {
    }
    return api_.changes(db_);
  }
  std::string as_blob(const std::string& text_expr) const override {
    return "CAST(" + text_expr + " AS BLOB)";
  }
  std::string as_text(const std::string& blob_expr) const override {
    return "CAST(" + blob_expr + " AS TEXT)";
  }

 private:
  const SqliteApi& api_;
  sqlite3* db_ = nullptr;
};

// ---- PostgreSQL ----

// `?` placeholders numbered as PostgreSQL wants them ($1, $2, ...); quoted literals are kept.
std::string numbered_placeholders(const std::string& sql) {
  std::string out;
  int n = 0;
  bool quoted = false;
  for (const char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PGresult* get() const { return r_; }

 private:
  PGresult* r_;
};

class PgBackend final : public RawDb::Backend {
 public:
  explicit PgBackend(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(conn_);
      PQfinish(conn_);
      raw_db_fail("RawDb: cannot connect to PostgreSQL: " + why);
    }
  }
  ~PgBackend() override { PQfinish(conn_); }

  void exec(const std::string& sql) override {
    PgResult r(PQexec(conn_, sql.c_str()));
    check(r, sql);
  }
  std::vector<std::uint8_t> query_blob(const std::string& sql,
                                       const std::vector<std::string>& params) override {
    // Binary results: a bytea column arrives as its bytes, a text column as its UTF-8 bytes.
    auto r = run(sql, nullptr, params, 1);
    if (PQntuples(r->get()) == 0) raw_db_fail("RawDb: no row for " + sql);
    const auto* data = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r->get(), 0, 0));
    return {data, data + PQgetlength(r->get(), 0, 0)};
  }
  std::int64_t query_int(const std::string& sql, const std::vector<std::string>& params) override {
    auto r = run(sql, nullptr, params, 0);
    if (PQntuples(r->get()) == 0) raw_db_fail("RawDb: no row for " + sql);
    if (PQgetisnull(r->get(), 0, 0)) return 0;  // as sqlite3_column_int64 reads NULL
    return std::strtoll(PQgetvalue(r->get(), 0, 0), nullptr, 10);
  }
  int exec_with_blob(const std::string& sql, const std::vector<std::uint8_t>& blob,
                     const std::vector<std::string>& params) override {
    auto r = run(sql, &blob, params, 0);
    return std::atoi(PQcmdTuples(r->get()));
  }
  std::string as_blob(const std::string& text_expr) const override {
    return "convert_to(" + text_expr + ", 'UTF8')";
  }
  std::string as_text(const std::string& blob_expr) const override {
    return "convert_from(" + blob_expr + ", 'UTF8')";
  }

 private:
  void check(const PgResult& r, const std::string& sql) const {
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      raw_db_fail("RawDb: " + sql + ": " + PQresultErrorMessage(r.get()));
    }
  }
  // `blob` (when given) is $1, sent as bytea in binary; `params` follow as text.
  std::unique_ptr<PgResult> run(const std::string& sql, const std::vector<std::uint8_t>* blob,
                                const std::vector<std::string>& params, int result_format) {
    std::vector<Oid> types;
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    if (blob != nullptr) {
      constexpr Oid kByteaOid = 17;
      types.push_back(kByteaOid);
      values.push_back(reinterpret_cast<const char*>(blob->data()));
      lengths.push_back(static_cast<int>(blob->size()));
      formats.push_back(1);
    }
    for (const auto& p : params) {
      types.push_back(0);
      values.push_back(p.c_str());
      lengths.push_back(0);
      formats.push_back(0);
    }
    auto r = std::make_unique<PgResult>(
        PQexecParams(conn_, numbered_placeholders(sql).c_str(), static_cast<int>(values.size()),
                     types.data(), values.data(), lengths.data(), formats.data(), result_format));
    check(*r, sql);
    return r;
  }

  PGconn* conn_;
};

}  // namespace

RawDb::RawDb(const TestInstance& instance) {
  if (instance.on_postgres()) {
    backend_ = std::make_unique<PgBackend>(instance.database_url());
  } else {
    sqlite_file_ = instance.data() / "baomi.db";
    backend_ = std::make_unique<SqliteBackend>(sqlite_file_);
  }
}

RawDb::RawDb(const std::filesystem::path& file)
    : backend_(std::make_unique<SqliteBackend>(file)), sqlite_file_(file) {}

std::filesystem::path RawDb::chunk_file(const std::string& document_id,
                                        std::uint64_t version) const {
  if (sqlite_file_.empty()) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  for (unsigned char c : document_id) {
    name.push_back(kHex[c >> 4]);
    name.push_back(kHex[c & 15]);
  }
  name += "-" + std::to_string(version);
  return std::filesystem::path(sqlite_file_.string() + "-chunks") / name;
}

std::int64_t RawDb::count_chunks(const std::string& document_id,
                                 std::optional<std::uint64_t> version) {
  const std::string where =
      " WHERE document_id = ?" + (version ? " AND version = " + std::to_string(*version) : "");
  std::int64_t n = query_int("SELECT count(*) FROM chunks" + where, {document_id});
  if (!sqlite_file_.empty())
    n += query_int("SELECT count(*) FROM chunk_files" + where, {document_id});
  return n;
}

namespace {

std::string chunk_where(std::uint64_t version, std::uint64_t index) {
  return " WHERE document_id = ? AND version = " + std::to_string(version) +
         " AND idx = " + std::to_string(index);
}

struct ChunkPlace {
  std::int64_t pos = 0, len = 0;
};

// SQLite: where one chunk lies in its version's file (nullopt: on PostgreSQL, or in a row).
std::optional<ChunkPlace> chunk_place(RawDb& db, const std::string& document_id,
                                      std::uint64_t version, std::uint64_t index) {
  const std::string where = chunk_where(version, index);
  if (db.chunk_file(document_id, version).empty() ||
      db.query_int("SELECT count(*) FROM chunk_files" + where, {document_id}) != 1) {
    return std::nullopt;
  }
  return ChunkPlace{db.query_int("SELECT pos FROM chunk_files" + where, {document_id}),
                    db.query_int("SELECT len FROM chunk_files" + where, {document_id})};
}

}  // namespace

std::vector<std::uint8_t> RawDb::read_chunk(const std::string& document_id, std::uint64_t version,
                                            std::uint64_t index) {
  if (const auto place = chunk_place(*this, document_id, version, index)) {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(place->len));
    std::ifstream in(chunk_file(document_id, version), std::ios::binary);
    in.seekg(place->pos);
    in.read(reinterpret_cast<char*>(out.data()), place->len);
    if (!in) return {};
    return out;
  }
  return query_blob("SELECT data FROM chunks" + chunk_where(version, index), {document_id});
}

int RawDb::write_chunk(const std::string& document_id, std::uint64_t version, std::uint64_t index,
                       const std::vector<std::uint8_t>& sealed) {
  if (const auto place = chunk_place(*this, document_id, version, index)) {
    if (static_cast<std::size_t>(place->len) != sealed.size()) {
      raw_db_fail("RawDb: a chunk file keeps sizes");
    }
    std::fstream f(chunk_file(document_id, version),
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(place->pos);
    f.write(reinterpret_cast<const char*>(sealed.data()), place->len);
    f.flush();
    return f ? 1 : 0;
  }
  return exec_with_blob("UPDATE chunks SET data = ?" + chunk_where(version, index), sealed,
                        {document_id});
}

RawDb::~RawDb() = default;

void RawDb::exec(const std::string& sql) { backend_->exec(sql); }

std::vector<std::uint8_t> RawDb::query_blob(const std::string& sql,
                                            const std::vector<std::string>& params) {
  return backend_->query_blob(sql, params);
}

std::int64_t RawDb::query_int(const std::string& sql, const std::vector<std::string>& params) {
  return backend_->query_int(sql, params);
}

int RawDb::exec_with_blob(const std::string& sql, const std::vector<std::uint8_t>& blob,
                          const std::vector<std::string>& params) {
  return backend_->exec_with_blob(sql, blob, params);
}

std::string RawDb::as_blob(const std::string& text_expr) const {
  return backend_->as_blob(text_expr);
}

std::string RawDb::as_text(const std::string& blob_expr) const {
  return backend_->as_text(blob_expr);
}

}  // namespace baomi::testing
