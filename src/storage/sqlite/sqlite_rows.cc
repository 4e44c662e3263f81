// SqliteTx: rows of declared tables (storage/table.h). The SQL is generated from the
// declaration; identifiers come from code, never from requests, and are still checked so that a
// bad declaration fails loudly instead of building odd SQL.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/sqlite/generated_sql.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::storage::sqlite {
namespace {

const std::string& identifier(const std::string& name) {
  const bool ok =
      !name.empty() && name.size() < 64 &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  if (!ok) throw std::logic_error("bad SQL identifier in a table declaration: " + name);
  return name;
}

std::string column_list(const Table& t) {
  std::string out;
  for (const auto& c : t.columns) {
    if (!out.empty()) out += ", ";
    out += identifier(c.name);
  }
  return out;
}

// "k1 = ?1 AND k2 = ?2": the key columns bound from parameter `first`.
std::string key_match(const Table& t, int first) {
  std::string out;
  for (std::size_t i = 0; i < t.key_size; ++i) {
    if (i) out += " AND ";
    out += identifier(t.columns[i].name) + " = ?" + std::to_string(first + static_cast<int>(i));
  }
  return out;
}

void bind_value(Statement& s, int i, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    s.bind_null(i);
  } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
    s.bind(i, *n);
  } else if (const auto* text = std::get_if<std::string>(&v)) {
    s.bind(i, std::string_view(*text));
  } else {
    s.bind(i, std::get<Bytes>(v));
  }
}

Row read_row(const Table& t, const Statement& s) {
  Row row;
  row.reserve(t.columns.size());
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const int col = static_cast<int>(i);
    if (s.is_null(col)) {
      row.emplace_back(std::monostate{});
      continue;
    }
    switch (t.columns[i].type) {
      case ColumnType::kInteger:
        row.emplace_back(s.int64(col));
        break;
      case ColumnType::kText:
        row.emplace_back(s.text(col));
        break;
      case ColumnType::kBlob:
        row.emplace_back(s.blob(col));
        break;
    }
  }
  return row;
}

// The statement's current row as views; `out` has one slot per column.
void view_row(const Table& t, const Statement& s, std::vector<ValueView>& out) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const int col = static_cast<int>(i);
    if (s.is_null(col)) {
      out[i] = std::monostate{};
      continue;
    }
    switch (t.columns[i].type) {
      case ColumnType::kInteger:
        out[i] = s.int64(col);
        break;
      case ColumnType::kText:
        out[i] = s.text_view(col);
        break;
      case ColumnType::kBlob:
        out[i] = s.blob_view(col);
        break;
    }
  }
}

const char* sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "INTEGER";
    case ColumnType::kText:
      return "TEXT";
    case ColumnType::kBlob:
      return "BLOB";
  }
  return "BLOB";
}

const char* comparison(Compare compare) {
  switch (compare) {
    case Compare::kEqual:
      return " = ?";
    case Compare::kLess:
      return " < ?";
    case Compare::kLessOrEqual:
      return " <= ?";
    case Compare::kGreater:
      return " > ?";
    case Compare::kGreaterOrEqual:
      return " >= ?";
  }
  return " = ?";
}

// C5: the engine refuses to change or remove a row of an append-only table.
std::string append_only_triggers(const std::string& table) {
  std::string ddl;
  const std::pair<const char*, const char*> statements[] = {{"update", "UPDATE"},
                                                            {"delete", "DELETE"}};
  for (const auto& [name, statement] : statements) {
    ddl += "CREATE TRIGGER IF NOT EXISTS " + table + "_no_" + name + " BEFORE " + statement +
           " ON " + table + " BEGIN SELECT RAISE(ABORT, 'rows of " + table +
           " are append-only'); END;";
  }
  return ddl;
}

void check_row_size(const Table& t, const Row& row, std::size_t expected) {
  if (row.size() != expected) {
    throw std::logic_error("row of the wrong width for table " + t.name);
  }
}

}  // namespace

