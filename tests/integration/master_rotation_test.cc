// Master key rotation (`baomi keys rotate-master`, issue 15 part 2) on a stopped instance, with
// its key file or with K of N key shares into a new split: the old key material is refused, the
// new one opens the instance, every document, customer record (with its blind index), slip and
// session reads back as before (the KEKs and purpose keys are the same keys, resealed: C3, I1),
// the trail records the rotation and verifies (I1). A crash (SIGKILL, through the test-only
// BAOMI_TEST_CRASH_AT step) at any step leaves an instance that opens with the old or with the
// new key material, and a rerun or the next `serve` finishes or rolls back the rotation.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "integration/harness.h"
#include "support/scoped_env.h"

namespace baomi::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Runs the CLI with `args` and the crash hook armed at `step` (src/cmd/test_hooks.h), then
// disarms it, whatever the run did: the exit status (128 + SIGKILL when the hook fired).
int run_crashing_at(const TestInstance& inst, const std::string& step,
                    const std::vector<std::string>& args, std::string* out) {
  ScopedEnvironment env;
  env.set("BAOMI_TEST_CRASH_AT", "master-rotation:" + step);
  return inst.run_cli(args, out);
}

const std::vector<std::string> kRotationFinPers = {"finance", "personnel"};

std::string rotation_id_of(const json::object& o) { return std::string(o.at("id").as_string()); }

// One of each kind of stored thing, to read back after the rotation.
struct Stored {
  TestUser staff;
  std::string doc_id, content, customer_id, slip_id;
};

Stored store_some_data(HttpsClient& c, const TestInstance& inst) {
  Stored s;
  s.staff = make_user(c, inst, "keys.staff", "staff", "secret", kRotationFinPers);
  s.doc_id =
      rotation_id_of(create_document(c, s.staff.token, "Payroll", "secret", kRotationFinPers));
  s.content = std::string("payroll 2026 \x01\x02\xff", 16) + std::string(5000, 'x');
  upload_content(c, s.staff.token, s.doc_id, s.content, "application/octet-stream");
  const json::object customer{{"name", "张三"}, {"phone", "13700001234"}, {"notes", "老客户"}};
  auto r = c.post_json("/api/v1/customers", customer, s.staff.token);
  if (r.status != 201) throw std::runtime_error("customer: " + r.body);
  s.customer_id = rotation_id_of(r.json().as_object());
  const json::object slip{
      {"shift", "day"},
      {"items", json::array{json::object{{"summary", "call back the customer"}}}},
      {"notes", "notes"}};
  r = c.post_json("/api/v1/handovers", slip, s.staff.token);
  if (r.status != 201) throw std::runtime_error("slip: " + r.body);
  s.slip_id = rotation_id_of(r.json().as_object());
  return s;
}

// The same, through a server started for it and stopped again (rotation runs offline).
Stored store_some_data_offline(TestInstance& inst) {
  auto server = inst.start();
  HttpsClient c(server->port());
  Stored stored = store_some_data(c, inst);
  server->stop();
  return stored;
}

// Everything reads back as before, with the session token issued before the rotation (the
// token hash key is a purpose key: unchanged).
void expect_data_intact(HttpsClient& c, const Stored& s) {
  const auto content = c.get("/api/v1/documents/" + s.doc_id + "/content", s.staff.token);
  ASSERT_EQ(content.status, 200) << content.body;
  EXPECT_EQ(content.body, s.content) << "the document's content differs";
  const auto customer = c.get("/api/v1/customers/" + s.customer_id, s.staff.token);
  ASSERT_EQ(customer.status, 200) << customer.body;
  EXPECT_EQ(customer.json().at("phone").as_string(), "137****1234");
  // C3: the blind index made before the rotation still finds the record.
  const auto found = c.get("/api/v1/customers?phone=13700001234", s.staff.token);
  ASSERT_EQ(found.status, 200) << found.body;
  const auto found_json = found.json();
  const auto& items = found_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_string(), s.customer_id);
  const auto slip = c.get("/api/v1/handovers/" + s.slip_id, s.staff.token);
  ASSERT_EQ(slip.status, 200) << slip.body;
  EXPECT_NE(slip.body.find("call back the customer"), std::string::npos) << slip.body;
}

