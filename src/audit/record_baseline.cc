#include "audit/record_baseline.h"

#include "audit/detail.h"
#include "barrier/engine_tables.h"
#include "storage/meta.h"

namespace baomi::audit {
namespace {

storage::Scan key_order(const storage::Table& table, std::size_t page,
                        std::optional<storage::Row> after) {
  storage::Scan scan;
  for (std::size_t i = 0; i < table.key_size; ++i) scan.order_by.push_back(table.columns[i].name);
  scan.limit = page;
  scan.after_key = std::move(after);
  return scan;
}

struct PageResult {
  bool table_done = false;
  bool marked_now = false;
  std::size_t recorded = 0;
  std::optional<storage::Row> last_key;
};

// One page of `table` after `after`: notes the rows the ledger lacks and, on the last page,
// marks the table; the audit entry of the job commits to the notes.
Result<PageResult> baseline_page(storage::WriteTx& tx, const AuditLog& log,
                                 const storage::Table& table,
                                 const std::optional<storage::Row>& after, std::size_t page,
                                 TimePoint now) {
  PageResult out;
  const auto marker = storage::record_baseline_meta_key(table.name);
  BAOMI_ASSIGN_OR_RETURN(auto marked, storage::get_meta(tx, marker));
  if (marked) {
    out.table_done = true;
    return out;
  }
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(table, key_order(table, page, after)));
  const auto mac_at = table.position("mac");
  for (const auto& row : rows) {
    const auto key = storage::record_key_text(table, row);
    BAOMI_ASSIGN_OR_RETURN(auto latest, barrier::latest_record_write(tx, table.name, key));
    if (latest) continue;
    const auto* mac = std::get_if<std::string>(&row[mac_at]);
    if (!mac) return Error::integrity("a stored " + table.name + " record has no MAC");
    tx.note_record_write({table.name, key, *mac});
    ++out.recorded;
  }
  if (!rows.empty()) {
    out.last_key = storage::Row(rows.back().begin(),
                                rows.back().begin() + static_cast<std::ptrdiff_t>(table.key_size));
  }
  if (rows.size() < page) {
    BAOMI_TRY(storage::put_meta(tx, marker, Bytes{'1'}));
    out.table_done = out.marked_now = true;
  }
  if (out.recorded > 0) {
    BAOMI_TRY(log.append(tx,
                         {"system", "records.baseline", "table:" + table.name, "allow", "I1",
                          Detail{}.add("rows", out.recorded)},
                         now));
  }
  return out;
}

}  // namespace

Result<BaselineReport> baseline_records(storage::Store& store, const AuditLog& log,
                                        const std::vector<const storage::Table*>& tables,
                                        TimePoint now, std::size_t page) {
  BaselineReport report;
  for (const auto* table : tables) {
    std::optional<storage::Row> after;
    for (;;) {
      PageResult result;
      BAOMI_TRY(store.write([&](storage::WriteTx& tx) -> Result<void> {
        BAOMI_ASSIGN_OR_RETURN(result, baseline_page(tx, log, *table, after, page, now));
        return {};
      }));
      report.rows += result.recorded;
      if (result.table_done) {
        if (result.marked_now) ++report.tables;
        break;
      }
      after = std::move(result.last_key);
    }
  }
  return report;
}

}  // namespace baomi::audit
