// PgTx: rows of declared tables (storage/table.h). The SQL is
// generated from the declaration; identifiers come from code, never from requests, and are
// still checked (and quoted) so that a bad declaration fails loudly instead of building odd SQL.
#include <algorithm>
#include <limits>
#include <stdexcept>

#include "storage/postgres/pg_tx.h"

namespace baomi::storage::postgres {
namespace {

// Rows fetched per round trip by scan_rows_each: bounded memory, whatever the table's size;
// few when rows carry sealed bytes (a chunk is 256 KiB).
constexpr std::size_t kScanPage = 1000;
constexpr std::size_t kBulkScanPage = 8;

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

// Row `row` of `r` as views; `out` has one slot per column.
void view_row(const Table& t, const PgResult& r, int row, std::vector<ValueView>& out) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const int col = static_cast<int>(i);
    if (r.is_null(row, col)) {
      out[i] = std::monostate{};
      continue;
    }
    switch (t.columns[i].type) {
      case ColumnType::kInteger:
        out[i] = r.int64(row, col);
        break;
      case ColumnType::kText:
        out[i] = r.text_view(row, col);
        break;
      case ColumnType::kBlob:
        out[i] = r.bytes_view(row, col);
        break;
    }
  }
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
    case Compare::kLessOrEqual:
      return " <= ";
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

// ON CONFLICT DO NOTHING: a taken key or unique index answers "no row inserted" instead of an
// error, which in PostgreSQL would abort the job's transaction for every later statement.
const PgTx::TableSql& PgTx::sql_for(const Table& t) {
  auto& cached = sql_[&t];
  if (cached.table == t.name && cached.columns == t.columns.size()) return cached;
  cached.table = t.name;
  cached.columns = t.columns.size();
  const auto columns = column_list(t);
  cached.get = "SELECT " + columns + " FROM " + quoted(t.name) + " WHERE " + key_match(t, 1);
  cached.insert = "INSERT INTO " + quoted(t.name) + "(" + columns + ") VALUES(";
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    cached.insert += (i ? ", " : "") + param(i + 1);
  cached.insert += ") ON CONFLICT DO NOTHING";
  cached.erase = "DELETE FROM " + quoted(t.name) + " WHERE " + key_match(t, 1);
  return cached;
}

Result<std::optional<Row>> PgTx::get_row(const Table& t, const Row& key) {
  check_row_size(t, key, t.key_size);
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(sql_for(t).get, row_params(key)));
  if (r.rows() == 0) return std::optional<Row>();
  return std::optional<Row>(read_row(t, r, 0));
}

// The row and the value beside it in one statement (one round trip): a scalar subquery.
Result<std::optional<RowBeside>> PgTx::get_row_beside(const Table& t, const Row& key,
                                                      const Beside& beside) {
  check_row_size(t, key, t.key_size);
  const Table& other = *beside.table;
  const auto at = other.position(beside.column);
  (void)other.position(beside.order_by);
  Params params = row_params(key);
  std::string sub = "SELECT " + quoted(beside.column) + " FROM " + quoted(other.name);
  for (std::size_t i = 0; i < beside.where.size(); ++i) {
    const auto& c = beside.where[i];
    if (c.compare != Compare::kEqual) throw std::logic_error("get_row_beside: equalities only");
    (void)other.position(c.column);
    sub += (i ? " AND " : " WHERE ") + quoted(c.column) + " = " + param(t.key_size + i + 1);
    params.value(c.value);
  }
  sub += " ORDER BY " + quoted(beside.order_by) + (beside.descending ? " DESC" : "") + " LIMIT 1";
  const auto q = "SELECT " + column_list(t) + ", (" + sub + ") FROM " + quoted(t.name) + " WHERE " +
                 key_match(t, 1);
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, params));
  if (r.rows() == 0) return std::optional<RowBeside>();
  RowBeside out{read_row(t, r, 0), Value()};
  const int col = static_cast<int>(t.columns.size());
  if (!r.is_null(0, col)) {
    switch (other.columns[at].type) {
      case ColumnType::kInteger:
        out.beside = r.int64(0, col);
        break;
      case ColumnType::kText:
        out.beside = r.text(0, col);
        break;
      case ColumnType::kBlob:
        out.beside = r.bytes(0, col);
        break;
    }
  }
  return std::optional<RowBeside>(std::move(out));
}

namespace {

// "WHERE c1 = $1 AND c2 < $2": the conditions bound from $1 on.
std::string where_clause(const Table& t, const std::vector<Condition>& where, Params& params) {
  std::string q;
  for (std::size_t i = 0; i < where.size(); ++i) {
    const auto& c = where[i];
    (void)t.position(c.column);  // a column the table has
    q += (i ? " AND " : " WHERE ") + quoted(c.column) + comparison(c.compare) + param(i + 1);
    params.value(c.value);
  }
  return q;
}

// "(c1, c2) > ($n, $n+1)": the tuple of `columns` after (or before) `values`.
std::string tuple_after(const std::vector<std::string>& columns, const Row& values, bool before,
                        std::size_t& next, Params& params) {
  std::string names, slots;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + quoted(columns[i]);
    slots += (i ? ", " : "") + param(next++);
    params.value(values[i]);
  }
  return "(" + names + (before ? ") < (" : ") > (") + slots + ")";
}

