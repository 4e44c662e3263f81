// `baomi backup` and `baomi restore` (issue 15) against a real server over HTTPS. A backup taken
// while threads upload documents and read them (audited reads) restores into a new directory
// whose trail verifies (I1) and, served with the instance's keys, gives back every document byte
// for byte; a flipped byte, a cut file, an altered manifest, another key or trailing bytes are
// refused naming the problem with nothing left behind; a non-empty target is refused; a restore
// from a backup older than a tree head the auditor kept shows as a truncation (I1), both in
// `restore --kept-tree-head` and in `audit verify --kept-tree-head`. The backup holds no key.
// SQLite only: a PostgreSQL instance is backed up with its engine's tools, which `baomi backup
// --database` names.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kBackupFinPers{"finance", "personnel"};

std::string id_of(const boost::json::object& doc) { return std::string(doc.at("id").as_string()); }

std::string random_bytes(std::size_t n, unsigned seed) {
  std::string out(n, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

std::string backup_file_bytes(const fs::path& file) { return read_text(file); }

void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Nothing of a refused restore may remain beside the target (its staging directory).
std::vector<std::string> leftovers(const fs::path& parent, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(parent)) {
    const auto n = e.path().filename().string();
    if (n == name || n.starts_with("." + name + ".restoring-")) out.push_back(n);
  }
  return out;
}

class BackupRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test_engine() == Engine::kPostgres &&
        std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) !=
            "PostgresInstanceIsReferredToItsEngineTools") {
      GTEST_SKIP() << "a PostgreSQL instance is backed up with pg_dump / pg_basebackup";
    }
    instance_ = TestInstance::create();
    server_ = instance_->start();
  }
  HttpsClient client() { return HttpsClient(server_->port()); }
  fs::path at(const std::string& name) const { return instance_->root() / name; }
  std::string pub() const { return (instance_->keys() / "audit.pub").string(); }

  int backup(const fs::path& out, std::string* output) {
    return instance_->run_cli({"backup", "--data", instance_->data().string(), "--keys",
                               instance_->keys().string(), "-o", out.string()},
                              output);
  }
  int restore(const fs::path& file, const fs::path& target, std::string* output,
              const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"restore",       file.string(),  "--data",
                                  target.string(), "--public-key", pub()};
    args.insert(args.end(), extra.begin(), extra.end());
    return instance_->run_cli(args, output);
  }
  int verify(const fs::path& data, std::string* output,
             const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"audit",       "verify",       "--data",
                                  data.string(), "--public-key", pub()};
    args.insert(args.end(), extra.begin(), extra.end());
    return instance_->run_cli(args, output);
  }
  // A backup of the instance as it is now.
  fs::path fresh_backup(const std::string& name) {
    std::string out;
    const auto file = at(name);
    EXPECT_EQ(backup(file, &out), 0) << out;
    return file;
  }
  // Restores `file` into a new directory and expects the refusal `exit` naming `problem`, with
  // nothing left where the instance would have gone.
  void expect_refused(const fs::path& file, int exit, const std::string& problem,
                      const std::string& pub_file = {}) {
    const std::string name = "refused-" + random_suffix();
    std::string out;
    std::vector<std::string> args{"restore",      file.string(),
                                  "--data",       at(name).string(),
                                  "--public-key", pub_file.empty() ? pub() : pub_file};
    EXPECT_EQ(instance_->run_cli(args, &out), exit) << out;
    EXPECT_NE(out.find(problem), std::string::npos) << out;
    EXPECT_TRUE(leftovers(instance_->root(), name).empty()) << "a refused restore left files";
  }
  // Serves the restored directory in place of the instance's own (the original moves aside),
  // with the instance's keys, as an operator does after putting the key backup in place.
  void serve_restored(const fs::path& restored) {
    server_->stop();
    fs::rename(instance_->data(), at("original-data"));
    fs::rename(restored, instance_->data());
    server_ = instance_->start();
  }

  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
};

