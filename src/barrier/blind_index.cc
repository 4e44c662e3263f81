#include "barrier/blind_index.h"

#include <stdexcept>

#include "barrier/engine_access.h"

namespace baomi::barrier {
namespace {

constexpr std::size_t kKind = 0, kHash = 1, kOwner = 2;

}  // namespace

BlindIndex::BlindIndex(const storage::Table& table) : table_(table) {
  if (table.columns.size() != 3 || table.key_size != 3) {
    throw std::logic_error("a blind index table has three key columns: kind, hash, owner");
  }
}

Result<std::vector<std::string>> BlindIndex::find(ReadTx& service_tx, const std::string& kind,
                                                  const std::string& hash,
                                                  std::size_t limit) const {
  auto& tx = EngineAccess::engine(service_tx);
  storage::Scan scan;
  scan.where.push_back({table_.columns[kKind].name, storage::Compare::kEqual, kind});
  scan.where.push_back({table_.columns[kHash].name, storage::Compare::kEqual, hash});
  scan.order_by = {table_.columns[kOwner].name};
  scan.limit = limit;
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(table_, scan));
  std::vector<std::string> owners;
  owners.reserve(rows.size());
  for (const auto& row : rows) {
    if (const auto* id = std::get_if<std::string>(&row[kOwner])) owners.push_back(*id);
  }
  return owners;
}

Result<void> BlindIndex::replace(
    WriteTx& service_tx, const std::string& owner,
    const std::vector<std::pair<std::string, std::string>>& entries) const {
  auto& tx = EngineAccess::engine(service_tx);
  storage::Scan mine;
  mine.where.push_back({table_.columns[kOwner].name, storage::Compare::kEqual, owner});
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(table_, mine));
    for (const auto& row : rows) BAOMI_TRY(tx.delete_row(table_, row));
    if (rows.size() < mine.limit) break;
  }
  for (const auto& [kind, hash] : entries) BAOMI_TRY(tx.insert_row(table_, {kind, hash, owner}));
  return {};
}

}  // namespace baomi::barrier
