// KeyTable: a declared table whose records hold their own data key, seen without its record
// type, for KEK rotation (services/keys/kek_rotation.h): it rewraps the keys of one page of
// rows, or counts which KEK version wraps each. Pages run in key order from a cursor, so a walk
// over a table of any size is a series of bounded jobs that can stop and resume anywhere.
// Thread-safety: stateless beyond its references; use from any thread, inside a job.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "barrier/engine_access.h"
#include "barrier/records.h"

namespace baomi::barrier {

struct RewrapPage {
  std::size_t rewrapped = 0;
  std::optional<storage::Row> last_key;  // the cursor after this page
  bool table_done = false;               // the page ran off the end of the table
};

class KeyTable {
 public:
  virtual ~KeyTable() = default;
  virtual const storage::Table& table() const = 0;
  // Rewraps under the current KEK the data keys of up to `limit` rows after `after` that another
  // KEK wraps (Records<T>::rewrap): the caller's audit entry commits to the rewritten rows.
  virtual Result<RewrapPage> rewrap_page(WriteTx& tx, const std::optional<storage::Row>& after,
                                         std::size_t limit) const = 0;
  // Adds one to counts[v] for each of up to `limit` rows after `after` whose data key KEK v
  // wraps; returns the cursor, nullopt at the end of the table.
  virtual Result<std::optional<storage::Row>> count_page(
      ReadTx& tx, const std::optional<storage::Row>& after, std::size_t limit,
      std::map<std::uint32_t, std::uint64_t>& counts) const = 0;
};

// A scan of `limit` rows of `table` after `after`, in key order.
storage::Scan key_order_page(const storage::Table& table, const std::optional<storage::Row>& after,
                             std::size_t limit);
// The key columns of `row`.
storage::Row key_of_row(const storage::Table& table, const storage::Row& row);

template <typename T>
class KeyTableOf final : public KeyTable {
 public:
  KeyTableOf(const Barrier& barrier, const RecordType<T>& type) : records_(barrier, type) {}

  const storage::Table& table() const override { return records_.table(); }

  Result<RewrapPage> rewrap_page(WriteTx& tx, const std::optional<storage::Row>& after,
                                 std::size_t limit) const override {
    auto& engine = EngineAccess::engine(tx);
    BAOMI_ASSIGN_OR_RETURN(auto rows,
                           engine.scan_rows(table(), key_order_page(table(), after, limit)));
    RewrapPage page;
    for (auto& row : rows) {
      BAOMI_ASSIGN_OR_RETURN(const bool done, records_.rewrap(engine, row));
      if (done) ++page.rewrapped;
    }
    if (!rows.empty()) page.last_key = key_of_row(table(), rows.back());
    page.table_done = rows.size() < limit;
    return page;
  }

  Result<std::optional<storage::Row>> count_page(
      ReadTx& tx, const std::optional<storage::Row>& after, std::size_t limit,
      std::map<std::uint32_t, std::uint64_t>& counts) const override {
    auto& engine = EngineAccess::engine(tx);
    BAOMI_ASSIGN_OR_RETURN(auto rows,
                           engine.scan_rows(table(), key_order_page(table(), after, limit)));
    for (const auto& row : rows) {
      if (const auto version = records_.kek_version_of(row)) ++counts[*version];
    }
    if (rows.size() < limit) return std::optional<storage::Row>();
    return std::optional<storage::Row>(key_of_row(table(), rows.back()));
  }

 private:
  Records<T> records_;
};

}  // namespace baomi::barrier
