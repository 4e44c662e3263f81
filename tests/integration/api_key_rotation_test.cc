// KEK rotation over real HTTPS (issue 15, part 2; docs/operations.md, "Key rotation"): the
// security administrator alone rotates (SoD, refusals audited: S9); new data keys are wrapped
// under the new KEK at once and old ones are rewrapped in the background while reads go on and
// never fail; the rewrap resumes after a kill -9 from its stored progress; a second server
// instance on the same database opens keys wrapped under a KEK made after it started, without a
// restart; every rewrapped row stays in the record ledger and the chain verifies (I1).
// Single-instance tests shorten the rewrap's pickup window (serve --rewrap-pickup-window-ms 0);
// the two-instance test keeps the default 10 s, which is what makes it safe there.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

struct Doc {
  std::string id;
  std::string content;
};

class KeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override { inst_ = TestInstance::create(); }

  // `n` documents with content, each with its own document and version data key.
  std::vector<Doc> make_documents(HttpsClient& c, int n) {
    for (int i = 0; i < n; ++i) {
      Doc d;
      d.id = std::string(create_document(c, custodian_.token, "轮换文件 " + std::to_string(i),
                                         "secret", {"finance"}, {{"custodian_id", custodian_.id}})
                             .at("id")
                             .as_string());
      d.content = "第" + std::to_string(i) + "条 只有密钥换了，内容不变。\n";
      upload_content(c, custodian_.token, d.id, d.content);
      docs_.push_back(d);
    }
    return docs_;
  }

  void make_custodian(HttpsClient& c) {
    custodian_ =
        make_user(c, *inst_, "keeper" + random_suffix(), "custodian", "confidential", {"finance"});
  }

  json::object key_status(HttpsClient& c) {
    const auto r = c.get("/api/v1/sys/keys", inst_->admin_token(c, "secadmin"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }

  // Keys the KEK `version` still wraps, per GET /api/v1/sys/keys.
  static std::int64_t keys_under(const json::object& status, std::int64_t version) {
    for (const auto& v : status.at("versions").as_array()) {
      if (v.at("version").as_int64() == version) return v.at("keys").as_int64();
    }
    return -1;
  }

  // Waits until no rewrap runs and KEK `old_version` wraps nothing (generous: a loaded machine).
  bool wait_rewrap_done(HttpsClient& c, std::int64_t old_version, int seconds = 120) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
      const auto s = key_status(c);
      if (s.at("rewrap").is_null() && keys_under(s, old_version) == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
  }

  HttpResponse rotate(HttpsClient& c) {
    return c.request("POST", "/api/v1/sys/rotate", "",
                     {{"Authorization", "Bearer " + inst_->admin_token(c, "secadmin")}});
  }

  // Every document reads back byte for byte (metadata and content).
  void expect_all_readable(HttpsClient& c) {
    for (const auto& d : docs_) {
      const auto r = c.get("/api/v1/documents/" + d.id + "/content", custodian_.token);
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.text(), d.content);
    }
  }

  void expect_chain_verifies(HttpsClient& c) {
    const auto v = c.get("/api/v1/audit/verify", inst_->admin_token(c, "auditor"));
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_TRUE(v.json().as_object().at("ok").as_bool()) << v.body;
  }

  std::unique_ptr<TestInstance> inst_;
  TestUser custodian_;
  std::vector<Doc> docs_;
};

TEST_F(KeyRotationTest, OnlyTheSecurityAdministratorRotatesAndReadsKeyStatus_SoD) {
  auto server = inst_->start();
  HttpsClient c(server->port());
  make_custodian(c);
  for (const char* role : {"sysadmin", "auditor"}) {
    const auto token = inst_->admin_token(c, role);
    EXPECT_EQ(
        c.request("POST", "/api/v1/sys/rotate", "", {{"Authorization", "Bearer " + token}}).status,
        403)
        << role;
    EXPECT_EQ(c.get("/api/v1/sys/keys", token).status, 403) << role;
  }
  EXPECT_EQ(
      c.request("POST", "/api/v1/sys/rotate", "", {{"Authorization", "Bearer " + custodian_.token}})
          .status,
      403);
  EXPECT_EQ(c.request("POST", "/api/v1/sys/rotate").status, 401);
  // S9: each refusal is in the trail.
  const auto refused = audit_entries(c, *inst_, "action=keys.rotate");
  EXPECT_EQ(std::count_if(refused.begin(), refused.end(),
                          [](const json::object& e) { return e.at("decision") == "deny"; }),
            3);

  const auto status = key_status(c);
  EXPECT_EQ(status.at("current_version").as_int64(), 1);
  EXPECT_GT(keys_under(status, 1), 0);
  EXPECT_TRUE(status.at("rewrap").is_null());
}

