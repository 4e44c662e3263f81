// `baomi migrate --from-data DIR --to postgresql://…` on a real PostgreSQL (tests/support/
// postgres.h): a populated instance (staff, documents over several chunks, a copy, slips,
// customers, evidence, checkpoints) moves with the SAME audit head, verifies there, is served
// from PostgreSQL with its content intact, and its SQLite file is never served again; every
// refusal (no instance, in use, target not empty, schema versions) leaves both sides as they
// were; a copy that fails midway leaves the target empty and the retry succeeds; an interrupted
// run, or one stopped by keys that do not open the copy, is finished by running it again.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "auth/user.h"
#include "cmd/instance.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "services/customers/customer_export.h"
#include "services/documents/documents.h"
#include "services/investigations/investigations.h"
#include "storage/engine.h"
#include "storage/sqlite/db.h"
#include "support/cli_run.h"
#include "support/postgres.h"

namespace baomi {
namespace {

using testing::baomi_binary;
using testing::CliRun;
using testing::run_shell;

constexpr const char* kDemoPassword = "demo-pass-1";

std::string sha256_of(const std::string& bytes) {
  crypto::Sha256 h;
  h.update(bytes);
  return h.hex_digest();
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "ok: N entries, head H, ..." of `baomi audit verify`.
struct Verified {
  std::uint64_t entries = 0;
  std::string head;
};
std::optional<Verified> parse_verified(const std::string& output) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex("ok: ([0-9]+) entries, head ([0-9a-f]{64})"))) {
    return std::nullopt;
  }
  return Verified{std::stoull(m[1].str()), m[2].str()};
}

// A `baomi serve` child on a free port; stopped with SIGTERM by the destructor.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& args, const std::filesystem::path& log) {
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(fd, 1);
      dup2(fd, 2);
      const std::string binary = baomi_binary();
      std::vector<char*> argv{const_cast<char*>(binary.c_str())};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    // Generous: the machine is shared; the line appears as soon as the server listens.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    std::smatch m;
    while (std::chrono::steady_clock::now() < deadline) {
      output_ = read_text(log);
      if (std::regex_search(output_, m, std::regex("serving https://127\\.0\\.0\\.1:([0-9]+)/"))) {
        port_ = std::stoi(m[1].str());
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        output_ = read_text(log);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ~ServeProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  int port() const { return port_; }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string output_;
};

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BAOMI_POSTGRES_DATABASE_OR_SKIP(url);
    dir = std::filesystem::temp_directory_path() / ("baomi-migrate-" + crypto::random_id());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "pw.json")
        << R"({"sysadmin":"sys-pass-1","secadmin":"sec-pass-1","auditor":"aud-pass-1"})";
    std::ofstream(dir / "demo-pw") << kDemoPassword << "\n";
    std::filesystem::permissions(dir / "demo-pw", std::filesystem::perms(0600));
  }
  void TearDown() override {
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
  std::string baomi(const std::string& args) const { return baomi_binary() + " " + args; }
  CliRun init(const std::string& name, const std::string& extra = "") {
    return run_shell(baomi("init --data " + (dir / name).string() + " --admin-passwords " +
                           (dir / "pw.json").string() + " " + extra));
  }
  CliRun migrate(const std::string& name, const std::string& to) {
    return run_shell(baomi("migrate --from-data " + (dir / name).string() + " --to '" + to + "'"));
  }
  CliRun verify_sqlite(const std::string& name) {
    return run_shell(baomi("audit verify --data " + (dir / name).string()));
  }
  CliRun verify_postgres(const std::string& name, const std::string& at) {
    return run_shell(
        baomi("audit verify --data " + (dir / name).string() + " --database '" + at + "'"));
  }
  // A second, empty database on the same server.
  std::string another_database() {
    std::string why;
    const std::string other = testing::create_postgres_database(&why);
    EXPECT_FALSE(other.empty()) << why;
    return other;
  }
  std::string psql(const std::string& at, const std::string& sql) {
    auto r = run_shell("psql -qAt '" + at + "' -c \"" + sql + "\"");
    EXPECT_EQ(r.code, 0) << sql << ": " << r.output;
    while (!r.output.empty() && r.output.back() == '\n') r.output.pop_back();
    return r.output;
  }
  cmd::InstancePaths sqlite_paths(const std::string& name) {
    return cmd::paths_of((dir / name).string(), "").value();
  }

  std::string url;
  std::filesystem::path dir;
};