Result<void> SqliteTx::create_table(const Table& t) {
  std::string ddl = "CREATE TABLE IF NOT EXISTS " + identifier(t.name) + " (";
  for (const auto& c : t.columns) {
    ddl += identifier(c.name) + " " + sql_type(c.type) + (c.nullable ? ", " : " NOT NULL, ");
  }
  ddl += "PRIMARY KEY (";
  for (std::size_t i = 0; i < t.key_size; ++i) ddl += (i ? ", " : "") + t.columns[i].name;
  ddl += "));";
  for (const auto& index : t.indexes) {
    ddl += std::string(index.unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX") + " IF NOT EXISTS " +
           identifier(index.name) + " ON " + t.name + "(";
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
      ddl += (i ? ", " : "") + identifier(index.columns[i]);
    }
    ddl += ")";
    if (!index.partial_not_null.empty()) {
      ddl += " WHERE " + identifier(index.partial_not_null) + " IS NOT NULL";
    }
    ddl += ";";
  }
  if (t.append_only) ddl += append_only_triggers(t.name);
  return db_.exec(ddl.c_str());
}

namespace {

// The connection's generated text for `t`, (re)built when it was made from another declaration.
GeneratedSql::TableSql& table_sql(Db& db, const Table& t) {
  auto& cached = db.generated_sql().tables[&t];
  if (cached.declaration.describes(t)) return cached;
  cached.declaration.take(t);
  cached.scans.clear();
  cached.besides.clear();
  const auto columns = column_list(t);
  cached.get = "SELECT " + columns + " FROM " + identifier(t.name) + " WHERE " + key_match(t, 1);
  cached.insert = "INSERT INTO " + identifier(t.name) + "(" + columns + ") VALUES(";
  for (std::size_t i = 0; i < t.columns.size(); ++i) cached.insert += i ? ",?" : "?";
  cached.insert += ")";
  cached.erase = "DELETE FROM " + identifier(t.name) + " WHERE " + key_match(t, 1);
  return cached;
}

}  // namespace

const GeneratedSql::TableSql& SqliteTx::sql_for(const Table& t) { return table_sql(db_, t); }

Result<std::optional<Row>> SqliteTx::get_row(const Table& t, const Row& key) {
  check_row_size(t, key, t.key_size);
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(sql_for(t).get.c_str()));
  for (std::size_t i = 0; i < key.size(); ++i) bind_value(s, static_cast<int>(i) + 1, key[i]);
  BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
  if (!has) return std::optional<Row>();
  return std::optional<Row>(read_row(t, s));
}

namespace {

// "SELECT <t's columns>, (SELECT <column> FROM <other> WHERE w1 = ?k+1 AND ... ORDER BY <o>
// [DESC] LIMIT 1) FROM t WHERE <key>": the row and the value beside it in one statement, its
// text generated once per shape and connection.
const std::string& beside_sql(Db& db, const Table& t, const Beside& beside) {
  auto& besides = table_sql(db, t).besides;
  for (const auto& known : besides) {
    if (known.fits(beside)) return known.sql;
  }
  const Table& other = *beside.table;
  GeneratedSql::BesideSql shape;
  shape.table.take(other);
  shape.order_by = beside.order_by;
  shape.descending = beside.descending;
  shape.column = beside.column;
  (void)other.position(beside.column);
  (void)other.position(beside.order_by);
  std::string sub = "SELECT " + identifier(beside.column) + " FROM " + identifier(other.name);
  int param = static_cast<int>(t.key_size) + 1;
  for (std::size_t i = 0; i < beside.where.size(); ++i) {
    const auto& c = beside.where[i];
    if (c.compare != Compare::kEqual) throw std::logic_error("get_row_beside: equalities only");
    (void)other.position(c.column);
    shape.where.push_back(c.column);
    sub += (i ? " AND " : " WHERE ") + identifier(c.column) + " = ?" + std::to_string(param++);
  }
  sub +=
      " ORDER BY " + identifier(beside.order_by) + (beside.descending ? " DESC" : "") + " LIMIT 1";
  shape.sql = "SELECT " + column_list(t) + ", (" + sub + ") FROM " + identifier(t.name) +
              " WHERE " + key_match(t, 1);
  besides.push_back(std::move(shape));
  return besides.back().sql;
}

}  // namespace

