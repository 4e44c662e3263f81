// PgTx: rows of declared tables (storage/table.h) and the record-write ledger. The SQL is
// generated from the declaration; identifiers come from code, never from requests, and are
// still checked (and quoted) so that a bad declaration fails loudly instead of building odd SQL.
#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

#include "storage/postgres/pg_tx.h"

namespace baomi::storage::postgres {
namespace {

// Record writes fetched per round trip by the ledger scans.
constexpr std::int64_t kScanPage = 1000;

std::string quoted(const std::string& name) {
  const bool ok =
      !name.empty() && name.size() < 64 &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  if (!ok) throw std::logic_error("bad SQL identifier in a table declaration: " + name);
  return "\"" + name + "\"";
}

std::string column_list(const Table& t) {
  std::string out;
  for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + quoted(c.name);
  return out;
}

std::string param(std::size_t n) { return "$" + std::to_string(n); }

// "k1" = $first AND "k2" = $first+1 ...
std::string key_match(const Table& t, std::size_t first) {
  std::string out;
  for (std::size_t i = 0; i < t.key_size; ++i) {
    out += (i ? " AND " : "") + quoted(t.columns[i].name) + " = " + param(first + i);
  }
  return out;
}

Row read_row(const Table& t, const PgResult& r, int row) {
  Row out;
  out.reserve(t.columns.size());
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const int col = static_cast<int>(i);
    if (r.is_null(row, col)) {
      out.emplace_back(std::monostate{});
      continue;
    }
    switch (t.columns[i].type) {
      case ColumnType::kInteger:
        out.emplace_back(r.int64(row, col));
        break;
      case ColumnType::kText:
        out.emplace_back(r.text(row, col));
        break;
      case ColumnType::kBlob:
        out.emplace_back(r.bytes(row, col));
        break;
    }
  }
  return out;
}

// Text compares byte by byte, as in SQLite, so that ordered scans agree across engines.
const char* sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "BIGINT";
    case ColumnType::kText:
      return "TEXT COLLATE \"C\"";
    case ColumnType::kBlob:
      return "BYTEA";
  }
  return "BYTEA";
}

void check_row_size(const Table& t, const Row& row, std::size_t expected) {
  if (row.size() != expected) throw std::logic_error("row of the wrong width for table " + t.name);
}

bool has_unique_index(const Table& t) {
  for (const auto& index : t.indexes) {
    if (index.unique) return true;
  }
  return false;
}

Params row_params(const Row& key) {
  Params p;
  for (const auto& v : key) p.value(v);
  return p;
}

}  // namespace

namespace {

const char* comparison(Compare compare) {
  switch (compare) {
    case Compare::kEqual:
      return " = ";
    case Compare::kLess:
      return " < ";
    case Compare::kGreater:
      return " > ";
    case Compare::kGreaterOrEqual:
      return " >= ";
  }
  return " = ";
}

// C5: the engine refuses to change or remove a row of an append-only table (as SQLite's
// triggers do), so not even a bug above it can rewrite one.
std::string append_only_trigger(const std::string& table) {
  return "CREATE OR REPLACE FUNCTION baomi_append_only() RETURNS trigger LANGUAGE plpgsql AS "
         "$$ BEGIN RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME; END $$;"
         "CREATE OR REPLACE TRIGGER " +
         quoted(table + "_append_only") + " BEFORE UPDATE OR DELETE ON " + quoted(table) +
         " FOR EACH ROW EXECUTE FUNCTION baomi_append_only();";
}

}  // namespace

Result<void> PgTx::create_table(const Table& t) {
  std::string ddl = "CREATE TABLE IF NOT EXISTS " + quoted(t.name) + " (";
  for (const auto& c : t.columns) {
    ddl += quoted(c.name) + " " + sql_type(c.type) + (c.nullable ? ", " : " NOT NULL, ");
  }
  ddl += "PRIMARY KEY (";
  for (std::size_t i = 0; i < t.key_size; ++i) ddl += (i ? ", " : "") + quoted(t.columns[i].name);
  ddl += "));";
  for (const auto& index : t.indexes) {
    ddl += std::string(index.unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX") + " IF NOT EXISTS " +
           quoted(index.name) + " ON " + quoted(t.name) + "(";
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
      ddl += (i ? ", " : "") + quoted(index.columns[i]);
    }
    ddl += ")";
    if (!index.partial_not_null.empty()) {
      ddl += " WHERE " + quoted(index.partial_not_null) + " IS NOT NULL";
    }
    ddl += ";";
  }
  if (t.append_only) ddl += append_only_trigger(t.name);
  return conn_.command(ddl.c_str());
}

