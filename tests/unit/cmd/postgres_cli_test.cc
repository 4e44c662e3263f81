// `baomi init` and `baomi audit verify` with `--database postgresql://…`, on a real PostgreSQL
// (tests/support/postgres.h): the instance's trail lives in PostgreSQL and verifies there, a
// database holding an instance is never taken over, an edited entry is found, and no plaintext
// secret reaches the PostgreSQL data directory or a pg_dump of the database.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/accounts.h"
#include "cmd/instance.h"
#include "crypto/random.h"
#include "support/cli_run.h"
#include "support/postgres.h"

namespace baomi {
namespace {

using testing::baomi_binary;
using testing::CliRun;
using testing::run_shell;

class PostgresCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BAOMI_POSTGRES_DATABASE_OR_SKIP(url);
    dir = std::filesystem::temp_directory_path() / ("baomi-pgcli-" + crypto::random_id());
    std::filesystem::create_directories(dir);
    passwords = {"pw-sys-" + crypto::random_id(), "pw-sec-" + crypto::random_id(),
                 "pw-aud-" + crypto::random_id()};
    std::ofstream(dir / "pw.json") << R"({"sysadmin":")" << passwords[0] << R"(","secadmin":")"
                                   << passwords[1] << R"(","auditor":")" << passwords[2] << R"("})";
  }
  void TearDown() override {
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
  CliRun init(const std::string& name) {
    return run_shell(baomi_binary() + " init --data " + (dir / name).string() +
                     " --admin-passwords " + (dir / "pw.json").string() + " --database '" + url +
                     "'");
  }
  CliRun verify(const std::string& name) {
    return run_shell(baomi_binary() + " audit verify --database '" + url + "' --public-key " +
                     (dir / name / "keys" / "audit.pub").string());
  }
  std::string url;
  std::filesystem::path dir;
  std::vector<std::string> passwords;
};

TEST_F(PostgresCliTest, InitPutsTheInstanceInPostgresAndItsTrailVerifies) {
  auto created = init("a");
  ASSERT_EQ(created.code, 0) << created.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "a" / "baomi.db")) << "no SQLite file beside it";
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "keys" / "master.key"));
  auto verified = verify("a");
  ASSERT_EQ(verified.code, 0) << verified.output;
  EXPECT_EQ(verified.output.rfind("ok: ", 0), 0u) << verified.output;
  EXPECT_EQ(verified.output.find("ok: 0 entries"), std::string::npos) << verified.output;
  // --data with --database: keys from the data directory, trail from PostgreSQL.
  auto with_data = run_shell(baomi_binary() + " audit verify --data " + (dir / "a").string() +
                             " --database '" + url + "'");
  EXPECT_EQ(with_data.code, 0) << with_data.output;
  // The instance opens from its data directory and the database (what serve does first).
  auto paths = cmd::paths_of((dir / "a").string(), "", url);
  ASSERT_TRUE(paths.ok());
  auto inst = cmd::open_instance(*paths, std::nullopt);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
}

TEST_F(PostgresCliTest, InitNeverTakesOverADatabaseThatHoldsAnInstance) {
  ASSERT_EQ(init("a").code, 0);
  auto again = init("b");
  EXPECT_NE(again.code, 0);
  EXPECT_NE(again.output.find("already holds a Baomi instance"), std::string::npos) << again.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "b" / "keys")) << "refused before creating keys";
  EXPECT_EQ(verify("a").code, 0) << "the first instance is untouched";
  auto not_a_url =
      run_shell(baomi_binary() + " init --data " + (dir / "c").string() + " --database x.db");
  EXPECT_EQ(not_a_url.code, 1);
  EXPECT_NE(not_a_url.output.find("postgresql:// URL"), std::string::npos) << not_a_url.output;
}

// Schema versions (issue 13): serve refuses a database a newer build wrote, saying so.
TEST_F(PostgresCliTest, ServeRefusesANewerSchemaVersion) {
  ASSERT_EQ(init("a").code, 0);
  const auto edited =
      run_shell("psql -qAt '" + url +
                "' -c \"UPDATE meta SET value = convert_to('99', 'UTF8') WHERE key = "
                "'schema_version'\"");
  ASSERT_EQ(edited.code, 0) << edited.output;
  auto served = run_shell(baomi_binary() + " serve --data " + (dir / "a").string() +
                          " --database '" + url + "' --listen 127.0.0.1:0");
  EXPECT_EQ(served.code, 1);
  EXPECT_NE(served.output.find("database schema version 99 is newer than this build of baomi "
                               "understands (1)"),
            std::string::npos)
      << served.output;
}

