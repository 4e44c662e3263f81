// The row copy of `baomi migrate`: which tables move, copying them row by row as opaque values
// (storage/transfer.h), and a tally of each table (rows, bytes, BLAKE2b-256 over every value
// in key order) taken of what was read from the source and again of what the target holds, so
// that a copy is proven byte for byte, not assumed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::cmd {

struct TableTally {
  std::string table;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
  std::string digest;  // hex

  bool operator==(const TableTally&) const = default;
};

// Every table this build copies (the fixed tables and every declared one), and of those the
// ones the source holds: a declared table the source lacks (an instance last served by an
// older release) is created empty on the target. A source table this build does not know is
// refused by name (code "unknown_table"): it would be left behind.
Result<std::vector<const storage::Table*>> tables_to_copy(
    const std::vector<std::string>& source_tables);
std::vector<const storage::Table*> instance_tables();

// Copies every row of `tables` read in `source` into `target`, and tallies what it read.
Result<std::vector<TableTally>> copy_tables(storage::ReadTx& source, storage::WriteTx& target,
                                            const std::vector<const storage::Table*>& tables);
// The tallies of the rows `tx` holds in `tables`.
Result<std::vector<TableTally>> tally_tables(storage::ReadTx& tx,
                                             const std::vector<const storage::Table*>& tables);

}  // namespace baomi::cmd