// The demo organisation plus what it lacks: a document of five chunks (1 MiB and a bit of
// random bytes, served as they are) and a piece of evidence (a sealed blob).
struct Populated {
  std::string big_document;
  std::string big_sha256;
};

Populated populate(const cmd::InstancePaths& paths, const std::filesystem::path& leak) {
  Populated out;
  auto opened = cmd::open_instance(paths, std::nullopt);
  EXPECT_TRUE(opened.ok()) << opened.error().message;
  if (!opened.ok()) return out;
  auto& inst = **opened;
  std::optional<auth::User> custodian, auditor;
  EXPECT_TRUE(inst.runtime->store
                  .read([&](barrier::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(
                        custodian, auth::find_user_by_username(*inst.runtime, tx, "liu.yang"));
                    BAOMI_ASSIGN_OR_RETURN(
                        auditor, auth::find_user_by_username(*inst.runtime, tx, "auditor"));
                    return {};
                  })
                  .ok());
  EXPECT_TRUE(custodian && auditor);
  if (!custodian || !auditor) return out;
  services::Documents documents(*inst.runtime);
  auto created = documents.create(
      *custodian, {"迁移测试大文件", "internal", {}, std::nullopt, std::nullopt, "five chunks"});
  EXPECT_TRUE(created.ok()) << created.error().message;
  if (!created.ok()) return out;
  const std::string content = to_string(crypto::random_bytes(1024 * 1024 + 4321));
  std::size_t offset = 0;
  auto uploaded = documents.upload(*custodian, created->doc.id, "application/octet-stream",
                                   [&](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
                                     const std::size_t k = std::min(n, content.size() - offset);
                                     std::memcpy(buf, content.data() + offset, k);
                                     offset += k;
                                     return k;
                                   });
  EXPECT_TRUE(uploaded.ok()) << uploaded.error().message;
  out.big_document = created->doc.id;
  out.big_sha256 = sha256_of(content);

  services::CustomerExports exports(*inst.runtime);
  services::Investigations investigations(*inst.runtime, exports);
  auto opened_case = investigations.open(*auditor, "泄露调查", "a leaked excerpt", {});
  EXPECT_TRUE(opened_case.ok()) << opened_case.error().message;
  if (!opened_case.ok()) return out;
  const std::string leaked = read_text(leak);
  EXPECT_FALSE(leaked.empty());
  std::size_t at = 0;
  auto evidence =
      investigations.add_evidence(*auditor, opened_case->id,
                                  {"text/plain", "found in a chat",
                                   [&](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
                                     const std::size_t k = std::min(n, leaked.size() - at);
                                     std::memcpy(buf, leaked.data() + at, k);
                                     at += k;
                                     return k;
                                   },
                                   1 << 20});
  EXPECT_TRUE(evidence.ok()) << evidence.error().message;
  EXPECT_TRUE(
      inst.store->write([&](storage::WriteTx& tx) { return inst.audit->checkpoint(tx, now_utc()); })
          .ok());
  inst.store->close();
  return out;
}