Result<std::optional<RowBeside>> SqliteTx::get_row_beside(const Table& t, const Row& key,
                                                          const Beside& beside) {
  check_row_size(t, key, t.key_size);
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(beside_sql(db_, t, beside).c_str()));
  int param = 1;
  for (const auto& v : key) bind_value(s, param++, v);
  for (const auto& c : beside.where) bind_value(s, param++, c.value);
  BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
  if (!has) return std::optional<RowBeside>();
  RowBeside out{read_row(t, s), Value()};
  const int at = static_cast<int>(t.columns.size());
  if (!s.is_null(at)) {
    switch (beside.table->columns[beside.table->position(beside.column)].type) {
      case ColumnType::kInteger:
        out.beside = s.int64(at);
        break;
      case ColumnType::kText:
        out.beside = s.text(at);
        break;
      case ColumnType::kBlob:
        out.beside = s.blob(at);
        break;
    }
  }
  return std::optional<RowBeside>(std::move(out));
}

namespace {

// "WHERE c1 = ?1 AND c2 < ?2": the conditions bound from parameter 1 on.
std::string where_clause(const Table& t, const std::vector<Condition>& where) {
  std::string q;
  for (std::size_t i = 0; i < where.size(); ++i) {
    const auto& c = where[i];
    (void)t.position(c.column);  // a column the table has
    q += (i ? " AND " : " WHERE ") + identifier(c.column) + comparison(c.compare) +
         std::to_string(i + 1);
  }
  return q;
}

// The SQL text of a scan: it depends only on the scan's shape (the table, which conditions,
// order and cursor), never on values.
std::string scan_sql(const Table& t, const Scan& scan) {
  std::string q = "SELECT " + column_list(t) + " FROM " + identifier(t.name);
  q += where_clause(t, scan.where);
  int param = static_cast<int>(scan.where.size()) + 1;
  if (scan.after_key) {
    std::string columns, params;
    for (std::size_t i = 0; i < t.key_size; ++i) {
      columns += (i ? ", " : "") + identifier(t.columns[i].name);
      params += (i ? ", ?" : "?") + std::to_string(param++);
    }
    q += std::string(scan.where.empty() ? " WHERE (" : " AND (") + columns + ") > (" + params + ")";
  }
  for (std::size_t i = 0; i < scan.order_by.size(); ++i) {
    (void)t.position(scan.order_by[i]);
    q +=
        (i ? ", " : " ORDER BY ") + identifier(scan.order_by[i]) + (scan.descending ? " DESC" : "");
  }
  q += " LIMIT ?" + std::to_string(param);
  return q;
}

// The text of `scan` on `t`, generated once per shape and connection.
const std::string& cached_scan_sql(Db& db, const Table& t, const Scan& scan) {
  auto& scans = table_sql(db, t).scans;
  for (const auto& known : scans) {
    if (known.fits(scan)) return known.sql;
  }
  GeneratedSql::ScanSql shape;
  for (const auto& c : scan.where) shape.where.emplace_back(c.column, c.compare);
  shape.order_by = scan.order_by;
  shape.descending = scan.descending;
  shape.after_key = scan.after_key.has_value();
  shape.sql = scan_sql(t, scan);
  scans.push_back(std::move(shape));
  return scans.back().sql;
}

// The scan's statement, bound: its text generated and prepared once per shape and connection.
Result<Statement> prepare_scan(Db& db, const Table& t, const Scan& scan) {
  const int after_param = static_cast<int>(scan.where.size()) + 1;
  int param = after_param;
  if (scan.after_key) {
    check_row_size(t, *scan.after_key, t.key_size);
    param += static_cast<int>(t.key_size);
  }
  const std::string& q = cached_scan_sql(db, t, scan);
  BAOMI_ASSIGN_OR_RETURN(auto s, db.prepare(q.c_str()));
  for (std::size_t i = 0; i < scan.where.size(); ++i) {
    bind_value(s, static_cast<int>(i) + 1, scan.where[i].value);
  }
  if (scan.after_key) {
    for (std::size_t i = 0; i < t.key_size; ++i) {
      bind_value(s, after_param + static_cast<int>(i), (*scan.after_key)[i]);
    }
  }
  // Beyond int64 (e.g. SIZE_MAX for "all") binds -1: no limit.
  s.bind(param, static_cast<std::int64_t>(scan.limit));
  return s;
}

}  // namespace

