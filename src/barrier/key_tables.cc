#include "barrier/key_tables.h"

namespace baomi::barrier {

storage::Scan key_order_page(const storage::Table& table, const std::optional<storage::Row>& after,
                             std::size_t limit) {
  storage::Scan scan;
  for (std::size_t i = 0; i < table.key_size; ++i) scan.order_by.push_back(table.columns[i].name);
  scan.limit = limit;
  scan.after_key = after;
  return scan;
}

storage::Row key_of_row(const storage::Table& table, const storage::Row& row) {
  return storage::Row(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(table.key_size));
}

}  // namespace baomi::barrier
