// GeneratedSql: the SQL text sqlite_rows.cc generates from table declarations, kept with the
// connection (Db) for its whole life. Generating it (column lists, checked identifiers, the
// scan's clauses) on every transaction and scan was about 4% of an audited small read's
// instructions (issue 14); the text depends only on the declaration and the scan's shape, never
// on values. Each entry remembers the declaration it was made from (name, key size, column
// names) and is rebuilt when another table comes to live at the same address. Not thread-safe:
// one connection, one thread at a time, like Db.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/table.h"

namespace baomi::storage::sqlite {

struct GeneratedSql {
  // What the text was generated from.
  struct Declaration {
    std::string name;
    std::size_t key_size = 0;
    std::vector<std::string> columns;

    bool describes(const Table& t) const {
      if (name != t.name || key_size != t.key_size || columns.size() != t.columns.size()) {
        return false;
      }
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] != t.columns[i].name) return false;
      }
      return true;
    }
    void take(const Table& t) {
      name = t.name;
      key_size = t.key_size;
      columns.clear();
      for (const auto& c : t.columns) columns.push_back(c.name);
    }
  };
  // The shape of a scan: everything its SQL text depends on.
  struct ScanSql {
    std::vector<std::pair<std::string, Compare>> where;
    std::vector<std::string> order_by;
    bool descending = false;
    bool after_key = false;
    std::string sql;

    bool fits(const Scan& scan) const {
      if (descending != scan.descending || after_key != scan.after_key.has_value() ||
          where.size() != scan.where.size() || order_by != scan.order_by) {
        return false;
      }
      for (std::size_t i = 0; i < where.size(); ++i) {
        if (where[i].second != scan.where[i].compare || where[i].first != scan.where[i].column) {
          return false;
        }
      }
      return true;
    }
  };
  // The shape of a get_row_beside: the other table and the lookup's clauses.
  struct BesideSql {
    Declaration table;
    std::vector<std::string> where;
    std::string order_by;
    bool descending = false;
    std::string column;
    std::string sql;

    bool fits(const Beside& beside) const {
      if (!table.describes(*beside.table) || descending != beside.descending ||
          order_by != beside.order_by || column != beside.column ||
          where.size() != beside.where.size()) {
        return false;
      }
      for (std::size_t i = 0; i < where.size(); ++i) {
        if (where[i] != beside.where[i].column) return false;
      }
      return true;
    }
  };
  struct TableSql {
    Declaration declaration;
    std::string get, insert, erase;
    std::vector<ScanSql> scans;      // one per shape used on this table (a handful, fixed by code)
    std::vector<BesideSql> besides;  // the same for get_row_beside (the record ledger's lookup)
  };
  std::unordered_map<const Table*, TableSql> tables;
};

}  // namespace baomi::storage::sqlite
