// Tables as an engine sees them: typed columns, a primary key, secondary indexes, and rows as
// plain values. The sealed-record layer (barrier/records.h) declares one Table per entity and
// fills its rows with clear query columns, sealed bytes and MACs; an engine only has to store
// rows by key and answer simple ordered scans, which is what makes a second engine small.
// Plain value types; thread-safe as values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/bytes.h"

namespace baomi::storage {

enum class ColumnType { kText, kInteger, kBlob };

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  bool nullable = false;
};

struct Index {
  std::string name;  // unique across the database, e.g. "objects_owner"
  std::vector<std::string> columns;
  bool unique = false;
  // Only rows whose `partial_not_null` column is set are indexed ("" = every row).
  std::string partial_not_null;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::size_t key_size = 1;  // the first key_size columns form the primary key
  std::vector<Index> indexes;
  // Rows are written once and never changed or removed: the engine itself refuses updates and
  // deletions (C5, contact logs), so not even a bug above it can rewrite one.
  bool append_only = false;

  // The position of `column`; a bug (throws) when the table has none.
  std::size_t position(std::string_view column) const;
};

// NULL, an integer, text or bytes: one column of one row.
using Value = std::variant<std::monostate, std::int64_t, std::string, Bytes>;
// Values in the table's column order.
using Row = std::vector<Value>;

// A row as an engine holds it while a scan stands on it: the same values as views into the
// engine's own buffer, valid only during the scan's callback (ReadTx::scan_views). For reading
// many rows without copying each (e.g. `baomi audit verify` over millions of entries).
using ByteView = std::span<const std::uint8_t>;
using ValueView = std::variant<std::monostate, std::int64_t, std::string_view, ByteView>;

class RowView {
 public:
  explicit RowView(std::span<const ValueView> values) : values_(values) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values_[i]); }
  // The column as its declared type; a bug (throws) when it holds another (e.g. NULL).
  std::int64_t integer(std::size_t i) const { return std::get<std::int64_t>(values_[i]); }
  std::string_view text(std::size_t i) const { return std::get<std::string_view>(values_[i]); }
  ByteView bytes(std::size_t i) const { return std::get<ByteView>(values_[i]); }
  // The values copied out, as Row.
  Row to_row() const;

 private:
  std::span<const ValueView> values_;
};

enum class Compare { kEqual, kLess, kLessOrEqual, kGreater, kGreaterOrEqual };

struct Condition {
  std::string column;
  Compare compare = Compare::kEqual;
  Value value;  // an ordering comparison with NULL never matches
};

// Rows matching every condition, ordered by `order_by` (ascending, or descending on every
// column when `descending`), at most `limit`.
struct Scan {
  std::vector<Condition> where;
  std::vector<std::string> order_by;
  std::size_t limit = 100;
  bool descending = false;
  // Only rows whose key columns, compared as a tuple, come after these values: with order_by
  // the key columns, a cursor through a table of any size.
  std::optional<Row> after_key;
};

// One value looked up beside a row (ReadTx::get_row_beside): `column` of the first row of
// `table` matching every `where` (equalities) in `order_by` order, descending when asked.
struct Beside {
  const Table* table = nullptr;
  std::vector<Condition> where;
  std::string order_by;
  bool descending = false;
  std::string column;
};
struct RowBeside {
  Row row;
  Value beside;  // monostate: nothing matched
};

// A record's name in the record ledger: its key columns, '/'-joined, '%' and '/' escaped
// (`row` holds at least the key columns), and the key columns back from that name (nullopt
// when it is malformed for `table`).
std::string record_key_text(const Table& table, const Row& row);
std::optional<Row> record_key_row(const Table& table, std::string_view key);

// The meta entry that says every row of `table` has a recorded write in the record ledger
// (audit/record_baseline.h): from then on a row the ledger never saw is refused (I1).
std::string record_baseline_meta_key(std::string_view table);

// A sealed record written in the current write job (I1, rollback detection): its table, its
// key (the key columns joined by '/') and its MAC; an empty MAC records a deletion. The audit
// entry appended in the same job commits to these (audit_log.h).
struct RecordWrite {
  std::string table;
  std::string key;
  std::string mac;
};

}  // namespace baomi::storage
