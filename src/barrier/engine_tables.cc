#include "barrier/engine_tables.h"

#include <limits>
#include <utility>

#include "storage/chunks.h"

namespace baomi::barrier {
namespace {

using storage::ColumnType;
using storage::Compare;
using storage::Condition;
using storage::Row;
using storage::Scan;
using storage::Table;

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::int64_t int_at(const Row& row, std::size_t i) { return std::get<std::int64_t>(row[i]); }
std::string& text_at(Row& row, std::size_t i) { return std::get<std::string>(row[i]); }
Bytes& bytes_at(Row& row, std::size_t i) { return std::get<Bytes>(row[i]); }

// The bytes of one stored chunk into `out`; kIntegrity naming `what` when it is missing.
Result<void> read_data(storage::ReadTx& tx, const Table& table, const Row& key, Bytes& out,
                       const char* what) {
  BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(table, key));
  if (!row) return Error::integrity(what);
  out = std::move(bytes_at(*row, table.columns.size() - 1));
  return {};
}

}  // namespace

const Table& kek_table() {
  static const Table table{
      "keks", {{"version", ColumnType::kInteger}, {"sealed", ColumnType::kBlob}}, 1, {}};
  return table;
}

Result<std::vector<KekRow>> list_keks(storage::ReadTx& tx) {
  Scan scan;
  scan.order_by = {"version"};
  scan.limit = std::numeric_limits<std::size_t>::max();
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(kek_table(), scan));
  std::vector<KekRow> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    out.push_back({static_cast<std::uint32_t>(int_at(row, 0)), std::move(bytes_at(row, 1))});
  }
  return out;
}

Result<void> insert_kek(storage::WriteTx& tx, const KekRow& row) {
  return tx.insert_row(kek_table(), {std::int64_t{row.version}, row.sealed});
}

const Table& chunk_table() { return storage::chunk_table(); }

// The engine decides where chunks live (storage/chunks.h): rows, or files beside the database.
Result<void> read_chunk(storage::ReadTx& tx, const std::string& document_id, std::uint64_t version,
                        std::uint64_t index, Bytes& out) {
  return tx.read_chunk(document_id, version, index, out);
}

Result<void> write_chunk(storage::WriteTx& tx, const std::string& document_id,
                         std::uint64_t version, std::uint64_t index, const Bytes& sealed) {
  return tx.write_chunk(document_id, version, index, sealed);
}

Result<void> delete_chunks(storage::WriteTx& tx, const std::string& document_id,
                           std::uint64_t version) {
  return tx.delete_chunks(document_id, version);
}

const Table& blob_table() {
  static const Table table{
      "blobs",
      {{"owner", ColumnType::kText}, {"idx", ColumnType::kInteger}, {"data", ColumnType::kBlob}},
      2,
      {}};
  return table;
}

Result<void> read_blob_chunk(storage::ReadTx& tx, const std::string& owner, std::uint64_t index,
                             Bytes& out) {
  return read_data(tx, blob_table(), {owner, i64(index)}, out, "a stored blob is incomplete");
}

Result<void> write_blob_chunk(storage::WriteTx& tx, const std::string& owner, std::uint64_t index,
                              const Bytes& sealed) {
  return tx.insert_row(blob_table(), {owner, i64(index), sealed});
}

const Table& record_write_table() {
  static const Table table{"record_writes",
                           {{"tbl", ColumnType::kText},
                            {"key", ColumnType::kText},
                            {"seq", ColumnType::kInteger},
                            {"mac", ColumnType::kText}},
                           3,
                           {{"record_writes_seq", {"seq"}, false, ""}}};
  return table;
}

Result<std::optional<std::string>> latest_record_write(storage::ReadTx& tx,
                                                       const std::string& table,
                                                       const std::string& key) {
  const auto& pending = tx.pending_record_writes();
  for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
    if (it->table == table && it->key == key) return std::optional<std::string>(it->mac);
  }
  Scan scan;
  scan.where = {{"tbl", Compare::kEqual, table}, {"key", Compare::kEqual, key}};
  scan.order_by = {"seq"};
  scan.descending = true;
  scan.limit = 1;
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(record_write_table(), scan));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(text_at(rows.front(), 3)));
}

