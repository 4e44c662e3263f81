// The `baomi` executable's own refusals: init never touches an existing instance, serve refuses
// readable private keys, a foreign master key and an invalid policy, each with a one-line reason.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cmd/commands.h"
#include "crypto/random.h"
#include "services/keys/kek_rotation.h"
#include "storage/sqlite/db.h"
#include "support/cli_run.h"

namespace {

using baomi::testing::CliRun;

std::string binary() { return baomi::testing::baomi_binary(); }

CliRun run(const std::string& args) { return baomi::testing::run_shell(binary() + " " + args); }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("baomi-cli-" + baomi::crypto::random_id());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "pw.json")
        << R"({"sysadmin":"sys-pass-1","secadmin":"sec-pass-1","auditor":"aud-pass-1"})";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  CliRun init(const std::string& name, const std::string& extra = "") {
    return run("init --data " + (dir / name).string() + " --admin-passwords " +
               (dir / "pw.json").string() + " " + extra);
  }
  // serve with a listen address that fails fast if the instance checks pass is not needed:
  // every refusal below happens before binding.
  CliRun serve(const std::string& name, const std::string& extra = "") {
    return run("serve --data " + (dir / name).string() + " --listen 127.0.0.1:1 " + extra);
  }
  std::filesystem::path dir;
};

TEST_F(CliTest, InitCreatesPrivateKeysWithMode0600AndRefusesToRunTwice) {
  auto first = init("a");
  ASSERT_EQ(first.code, 0) << first.output;
  for (const char* f : {"master.key", "audit-signing.key", "tls.key"}) {
    struct stat st {};
    ASSERT_EQ(::stat((dir / "a" / "keys" / f).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "keys" / "audit.pub"));
  auto second = init("a");
  EXPECT_NE(second.code, 0);
  EXPECT_NE(second.output.find("already exists"), std::string::npos) << second.output;
}

TEST_F(CliTest, InitWithoutPasswordFilePrintsRandomPasswordsOnce) {
  auto r = run("init --data " + (dir / "b").string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("sysadmin: "), std::string::npos);
  EXPECT_NE(r.output.find("auditor: "), std::string::npos);
}

TEST_F(CliTest, ServeRefusesAPrivateKeyReadableByOthers) {
  ASSERT_EQ(init("c").code, 0);
  std::filesystem::permissions(dir / "c" / "keys" / "master.key", std::filesystem::perms(0644));
  auto r = serve("c");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("readable by group or others"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << "one-line reason";
}

TEST_F(CliTest, ServeRefusesAForeignMasterKey) {
  ASSERT_EQ(init("d").code, 0);
  ASSERT_EQ(init("e").code, 0);
  std::filesystem::copy_file(dir / "e" / "keys" / "master.key", dir / "d" / "keys" / "master.key",
                             std::filesystem::copy_options::overwrite_existing);
  auto r = serve("d");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("does not match this instance"), std::string::npos) << r.output;
}

TEST_F(CliTest, ServeRefusesAnInvalidPolicyNamingFileAndLine) {
  ASSERT_EQ(init("f").code, 0);
  std::filesystem::create_directories(dir / "pol");
  std::ofstream(dir / "pol" / "default.yaml") << "name: broken\nlevels:\n  - nonsense: [\n";
  auto r = serve("f", "--policy " + (dir / "pol").string());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("default.yaml:"), std::string::npos) << r.output;
}

TEST_F(CliTest, InitRejectsAnInvalidPolicyBeforeCreatingAnything) {
  std::filesystem::create_directories(dir / "pol2");
  std::ofstream(dir / "pol2" / "default.yaml") << "name: x\nbogus_section: 1\n";
  auto r = init("g", "--policy " + (dir / "pol2").string());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("default.yaml:"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "g" / "baomi.db"));
}

