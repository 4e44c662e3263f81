// Faults of a multi-instance deployment (issue 13, part 3; DESIGN.md reliability targets):
// a node killed with SIGKILL mid-workload is routed around by HAProxy and loses no acknowledged
// write; PostgreSQL stopped under running nodes makes every node fail closed (503
// `unavailable`) and they recover by themselves when it is back. The audit chain verifies after
// each (I1).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "multi/cluster.h"
#include "support/postgres.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

// The chain verifies offline and its seqs run 1..N without a gap (I1).
void expect_one_chain(Cluster& cluster, HttpsClient& client) {
  std::string output;
  EXPECT_EQ(cluster.run_cli({"audit", "verify"}, &output), 0) << output;
  const auto entries = cluster_audit_entries(client, cluster);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    ASSERT_EQ(entries[i].at("seq").to_number<std::uint64_t>(), i + 1) << "gap at " << i;
  }
}

// A document creation (an audited write); its id when it was acknowledged (201).
std::optional<std::string> create(HttpsClient& c, const std::string& token) {
  try {
    auto r = c.post_json("/api/v1/documents",
                         json::object{{"title", "交接记录 " + random_suffix()},
                                      {"level", "internal"},
                                      {"categories", json::array{"finance"}}},
                         token);
    if (r.status == 201) return std::string(r.json().at("id").as_string());
  } catch (const std::exception&) {
    // A connection cut by the kill: not acknowledged, so nothing is promised about it.
  }
  return std::nullopt;
}

TEST(MultiFaultsTest, ANodeKilledMidWorkloadIsRoutedAroundAndLosesNoAcknowledgedWrite) {
  std::string url;
  BAOMI_POSTGRES_DATABASE_OR_SKIP(url);
  auto cluster = Cluster::create(url);
  cluster->start_node();
  cluster->start_node();
  cluster->start_balancer();
  auto c = cluster->client();
  const auto writer = make_cluster_user(c, *cluster, "writer" + random_suffix(), "custodian",
                                        "secret", {"finance"});

  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> after_kill{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto client = cluster->client();
      while (!stop.load()) {
        if (auto id = create(client, writer.token)) {
          std::lock_guard lock(mu);
          acknowledged.push_back(*id);
          if (killed.load()) ++after_kill;
        }
      }
    });
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mu);
    return acknowledged.size() >= 40;
  }));
  cluster->node(0).kill9();
  killed = true;
  // HAProxy takes node 0 out (refused connections are redispatched, failed checks remove it):
  // writes keep being acknowledged through node 1.
  EXPECT_TRUE(eventually([&] { return after_kill.load() >= 60; }))
      << "writes after the kill: " << after_kill.load() << "\n"
      << cluster->balancer().log();
  stop = true;
  for (auto& t : threads) t.join();

  // Every acknowledged write is there, through the balancer (only node 1 is left).
  auto check = cluster->client();
  for (const auto& id : acknowledged) {
    ASSERT_EQ(check.get("/api/v1/documents/" + id, writer.token).status, 200) << id;
  }
  // And the balancer answers every request now.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(check.get("/healthz").status, 200);
  expect_one_chain(*cluster, check);
}

TEST(MultiFaultsTest, PostgresStoppedMakesEveryNodeFailClosedAndTheyRecoverByThemselves) {
  ScratchPostgres pg;  // its own cluster: stopping it disturbs no other test
  auto cluster = Cluster::create(pg.create_database());
  cluster->start_node();
  cluster->start_node();
  cluster->start_balancer();
  auto c = cluster->client();
  const auto writer = make_cluster_user(c, *cluster, "writer" + random_suffix(), "custodian",
                                        "secret", {"finance"});
  ASSERT_TRUE(create(c, writer.token).has_value());

  pg.stop_server();
  for (std::size_t i = 0; i < cluster->nodes(); ++i) {
    auto node = cluster->direct(i);
    // Reads, writes and logins: nothing happens that cannot be recorded (fail closed).
    auto me = node.get("/api/v1/me", writer.token);
    EXPECT_EQ(me.status, 503) << me.body;
    EXPECT_EQ(me.error_code(), "unavailable");
    auto write = node.post_json(
        "/api/v1/documents",
        json::object{
            {"title", "停机期间"}, {"level", "internal"}, {"categories", json::array{"finance"}}},
        writer.token);
    EXPECT_EQ(write.status, 503) << write.body;
    EXPECT_EQ(write.error_code(), "unavailable");
    auto login = node.post_json("/api/v1/session", json::object{{"username", writer.username},
                                                                {"password", writer.password}});
    EXPECT_EQ(login.status, 503) << login.body;
  }

  pg.start_server();
  // No restart of any node: each reconnects at its next request.
  for (std::size_t i = 0; i < cluster->nodes(); ++i) {
    auto node = cluster->direct(i);
    EXPECT_TRUE(eventually([&] { return node.get("/api/v1/me", writer.token).status == 200; }))
        << "node " << i << " did not recover";
    EXPECT_TRUE(create(node, writer.token).has_value()) << "node " << i << " cannot write";
    const auto token = login(node, writer.username, writer.password);
    EXPECT_EQ(node.get("/api/v1/me", token).status, 200);
  }
  expect_one_chain(*cluster, c);
}

}  // namespace
}  // namespace baomi::testing
