#include "cmd/migrate_copy.h"

#include <algorithm>

#include "audit/trail_tables.h"
#include "crypto/hash.h"
#include "services/record_tables.h"
#include "storage/transfer.h"

namespace baomi::cmd {
namespace {

// Rows that belong to one database, not to the instance: each engine keeps its own.
bool instance_row(const storage::Table& table, const storage::Row& row) {
  if (table.name != "meta") return true;
  const auto* key = std::get_if<std::string>(&row[0]);
  return key == nullptr || !storage::is_database_meta(*key);
}

// Counts a row and feeds its values (type tag, length, bytes) to the table's hash.
class Tally {
 public:
  explicit Tally(std::string table) { tally_.table = std::move(table); }
  void add(const storage::Row& row) {
    ++tally_.rows;
    for (const auto& value : row) {
      if (const auto* n = std::get_if<std::int64_t>(&value)) {
        feed('i', std::to_string(*n));
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        feed('t', *text);
      } else if (const auto* bytes = std::get_if<Bytes>(&value)) {
        feed('b', std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
      } else {
        feed('n', {});
      }
    }
  }
  std::uint64_t rows() const { return tally_.rows; }
  TableTally finish() {
    tally_.digest = to_hex(hasher_.finish());
    return std::move(tally_);
  }

 private:
  void feed(char type, std::string_view data) {
    const std::string header = std::string(1, type) + std::to_string(data.size()) + ":";
    hasher_.update(header);
    hasher_.update(data);
    tally_.bytes += data.size();
  }
  crypto::Hasher hasher_;
  TableTally tally_;
};

}  // namespace

std::vector<const storage::Table*> instance_tables() {
  auto tables = audit::fixed_tables();
  for (const auto* t : services::declared_tables()) tables.push_back(t);
  return tables;
}

Result<std::vector<const storage::Table*>> tables_to_copy(
    const std::vector<std::string>& source_tables) {
  const auto known = instance_tables();
  for (const auto& name : source_tables) {
    const bool copied = std::any_of(known.begin(), known.end(),
                                    [&](const storage::Table* t) { return t->name == name; });
    if (!copied && !storage::is_retired_table(name)) {
      return Error::invalid("unknown_table",
                            "the source holds table '" + name +
                                "', which this build of baomi does not know (a newer release "
                                "wrote it): migrate with that release");
    }
  }
  std::vector<const storage::Table*> present;
  for (const auto* t : known) {
    if (std::find(source_tables.begin(), source_tables.end(), t->name) != source_tables.end()) {
      present.push_back(t);
    }
  }
  return present;
}

Result<std::vector<TableTally>> copy_tables(storage::ReadTx& source, storage::WriteTx& target,
                                            const std::vector<const storage::Table*>& tables) {
  std::vector<TableTally> tallies;
  for (const auto* table : tables) {
    Tally tally(table->name);
    BAOMI_TRY(storage::for_each_row(source, *table, [&](const storage::Row& row) -> Result<void> {
      if (!instance_row(*table, row)) return {};
      tally.add(row);
      auto inserted = target.insert_row(*table, row);
      if (!inserted.ok()) {
        return Error::unavailable("copying table " + table->name + " failed at row " +
                                  std::to_string(tally.rows()) + ": " + inserted.error().message);
      }
      return {};
    }));
    tallies.push_back(tally.finish());
  }
  return tallies;
}

Result<std::vector<TableTally>> tally_tables(storage::ReadTx& tx,
                                             const std::vector<const storage::Table*>& tables) {
  std::vector<TableTally> tallies;
  for (const auto* table : tables) {
    Tally tally(table->name);
    BAOMI_TRY(storage::for_each_row(tx, *table, [&](const storage::Row& row) -> Result<void> {
      if (instance_row(*table, row)) tally.add(row);
      return {};
    }));
    tallies.push_back(tally.finish());
  }
  return tallies;
}

}  // namespace baomi::cmd