TEST_F(KeyRotationTest, RotationUnderLoadNeverFailsAReadAndRewrapsEveryKey_I1) {
  // Small, slow batches: the rewrap is still running while the readers read.
  auto server = inst_->start(
      {"--rewrap-batch", "2", "--rewrap-pause-ms", "50", "--rewrap-pickup-window-ms", "0"});
  HttpsClient c(server->port());
  make_custodian(c);
  make_documents(c, 16);
  const auto before = key_status(c);
  const auto keys_before = keys_under(before, 1);
  ASSERT_GT(keys_before, 32);

  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex failure_mu;
  std::vector<std::thread> readers;
  const std::vector<Doc> read_set = docs_;  // docs_ grows below
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      HttpsClient rc(server->port());
      for (std::size_t i = static_cast<std::size_t>(t); !stop.load(); ++i) {
        const auto& d = read_set[i % read_set.size()];
        const auto meta = rc.get("/api/v1/documents/" + d.id, custodian_.token);
        const auto body = rc.get("/api/v1/documents/" + d.id + "/content", custodian_.token);
        if (meta.status != 200 || body.status != 200 || body.text() != d.content) {
          ++failures;
          std::lock_guard lock(failure_mu);
          if (first_failure.empty()) first_failure = meta.body + " | " + body.body;
        }
        ++reads;
      }
    });
  }
  const auto rotated = rotate(c);
  ASSERT_EQ(rotated.status, 202) << rotated.body;
  EXPECT_EQ(rotated.json().as_object().at("kek_version").as_int64(), 2);
  EXPECT_EQ(rotated.json().as_object().at("previous_version").as_int64(), 1);

  // New data keys are wrapped under the new KEK at once; the old ones are still being rewrapped.
  const auto during = key_status(c);
  EXPECT_EQ(during.at("current_version").as_int64(), 2);
  EXPECT_FALSE(during.at("rewrap").is_null()) << json::serialize(during);
  EXPECT_GT(keys_under(during, 1), 0) << "the rewrap runs in batches, not all at once";
  make_documents(c, 1);

  const bool done = wait_rewrap_done(c, 1);
  stop = true;
  for (auto& t : readers) t.join();
  ASSERT_TRUE(done) << json::serialize(key_status(c)) << tail(server->log());
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_GT(reads.load(), 0);

  const auto after = key_status(c);
  EXPECT_EQ(keys_under(after, 1), 0);
  // Every key moved, plus the new document's two and the views the readers made meanwhile.
  EXPECT_GE(keys_under(after, 2), keys_before + 2);
  expect_all_readable(c);
  // The rewrap's batches are audited, as the rotation itself is (I1: they commit to the rows).
  EXPECT_EQ(audit_entries(c, *inst_, "action=keys.rotate").size(), 1u);
  EXPECT_GE(audit_entries(c, *inst_, "action=keys.rewrap").size(), 10u);
  EXPECT_EQ(audit_entries(c, *inst_, "action=keys.rewrap_done").size(), 1u);
  expect_chain_verifies(c);

  server->stop();
  std::string out;
  EXPECT_EQ(inst_->run_cli({"audit", "verify", "--data", inst_->data().string(), "--keys",
                            inst_->keys().string()},
                           &out),
            0)
      << out;
}

TEST_F(KeyRotationTest, AKillMidRewrapResumesFromItsStoredProgressAfterRestart_I1) {
  std::int64_t keys_before = 0;
  {
    auto server = inst_->start(
        {"--rewrap-batch", "2", "--rewrap-pause-ms", "150", "--rewrap-pickup-window-ms", "0"});
    HttpsClient c(server->port());
    make_custodian(c);
    make_documents(c, 20);
    keys_before = keys_under(key_status(c), 1);
    ASSERT_EQ(rotate(c).status, 202);
    // Let some batches commit, then kill it mid-rewrap.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::int64_t rewrapped = 0;
    while (std::chrono::steady_clock::now() < until && rewrapped < 6) {
      const auto s = key_status(c);
      ASSERT_FALSE(s.at("rewrap").is_null()) << "finished before the kill: slow it down";
      rewrapped = s.at("rewrap").at("rewrapped").as_int64();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_GE(rewrapped, 6);
    server->kill9();
  }
  auto server = inst_->start({"--rewrap-pickup-window-ms", "0"});
  HttpsClient c(server->port());
  const auto resumed = key_status(c);
  ASSERT_FALSE(resumed.at("rewrap").is_null()) << "the progress survived the kill";
  EXPECT_GE(resumed.at("rewrap").at("rewrapped").as_int64(), 6) << "resumed, not restarted";
  EXPECT_LT(keys_under(resumed, 1), keys_before);
  expect_all_readable(c);  // half rewrapped: keys under both KEKs open
  ASSERT_TRUE(wait_rewrap_done(c, 1)) << tail(server->log());
  EXPECT_GE(keys_under(key_status(c), 2), keys_before);
  expect_all_readable(c);
  expect_chain_verifies(c);
}

TEST_F(KeyRotationTest, ASecondInstanceOpensKeysUnderAKekMadeAfterItStarted) {
  // Two server processes on one database, both started before the rotation.
  auto first = inst_->start();
  auto second = inst_->start();
  HttpsClient a(first->port());
  HttpsClient b(second->port());
  make_custodian(a);
  make_documents(a, 3);
  const auto rotated = rotate(a);
  ASSERT_EQ(rotated.status, 202) << rotated.body;
  // A document written through the first now has keys under KEK 2, which the second never
  // loaded: it reads it at once, without a restart.
  const auto fresh = create_document(a, custodian_.token, "轮换之后", "secret", {"finance"},
                                     {{"custodian_id", custodian_.id}});
  const std::string id(fresh.at("id").as_string());
  upload_content(a, custodian_.token, id, "新密钥下的内容\n");
  const auto read = b.get("/api/v1/documents/" + id + "/content", custodian_.token);
  ASSERT_EQ(read.status, 200) << read.body << tail(second->log());
  EXPECT_EQ(read.text(), "新密钥下的内容\n");
  docs_.push_back({id, "新密钥下的内容\n"});
  // The second learns the new KEK on its own too: what it writes is soon under KEK 2, and the
  // rewrap (on whichever holds its lease) leaves nothing under KEK 1.
  ASSERT_TRUE(wait_rewrap_done(b, 1)) << tail(first->log()) << tail(second->log());
  make_documents(b, 1);
  const auto status = key_status(b);
  EXPECT_EQ(status.at("current_version").as_int64(), 2);
  EXPECT_EQ(keys_under(status, 1), 0);
  expect_all_readable(b);
  expect_all_readable(a);
  expect_chain_verifies(a);
}

}  // namespace
}  // namespace baomi::testing