std::vector<std::string> with_instance(const TestInstance& inst, std::vector<std::string> args) {
  std::vector<std::string> out{"--data", inst.data().string(), "--keys", inst.keys().string()};
  for (auto& a : inst.database_args()) out.push_back(std::move(a));
  args.insert(args.end(), out.begin(), out.end());
  return args;
}

std::vector<std::string> share_files(const fs::path& root, const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) out.push_back((root / (prefix + std::to_string(i))).string());
  return out;
}

// `keys rotate-master` with `current` shares (the first K are given) into `next` new share files.
std::vector<std::string> rotate_args(const TestInstance& inst,
                                     const std::vector<std::string>& current, int threshold,
                                     const std::vector<std::string>& next, int next_threshold) {
  auto args = with_instance(inst, {"keys", "rotate-master"});
  for (int i = 0; i < threshold; ++i) args.insert(args.end(), {"--current-share-file", current[i]});
  args.insert(args.end(), {"--key-shares", std::to_string(next.size()), "--key-threshold",
                           std::to_string(next_threshold)});
  for (const auto& f : next) args.insert(args.end(), {"--share-file", f});
  return args;
}

// The instance sealed by shares with `operator rekey` (its key files split and removed).
std::vector<std::string> seal_by_shares(const TestInstance& inst, int shares, int threshold) {
  const auto files = share_files(inst.root(), "share-", shares);
  auto args = with_instance(inst, {"operator", "rekey", "--key-shares", std::to_string(shares),
                                   "--key-threshold", std::to_string(threshold)});
  for (const auto& f : files) args.insert(args.end(), {"--share-file", f});
  std::string out;
  if (inst.run_cli(args, &out) != 0) throw std::runtime_error("operator rekey: " + out);
  return files;
}

HttpResponse give_rotation_share(HttpsClient& c, const std::string& file) {
  return c.post_json("/api/v1/sys/unseal", json::object{{"share", read_text(file)}});
}

void unseal(HttpsClient& c, const std::vector<std::string>& files, int threshold) {
  for (int i = 0; i < threshold; ++i) {
    const auto r = give_rotation_share(c, files[static_cast<std::size_t>(i)]);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("sealed").as_bool(), i + 1 < threshold);
  }
}

void expect_no_rotation_left(const TestInstance& inst) {
  EXPECT_FALSE(fs::exists(inst.keys() / "master-rotation.json"));
  for (const char* f : {"master.key", "seal.json", "audit-signing.key.sealed"}) {
    EXPECT_FALSE(fs::exists(inst.keys() / (std::string(f) + ".rotating"))) << f;
  }
}

int audit_verify(const TestInstance& inst, std::string* out) {
  return inst.run_cli(
      {"audit", "verify", "--data", inst.data().string(), "--keys", inst.keys().string()}, out);
}

