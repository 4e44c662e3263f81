// Which engine a `--database` value names, and opening it: a postgresql:// (or postgres://) URL
// is PostgreSQL (storage/postgres/), anything else is the path of an embedded SQLite file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::storage {

bool is_postgres_url(std::string_view database);

// create=true creates the database (or migrates it to this build's schema); create=false
// refuses one that does not exist or has no Baomi schema.
Result<std::unique_ptr<Store>> open_store(const std::string& database, bool create);

// The database named for messages: a URL loses its user information (a password may be in it).
std::string describe_database(std::string_view database);

}  // namespace baomi::storage
