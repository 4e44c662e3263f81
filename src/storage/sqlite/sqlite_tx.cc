// SqliteTx: maintenance (free pages, the table catalogue); rows are in sqlite_rows.cc.
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::storage::sqlite {

Result<std::size_t> SqliteTx::free_pages() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("PRAGMA freelist_count"));
  BAOMI_ASSIGN_OR_RETURN(const bool row, s.step());
  return row ? static_cast<std::size_t>(s.int64(0)) : 0;
}

Result<std::vector<std::string>> SqliteTx::table_names() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                             "ORDER BY name"));
  std::vector<std::string> names;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return names;
    names.push_back(s.text(0));
  }
}

Result<std::size_t> SqliteTx::reclaim_free_pages(std::size_t max_pages) {
  BAOMI_ASSIGN_OR_RETURN(const std::size_t before, free_pages());
  if (before == 0 || max_pages == 0) return std::size_t{0};
  const std::string sql = "PRAGMA incremental_vacuum(" + std::to_string(max_pages) + ")";
  BAOMI_TRY(db_.exec(sql.c_str()));
  BAOMI_ASSIGN_OR_RETURN(const std::size_t after, free_pages());
  return before > after ? before - after : 0;
}

}  // namespace baomi::storage::sqlite