// I1: backed up while documents are uploaded and read; the restore verifies, and every document
// the backup holds comes back byte for byte from a server on the restored directory.
TEST_F(BackupRestoreTest, BackupUnderWritesRestoresEveryDocumentByteForByte_I1) {
  auto c = client();
  const auto alice = make_user(c, *instance_, "alice", "staff", "secret", kBackupFinPers);
  std::map<std::string, std::string> before;  // written before the backup started
  for (unsigned i = 0; i < 6; ++i) {
    const auto id = id_of(
        create_document(c, alice.token, "Before " + std::to_string(i), "secret", kBackupFinPers));
    before[id] = random_bytes(20'000 + 37'000 * i, i);
    upload_content(c, alice.token, id, before[id], "application/octet-stream");
  }
  std::mutex mu;
  std::map<std::string, std::string> during;  // written while it ran (in the backup or not)
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, read_mismatches{0}, uploads{0}, upload_failures{0};
  std::thread writer([&] {
    HttpsClient w(server_->port());
    for (unsigned i = 100; !stop && upload_failures == 0; ++i) {
      try {
        const auto id = id_of(create_document(w, alice.token, "During", "secret", kBackupFinPers));
        const auto bytes = random_bytes(10'000 + 4'000 * (i % 20), i);
        {
          std::lock_guard lock(mu);
          during[id] = bytes;
        }
        upload_content(w, alice.token, id, bytes, "application/octet-stream");
        ++uploads;
      } catch (const std::exception&) {
        ++upload_failures;  // create_document/upload_content throw on a non-2xx answer
      }
    }
  });
  std::thread reader([&] {
    HttpsClient r(server_->port());
    while (!stop) {
      for (const auto& [id, bytes] : before) {
        auto got = r.get("/api/v1/documents/" + id + "/content", alice.token);
        ++reads;
        if (got.status != 200 || got.body != bytes) ++read_mismatches;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  while (uploads < 2 && upload_failures == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string out;
  const int rc = backup(at("live.baomi-backup"), &out);
  const int uploads_at_end = uploads;
  stop = true;
  writer.join();
  reader.join();
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("It holds no key"), std::string::npos) << out;
  EXPECT_EQ(upload_failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(read_mismatches.load(), 0);
  EXPECT_EQ(fs::status(at("live.baomi-backup")).permissions() & fs::perms::others_all,
            fs::perms::none);

  std::string restored_out;
  ASSERT_EQ(restore(at("live.baomi-backup"), at("restored"), &restored_out), 0) << restored_out;
  EXPECT_NE(restored_out.find("put the instance's keys in place"), std::string::npos);
  EXPECT_FALSE(fs::exists(at("restored") / "keys")) << "a restore writes no key";
  std::string verified;
  EXPECT_EQ(verify(at("restored"), &verified), 0) << verified;

  serve_restored(at("restored"));
  auto d = client();
  const auto token = login(d, "alice", alice.password);
  for (const auto& [id, bytes] : before) {
    auto got = d.get("/api/v1/documents/" + id + "/content", token);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.body, bytes) << "document " << id << " differs after the restore";
  }
  int present = 0;
  for (const auto& [id, bytes] : during) {
    auto got = d.get("/api/v1/documents/" + id + "/content", token);
    if (got.status != 200) continue;  // uploaded after the snapshot
    ++present;
    EXPECT_EQ(got.body, bytes) << "document " << id << " differs after the restore";
  }
  EXPECT_GE(present, 2) << "the uploads finished before the backup began are in it";
  EXPECT_LE(present, uploads_at_end + 1);
  // The restored instance serves and audits on: its trail still verifies.
  server_->stop();
  std::string again;
  EXPECT_EQ(verify(instance_->data(), &again), 0) << again;
}

// I1: a damaged, cut, altered or foreign backup is refused naming the problem; nothing is left.
TEST_F(BackupRestoreTest, DamagedBackupIsRefusedNamingTheProblem_I1) {
  auto c = client();
  const auto alice = make_user(c, *instance_, "alice", "staff", "secret", kBackupFinPers);
  const auto id = id_of(create_document(c, alice.token, "Doc", "secret", kBackupFinPers));
  upload_content(c, alice.token, id, random_bytes(50'000, 7), "application/octet-stream");
  const auto good = backup_file_bytes(fresh_backup("good.baomi-backup"));
  ASSERT_GT(good.size(), 100'000u);
  const std::uint32_t manifest_len =
      static_cast<std::uint8_t>(good[8]) << 24 | static_cast<std::uint8_t>(good[9]) << 16 |
      static_cast<std::uint8_t>(good[10]) << 8 | static_cast<std::uint8_t>(good[11]);
  const std::size_t payload = 12 + manifest_len + 64;

  auto flipped = good;
  flipped[payload + (good.size() - payload) / 2] ^= 0x01;
  write_bytes(at("flipped"), flipped);
  expect_refused(at("flipped"), 1, "baomi.db: SHA-256 does not match the signed manifest");

  write_bytes(at("cut"), good.substr(0, payload + 5000));
  expect_refused(at("cut"), 1, "truncated: baomi.db holds 5000 of the");

  write_bytes(at("cut-header"), good.substr(0, 40));
  expect_refused(at("cut-header"), 1, "ends inside the manifest");

  auto manifest = good;
  const auto pos = manifest.find("\"instance_id\":\"") + 15;
  manifest[pos] = manifest[pos] == 'a' ? 'b' : 'a';
  write_bytes(at("manifest"), manifest);
  expect_refused(at("manifest"), 1, "the manifest signature is invalid");

  write_bytes(at("other.pub"), std::string(63, '1') + "2\n");
  expect_refused(at("good.baomi-backup"), 1, "the manifest signature is invalid",
                 at("other.pub").string());

  write_bytes(at("trailing"), good + "x");
  expect_refused(at("trailing"), 1, "unexpected bytes after the last file");

  write_bytes(at("not-a-backup"), "SQLite format 3" + std::string(200, '\0'));
  expect_refused(at("not-a-backup"), 1, "is not a Baomi backup");

  // The intact file still restores.
  std::string out;
  EXPECT_EQ(restore(at("good.baomi-backup"), at("intact"), &out), 0) << out;
}

// A restore goes into a new instance: never over files, never into the live instance.
TEST_F(BackupRestoreTest, RestoreIntoNonEmptyDirectoryIsRefused) {
  const auto file = fresh_backup("b.baomi-backup");
  fs::create_directories(at("occupied"));
  write_bytes(at("occupied") / "notes.txt", "keep me");
  std::string out;
  EXPECT_EQ(restore(file, at("occupied"), &out), 3) << out;
  EXPECT_NE(out.find("is not an empty directory"), std::string::npos) << out;
  EXPECT_EQ(backup_file_bytes(at("occupied") / "notes.txt"), "keep me");
  EXPECT_FALSE(fs::exists(at("occupied") / "baomi.db"));
  const auto live = backup_file_bytes(instance_->data() / "policy.yaml");
  EXPECT_EQ(restore(file, instance_->data(), &out), 3) << out;
  EXPECT_EQ(backup_file_bytes(instance_->data() / "policy.yaml"), live);
  // An empty directory is a new instance directory.
  fs::create_directories(at("empty"));
  EXPECT_EQ(restore(file, at("empty"), &out), 0) << out;
  EXPECT_TRUE(fs::exists(at("empty") / "baomi.db"));
  // A backup never overwrites a file either.
  EXPECT_EQ(backup(file, &out), 2) << out;
  EXPECT_NE(out.find("never overwrites"), std::string::npos) << out;
}

// I1: the auditor kept a signed tree head newer than the backup: the restored trail is shorter,
// and both restore and verify say TRUNCATED instead of accepting it.
TEST_F(BackupRestoreTest, OldBackupShowsAsTruncationAgainstTheKeptTreeHead_I1) {
  auto c = client();
  const auto old_backup = fresh_backup("old.baomi-backup");
  const auto auditor = instance_->admin_token(c, "auditor");
  for (int i = 0; i < 5; ++i) c.get("/api/v1/audit?limit=1", auditor);  // the trail grows
  auto kept = c.get("/api/v1/audit/checkpoint", auditor);
  ASSERT_EQ(kept.status, 200) << kept.body;
  write_bytes(at("kept-checkpoint.json"), kept.body);
  const auto k = kept.json().as_object();
  write_bytes(at("kept-tree-head.json"), boost::json::serialize(boost::json::object{
                                             {"tree_size", k.at("tree_size")},
                                             {"root_hash", k.at("root_hash")},
                                             {"head", k.at("head")},
                                             {"time_us", k.at("tree_head_time_us")},
                                             {"signature", k.at("tree_head_signature")}}));
  const std::string size = std::to_string(k.at("tree_size").as_int64());

  for (const auto* head : {"kept-checkpoint.json", "kept-tree-head.json"}) {
    const std::string name = std::string("old-") + head;
    std::string out;
    EXPECT_EQ(restore(old_backup, at(name), &out, {"--kept-tree-head", at(head).string()}), 4)
        << out;
    EXPECT_NE(out.find("TRUNCATED TRAIL: the kept tree head covers " + size + " entries"),
              std::string::npos)
        << out;
    EXPECT_TRUE(leftovers(instance_->root(), name).empty());
  }
  // Restored anyway (the operator's decision, e.g. the newest backup there is), the loss stays
  // visible to every later verification against the kept head.
  std::string out;
  ASSERT_EQ(restore(old_backup, at("old"), &out), 0) << out;
  EXPECT_EQ(verify(at("old"), &out), 0) << out;
  EXPECT_EQ(verify(at("old"), &out, {"--kept-tree-head", at("kept-tree-head.json").string()}), 1)
      << out;
  EXPECT_NE(out.find("FAILED: TRUNCATED TRAIL"), std::string::npos) << out;

  // A backup taken after the kept head holds it.
  const auto new_backup = fresh_backup("new.baomi-backup");
  EXPECT_EQ(restore(new_backup, at("new"), &out,
                    {"--kept-tree-head", at("kept-tree-head.json").string()}),
            0)
      << out;
  EXPECT_NE(out.find("the trail holds the kept tree head"), std::string::npos) << out;
  EXPECT_EQ(verify(at("new"), &out, {"--kept-tree-head", at("kept-checkpoint.json").string()}), 0)
      << out;
}

// The backup holds no key: neither the master key nor the audit signing key is in its bytes.
TEST_F(BackupRestoreTest, BackupHoldsNoKey) {
  const auto bytes = backup_file_bytes(fresh_backup("b.baomi-backup"));
  ASSERT_FALSE(bytes.empty());
  for (const char* key : {"master.key", "audit-signing.key"}) {
    if (!fs::exists(instance_->keys() / key)) continue;  // a sealed instance keeps no master.key
    const auto secret = backup_file_bytes(instance_->keys() / key);
    ASSERT_GE(secret.size(), 32u) << key;
    EXPECT_EQ(bytes.find(secret.substr(0, 32)), std::string::npos) << key << " is in the backup";
  }
}

// PostgreSQL's own tools back up a PostgreSQL instance: `baomi backup --database` says so.
TEST_F(BackupRestoreTest, PostgresInstanceIsReferredToItsEngineTools) {
  std::string out;
  const auto url = instance_->on_postgres() ? instance_->database_url()
                                            : std::string("postgresql://localhost/none");
  EXPECT_EQ(instance_->run_cli({"backup", "--data", instance_->data().string(), "--database", url,
                                "-o", at("pg.baomi-backup").string()},
                               &out),
            3)
      << out;
  EXPECT_NE(out.find("pg_dump"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(at("pg.baomi-backup")));
}

}  // namespace
}  // namespace baomi::testing