Result<std::optional<Row>> PgTx::get_row(const Table& t, const Row& key) {
  check_row_size(t, key, t.key_size);
  const auto q =
      "SELECT " + column_list(t) + " FROM " + quoted(t.name) + " WHERE " + key_match(t, 1);
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, row_params(key)));
  if (r.rows() == 0) return std::optional<Row>();
  return std::optional<Row>(read_row(t, r, 0));
}

Result<std::vector<Row>> PgTx::scan_rows(const Table& t, const Scan& scan) {
  std::string q = "SELECT " + column_list(t) + " FROM " + quoted(t.name);
  Params params;
  for (std::size_t i = 0; i < scan.where.size(); ++i) {
    const auto& c = scan.where[i];
    (void)t.position(c.column);  // a column the table has
    q += (i ? " AND " : " WHERE ") + quoted(c.column) + comparison(c.compare) + param(i + 1);
    params.value(c.value);
  }
  std::size_t next = scan.where.size() + 1;
  if (scan.after_key) {
    check_row_size(t, *scan.after_key, t.key_size);
    std::string columns, values;
    for (std::size_t i = 0; i < t.key_size; ++i) {
      columns += (i ? ", " : "") + quoted(t.columns[i].name);
      values += (i ? ", " : "") + param(next++);
      params.value((*scan.after_key)[i]);
    }
    q += std::string(scan.where.empty() ? " WHERE (" : " AND (") + columns + ") > (" + values + ")";
  }
  // NULL sorts lowest, as in SQLite, so that both engines page alike.
  for (std::size_t i = 0; i < scan.order_by.size(); ++i) {
    (void)t.position(scan.order_by[i]);
    q += (i ? ", " : " ORDER BY ") + quoted(scan.order_by[i]) +
         (scan.descending ? " DESC NULLS LAST" : " NULLS FIRST");
  }
  q += " LIMIT " + param(next);
  params.int64(static_cast<std::int64_t>(
      std::min<std::size_t>(scan.limit, std::numeric_limits<std::int64_t>::max())));
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, params));
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) rows.push_back(read_row(t, r, i));
  return rows;
}

// ON CONFLICT DO NOTHING: a taken key or unique index answers "no row inserted" instead of an
// error, which in PostgreSQL would abort the job's transaction for every later statement.
Result<void> PgTx::insert_row(const Table& t, const Row& row) {
  check_row_size(t, row, t.columns.size());
  std::string q = "INSERT INTO " + quoted(t.name) + "(" + column_list(t) + ") VALUES(";
  for (std::size_t i = 0; i < row.size(); ++i) q += (i ? ", " : "") + param(i + 1);
  q += ") ON CONFLICT DO NOTHING";
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, row_params(row)));
  if (r.affected() != 1)
    return Error::conflict("conflict", "insert into " + t.name + ": already exists");
  return {};
}

Result<void> PgTx::update_row(const Table& t, const Row& row,
                              const std::optional<Condition>& expect) {
  check_row_size(t, row, t.columns.size());
  // Parameters $1..$n are the row in column order, so the key binds where it stands.
  std::string q = "UPDATE " + quoted(t.name) + " SET ";
  for (std::size_t i = t.key_size; i < t.columns.size(); ++i) {
    q += (i > t.key_size ? ", " : "") + quoted(t.columns[i].name) + " = " + param(i + 1);
  }
  q += " WHERE " + key_match(t, 1);
  Params params = row_params(row);
  if (expect) {
    (void)t.position(expect->column);
    q += " AND " + quoted(expect->column) + " = " + param(t.columns.size() + 1);
    params.value(expect->value);
  }
  // A unique index may refuse the new values; UPDATE has no ON CONFLICT, so the statement runs
  // in its own savepoint and a refusal leaves the job's transaction usable, as in SQLite.
  const bool guarded = has_unique_index(t);
  if (guarded) BAOMI_TRY(conn_.command("SAVEPOINT update_row"));
  auto updated = conn_.exec(q, params);
  if (guarded) {
    if (!updated.ok()) (void)conn_.command("ROLLBACK TO SAVEPOINT update_row");
    BAOMI_TRY(conn_.command("RELEASE SAVEPOINT update_row"));
  }
  if (!updated.ok()) return updated.take_error();
  if (updated->affected() == 1) return {};
  BAOMI_ASSIGN_OR_RETURN(
      auto current,
      get_row(t, Row(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(t.key_size))));
  if (!current) return Error::not_found("record not found");
  return Error::conflict("concurrent_update", "the record was changed meanwhile");
}

