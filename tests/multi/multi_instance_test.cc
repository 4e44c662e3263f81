// Several `baomi serve` processes on one PostgreSQL database behind HAProxy (issue 13, part 3):
// what one node does, every other node sees at once: sessions and their end, clearances, the
// approved count of copies, and one audit chain without gaps or forks (I1, S7, S6).
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "multi/cluster.h"
#include "support/postgres.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

class MultiInstanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string why;
    const auto url = create_postgres_database(&why);
    if (url.empty()) {
      skip_reason_ = why;
      return;
    }
    cluster_ = Cluster::create(url).release();
    cluster_->start_node();
    cluster_->start_node();
    cluster_->start_balancer();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    if (cluster_ == nullptr) {
      if (postgres_required()) FAIL() << skip_reason_;
      GTEST_SKIP() << skip_reason_;
    }
  }
  Cluster& cluster() { return *cluster_; }

  // A document of `level` in finance, with content, created by a fresh custodian.
  struct Doc {
    TestUser custodian;
    std::string id;
  };
  Doc make_document(HttpsClient& c, const std::string& level) {
    Doc d;
    d.custodian = make_cluster_user(c, cluster(), "keeper" + random_suffix(), "custodian",
                                    "confidential", {"finance"});
    d.id = std::string(create_document(c, d.custodian.token, "采购合同", level, {"finance"},
                                       {{"secret_until", "2030-12-31"}})
                           .at("id")
                           .as_string());
    upload_content(c, d.custodian.token, d.id, "第一条 合同金额。\n");
    return d;
  }

  static std::uint64_t requests_served(HttpsClient& direct) {
    const auto text = direct.get("/metrics").body;
    const std::string name = "\nbaomi_requests_total ";
    const auto at = text.find(name);
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + name.size()));
  }

  static inline Cluster* cluster_ = nullptr;
  static inline std::string skip_reason_;
};

TEST_F(MultiInstanceTest, TheBalancerSpreadsRequestsOverBothNodes) {
  auto n0 = cluster().direct(0);
  auto n1 = cluster().direct(1);
  const auto before0 = requests_served(n0);
  const auto before1 = requests_served(n1);
  auto c = cluster().client();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(c.get("/healthz").status, 200);
  // Round robin (health checks also count, so only a lower bound is certain).
  EXPECT_GE(requests_served(n0) - before0, 5u);
  EXPECT_GE(requests_served(n1) - before1, 5u);
}

TEST_F(MultiInstanceTest, ASessionFromOneNodeIsHonouredAndEndedOnTheOther) {
  auto n0 = cluster().direct(0);
  auto n1 = cluster().direct(1);
  const auto token = login(n0, "auditor", cluster().admin_password("auditor"));
  EXPECT_EQ(n1.get("/api/v1/me", token).status, 200);
  // Logout on node 1: node 0 refuses the token at once.
  EXPECT_EQ(n1.del("/api/v1/session", token).status, 204);
  EXPECT_EQ(n0.get("/api/v1/me", token).status, 401);
  EXPECT_EQ(n1.get("/api/v1/me", token).status, 401);
}

// S6: a clearance lowered through one node holds on the other at the next request.
TEST_F(MultiInstanceTest, AClearanceLoweredOnOneNodeHoldsOnTheOther_S6) {
  auto n0 = cluster().direct(0);
  auto n1 = cluster().direct(1);
  const auto doc = make_document(n0, "secret");
  auto reader =
      make_cluster_user(n0, cluster(), "reader" + random_suffix(), "staff", "secret", {"finance"});
  ASSERT_EQ(n0.get("/api/v1/documents/" + doc.id, reader.token).status, 200);
  auto lowered = n1.put_json("/api/v1/users/" + reader.id + "/clearance",
                             json::object{{"level", "internal"}, {"categories", json::array{}}},
                             cluster().admin_token(n1, "secadmin"));
  ASSERT_EQ(lowered.status, 200) << lowered.body;
  EXPECT_EQ(n0.get("/api/v1/documents/" + doc.id, reader.token).status, 404);
  EXPECT_EQ(n0.get("/api/v1/me", reader.token).json().at("clearance").as_string(), "internal");
}

