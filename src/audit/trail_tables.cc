#include "audit/trail_tables.h"

#include <limits>
#include <utility>

#include "barrier/engine_tables.h"
#include "storage/meta.h"

namespace baomi::audit {
namespace {

using storage::ColumnType;
using storage::Compare;
using storage::Row;
using storage::Scan;
using storage::Table;

constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::int64_t int_at(const Row& row, std::size_t i) { return std::get<std::int64_t>(row[i]); }
std::uint64_t u64_at(const Row& row, std::size_t i) {
  return static_cast<std::uint64_t>(int_at(row, i));
}
std::string text_at(Row& row, std::size_t i) { return std::move(std::get<std::string>(row[i])); }

// The trail is the single point of recording: if it cannot write, nothing happens (503).
Result<void> trail_written(const Result<void>& r) {
  if (!r.ok()) return Error::unavailable("audit trail unavailable");
  return {};
}

AuditRow audit_from(Row& r) {
  return {u64_at(r, 0),  int_at(r, 1),  text_at(r, 2), text_at(r, 3), text_at(r, 4), text_at(r, 5),
          text_at(r, 6), text_at(r, 7), text_at(r, 8), text_at(r, 9), text_at(r, 10)};
}

Row audit_to(const AuditRow& a) {
  return {i64(a.seq), a.time_us,        a.actor,  a.action,    a.target, a.decision,
          a.rule,     a.policy_version, a.detail, a.prev_hash, a.hash};
}

CheckpointRow checkpoint_from(Row& r) {
  return {u64_at(r, 0), text_at(r, 1), int_at(r, 2), text_at(r, 3)};
}

TreeHeadRow tree_head_from(Row& r) {
  return {u64_at(r, 0), text_at(r, 1), text_at(r, 2), int_at(r, 3), text_at(r, 4)};
}

// Rows of `scan` converted by `from`.
template <typename T>
Result<std::vector<T>> scan_as(storage::ReadTx& tx, const Table& table, const Scan& scan,
                               T (*from)(Row&)) {
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(table, scan));
  std::vector<T> out;
  out.reserve(rows.size());
  for (auto& row : rows) out.push_back(from(row));
  return out;
}

template <typename T>
Result<std::optional<T>> first_as(storage::ReadTx& tx, const Table& table, Scan scan,
                                  T (*from)(Row&)) {
  scan.limit = 1;
  BAOMI_ASSIGN_OR_RETURN(auto rows, scan_as(tx, table, scan, from));
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows.front()));
}

Scan ordered(std::string column, bool descending = false) {
  Scan scan;
  scan.order_by = {std::move(column)};
  scan.descending = descending;
  scan.limit = kAll;
  return scan;
}

}  // namespace

const Table& audit_table() {
  static const Table table{"audit",
                           {{"seq", ColumnType::kInteger},
                            {"time", ColumnType::kInteger},
                            {"actor", ColumnType::kText},
                            {"action", ColumnType::kText},
                            {"target", ColumnType::kText},
                            {"decision", ColumnType::kText},
                            {"rule", ColumnType::kText},
                            {"policy_version", ColumnType::kText},
                            {"detail", ColumnType::kText},
                            {"prev_hash", ColumnType::kText},
                            {"hash", ColumnType::kText}},
                           1,
                           {{"audit_actor", {"actor", "seq"}, false, ""},
                            {"audit_target", {"target", "seq"}, false, ""},
                            {"audit_time", {"time"}, false, ""}}};
  return table;
}

Result<std::optional<AuditRow>> last_audit_entry(storage::ReadTx& tx) {
  return first_as(tx, audit_table(), ordered("seq", true), audit_from);
}

Result<std::optional<AuditRow>> get_audit_entry(storage::ReadTx& tx, std::uint64_t seq) {
  BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(audit_table(), {i64(seq)}));
  if (!row) return std::optional<AuditRow>();
  return std::optional<AuditRow>(audit_from(*row));
}

Result<std::vector<AuditRow>> query_audit(storage::ReadTx& tx, const AuditQuery& q) {
  Scan scan = ordered("seq");
  scan.limit = q.limit;
  scan.where.push_back({"seq", Compare::kGreater, i64(q.after_seq)});
  if (q.actor) scan.where.push_back({"actor", Compare::kEqual, *q.actor});
  if (q.target) scan.where.push_back({"target", Compare::kEqual, *q.target});
  if (q.action) scan.where.push_back({"action", Compare::kEqual, *q.action});
  if (q.from_us) scan.where.push_back({"time", Compare::kGreaterOrEqual, *q.from_us});
  if (q.to_us) scan.where.push_back({"time", Compare::kLessOrEqual, *q.to_us});
  return scan_as(tx, audit_table(), scan, audit_from);
}

Result<void> scan_audit(storage::ReadTx& tx, const std::function<bool(const AuditEntryView&)>& fn) {
  // A NULL where the schema forbids one (a table rebuilt by hand) reads as 0 or "": the chain
  // check then reports the entry, instead of the reader failing.
  const auto text = [](const storage::RowView& r, std::size_t i) {
    return r.is_null(i) ? std::string_view() : r.text(i);
  };
  const auto integer = [](const storage::RowView& r, std::size_t i) {
    return r.is_null(i) ? std::int64_t{0} : r.integer(i);
  };
  return tx.scan_views(audit_table(), ordered("seq"), [&](const storage::RowView& r) {
    return fn({static_cast<std::uint64_t>(integer(r, 0)), integer(r, 1), text(r, 2), text(r, 3),
               text(r, 4), text(r, 5), text(r, 6), text(r, 7), text(r, 8), text(r, 9),
               text(r, 10)});
  });
}