Result<void> PgTx::delete_row(const Table& t, const Row& key) {
  check_row_size(t, key, t.key_size);
  const auto q = "DELETE FROM " + quoted(t.name) + " WHERE " + key_match(t, 1);
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, row_params(key)));
  if (r.affected() != 1) return Error::not_found("record not found");
  return {};
}

void PgTx::note_record_write(RecordWrite write) {
  for (auto& pending : pending_writes_) {
    if (pending.table == write.table && pending.key == write.key) {
      pending.mac = std::move(write.mac);
      return;
    }
  }
  pending_writes_.push_back(std::move(write));
}

std::vector<RecordWrite> PgTx::take_record_writes() { return std::exchange(pending_writes_, {}); }

Result<void> PgTx::insert_record_writes(std::uint64_t seq, const std::vector<RecordWrite>& writes) {
  for (const auto& w : writes) {
    BAOMI_ASSIGN_OR_RETURN(
        auto r,
        conn_.exec(
            "INSERT INTO record_writes(tbl, key, seq, mac) VALUES($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING",
            Params().text(w.table).text(w.key).int64(static_cast<std::int64_t>(seq)).text(w.mac)));
    if (r.affected() != 1) return Error::conflict("conflict", "record write: already exists");
  }
  return {};
}

Result<std::optional<std::string>> PgTx::latest_record_write(const std::string& table,
                                                             const std::string& key) {
  for (auto it = pending_writes_.rbegin(); it != pending_writes_.rend(); ++it) {
    if (it->table == table && it->key == key) return std::optional<std::string>(it->mac);
  }
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec("SELECT mac FROM record_writes WHERE tbl = $1 AND "
                                            "key = $2 ORDER BY seq DESC LIMIT 1",
                                            Params().text(table).text(key)));
  if (r.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r.text(0, 0));
}

// Both ledger scans page by their sort key inside the job's snapshot (bounded memory; `fn`
// may query this transaction between pages).
Result<void> PgTx::scan_record_writes(
    const std::function<bool(std::uint64_t, const RecordWrite&)>& fn) {
  const std::string first =
      "SELECT seq, tbl, key, mac FROM record_writes ORDER BY seq, tbl, key LIMIT $1";
  const std::string next =
      "SELECT seq, tbl, key, mac FROM record_writes WHERE (seq, tbl, key) > ($2, $3, $4) "
      "ORDER BY seq, tbl, key LIMIT $1";
  std::optional<RecordWrite> last;
  std::int64_t last_seq = 0;
  for (;;) {
    Params params;
    params.int64(kScanPage);
    if (last) params.int64(last_seq).text(last->table).text(last->key);
    BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(last ? next : first, params));
    for (int i = 0; i < r.rows(); ++i) {
      RecordWrite w{r.text(i, 1), r.text(i, 2), r.text(i, 3)};
      if (!fn(static_cast<std::uint64_t>(r.int64(i, 0)), w)) return {};
    }
    if (r.rows() < kScanPage) return {};
    const int end = r.rows() - 1;
    last_seq = r.int64(end, 0);
    last = RecordWrite{r.text(end, 1), r.text(end, 2), {}};
  }
}

Result<void> PgTx::scan_latest_record_writes(const std::function<bool(const RecordWrite&)>& fn) {
  const std::string first =
      "SELECT DISTINCT ON (tbl, key) tbl, key, mac FROM record_writes "
      "ORDER BY tbl, key, seq DESC LIMIT $1";
  const std::string next =
      "SELECT DISTINCT ON (tbl, key) tbl, key, mac FROM record_writes WHERE (tbl, key) > ($2, $3) "
      "ORDER BY tbl, key, seq DESC LIMIT $1";
  std::optional<RecordWrite> last;
  for (;;) {
    Params params;
    params.int64(kScanPage);
    if (last) params.text(last->table).text(last->key);
    BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(last ? next : first, params));
    for (int i = 0; i < r.rows(); ++i) {
      if (!fn(RecordWrite{r.text(i, 0), r.text(i, 1), r.text(i, 2)})) return {};
    }
    if (r.rows() < kScanPage) return {};
    const int end = r.rows() - 1;
    last = RecordWrite{r.text(end, 0), r.text(end, 1), {}};
  }
}

}  // namespace baomi::storage::postgres