TEST_F(MigrateTest, MovesAPopulatedInstanceWithTheSameHeadAndServesItFromPostgres) {
  ASSERT_EQ(init("a").code, 0);
  const auto loaded =
      run_shell(baomi("demo load --data " + (dir / "a").string() + " --password " + kDemoPassword +
                      " --leak-file " + (dir / "leak.txt").string()));
  ASSERT_EQ(loaded.code, 0) << loaded.output;
  const Populated populated = populate(sqlite_paths("a"), dir / "leak.txt");
  ASSERT_FALSE(populated.big_document.empty());
  const auto before = parse_verified(verify_sqlite("a").output);
  ASSERT_TRUE(before);

  const auto moved = migrate("a", url);
  ASSERT_EQ(moved.code, 0) << moved.output;
  const std::string head = "seq " + std::to_string(before->entries) + " hash " + before->head;
  EXPECT_NE(moved.output.find("audit head on the target: " + head + " (source: " + head),
            std::string::npos)
      << moved.output;
  EXPECT_NE(moved.output.find("chunks: "), std::string::npos) << moved.output;
  EXPECT_NE(moved.output.find("recorded instance.migrate"), std::string::npos) << moved.output;
  EXPECT_EQ(moved.output.find("sys-pass"), std::string::npos) << "no secret in the output";

  // Every table arrived: five chunks of the big document, the evidence blob, the trail.
  EXPECT_EQ(
      psql(url, "SELECT count(*) FROM chunks WHERE document_id = '" + populated.big_document + "'"),
      "5");
  EXPECT_NE(psql(url, "SELECT count(*) FROM blobs"), "0");
  EXPECT_NE(psql(url, "SELECT count(*) FROM handovers"), "0");
  EXPECT_NE(psql(url, "SELECT count(*) FROM customers"), "0");
  // The same head, then exactly one entry: the move itself.
  EXPECT_EQ(psql(url, "SELECT hash FROM audit WHERE seq = " + std::to_string(before->entries)),
            before->head);
  EXPECT_EQ(psql(url, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1"), "instance.migrate");
  // Its detail: where from and to, the head it continues, what was copied.
  const auto detail = psql(url, "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1");
  EXPECT_TRUE(std::regex_match(
      detail,
      std::regex(R"(\{"from":"sqlite","to":"[^"]*","head_seq":)" + std::to_string(before->entries) +
                 R"(,"head":")" + before->head + R"(","tables":[1-9][0-9]*,"rows":[1-9][0-9]*\})")))
      << detail;
  const auto after = parse_verified(verify_postgres("a", url).output);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->entries, before->entries + 1);

  // One instance, one engine: the SQLite file is retired, and refused by name.
  EXPECT_FALSE(std::filesystem::exists(dir / "a" / "baomi.db"));
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "baomi.db.migrated"));
  const auto on_sqlite =
      run_shell(baomi("serve --data " + (dir / "a").string() + " --listen 127.0.0.1:0"));
  EXPECT_EQ(on_sqlite.code, 1);
  EXPECT_NE(on_sqlite.output.find("was moved to " + storage::describe_database(url)),
            std::string::npos)
      << on_sqlite.output;
  const auto again = migrate("a", url);
  EXPECT_EQ(again.code, 3) << again.output;
  EXPECT_NE(again.output.find("already moved"), std::string::npos) << again.output;

  // Served from PostgreSQL: staff log in and read the five-chunk document, bytes intact.
  ServeProcess server(
      {"serve", "--data", (dir / "a").string(), "--database", url, "--listen", "127.0.0.1:0"},
      dir / "serve.log");
  ASSERT_GT(server.port(), 0) << server.output();
  const std::string env = "BAOMI_ADDR=https://127.0.0.1:" + std::to_string(server.port()) +
                          " BAOMI_CACERT=" + (dir / "a" / "keys" / "tls.crt").string() + " ";
  const auto read =
      run_shell(env + "BAOMI_TOKEN=$(" + env + baomi("login liu.yang --password-file ") +
                (dir / "demo-pw").string() + " 2>/dev/null) " +
                baomi("docs get " + populated.big_document + " -o ") + (dir / "big.out").string());
  ASSERT_EQ(read.code, 0) << read.output;
  EXPECT_EQ(sha256_of(read_text(dir / "big.out")), populated.big_sha256);
}