TEST_F(PostgresCliTest, AuditVerifyFindsAnEditedEntryInPostgres) {
  ASSERT_EQ(init("a").code, 0);
  // Someone with write access to the database edits an entry.
  const auto edited =
      run_shell("psql -qAt '" + url + "' -c \"UPDATE audit SET actor = 'mallory' WHERE seq = 2\"");
  ASSERT_EQ(edited.code, 0) << edited.output;
  auto verified = verify("a");
  EXPECT_EQ(verified.code, 1) << verified.output;
  EXPECT_NE(verified.output.find("FAILED: first bad sequence number 2"), std::string::npos)
      << verified.output;
}

// Storage never sees plaintext, on PostgreSQL as on SQLite (security_at_rest_test.cc): an
// account's name, display name and password, put in through the sealed-record layer, appear
// neither in any file of the server's data directory (tables, WAL) nor in a pg_dump.
TEST_F(PostgresCliTest, PlaintextMarkersNeverReachPostgresFilesOrDump) {
  const auto scratch = testing::postgres_scratch_dir();
  if (!scratch || !std::filesystem::exists(*scratch / "bindir")) {
    GTEST_SKIP() << "needs the scratch server of scripts/pg-scratch.sh";
  }
  ASSERT_EQ(init("a").code, 0);
  const std::string name_marker = "pgnamemarker" + crypto::random_id().substr(0, 10);
  const std::string display_marker = "PGDISPLAYMARKER" + crypto::random_id().substr(0, 10);
  const std::string password_marker = "pgpassmarker" + crypto::random_id().substr(0, 10);
  {
    auto paths = cmd::paths_of((dir / "a").string(), "", url);
    ASSERT_TRUE(paths.ok());
    auto inst = cmd::open_instance(*paths, std::nullopt);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    auth::Accounts accounts(*(*inst)->runtime);
    auto user = accounts.bootstrap_user(
        {name_marker, display_marker, "administration", password_marker, {"staff"}},
        policy::Level::kPublic, 0);
    ASSERT_TRUE(user.ok()) << user.error().message;
    (*inst)->store->close();
  }
  ASSERT_EQ(testing::postgres_admin_exec("CHECKPOINT"), "");
  std::vector<std::string> markers{name_marker, display_marker, password_marker};
  for (const auto& p : passwords) markers.push_back(p);

  std::ifstream bindir_file(*scratch / "bindir");
  std::string bindir;
  std::getline(bindir_file, bindir);
  auto dump = run_shell(bindir + "/pg_dump --data-only '" + url + "'");
  ASSERT_EQ(dump.code, 0) << dump.output.substr(0, 500);
  EXPECT_NE(dump.output.find("account.create"), std::string::npos) << "the dump holds the trail";
  for (const auto& m : markers) EXPECT_EQ(dump.output.find(m), std::string::npos) << m;

  std::size_t files = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(*scratch / "data", ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) continue;  // a file the server removed meanwhile
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    ++files;
    for (const auto& m : markers) {
      EXPECT_EQ(bytes.find(m), std::string::npos) << it->path() << ": " << m;
    }
  }
  EXPECT_GT(files, 100u) << "the scan must have read the cluster";
}

// `demo load` reaches an instance kept in PostgreSQL through --database, as serve does (without
// it the data directory alone holds no instance), and loads the organisation once.
TEST_F(PostgresCliTest, DemoLoadTakesTheDatabaseOfAPostgresInstance) {
  ASSERT_EQ(init("a").code, 0);
  const std::string demo = baomi_binary() + " demo load --data " + (dir / "a").string() +
                           " --password demo-password-" + crypto::random_id().substr(0, 8);
  auto without = run_shell(demo);
  EXPECT_EQ(without.code, 1) << without.output;
  EXPECT_NE(without.output.find("no instance at"), std::string::npos) << without.output;
  auto loaded = run_shell(demo + " --database '" + url + "'");
  ASSERT_EQ(loaded.code, 0) << loaded.output;
  auto again = run_shell(demo + " --database '" + url + "'");
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("demo organisation already loaded"), std::string::npos)
      << again.output;
  EXPECT_EQ(verify("a").code, 0) << "the demo's trail verifies in PostgreSQL";
}

}  // namespace
}  // namespace baomi
