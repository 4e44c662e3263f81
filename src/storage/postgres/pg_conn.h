// Minimal RAII over libpq: one connection, its prepared-statement cache, and results. Every
// statement with values is parameterised and sent in binary (integers as int8, text as its
// bytes, bytes as bytea); results come back in binary too, so no value is ever formatted into
// SQL or parsed from text. Not thread-safe: one Conn per thread at a time (the store pools them).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "storage/table.h"

namespace baomi::storage::postgres {

// Parameters $1, $2, ... of one statement, in binary. Text and bytes are referenced, not
// copied: the values must outlive the call that sends them.
class Params {
 public:
  Params() = default;
  Params(Params&&) = default;  // the int8 images stay where they are: no copies of pointers
  Params(const Params&) = delete;
  Params& operator=(const Params&) = delete;

  Params& text(std::string_view v);
  Params& bytes(const Bytes& v);
  Params& int64(std::int64_t v);
  Params& null();
  Params& value(const Value& v);  // a declared-row value, by its alternative

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::deque<std::uint64_t> ints_;  // big-endian int8 images; a deque keeps their addresses
};

// A statement's result, in binary format.
class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r, &PQclear) {}
  const PGresult* raw() const { return r_.get(); }
  ExecStatusType status() const { return PQresultStatus(r_.get()); }
  int rows() const { return PQntuples(r_.get()); }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string text(int row, int col) const;
  Bytes bytes(int row, int col) const;
  void bytes_into(int row, int col, Bytes& out) const;
  std::int64_t int64(int row, int col) const;
  // Views into the result's buffer: valid while this result lives.
  std::string_view text_view(int row, int col) const;
  ByteView bytes_view(int row, int col) const;
  // Rows changed by INSERT/UPDATE/DELETE.
  std::size_t affected() const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> r_;
};

class Conn {
 public:
  // Connects with a libpq URL (postgresql://user@host:port/db?sslmode=...): TLS, host, user and
  // everything else are libpq's, as its documentation describes.
  static Result<Conn> connect(const std::string& url);
  Conn(Conn&& o) noexcept;
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  // A statement without parameters (BEGIN, COMMIT, SAVEPOINT, DDL); `expect_tag`, when given,
  // must be the command tag (COMMIT of a failed transaction answers ROLLBACK).
  Result<void> command(const char* sql, std::string_view expect_tag = {});
  // A parameterised statement, prepared once per connection and cached.
  Result<PgResult> exec(const std::string& sql, const Params& params);
  Result<PgResult> exec(const std::string& sql) { return exec(sql, Params{}); }

  // The connection is gone (server restarted, network down): the store drops it.
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // A statement failed in the open transaction, which now refuses everything until rolled back.
  bool transaction_failed() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }
  // No transaction open: the connection may go back to the pool.
  bool idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }

 private:
  explicit Conn(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
};

// Maps a failure to a value: a unique-key violation is a conflict, anything else means the
// store cannot do its job (503, fail closed). Messages name the operation and the SQLSTATE,
// never a value (PostgreSQL's own messages for data errors quote values, so they are left out).
Error pg_error(PGconn* conn, const PGresult* result, std::string_view what);

}  // namespace baomi::storage::postgres