// S7: issues of one approved request raced through both nodes never exceed its count.
TEST_F(MultiInstanceTest, ConcurrentCopiesThroughBothNodesNeverExceedTheApprovedCount_S7) {
  auto c = cluster().client();
  const auto doc = make_document(c, "secret");
  auto staff =
      make_cluster_user(c, cluster(), "staff" + random_suffix(), "staff", "secret", {"finance"});
  auto created = c.post_json("/api/v1/requests",
                             json::object{{"type", "copy"},
                                          {"document_id", doc.id},
                                          {"reason", "向客户说明合同条款"},
                                          {"copies", 3}},
                             staff.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string request_id(created.json().at("id").as_string());
  ASSERT_EQ(c.post_json("/api/v1/requests/" + request_id + "/approve",
                        json::object{{"comment", "同意"}}, doc.custodian.token)
                .status,
            200);
  std::atomic<int> issued{0}, exhausted{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      auto node = cluster().direct(static_cast<std::size_t>(i % 2));
      auto r =
          node.post_json("/api/v1/copies", json::object{{"request_id", request_id}}, staff.token);
      if (r.status == 201) {
        ++issued;
      } else if (r.status == 409 && r.error_code() == "copies_exhausted") {
        ++exhausted;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(issued.load(), 3);
  EXPECT_EQ(exhausted.load(), 9);
  EXPECT_EQ(other.load(), 0);
  auto listed = c.get("/api/v1/copies?document_id=" + doc.id, doc.custodian.token);
  ASSERT_EQ(listed.status, 200);
  std::set<std::string> serials;
  const auto listed_json = listed.json();
  for (const auto& item : listed_json.at("items").as_array()) {
    serials.insert(std::string(item.at("serial").as_string()));
  }
  EXPECT_EQ(serials.size(), 3u);
}

// I1: audited reads and writes through every node at once make one chain: contiguous seqs,
// each entry linked to the one before, verified offline and by every node alike.
TEST_F(MultiInstanceTest, ConcurrentWritesThroughAllNodesMakeOneChain_I1) {
  auto c = cluster().client();
  const auto doc = make_document(c, "secret");
  auto reader =
      make_cluster_user(c, cluster(), "reader" + random_suffix(), "staff", "secret", {"finance"});
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      auto node =
          t % 3 == 2 ? cluster().client() : cluster().direct(static_cast<std::size_t>(t % 3));
      for (int i = 0; i < 25; ++i) {
        if (node.get("/api/v1/documents/" + doc.id, reader.token).status != 200) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  std::string output;
  EXPECT_EQ(cluster().run_cli({"audit", "verify"}, &output), 0) << output;
  auto n0 = cluster().direct(0);
  auto n1 = cluster().direct(1);
  const auto v0 = n0.get("/api/v1/audit/verify", cluster().admin_token(n0, "auditor")).json();
  EXPECT_TRUE(v0.at("ok").as_bool());
  // Every entry, in order: seqs 1..N without a gap, the chain as the server reports it.
  const auto entries = cluster_audit_entries(n1, cluster());
  ASSERT_FALSE(entries.empty());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    ASSERT_EQ(entries[i].at("seq").to_number<std::uint64_t>(), i + 1) << "gap or fork at " << i;
  }
  EXPECT_GE(entries.size(), 150u);
}

// C4: reads of customers through both nodes at once are counted together (the counts are in
// the store): the 31st distinct customer raises exactly one alert, whichever node served it.
TEST_F(MultiInstanceTest, CustomerReadsThroughBothNodesAreCountedTogether_C4) {
  auto c = cluster().client();
  auto reader = make_cluster_user(c, cluster(), "cs" + random_suffix(), "staff", "internal", {});
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    auto r = c.post_json("/api/v1/customers", json::object{{"name", "客户" + std::to_string(i)}},
                         reader.token);
    ASSERT_EQ(r.status, 201) << r.body;
    ids.emplace_back(r.json().at("id").as_string());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto node = cluster().direct(static_cast<std::size_t>(t % 2));
      for (std::size_t i = static_cast<std::size_t>(t); i < ids.size(); i += 4) {
        if (node.get("/api/v1/customers/" + ids[i], reader.token).status != 200) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const auto list = c.get("/api/v1/alerts?limit=500", cluster().admin_token(c, "auditor")).json();
  std::vector<std::string> details;
  for (const auto& a : list.at("items").as_array()) {
    if (a.at("type").as_string() == "customer_watch" &&
        a.at("raised_by").as_string() == reader.id) {
      details.emplace_back(a.at("detail").as_string());
    }
  }
  ASSERT_EQ(details.size(), 1u) << "one episode, one alert, across both nodes";
  // The open alert is updated by the later crossings of the episode (episode.h): its count is
  // the threshold + 1 at the first, at least that afterwards.
  const auto& d = details[0];
  const std::string tail = " distinct customers viewed within 1h";
  ASSERT_GT(d.size(), tail.size()) << d;
  EXPECT_EQ(d.substr(d.size() - tail.size()), tail) << d;
  EXPECT_GE(std::stoi(d.substr(0, d.size() - tail.size())), 31) << d;
}

// S9: failed logins of one name through both nodes add up (the throttle's states are in the
// store): after five, the name is refused from that address on every node.
TEST_F(MultiInstanceTest, FailedLoginsThroughBothNodesAddUp_S9) {
  auto n0 = cluster().direct(0);
  auto n1 = cluster().direct(1);
  auto user = make_cluster_user(n0, cluster(), "typo" + random_suffix(), "staff", "internal", {});
  const auto attempt = [&](HttpsClient& node, const std::string& password) {
    return node
        .post_json("/api/v1/session",
                   json::object{{"username", user.username}, {"password", password}})
        .status;
  };
  for (int i = 0; i < 5; ++i) {
    auto& node = i % 2 == 0 ? n0 : n1;
    ASSERT_EQ(attempt(node, "wrong-" + std::to_string(i)), 401) << "attempt " << i;
  }
  // Node 0 saw three failures, node 1 two: only together do they reach the refusal.
  EXPECT_EQ(attempt(n1, user.password), 423);
  EXPECT_EQ(attempt(n0, user.password), 423);
  const auto refusals = cluster_audit_entries(n0, cluster(), "action=session.throttle");
  bool found = false;
  for (const auto& e : refusals) found |= e.at("target").as_string() == "user:" + user.id;
  EXPECT_TRUE(found) << "the refusal is audited once, as on one server";
}

// An upload streaming through one node is that node's work: another node neither takes its
// version over (409 upload_in_progress) nor purges it as a crash's leftover when it starts;
// the upload completes and reads back whole (barrier/work_holds.h).
TEST_F(MultiInstanceTest, AnUploadInFlightOnOneNodeSurvivesAnotherNodesStartAndUpload) {
  auto n0 = cluster().direct(0);
  auto n1 = cluster().direct(1);
  const auto doc = make_document(n0, "secret");
  constexpr std::uint64_t kSize = 3 << 20;
  std::mutex mu;
  std::condition_variable cv;
  bool halfway = false, go_on = false;
  HttpResponse streamed;
  std::thread uploader([&] {
    auto node = cluster().direct(0);
    streamed = node.put_stream(
        "/api/v1/documents/" + doc.id + "/content", kSize,
        [&](std::uint64_t offset, std::uint8_t* buf, std::size_t n) {
          if (offset >= kSize / 2) {
            std::unique_lock lock(mu);
            halfway = true;
            cv.notify_all();
            cv.wait(lock, [&] { return go_on; });
          }
          for (std::size_t i = 0; i < n; ++i)
            buf[i] = static_cast<std::uint8_t>((offset + i) % 251);
        },
        doc.custodian.token);
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return halfway; }));
  }
  // The client having produced half the body does not mean node 0 has read any of it (the
  // loopback socket buffers megabytes): wait until node 0 has reserved version 2, as its
  // audited upload_start says, before another node tries.
  const auto auditor = cluster().admin_token(n0, "auditor");
  const std::string started =
      "/api/v1/audit?action=document.upload_start&target=document:" + doc.id + "/version:2";
  bool reserved = false;
  for (int i = 0; i < 600 && !reserved; ++i) {
    reserved = !n0.get(started, auditor).json().at("items").as_array().empty();
    if (!reserved) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(reserved) << "node 0 never reserved version 2";
  // Node 1 finds version 2 pending and held by a live node: not a leftover to clear.
  auto other = n1.request(
      "PUT", "/api/v1/documents/" + doc.id + "/content", "另一个版本",
      {{"Authorization", "Bearer " + doc.custodian.token}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.error_code(), "upload_in_progress");
  // A node starting now purges lost uploads at start-up: this one is not lost.
  const auto third = cluster().start_node();
  EXPECT_EQ(cluster().direct(third).get("/healthz").status, 200);
  {
    std::lock_guard lock(mu);
    go_on = true;
  }
  cv.notify_all();
  uploader.join();
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  EXPECT_EQ(streamed.json().at("version").as_int64(), 2);
  std::uint64_t got = 0;
  bool same = true;
  auto read = n1.get_stream("/api/v1/documents/" + doc.id + "/content", doc.custodian.token,
                            [&](const std::uint8_t* p, std::size_t n) {
                              for (std::size_t i = 0; i < n; ++i) {
                                same = same && p[i] == static_cast<std::uint8_t>((got + i) % 251);
                              }
                              got += n;
                            });
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(got, kSize);
  EXPECT_TRUE(same) << "the version reads back byte for byte";
}

}  // namespace
}  // namespace baomi::testing