Result<std::optional<RowAndLatest>> get_row_and_latest_write(storage::ReadTx& tx,
                                                             const Table& table, const Row& key,
                                                             const std::string& ledger_key) {
  // This job's own writes come first, as in latest_record_write.
  const auto& pending = tx.pending_record_writes();
  for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
    if (it->table == table.name && it->key == ledger_key) {
      BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(table, key));
      if (!row) return std::optional<RowAndLatest>();
      return std::optional<RowAndLatest>(RowAndLatest{std::move(*row), it->mac});
    }
  }
  storage::Beside beside;
  beside.table = &record_write_table();
  beside.where = {{"tbl", Compare::kEqual, table.name}, {"key", Compare::kEqual, ledger_key}};
  beside.order_by = "seq";
  beside.descending = true;
  beside.column = "mac";
  BAOMI_ASSIGN_OR_RETURN(auto fetched, tx.get_row_beside(table, key, beside));
  if (!fetched) return std::optional<RowAndLatest>();
  RowAndLatest out{std::move(fetched->row), std::nullopt};
  if (auto* mac = std::get_if<std::string>(&fetched->beside)) out.latest = std::move(*mac);
  return std::optional<RowAndLatest>(std::move(out));
}

Result<void> insert_record_writes(storage::WriteTx& tx, std::uint64_t seq,
                                  const std::vector<storage::RecordWrite>& writes) {
  for (const auto& w : writes) {
    BAOMI_TRY(tx.insert_row(record_write_table(), {w.table, w.key, i64(seq), w.mac}));
  }
  return {};
}

namespace {

// A ledger row's text column; NULL (a table rebuilt by hand) reads as "".
std::string_view text_view(const storage::RowView& row, std::size_t i) {
  return row.is_null(i) ? std::string_view() : row.text(i);
}

}  // namespace

// Both scans hand each row over in one RecordWrite reused from row to row (assigned, not
// rebuilt): `audit verify` reads the whole ledger twice, without an allocation per row.
Result<void> scan_record_writes(
    storage::ReadTx& tx,
    const std::function<bool(std::uint64_t seq, const storage::RecordWrite&)>& fn) {
  Scan scan;
  scan.order_by = {"seq", "tbl", "key"};
  scan.limit = std::numeric_limits<std::size_t>::max();
  storage::RecordWrite w;
  return tx.scan_views(record_write_table(), scan, [&](const storage::RowView& row) {
    w.table.assign(text_view(row, 0));
    w.key.assign(text_view(row, 1));
    w.mac.assign(text_view(row, 3));
    return fn(static_cast<std::uint64_t>(row.is_null(2) ? 0 : row.integer(2)), w);
  });
}

// Engine-neutral: every write in key order (tbl, key, seq), each record's last one passed on
// as the next record begins. One pass over the primary key, no per-row subquery.
Result<void> scan_latest_record_writes(storage::ReadTx& tx,
                                       const std::function<bool(const storage::RecordWrite&)>& fn) {
  Scan scan;
  scan.order_by = {"tbl", "key", "seq"};
  scan.limit = std::numeric_limits<std::size_t>::max();
  storage::RecordWrite latest;
  bool have = false;
  bool stopped = false;
  BAOMI_TRY(tx.scan_views(record_write_table(), scan, [&](const storage::RowView& row) {
    const auto table = text_view(row, 0);
    const auto key = text_view(row, 1);
    if (have && (latest.table != table || latest.key != key)) {
      if (!fn(latest)) {
        stopped = true;
        return false;
      }
      have = false;
    }
    if (!have) {
      latest.table.assign(table);
      latest.key.assign(key);
      have = true;
    }
    latest.mac.assign(text_view(row, 3));
    return true;
  }));
  if (have && !stopped) (void)fn(latest);
  return {};
}

}  // namespace baomi::barrier
