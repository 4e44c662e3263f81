// SqliteTx: rows of declared tables (storage/table.h) and the record-write ledger. The SQL is
// generated from the declaration; identifiers come from code, never from requests, and are
// still checked so that a bad declaration fails loudly instead of building odd SQL.
#include <stdexcept>

#include "storage/sqlite/rows.h"
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
  return db_.exec(ddl.c_str());
}

Result<std::optional<Row>> SqliteTx::get_row(const Table& t, const Row& key) {
  check_row_size(t, key, t.key_size);
  const auto q =
      "SELECT " + column_list(t) + " FROM " + identifier(t.name) + " WHERE " + key_match(t, 1);
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  for (std::size_t i = 0; i < key.size(); ++i) bind_value(s, static_cast<int>(i) + 1, key[i]);
  BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
  if (!has) return std::optional<Row>();
  return std::optional<Row>(read_row(t, s));
}

Result<std::vector<Row>> SqliteTx::scan_rows(const Table& t, const Scan& scan) {
  std::string q = "SELECT " + column_list(t) + " FROM " + identifier(t.name);
  int param = 1;
  for (std::size_t i = 0; i < scan.where.size(); ++i) {
    const auto& c = scan.where[i];
    (void)t.position(c.column);  // a column the table has
    const char* op = c.compare == Compare::kEqual  ? " = ?"
                     : c.compare == Compare::kLess ? " < ?"
                                                   : " > ?";
    q += (i ? " AND " : " WHERE ") + identifier(c.column) + op + std::to_string(param++);
  }
  const int after_param = param;
  if (scan.after_key) {
    check_row_size(t, *scan.after_key, t.key_size);
    std::string columns, params;
    for (std::size_t i = 0; i < t.key_size; ++i) {
      columns += (i ? ", " : "") + identifier(t.columns[i].name);
      params += (i ? ", ?" : "?") + std::to_string(param++);
    }
    q += std::string(scan.where.empty() ? " WHERE (" : " AND (") + columns + ") > (" + params + ")";
  }
  for (std::size_t i = 0; i < scan.order_by.size(); ++i) {
    (void)t.position(scan.order_by[i]);
    q += (i ? ", " : " ORDER BY ") + identifier(scan.order_by[i]);
  }
  q += " LIMIT ?" + std::to_string(param);
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  for (std::size_t i = 0; i < scan.where.size(); ++i) {
    bind_value(s, static_cast<int>(i) + 1, scan.where[i].value);
  }
  if (scan.after_key) {
    for (std::size_t i = 0; i < t.key_size; ++i) {
      bind_value(s, after_param + static_cast<int>(i), (*scan.after_key)[i]);
    }
  }
  s.bind(param, static_cast<std::int64_t>(scan.limit));
  std::vector<Row> rows;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return rows;
    rows.push_back(read_row(t, s));
  }
}

Result<void> SqliteTx::insert_row(const Table& t, const Row& row) {
  check_row_size(t, row, t.columns.size());
  std::string q = "INSERT INTO " + identifier(t.name) + "(" + column_list(t) + ") VALUES(";
  for (std::size_t i = 0; i < row.size(); ++i) q += i ? ",?" : "?";
  q += ")";
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
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
  const auto q = "DELETE FROM " + identifier(t.name) + " WHERE " + key_match(t, 1);
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  for (std::size_t i = 0; i < key.size(); ++i) bind_value(s, static_cast<int>(i) + 1, key[i]);
  BAOMI_TRY(s.run());
  if (db_.changes() != 1) return Error::not_found("record not found");
  return {};
}

void SqliteTx::note_record_write(RecordWrite write) {
  for (auto& pending : pending_writes_) {
    if (pending.table == write.table && pending.key == write.key) {
      pending.mac = std::move(write.mac);
      return;
    }
  }
  pending_writes_.push_back(std::move(write));
}

std::vector<RecordWrite> SqliteTx::take_record_writes() {
  return std::exchange(pending_writes_, {});
}

Result<void> SqliteTx::insert_record_writes(std::uint64_t seq,
                                            const std::vector<RecordWrite>& writes) {
  for (const auto& w : writes) {
    BAOMI_ASSIGN_OR_RETURN(
        auto s, db_.prepare("INSERT INTO record_writes(tbl, key, seq, mac) VALUES(?,?,?,?)"));
    s.bind(1, w.table).bind(2, w.key).bind(3, i64(seq)).bind(4, w.mac);
    BAOMI_TRY(s.run());
  }
  return {};
}

Result<std::optional<std::string>> SqliteTx::latest_record_write(const std::string& table,
                                                                 const std::string& key) {
  for (auto it = pending_writes_.rbegin(); it != pending_writes_.rend(); ++it) {
    if (it->table == table && it->key == key) return std::optional<std::string>(it->mac);
  }
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT mac FROM record_writes WHERE tbl = ? AND "
                                             "key = ? ORDER BY seq DESC LIMIT 1"));
  s.bind(1, table).bind(2, key);
  BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
  if (!has) return std::optional<std::string>();
  return std::optional<std::string>(s.text(0));
}

Result<void> SqliteTx::scan_record_writes(
    const std::function<bool(std::uint64_t, const RecordWrite&)>& fn) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("SELECT seq, tbl, key, mac FROM record_writes ORDER BY seq, tbl, key"));
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return {};
    RecordWrite w{s.text(1), s.text(2), s.text(3)};
    if (!fn(static_cast<std::uint64_t>(s.int64(0)), w)) return {};
  }
}

Result<void> SqliteTx::scan_latest_record_writes(
    const std::function<bool(const RecordWrite&)>& fn) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("SELECT tbl, key, mac FROM record_writes AS r WHERE seq = (SELECT "
                          "max(seq) FROM record_writes WHERE tbl = r.tbl AND key = r.key) "
                          "ORDER BY tbl, key"));
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return {};
    if (!fn(RecordWrite{s.text(0), s.text(1), s.text(2)})) return {};
  }
}

}  // namespace baomi::storage::sqlite