Result<storage::WriteTx::TrailHead> audit_head(storage::WriteTx& tx) {
  if (const auto& kept = tx.trail_head()) return *kept;
  BAOMI_ASSIGN_OR_RETURN(auto last, last_audit_entry(tx));
  storage::WriteTx::TrailHead head;
  if (last) head = {last->seq, std::move(last->hash)};
  tx.trail_head() = head;
  return head;
}

Result<void> insert_audit(storage::WriteTx& tx, const AuditRow& row) {
  BAOMI_TRY(trail_written(tx.insert_row(audit_table(), audit_to(row))));
  // Only an entry after the kept head is the new head; anything else (not what the audit log
  // writes) makes the next audit_head read the store again.
  auto& kept = tx.trail_head();
  if (kept && row.seq > kept->seq) {
    kept->seq = row.seq;
    kept->hash = row.hash;
  } else {
    kept.reset();
  }
  return {};
}

const Table& checkpoint_table() {
  static const Table table{"audit_checkpoints",
                           {{"seq", ColumnType::kInteger},
                            {"head", ColumnType::kText},
                            {"time", ColumnType::kInteger},
                            {"signature", ColumnType::kText}},
                           1,
                           {}};
  return table;
}

Result<std::vector<CheckpointRow>> list_checkpoints(storage::ReadTx& tx) {
  return scan_as(tx, checkpoint_table(), ordered("seq"), checkpoint_from);
}

Result<std::optional<CheckpointRow>> latest_checkpoint(storage::ReadTx& tx) {
  return first_as(tx, checkpoint_table(), ordered("seq", true), checkpoint_from);
}

Result<void> insert_checkpoint(storage::WriteTx& tx, const CheckpointRow& c) {
  return trail_written(
      tx.insert_row(checkpoint_table(), {i64(c.seq), c.head, c.time_us, c.signature}));
}

const Table& tree_node_table() {
  static const Table table{
      "audit_tree",
      {{"level", ColumnType::kInteger}, {"idx", ColumnType::kInteger}, {"hash", ColumnType::kBlob}},
      2,
      {}};
  return table;
}

Result<std::optional<Bytes>> get_audit_tree_node(storage::ReadTx& tx, unsigned level,
                                                 std::uint64_t index) {
  BAOMI_ASSIGN_OR_RETURN(auto row,
                         tx.get_row(tree_node_table(), {std::int64_t{level}, i64(index)}));
  if (!row) return std::optional<Bytes>();
  return std::optional<Bytes>(std::move(std::get<Bytes>((*row)[2])));
}

Result<void> scan_audit_tree_level(
    storage::ReadTx& tx, unsigned level, std::uint64_t from, std::size_t limit,
    const std::function<void(std::uint64_t, storage::ByteView)>& fn) {
  Scan scan;
  scan.where = {{"level", Compare::kEqual, std::int64_t{level}},
                {"idx", Compare::kGreaterOrEqual, i64(from)}};
  scan.order_by = {"level", "idx"};
  scan.limit = limit;
  return tx.scan_views(tree_node_table(), scan, [&](const storage::RowView& r) {
    fn(static_cast<std::uint64_t>(r.integer(1)), r.is_null(2) ? storage::ByteView() : r.bytes(2));
    return true;
  });
}

Result<void> insert_audit_tree_node(storage::WriteTx& tx, unsigned level, std::uint64_t index,
                                    const Bytes& hash) {
  return trail_written(tx.insert_row(tree_node_table(), {std::int64_t{level}, i64(index), hash}));
}

Result<void> clear_audit_tree(storage::WriteTx& tx) {
  return tx.delete_rows(tree_node_table(), {});
}

const Table& tree_head_table() {
  static const Table table{"audit_tree_heads",
                           {{"tree_size", ColumnType::kInteger},
                            {"root_hash", ColumnType::kText},
                            {"head", ColumnType::kText},
                            {"time", ColumnType::kInteger},
                            {"signature", ColumnType::kText}},
                           1,
                           {}};
  return table;
}

Result<std::vector<TreeHeadRow>> list_tree_heads(storage::ReadTx& tx) {
  return scan_as(tx, tree_head_table(), ordered("tree_size"), tree_head_from);
}

Result<std::optional<TreeHeadRow>> latest_tree_head(storage::ReadTx& tx) {
  return first_as(tx, tree_head_table(), ordered("tree_size", true), tree_head_from);
}

Result<std::optional<TreeHeadRow>> first_tree_head_from(storage::ReadTx& tx,
                                                        std::uint64_t min_size) {
  Scan scan = ordered("tree_size");
  scan.where.push_back({"tree_size", Compare::kGreaterOrEqual, i64(min_size)});
  return first_as(tx, tree_head_table(), scan, tree_head_from);
}

Result<void> insert_tree_head(storage::WriteTx& tx, const TreeHeadRow& t) {
  return trail_written(tx.insert_row(
      tree_head_table(), {i64(t.tree_size), t.root_hash, t.head, t.time_us, t.signature}));
}

std::vector<const Table*> fixed_tables() {
  return {&storage::meta_table(), &barrier::kek_table(), &barrier::chunk_table(),
          &barrier::blob_table(), &audit_table(),        &barrier::record_write_table(),
          &checkpoint_table(),    &tree_node_table(),    &tree_head_table()};
}

}  // namespace baomi::audit