Result<std::vector<Row>> SqliteTx::scan_rows(const Table& t, const Scan& scan) {
  BAOMI_ASSIGN_OR_RETURN(auto s, prepare_scan(db_, t, scan));
  std::vector<Row> rows;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return rows;
    rows.push_back(read_row(t, s));
  }
}

// One statement stepped to the end: SQLite lets fn run statements of its own meanwhile. The
// views point into SQLite's row buffer, good until the next step.
Result<void> SqliteTx::scan_views(const Table& t, const Scan& scan,
                                  const std::function<bool(const RowView&)>& fn) {
  BAOMI_ASSIGN_OR_RETURN(auto s, prepare_scan(db_, t, scan));
  std::vector<ValueView> values(t.columns.size());
  const RowView view(values);
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return {};
    view_row(t, s, values);
    if (!fn(view)) return {};
  }
}

Result<void> SqliteTx::insert_row(const Table& t, const Row& row) {
  check_row_size(t, row, t.columns.size());
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(sql_for(t).insert.c_str()));
  for (std::size_t i = 0; i < row.size(); ++i) bind_value(s, static_cast<int>(i) + 1, row[i]);
  return s.run();
}

Result<void> SqliteTx::update_row(const Table& t, const Row& row,
                                  const std::optional<Condition>& expect) {
  check_row_size(t, row, t.columns.size());
  // Parameters ?1..?n are the row in column order, so the key binds where it stands.
  std::string q = "UPDATE " + identifier(t.name) + " SET ";
  for (std::size_t i = t.key_size; i < t.columns.size(); ++i) {
    q += (i > t.key_size ? ", " : "") + identifier(t.columns[i].name) + " = ?" +
         std::to_string(i + 1);
  }
  q += " WHERE " + key_match(t, 1);
  const int expect_param = static_cast<int>(t.columns.size()) + 1;
  if (expect) {
    (void)t.position(expect->column);
    q += " AND " + identifier(expect->column) + " = ?" + std::to_string(expect_param);
  }
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  for (std::size_t i = 0; i < row.size(); ++i) bind_value(s, static_cast<int>(i) + 1, row[i]);
  if (expect) bind_value(s, expect_param, expect->value);
  BAOMI_TRY(s.run());
  if (db_.changes() == 1) return {};
  BAOMI_ASSIGN_OR_RETURN(
      auto current,
      get_row(t, Row(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(t.key_size))));
  if (!current) return Error::not_found("record not found");
  return Error::conflict("concurrent_update", "the record was changed meanwhile");
}

Result<void> SqliteTx::delete_row(const Table& t, const Row& key) {
  check_row_size(t, key, t.key_size);
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(sql_for(t).erase.c_str()));
  for (std::size_t i = 0; i < key.size(); ++i) bind_value(s, static_cast<int>(i) + 1, key[i]);
  BAOMI_TRY(s.run());
  if (db_.changes() != 1) return Error::not_found("record not found");
  return {};
}

Result<void> SqliteTx::delete_rows(const Table& t, const std::vector<Condition>& where) {
  const auto q = "DELETE FROM " + identifier(t.name) + where_clause(t, where);
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  for (std::size_t i = 0; i < where.size(); ++i) {
    bind_value(s, static_cast<int>(i) + 1, where[i].value);
  }
  return s.run();
}

}  // namespace baomi::storage::sqlite