TEST(MasterRotation, WithTheKeyFile_OldKeyRefused_DataIntact_Recorded_I1_C3) {
  auto inst = TestInstance::create();
  const Stored stored = store_some_data_offline(*inst);
  const std::string old_key = read_text(inst->keys() / "master.key");
  std::string out;
  // Offline only: a running server holds the instance lock (SQLite; a PostgreSQL instance's
  // servers may be elsewhere, as docs/operations.md says).
  if (!inst->on_postgres()) {
    auto server = inst->start();
    EXPECT_EQ(inst->run_cli(with_instance(*inst, {"keys", "rotate-master"}), &out), 1);
    EXPECT_NE(out.find("stop it first"), std::string::npos) << out;
    server->stop();
  }
  // Shares are options of an instance sealed by shares.
  EXPECT_EQ(
      inst->run_cli(with_instance(*inst, {"keys", "rotate-master", "--key-shares", "3"}), &out), 1);
  EXPECT_NE(out.find("operator rekey"), std::string::npos) << out;
  ASSERT_EQ(read_text(inst->keys() / "master.key"), old_key);

  ASSERT_EQ(inst->run_cli(with_instance(*inst, {"keys", "rotate-master"}), &out), 0) << out;
  EXPECT_NE(out.find("Master key rotated"), std::string::npos) << out;
  const std::string new_key = read_text(inst->keys() / "master.key");
  EXPECT_EQ(new_key.size(), 32u);
  EXPECT_NE(new_key, old_key);
  expect_no_rotation_left(*inst);
  EXPECT_EQ(fs::status(inst->keys() / "master.key").permissions() &
                (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  ASSERT_EQ(audit_verify(*inst, &out), 0) << out;

  // The old key file put back is refused, naming nothing but the mismatch.
  {
    fs::remove(inst->keys() / "master.key");
    std::ofstream(inst->keys() / "master.key", std::ios::binary) << old_key;
    fs::permissions(inst->keys() / "master.key", fs::perms::owner_read | fs::perms::owner_write);
    auto refused = inst->run_cli(with_instance(*inst, {"keys", "rotate-master"}), &out);
    EXPECT_EQ(refused, 1);
    EXPECT_NE(out.find("does not match this instance"), std::string::npos) << out;
    fs::remove(inst->keys() / "master.key");
    std::ofstream(inst->keys() / "master.key", std::ios::binary) << new_key;
    fs::permissions(inst->keys() / "master.key", fs::perms::owner_read | fs::perms::owner_write);
  }

  auto server = inst->start();
  HttpsClient c(server->port());
  expect_data_intact(c, stored);
  const auto entries = audit_entries(c, *inst, "action=keys.rotate_master");
  ASSERT_EQ(entries.size(), 1u);
  const auto entry = json::serialize(entries[0]);
  EXPECT_NE(entry.find("key_file"), std::string::npos) << entry;
  EXPECT_EQ(entries[0].at("rule").as_string(), "I1");
  server->stop();
  ASSERT_EQ(audit_verify(*inst, &out), 0) << out;
}

TEST(MasterRotation, WithKOfNSharesIntoANewSplit_OldSharesRefused_DataIntact_I1_C3) {
  auto inst = TestInstance::create();
  const Stored stored = store_some_data_offline(*inst);
  const auto old_shares = seal_by_shares(*inst, 3, 2);
  const auto new_shares = share_files(inst->root(), "new-", 4);
  std::string out;
  // K-1 current shares are not enough, and nothing changes.
  auto short_of = rotate_args(*inst, old_shares, 1, new_shares, 3);
  EXPECT_EQ(inst->run_cli(short_of, &out), 1);
  EXPECT_NE(out.find("2 current key shares are needed"), std::string::npos) << out;
  expect_no_rotation_left(*inst);
  EXPECT_FALSE(fs::exists(new_shares[0]));
  // A step that fails after the journal (here: a share file that cannot be written, the
  // first ones already written) is rolled back at once: no new file or share is left.
  auto unwritable = share_files(inst->root(), "w-", 3);
  unwritable[2] = (inst->root() / "no-such-dir" / "w-3").string();
  EXPECT_EQ(inst->run_cli(rotate_args(*inst, old_shares, 2, unwritable, 2), &out), 1);
  EXPECT_NE(out.find("the master key was not rotated"), std::string::npos) << out;
  expect_no_rotation_left(*inst);
  EXPECT_FALSE(fs::exists(unwritable[0]));

  ASSERT_EQ(
      inst->run_cli(rotate_args(*inst, {old_shares[2], old_shares[0]}, 2, new_shares, 3), &out), 0)
      << out;
  expect_no_rotation_left(*inst);
  for (const auto& f : new_shares) {
    ASSERT_TRUE(fs::exists(f)) << f;
    EXPECT_EQ(fs::status(f).permissions() & (fs::perms::group_all | fs::perms::others_all),
              fs::perms::none);
  }
  // The old shares no longer rebuild this instance's master key, offline or at an unseal.
  EXPECT_EQ(
      inst->run_cli(rotate_args(*inst, old_shares, 2, share_files(inst->root(), "x-", 3), 2), &out),
      1);
  EXPECT_NE(out.find("does not belong to this instance's current master key"), std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(inst->root() / "x-1"));
  ASSERT_EQ(audit_verify(*inst, &out), 0) << out;

  auto server = inst->start();
  HttpsClient c(server->port());
  const auto old = give_rotation_share(c, old_shares[1]);
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(old.error_code(), "foreign_share");
  EXPECT_NE(old.body.find("current master key"), std::string::npos) << old.body;
  // K-1 new shares are not enough; K are.
  unseal(c, {new_shares[3], new_shares[1], new_shares[0]}, 3);
  expect_data_intact(c, stored);
  const auto entries = audit_entries(c, *inst, "action=keys.rotate_master");
  ASSERT_EQ(entries.size(), 1u);
  const auto entry = json::serialize(entries[0]);
  EXPECT_NE(entry.find("key_shares"), std::string::npos) << entry;
  EXPECT_NE(entry.find("previous_threshold"), std::string::npos) << entry;
  server->stop();
  ASSERT_EQ(audit_verify(*inst, &out), 0) << out;
}

// One instance sealed by 3 shares (2 unseal), killed at each step of one rotation after another:
// after each kill the next `serve` finishes or rolls back what was left, and exactly the set of
// shares the crash left in force unseals it (the other set is refused).
TEST(MasterRotation, AKillAtAnyStepLeavesTheOldOrTheNewKeyMaterial_I1) {
  auto inst = TestInstance::create();
  const Stored stored = store_some_data_offline(*inst);
  auto in_force = seal_by_shares(*inst, 3, 2);
  const std::vector<std::pair<std::string, bool>> steps = {{"journal", false},  {"files", false},
                                                           {"shares", false},   {"committed", true},
                                                           {"switching", true}, {"switched", true}};
  for (const auto& [step, commits] : steps) {
    SCOPED_TRACE(step);
    const auto next = share_files(inst->root(), step + "-", 3);
    std::string out;
    const int rc = run_crashing_at(*inst, step, rotate_args(*inst, in_force, 2, next, 2), &out);
    ASSERT_EQ(rc, 128 + SIGKILL) << out;
    ASSERT_TRUE(fs::exists(inst->keys() / "master-rotation.json"));
    const auto stale = commits ? in_force : next;
    if (commits) in_force = next;

    auto server = inst->start();  // finishes or rolls back first
    expect_no_rotation_left(*inst);
    if (!commits) {
      for (const auto& f : next) EXPECT_FALSE(fs::exists(f)) << "void share kept: " << f;
    }
    HttpsClient c(server->port());
    if (commits) {
      const auto refused = give_rotation_share(c, stale[0]);
      EXPECT_EQ(refused.status, 400) << refused.body;
      EXPECT_EQ(refused.error_code(), "foreign_share");
    }
    unseal(c, in_force, 2);
    expect_data_intact(c, stored);
    server->stop();
  }
  std::string out;
  // A rerun of the command finishes a committed rotation, needing no key...
  const auto next = share_files(inst->root(), "rerun-", 3);
  ASSERT_EQ(run_crashing_at(*inst, "committed", rotate_args(*inst, in_force, 2, next, 2), &out),
            128 + SIGKILL)
      << out;
  ASSERT_EQ(inst->run_cli(with_instance(*inst, {"keys", "rotate-master"}), &out), 0) << out;
  EXPECT_NE(out.find("was finished"), std::string::npos) << out;
  expect_no_rotation_left(*inst);
  in_force = next;
  // ... and rolls back one that did not commit before rotating anew.
  const auto lost = share_files(inst->root(), "lost-", 3);
  ASSERT_EQ(run_crashing_at(*inst, "shares", rotate_args(*inst, in_force, 2, lost, 2), &out),
            128 + SIGKILL)
      << out;
  const auto last = share_files(inst->root(), "last-", 3);
  ASSERT_EQ(inst->run_cli(rotate_args(*inst, in_force, 2, last, 2), &out), 0) << out;
  EXPECT_NE(out.find("rolled back"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(lost[0]));
  expect_no_rotation_left(*inst);

  auto server = inst->start();
  HttpsClient c(server->port());
  unseal(c, last, 2);
  expect_data_intact(c, stored);
  // Five rotations committed, each recorded once: three killed after their commit and finished
  // by `serve`, one killed after its commit and finished by the rerun, and the last one.
  EXPECT_EQ(audit_entries(c, *inst, "action=keys.rotate_master").size(), 5u);
  server->stop();
  ASSERT_EQ(audit_verify(*inst, &out), 0) << out;
}

// Runs `args` (a rotation) killed at `step`; the journal is left behind.
void rotate_killed_at(const TestInstance& inst, const std::vector<std::string>& args,
                      const std::string& step) {
  std::string out;
  const int rc = run_crashing_at(inst, step, args, &out);
  ASSERT_EQ(rc, 128 + SIGKILL) << out;
  ASSERT_TRUE(fs::exists(inst.keys() / "master-rotation.json"));
}

// I1: the offline commands that read the instance's keys finish a committed rotation, or roll
// back one that did not commit, before they read a key, as `serve` does: none of them fails on
// (or reads) key files that are not the ones in force.
TEST(MasterRotation, OfflineCommandsFinishOrRollBackAnInterruptedRotationFirst_I1) {
  auto inst = TestInstance::create();
  const Stored stored = store_some_data_offline(*inst);
  std::string out;
  if (!inst->on_postgres()) {  // a PostgreSQL instance is backed up with PostgreSQL's tools
    ASSERT_NO_FATAL_FAILURE(
        rotate_killed_at(*inst, with_instance(*inst, {"keys", "rotate-master"}), "committed"));
    const auto file = inst->root() / "after-rotation.backup";
    ASSERT_EQ(inst->run_cli(with_instance(*inst, {"backup", "-o", file.string()}), &out), 0) << out;
    EXPECT_NE(out.find("was finished"), std::string::npos) << out;
    EXPECT_TRUE(fs::exists(file));
    expect_no_rotation_left(*inst);
  }
  // A committed rotation of the key file, finished by `operator rekey`, which then seals the
  // instance by shares with the new master key.
  ASSERT_NO_FATAL_FAILURE(
      rotate_killed_at(*inst, with_instance(*inst, {"keys", "rotate-master"}), "committed"));
  const auto sealed = seal_by_shares(*inst, 3, 2);
  expect_no_rotation_left(*inst);
  // A rotation of those shares that did not commit, rolled back by `operator rekey`, which then
  // hands out a new split of the same (old) master key.
  const auto void_shares = share_files(inst->root(), "void-", 3);
  ASSERT_NO_FATAL_FAILURE(
      rotate_killed_at(*inst, rotate_args(*inst, sealed, 2, void_shares, 2), "shares"));
  const auto resplit = share_files(inst->root(), "resplit-", 3);
  auto args =
      with_instance(*inst, {"operator", "rekey", "--key-shares", "3", "--key-threshold", "2",
                            "--current-share-file", sealed[0], "--current-share-file", sealed[1]});
  for (const auto& f : resplit) args.insert(args.end(), {"--share-file", f});
  ASSERT_EQ(inst->run_cli(args, &out), 0) << out;
  EXPECT_NE(out.find("rolled back"), std::string::npos) << out;
  expect_no_rotation_left(*inst);
  for (const auto& f : void_shares) EXPECT_FALSE(fs::exists(f)) << "void share kept: " << f;

  auto server = inst->start();
  HttpsClient c(server->port());
  unseal(c, resplit, 2);
  expect_data_intact(c, stored);
  server->stop();
  ASSERT_EQ(audit_verify(*inst, &out), 0) << out;
}

}  // namespace
}  // namespace baomi::testing
