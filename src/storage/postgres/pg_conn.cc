#include "storage/postgres/pg_conn.h"

#include <endian.h>

#include <cstring>

namespace baomi::storage::postgres {
namespace {

constexpr int kBinary = 1;

// SQLSTATE classes whose messages may quote values: data exceptions and constraint violations.
bool message_may_hold_values(std::string_view state) {
  return state.starts_with("22") || state.starts_with("23");
}

}  // namespace

Error pg_error(PGconn* conn, const PGresult* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && std::string_view(state).starts_with("23")) {
    return Error::conflict("conflict", std::string(what) + ": already exists");
  }
  std::string msg = std::string(what) + ": ";
  if (state == nullptr) {
    // No SQLSTATE: the connection itself failed (its message names host and port, no data).
    std::string reason = conn ? PQerrorMessage(conn) : "no connection";
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    msg += "database connection failed (" + reason + ")";
  } else {
    msg += std::string("SQLSTATE ") + state;
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (primary != nullptr && !message_may_hold_values(state))
      msg += std::string(" (") + primary + ")";
  }
  return {ErrorKind::kUnavailable, "storage_unavailable", msg, {}};
}

Params& Params::text(std::string_view v) {
  values_.push_back(v.empty() ? "" : v.data());
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(kBinary);
  return *this;
}

Params& Params::bytes(const Bytes& v) {
  values_.push_back(v.empty() ? "" : reinterpret_cast<const char*>(v.data()));
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(kBinary);
  return *this;
}

Params& Params::int64(std::int64_t v) {
  ints_.push_back(htobe64(static_cast<std::uint64_t>(v)));
  values_.push_back(reinterpret_cast<const char*>(&ints_.back()));
  lengths_.push_back(8);
  formats_.push_back(kBinary);
  return *this;
}

Params& Params::null() {
  values_.push_back(nullptr);
  lengths_.push_back(0);
  formats_.push_back(kBinary);
  return *this;
}

Params& Params::value(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return null();
  if (const auto* n = std::get_if<std::int64_t>(&v)) return int64(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return text(*s);
  return bytes(std::get<Bytes>(v));
}

std::string PgResult::text(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col),
                     static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}

Bytes PgResult::bytes(int row, int col) const {
  Bytes out;
  bytes_into(row, col, out);
  return out;
}

void PgResult::bytes_into(int row, int col, Bytes& out) const {
  const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_.get(), row, col));
  out.assign(p, p + PQgetlength(r_.get(), row, col));
}

std::string_view PgResult::text_view(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col),
          static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
}

ByteView PgResult::bytes_view(int row, int col) const {
  return {reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_.get(), row, col)),
          static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
}

std::int64_t PgResult::int64(int row, int col) const {
  std::uint64_t be = 0;
  if (PQgetlength(r_.get(), row, col) != 8) return 0;  // NULL (callers check is_null first)
  std::memcpy(&be, PQgetvalue(r_.get(), row, col), 8);
  return static_cast<std::int64_t>(be64toh(be));
}

std::size_t PgResult::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n == nullptr || *n == '\0' ? 0 : std::strtoull(n, nullptr, 10);
}

Result<Conn> Conn::connect(const std::string& url) {
  PGconn* raw = PQconnectdb(url.c_str());
  if (raw == nullptr) return Error::unavailable("cannot connect to PostgreSQL (out of memory)");
  Conn conn(raw);
  if (PQstatus(raw) != CONNECTION_OK) {
    return pg_error(raw, nullptr, "connect to PostgreSQL");
  }
  // Notices ("relation already exists, skipping" from CREATE ... IF NOT EXISTS) are the
  // server's chatter, not errors: they must not reach the operator's terminal as noise.
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);
  // Text values travel as their UTF-8 bytes (binary format): the client encoding must be UTF-8.
  if (PQsetClientEncoding(raw, "UTF8") != 0) {
    return pg_error(raw, nullptr, "set client encoding");
  }
  return conn;
}

Conn::Conn(Conn&& o) noexcept : conn_(o.conn_), prepared_(std::move(o.prepared_)) {
  o.conn_ = nullptr;
}

Conn::~Conn() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Result<void> Conn::command(const char* sql, std::string_view expect_tag) {
  PgResult r(PQexec(conn_, sql));
  if (r.status() != PGRES_COMMAND_OK) return pg_error(conn_, r.raw(), "statement");
  if (!expect_tag.empty() &&
      std::string_view(PQcmdStatus(const_cast<PGresult*>(r.raw()))) != expect_tag) {
    return Error::unavailable(std::string("statement: ") + sql + " did not complete");
  }
  return {};
}

Result<PgResult> Conn::exec(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    // Parameter types are inferred from where each $n stands (a column, a LIMIT, a function).
    const std::string name = "s" + std::to_string(prepared_.size());
    PgResult prepared(PQprepare(conn_, name.c_str(), sql.c_str(), params.size(), nullptr));
    if (prepared.status() != PGRES_COMMAND_OK) return pg_error(conn_, prepared.raw(), "prepare");
    it = prepared_.emplace(sql, name).first;
  }
  PgResult r(PQexecPrepared(conn_, it->second.c_str(), params.size(), params.values(),
                            params.lengths(), params.formats(), kBinary));
  const auto status = r.status();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return pg_error(conn_, r.raw(), "statement");
  }
  return r;
}

}  // namespace baomi::storage::postgres
