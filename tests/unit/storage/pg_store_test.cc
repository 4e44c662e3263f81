// PgStore: what only the PostgreSQL engine does, on a real server (tests/support/postgres.h):
// connection loss fails closed and heals by itself, TLS when the URL asks, schema checks,
// the engine chosen by the --database value.
#include "storage/postgres/pg_store.h"

#include <gtest/gtest.h>

#include "storage/engine.h"
#include "storage/meta.h"
#include "support/postgres.h"

namespace baomi::storage {
namespace {

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { BAOMI_POSTGRES_DATABASE_OR_SKIP(url_); }
  std::string url_;
};

std::optional<Bytes> meta(Store& store, const std::string& key) {
  std::optional<Bytes> v;
  EXPECT_TRUE(store
                  .read([&](ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(v, storage::get_meta(tx, key));
                    return {};
                  })
                  .ok());
  return v;
}

// Ends every server process serving `database` (what a server restart or a network cut does
// to the store's connections).
std::string cut_connections(const std::string& database) {
  std::string ended;
  const auto error = testing::postgres_admin_exec(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + database +
          "' AND pid <> pg_backend_pid()",
      &ended);
  return error.empty() ? ended : error;
}

TEST_F(PgStoreTest, ConnectionLossFailsTheBatchClosedAndTheStoreReconnects) {
  auto store = postgres::PgStore::open(url_, true).value();
  ASSERT_TRUE(
      store->write([](WriteTx& tx) { return storage::put_meta(tx, "before", to_bytes("1")); })
          .ok());
  ASSERT_TRUE(meta(*store, "before").has_value());  // a pooled reader now exists
  const std::string db = testing::database_of(url_);
  // The connection dies in the middle of a job: the job's work is not acknowledged (503).
  auto cut = store->write([&](WriteTx& tx) -> Result<void> {
    BAOMI_TRY(storage::put_meta(tx, "lost", to_bytes("x")));
    EXPECT_NE(cut_connections(db), "0");
    return storage::put_meta(tx, "lost2", to_bytes("y"));
  });
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().kind, ErrorKind::kUnavailable);
  // The next jobs reconnect by themselves: writer and readers.
  ASSERT_TRUE(
      store->write([](WriteTx& tx) { return storage::put_meta(tx, "after", to_bytes("2")); }).ok());
  EXPECT_TRUE(meta(*store, "after").has_value());
  EXPECT_FALSE(meta(*store, "lost").has_value()) << "an unacknowledged job must leave nothing";
  // Connections cut while idle: the next write and read still succeed.
  EXPECT_NE(cut_connections(db), "0");
  EXPECT_TRUE(
      store->write([](WriteTx& tx) { return storage::put_meta(tx, "idle", to_bytes("3")); }).ok());
  EXPECT_TRUE(meta(*store, "idle").has_value());
}

TEST_F(PgStoreTest, UnreachableServerIsUnavailableWithoutThePassword) {
  // A port nothing listens on (the scratch server's port + 1 would be a guess: use port 1).
  auto r = postgres::PgStore::open("postgresql://baomi:s3cretpw@127.0.0.1:1/none?connect_timeout=5",
                                   false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(r.error().message.find("s3cretpw"), std::string::npos) << r.error().message;
  EXPECT_EQ(describe_database("postgresql://baomi:s3cretpw@db.example:5432/baomi?sslmode=require"),
            "postgresql://db.example:5432/baomi");
}

TEST_F(PgStoreTest, OpenWithoutCreateRefusesADatabaseWithoutSchema) {
  auto r = postgres::PgStore::open(url_, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("baomi init --database"), std::string::npos)
      << r.error().message;
  ASSERT_TRUE(postgres::PgStore::open(url_, true).ok());
  EXPECT_TRUE(postgres::PgStore::open(url_, false).ok());
  EXPECT_TRUE(postgres::PgStore::open(url_, true).ok()) << "init's migration is idempotent";
}

TEST_F(PgStoreTest, TlsWhenTheUrlAsksForIt) {
  const auto dir = testing::postgres_scratch_dir();
  if (!dir || !std::filesystem::exists(*dir / "server.crt")) {
    GTEST_SKIP() << "the server was not started by scripts/pg-scratch.sh";
  }
  const std::string tls_url =
      url_ + "?sslmode=verify-full&sslrootcert=" + (*dir / "server.crt").string();
  auto store = open_store(tls_url, true);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)
                  ->write([](WriteTx& tx) { return storage::put_meta(tx, "tls", to_bytes("1")); })
                  .ok());
  std::string encrypted;
  ASSERT_EQ(testing::postgres_admin_exec(
                "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE "
                "ssl AND datname = '" +
                    testing::database_of(url_) + "'",
                &encrypted),
            "");
  EXPECT_NE(encrypted, "0") << "the store's connections must use TLS";
  // A server certificate that the given root does not vouch for is refused.
  auto refused = open_store(
      url_ + "?sslmode=verify-full&sslrootcert=" + (*dir / "other-ca.crt").string(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kUnavailable);
}

TEST(StoreEngine, DatabaseValueChoosesTheEngine) {
  EXPECT_TRUE(is_postgres_url("postgresql://u@h/db"));
  EXPECT_TRUE(is_postgres_url("postgres://u@h/db"));
  EXPECT_FALSE(is_postgres_url("/var/lib/baomi/baomi.db"));
  EXPECT_FALSE(is_postgres_url("postgresql.db"));
}

}  // namespace
}  // namespace baomi::storage
