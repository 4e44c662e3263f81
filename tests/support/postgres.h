// A real PostgreSQL for tests (never a mock). ctest's `postgres` fixture starts a scratch
// server (scripts/pg-scratch.sh) in BAOMI_TEST_POSTGRES_DIR; BAOMI_TEST_POSTGRES_URL, when set,
// names another server's superuser URL instead. Each test takes a database of its own, so test
// processes run in parallel (ctest -j) without seeing each other's rows.
// When a server is named (under ctest: always) and cannot be reached, the test fails; with
// neither variable set (a test binary run by hand) the PostgreSQL cases skip.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "crypto/random.h"

namespace baomi::testing {

inline std::optional<std::filesystem::path> postgres_scratch_dir() {
  const char* dir = std::getenv("BAOMI_TEST_POSTGRES_DIR");
  if (dir == nullptr || *dir == '\0') return std::nullopt;
  return std::filesystem::path(dir);
}

inline std::optional<std::string> postgres_admin_url() {
  if (const char* url = std::getenv("BAOMI_TEST_POSTGRES_URL"); url != nullptr && *url != '\0') {
    return std::string(url);
  }
  const auto dir = postgres_scratch_dir();
  if (!dir) return std::nullopt;
  std::ifstream in(*dir / "url");
  std::string url;
  if (!std::getline(in, url) || url.empty()) return std::nullopt;
  return url;
}

inline bool postgres_required() {
  return postgres_scratch_dir().has_value() || std::getenv("BAOMI_TEST_POSTGRES_URL") != nullptr;
}

// `url` with its database name replaced by `database` (query options kept).
inline std::string with_database(const std::string& url, const std::string& database) {
  const auto host_start = url.find("://") + 3;
  const auto slash = url.find('/', host_start);
  const auto query = url.find('?', host_start);
  const std::string base = url.substr(0, std::min(slash, query));
  return base + "/" + database + (query == std::string::npos ? "" : url.substr(query));
}

// Runs one statement as the superuser; returns libpq's error message, "" on success, and
// the first column of the first row in `value` (when given).
inline std::string postgres_admin_exec(const std::string& sql, std::string* value = nullptr) {
  const auto admin = postgres_admin_url();
  if (!admin) return "no PostgreSQL server";
  PGconn* conn = PQconnectdb(admin->c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(r);
    } else if (value != nullptr && PQntuples(r) > 0) {
      *value = PQgetvalue(r, 0, 0);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

// The database name in a URL made by create_postgres_database().
inline std::string database_of(const std::string& url) {
  const auto slash = url.find('/', url.find("://") + 3);
  return url.substr(slash + 1, url.find('?', slash) - slash - 1);
}

// A new, empty database; its URL, or "" with the reason in `why`.
inline std::string create_postgres_database(std::string* why = nullptr) {
  const auto admin = postgres_admin_url();
  if (!admin) {
    if (why) *why = "no PostgreSQL test server (ctest fixture postgres)";
    return {};
  }
  const std::string name = "t_" + crypto::random_id().substr(0, 16);
  const std::string error = postgres_admin_exec("CREATE DATABASE " + name);
  if (!error.empty()) {
    if (why) *why = "CREATE DATABASE failed: " + error;
    return {};
  }
  return with_database(*admin, name);
}

}  // namespace baomi::testing

// In a fixture's SetUp: `url` becomes a fresh database's URL; without a server the test fails
// when one was named (under ctest) and skips otherwise.
#define BAOMI_POSTGRES_DATABASE_OR_SKIP(url)                     \
  do {                                                           \
    std::string why_;                                            \
    url = ::baomi::testing::create_postgres_database(&why_);     \
    if (url.empty()) {                                           \
      if (::baomi::testing::postgres_required()) FAIL() << why_; \
      GTEST_SKIP() << why_;                                      \
    }                                                            \
  } while (0)

namespace baomi::testing {}  // namespace baomi::testing
