// PgTx: maintenance (free pages, the table catalogue); rows are in pg_rows.cc.
#include "storage/postgres/pg_tx.h"

namespace baomi::storage::postgres {

// Space is the server's business on PostgreSQL: (auto)vacuum reuses the space of deleted rows
// and VACUUM FULL gives it back. There are no free pages for Baomi to count or reclaim.
Result<std::size_t> PgTx::free_pages() { return std::size_t{0}; }
Result<std::size_t> PgTx::reclaim_free_pages(std::size_t) { return std::size_t{0}; }

Result<std::vector<std::string>> PgTx::table_names() {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec("SELECT tablename::text FROM pg_catalog.pg_tables "
                                            "WHERE schemaname = current_schema() "
                                            "ORDER BY tablename COLLATE \"C\""));
  std::vector<std::string> names;
  for (int i = 0; i < r.rows(); ++i) names.push_back(r.text(i, 0));
  return names;
}

}  // namespace baomi::storage::postgres
