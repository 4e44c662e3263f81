#include "barrier/records.h"

#include "barrier/engine_tables.h"
#include "storage/meta.h"

namespace baomi::barrier::record_detail {

Bytes mac_fields(const storage::Table& table, const storage::Row& row,
                 const std::vector<bool>& in_mac) {
  // Length-prefixed fields (core/bytes.h) keep the encoding injective. Integers are fixed
  // width; a nullable integer is its decimal text or "-", so NULL and 0 differ.
  Bytes out;
  append_field(out, table.name);
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!in_mac[i]) continue;
    const auto& v = row[i];
    if (std::holds_alternative<std::monostate>(v)) {
      append_field(out, "-");
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      if (table.columns[i].nullable) {
        append_field(out, std::to_string(*n));
      } else {
        append_u64(out, static_cast<std::uint64_t>(*n));
      }
    } else if (const auto* text = std::get_if<std::string>(&v)) {
      append_field(out, *text);
    } else {
      const auto& bytes = std::get<Bytes>(v);
      append_field(out,
                   std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    }
  }
  return out;
}

std::string ledger_key(const storage::Table& table, const storage::Row& row) {
  return storage::record_key_text(table, row);
}

std::string cache_key(const storage::Table& table, const std::string& ledger_key) {
  std::string key;
  key.reserve(table.name.size() + 1 + ledger_key.size());
  key.append(table.name).push_back('\0');  // table names hold no NUL
  key.append(ledger_key);
  return key;
}

Result<void> check_latest(storage::ReadTx& tx, const storage::Table& table, const std::string& key,
                          const std::string& mac) {
  BAOMI_ASSIGN_OR_RETURN(auto latest, barrier::latest_record_write(tx, table.name, key));
  return check_known_latest(tx, table, latest, mac);
}

Result<void> check_known_latest(storage::ReadTx& tx, const storage::Table& table,
                                const std::optional<std::string>& latest, const std::string& mac) {
  if (!latest) {
    // Rows from before the ledger are accepted until the table's baseline has recorded them
    // all; after it, a row the ledger never saw was put there from outside (an old backup).
    BAOMI_ASSIGN_OR_RETURN(auto baselined,
                           storage::get_meta(tx, storage::record_baseline_meta_key(table.name)));
    if (!baselined) return {};
    return Error::integrity("a " + table.name + " record that Baomi never recorded appeared");
  }
  if (*latest == mac) return {};
  // I1: a genuine row (its MAC checks) that is not the latest write: someone put an old one
  // back. Name the table, never the content.
  return Error::integrity(latest->empty()
                              ? "a deleted " + table.name + " record reappeared"
                              : "a " + table.name + " record was replaced by an older version");
}

Result<void> check_absent(storage::ReadTx& tx, const storage::Table& table,
                          const std::string& key) {
  BAOMI_ASSIGN_OR_RETURN(auto latest, barrier::latest_record_write(tx, table.name, key));
  if (!latest || latest->empty()) return {};
  return Error::integrity("a " + table.name + " record that Baomi never deleted is gone");
}

Result<std::optional<std::string>> latest_mac(storage::ReadTx& tx, const storage::Table& table,
                                              const std::string& key) {
  return barrier::latest_record_write(tx, table.name, key);
}

}  // namespace baomi::barrier::record_detail
