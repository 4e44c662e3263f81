#include "storage/engine.h"

#include <filesystem>

#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::storage {

bool is_postgres_url(std::string_view database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> open_store(const std::string& database, bool create) {
  if (is_postgres_url(database)) {
    BAOMI_ASSIGN_OR_RETURN(auto store, postgres::PgStore::open(database, create));
    return std::unique_ptr<Store>(std::move(store));
  }
  BAOMI_ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::open(database, create));
  return std::unique_ptr<Store>(std::move(store));
}

std::string describe_database(std::string_view database) {
  if (!is_postgres_url(database)) return std::string(database);
  const auto scheme_end = database.find("://") + 3;
  const auto at = database.find('@', scheme_end);
  const auto slash = database.find('/', scheme_end);
  if (at == std::string_view::npos || (slash != std::string_view::npos && at > slash)) {
    return std::string(database.substr(0, database.find('?')));
  }
  const auto rest = database.substr(at + 1);
  return std::string(database.substr(0, scheme_end)) + std::string(rest.substr(0, rest.find('?')));
}

}  // namespace baomi::storage