// The scan's SQL and parameters; `resume` continues after a row of an earlier page (its
// order_by values). The text depends only on the scan's shape, never on values, so the
// connection prepares each shape once.
std::string scan_query(const Table& t, const Scan& scan, const std::optional<Row>& resume,
                       std::size_t limit, Params& params) {
  std::string q = "SELECT " + column_list(t) + " FROM " + quoted(t.name);
  q += where_clause(t, scan.where, params);
  std::size_t next = scan.where.size() + 1;
  // Sequenced apart: tuple_after moves `next` on.
  const auto add_condition = [&](const std::vector<std::string>& columns, const Row& values,
                                 bool before) {
    q += next == 1 ? " WHERE " : " AND ";
    q += tuple_after(columns, values, before, next, params);
  };
  if (scan.after_key) {
    check_row_size(t, *scan.after_key, t.key_size);
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < t.key_size; ++i) keys.push_back(t.columns[i].name);
    add_condition(keys, *scan.after_key, false);
  }
  if (resume) add_condition(scan.order_by, *resume, scan.descending);
  // NULL sorts lowest, as in SQLite, so that both engines page alike.
  for (std::size_t i = 0; i < scan.order_by.size(); ++i) {
    (void)t.position(scan.order_by[i]);
    q += (i ? ", " : " ORDER BY ") + quoted(scan.order_by[i]) +
         (scan.descending ? " DESC NULLS LAST" : " NULLS FIRST");
  }
  q += " LIMIT " + param(next);
  params.int64(static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max())));
  return q;
}

// scan_rows_each pages by the order_by values of the last row: that is a cursor only when they
// name one row (every key column among them) and are never NULL.
void check_pageable(const Table& t, const Scan& scan) {
  for (const auto& column : scan.order_by) {
    if (t.columns[t.position(column)].nullable) {
      throw std::logic_error("streamed scan of " + t.name + " ordered by a nullable column");
    }
  }
  for (std::size_t i = 0; i < t.key_size; ++i) {
    if (std::find(scan.order_by.begin(), scan.order_by.end(), t.columns[i].name) ==
        scan.order_by.end()) {
      throw std::logic_error("streamed scan of " + t.name + " not ordered by its key");
    }
  }
}

std::size_t scan_page(const Table& t) {
  for (const auto& c : t.columns) {
    if (c.type == ColumnType::kBlob) return kBulkScanPage;
  }
  return kScanPage;
}

}  // namespace

Result<std::vector<Row>> PgTx::scan_rows(const Table& t, const Scan& scan) {
  Params params;
  const auto q = scan_query(t, scan, std::nullopt, scan.limit, params);
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, params));
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) rows.push_back(read_row(t, r, i));
  return rows;
}

// Pages inside the job's snapshot, so memory stays bounded and `fn` may run statements of its
// own on this transaction between rows. The views point into the page's result.
Result<void> PgTx::scan_views(const Table& t, const Scan& scan,
                              const std::function<bool(const RowView&)>& fn) {
  check_pageable(t, scan);
  const std::size_t page = scan_page(t);
  std::size_t left = scan.limit;
  std::optional<Row> resume;
  std::vector<ValueView> values(t.columns.size());
  const RowView view(values);
  while (left > 0) {
    Params params;
    const auto q = scan_query(t, scan, resume, std::min(page, left), params);
    BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, params));
    const auto rows = static_cast<std::size_t>(r.rows());
    for (int i = 0; i < r.rows(); ++i) {
      view_row(t, r, i, values);
      if (i + 1 == r.rows()) {
        const Row last = view.to_row();
        resume.emplace();
        for (const auto& column : scan.order_by) resume->push_back(last[t.position(column)]);
      }
      if (!fn(view)) return {};
    }
    if (rows < std::min(page, left)) return {};
    left -= rows;
  }
  return {};
}

Result<void> PgTx::insert_row(const Table& t, const Row& row) {
  check_row_size(t, row, t.columns.size());
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(sql_for(t).insert, row_params(row)));
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
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(sql_for(t).erase, row_params(key)));
  if (r.affected() != 1) return Error::not_found("record not found");
  return {};
}

Result<void> PgTx::delete_rows(const Table& t, const std::vector<Condition>& where) {
  Params params;
  const auto q = "DELETE FROM " + quoted(t.name) + where_clause(t, where, params);
  BAOMI_TRY(conn_.exec(q, params));
  return {};
}

}  // namespace baomi::storage::postgres