TEST_F(MigrateTest, RefusesASourceThatIsNoInstanceOrIsInUse) {
  std::filesystem::create_directories(dir / "empty");
  auto none = migrate("empty", url);
  EXPECT_EQ(none.code, 3) << none.output;
  EXPECT_NE(none.output.find("no instance at"), std::string::npos) << none.output;
  // A database file that is not an instance.
  std::filesystem::create_directories(dir / "bare");
  ASSERT_TRUE(storage::open_store((dir / "bare" / "baomi.db").string(), true).ok());
  auto bare = migrate("bare", url);
  EXPECT_EQ(bare.code, 3) << bare.output;
  EXPECT_NE(bare.output.find("holds no Baomi instance"), std::string::npos) << bare.output;

  ASSERT_EQ(init("a").code, 0);
  {
    // What serve does: the instance is open, so it must not move.
    auto opened = cmd::open_instance(sqlite_paths("a"), std::nullopt);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    auto busy = migrate("a", url);
    EXPECT_EQ(busy.code, 4) << busy.output;
    EXPECT_NE(busy.output.find("is in use"), std::string::npos) << busy.output;
  }
  {
    // And while a migration runs, no server starts on the directory.
    auto held = cmd::InstanceLock::acquire(dir / "a", cmd::InstanceLock::Mode::kExclusive);
    ASSERT_TRUE(held.ok()) << held.error().message;
    auto serve = run_shell(baomi("serve --data " + (dir / "a").string() + " --listen 127.0.0.1:0"));
    EXPECT_EQ(serve.code, 1);
    EXPECT_NE(serve.output.find("is being migrated"), std::string::npos) << serve.output;
  }
  EXPECT_EQ(psql(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'meta'"), "0")
      << "no refusal touched the target";
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "baomi.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "a" / "baomi.db.moved"));
  auto usage = migrate("a", (dir / "x.db").string());
  EXPECT_EQ(usage.code, 2) << usage.output;
}

TEST_F(MigrateTest, RefusesATargetThatHoldsAnInstanceOrRows) {
  ASSERT_EQ(init("a").code, 0);
  ASSERT_EQ(init("pg", "--database '" + url + "'").code, 0);
  auto taken = migrate("a", url);
  EXPECT_EQ(taken.code, 5) << taken.output;
  EXPECT_NE(taken.output.find("already holds another Baomi instance"), std::string::npos)
      << taken.output;
  EXPECT_EQ(verify_postgres("pg", url).code, 0) << "the target's instance is untouched";

  const std::string rows = another_database();
  ASSERT_TRUE(storage::open_store(rows, true).ok());
  psql(rows, "INSERT INTO audit_tree_heads VALUES (1, 'r', 'h', 0, 's')");
  auto not_empty = migrate("a", rows);
  EXPECT_EQ(not_empty.code, 5) << not_empty.output;
  EXPECT_NE(not_empty.output.find("is not empty (table audit_tree_heads"), std::string::npos)
      << not_empty.output;

  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "baomi.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "a" / "baomi.db.moved"));
  EXPECT_EQ(verify_sqlite("a").code, 0);
}

TEST_F(MigrateTest, RefusesASchemaVersionThisBuildDoesNotKnowOnEitherSide) {
  ASSERT_EQ(init("a").code, 0);
  {
    auto db = storage::sqlite::Db::open(dir / "a" / "baomi.db", false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 99").ok());
  }
  auto newer_source = migrate("a", url);
  EXPECT_EQ(newer_source.code, 6) << newer_source.output;
  EXPECT_NE(newer_source.output.find("schema version 99 is newer"), std::string::npos)
      << newer_source.output;
  {
    auto db = storage::sqlite::Db::open(dir / "a" / "baomi.db", false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 1").ok());
  }
  ASSERT_TRUE(storage::open_store(url, true).ok());
  psql(url, "UPDATE meta SET value = convert_to('99', 'UTF8') WHERE key = 'schema_version'");
  auto newer_target = migrate("a", url);
  EXPECT_EQ(newer_target.code, 6) << newer_target.output;
  EXPECT_NE(newer_target.output.find("schema version 99 is newer"), std::string::npos)
      << newer_target.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "baomi.db"));
}

// A target that fails midway (here: a trigger refuses the first audit Merkle tree node, after
// meta, keys and the trail were inserted) keeps nothing: one transaction. The SQLite file is still
// the instance, and once the target works the same command moves it.
TEST_F(MigrateTest, ACopyThatFailsMidwayLeavesTheTargetEmptyAndTheRetryMovesIt) {
  ASSERT_EQ(init("a").code, 0);
  ASSERT_TRUE(storage::open_store(url, true).ok());
  psql(url,
       "CREATE FUNCTION fail_copy() RETURNS trigger LANGUAGE plpgsql AS \\$\\$ BEGIN RAISE "
       "EXCEPTION 'disk full'; END \\$\\$; CREATE TRIGGER fail_copy BEFORE INSERT ON audit_tree "
       "FOR EACH ROW EXECUTE FUNCTION fail_copy();");
  auto failed = migrate("a", url);
  EXPECT_EQ(failed.code, 1) << failed.output;
  EXPECT_NE(failed.output.find("nothing was copied"), std::string::npos) << failed.output;
  EXPECT_EQ(psql(url, "SELECT count(*) FROM meta WHERE key = 'instance_id'"), "0");
  EXPECT_EQ(psql(url, "SELECT count(*) FROM audit"), "0");
  EXPECT_EQ(psql(url, "SELECT count(*) FROM users"), "0");
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "baomi.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "a" / "baomi.db.moved")) << "SQLite still serves";
  EXPECT_TRUE(cmd::open_instance(sqlite_paths("a"), std::nullopt).ok());

  psql(url, "DROP TRIGGER fail_copy ON audit_tree");
  auto retried = migrate("a", url);
  ASSERT_EQ(retried.code, 0) << retried.output;
  EXPECT_EQ(verify_postgres("a", url).code, 0);
}

// A run that committed the copy but never renamed the SQLite file (killed, power lost): the
// file is refused meanwhile, and running the command again finishes the move.
TEST_F(MigrateTest, AnInterruptedMoveIsRefusedUntilTheCommandFinishesIt) {
  ASSERT_EQ(init("a").code, 0);
  ASSERT_EQ(migrate("a", url).code, 0);
  std::filesystem::rename(dir / "a" / "baomi.db.migrated", dir / "a" / "baomi.db");
  auto serve = run_shell(baomi("serve --data " + (dir / "a").string() + " --listen 127.0.0.1:0"));
  EXPECT_EQ(serve.code, 1);
  EXPECT_NE(serve.output.find("started and did not finish"), std::string::npos) << serve.output;
  const auto entries = psql(url, "SELECT count(*) FROM audit");
  auto finished = migrate("a", url);
  ASSERT_EQ(finished.code, 0) << finished.output;
  EXPECT_NE(finished.output.find("finishing"), std::string::npos) << finished.output;
  EXPECT_EQ(psql(url, "SELECT count(*) FROM audit"), entries) << "copied and recorded once";
  EXPECT_FALSE(std::filesystem::exists(dir / "a" / "baomi.db"));
  EXPECT_EQ(verify_postgres("a", url).code, 0);
}

// Keys that do not open the instance: the copy is made and proven, but the move is neither
// recorded nor finished (the keys would not serve it either); with the right keys the same
// command proves the bare copy again, records the move and retires the file.
TEST_F(MigrateTest, KeysThatDoNotOpenTheCopyStopTheMoveUntilTheRightOnesFinishIt) {
  ASSERT_EQ(init("a").code, 0);
  ASSERT_EQ(init("other").code, 0);
  const auto wrong = run_shell(baomi("migrate --from-data " + (dir / "a").string() + " --keys " +
                                     (dir / "other" / "keys").string() + " --to '" + url + "'"));
  EXPECT_EQ(wrong.code, 1) << wrong.output;
  EXPECT_NE(wrong.output.find("cannot be opened on the target with the keys"), std::string::npos)
      << wrong.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "baomi.db"));
  EXPECT_TRUE(std::filesystem::exists(dir / "a" / "baomi.db.moved"));
  EXPECT_EQ(psql(url, "SELECT count(*) FROM audit WHERE action = 'instance.migrate'"), "0");

  const auto right = migrate("a", url);
  ASSERT_EQ(right.code, 0) << right.output;
  EXPECT_NE(right.output.find("finishing"), std::string::npos) << right.output;
  EXPECT_NE(right.output.find("(source: "), std::string::npos) << "proven again";
  EXPECT_EQ(psql(url, "SELECT count(*) FROM audit WHERE action = 'instance.migrate'"), "1");
  EXPECT_FALSE(std::filesystem::exists(dir / "a" / "baomi.db"));
  EXPECT_EQ(verify_postgres("a", url).code, 0);
}

}  // namespace
}  // namespace baomi