TEST_F(CliTest, AuditVerifyReportsEntriesAndHead) {
  ASSERT_EQ(init("h").code, 0);
  auto r = run("audit verify --data " + (dir / "h").string());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output.rfind("ok: ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find(" entries, head "), std::string::npos);
}

// Schema versions (issue 13): serve refuses a database a newer build wrote, saying so, before
// anything is served or written.
TEST_F(CliTest, ServeRefusesANewerSchemaVersion) {
  ASSERT_EQ(init("s").code, 0);
  {
    auto db = baomi::storage::sqlite::Db::open(dir / "s" / "baomi.db", false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 99").ok());
  }
  auto r = serve("s");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("database schema version 99 is newer than this build of baomi "
                          "understands (2)"),
            std::string::npos)
      << r.output;
}

TEST_F(CliTest, HelpAndBadFlags) {
  for (const char* sub : {"init", "serve", "audit verify", "demo load"}) {
    auto r = run(std::string(sub) + " --help");
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.output.find("--data"), std::string::npos) << sub;
  }
  auto migrate = run("migrate --help");
  EXPECT_EQ(migrate.code, 0);
  EXPECT_NE(migrate.output.find("--from-data"), std::string::npos) << migrate.output;
  EXPECT_NE(migrate.output.find("--to"), std::string::npos) << migrate.output;
  auto bad = run("serve --data x --no-such-flag");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.output.find("no-such-flag"), std::string::npos) << bad.output;
  auto port = run("serve --data x --listen localhost:99999");
  EXPECT_NE(port.code, 0);
}

}  // namespace

namespace {

// The rewrap's pickup window is 10 s unless serve is told otherwise, as docs/operations.md says
// ("Key rotation", step 5); the flag exists for single-instance use (and fast tests).
TEST_F(CliTest, RewrapPickupWindowDefaultsToTheDocumentedTenSeconds) {
  EXPECT_EQ(baomi::services::KekRotation::kPickupWindow, std::chrono::seconds(10));
  EXPECT_EQ(baomi::cmd::ServeOptions{}.rewrap_pickup_window_ms, 10000);
  const auto help = run("serve --help");
  const auto flag = help.output.find("--rewrap-pickup-window-ms");
  ASSERT_NE(flag, std::string::npos) << help.output;
  EXPECT_NE(help.output.find("10000", flag), std::string::npos) << help.output;
}

// I1: the audit signing key is rotated with the same command as the KEK.
TEST_F(CliTest, KeysRotateOffersTheAuditSigningKey) {
  const auto help = run("keys rotate --help");
  EXPECT_EQ(help.code, 0) << help.output;
  EXPECT_NE(help.output.find("--audit-signing"), std::string::npos) << help.output;
  EXPECT_EQ(run("audit keys --help").code, 0);
}

// S10: the offline bundle check and its alias; inputs that cannot be read exit 2, not 1.
TEST_F(CliTest, EvidenceVerifyNeedsAFileAndAPublicKey) {
  for (const char* sub : {"evidence verify", "audit verify-bundle"}) {
    auto help = run(std::string(sub) + " --help");
    EXPECT_EQ(help.code, 0) << sub;
    EXPECT_NE(help.output.find("--public-key"), std::string::npos) << sub;
    EXPECT_NE(run(std::string(sub) + " bundle.tar").code, 0) << sub;  // --public-key required
  }
  std::ofstream(dir / "k.pub") << std::string(64, 'a') << "\n";
  auto missing = run("evidence verify " + (dir / "none.tar").string() + " --public-key " +
                     (dir / "k.pub").string());
  EXPECT_EQ(missing.code, 2) << missing.output;
  std::ofstream(dir / "junk.tar") << "not a bundle";
  auto junk = run("evidence verify " + (dir / "junk.tar").string() + " --public-key " +
                  (dir / "k.pub").string());
  EXPECT_EQ(junk.code, 1) << junk.output;
  EXPECT_NE(junk.output.find("FAILED: the archive is truncated"), std::string::npos) << junk.output;
}

}  // namespace
