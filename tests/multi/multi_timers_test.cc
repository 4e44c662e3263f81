// Timers across instances (issue 13, part 3): two `baomi serve` processes on one PostgreSQL
// database, each sweeping every second (`--sweep-seconds 1`). Their wall clock runs under
// Debian's libfaketime, which the test moves 15 days forward once a request is pending, as if
// the days had passed (monotonic time, the sweep loop's, is left alone). Only the holder of the
// "maintenance" lease sweeps, and a lapsed request is stored expired by a conditional
// transition, so the lapse is stored once however many instances sweep (S7); when the holder is
// killed, the survivor sweeps.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "multi/cluster.h"
#include "support/postgres.h"
#include "support/preload_env.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

// The nodes' clock: libfaketime reads its offset from `file` (at most once a second).
class NodeClock {
 public:
  explicit NodeClock(std::filesystem::path file) : file_(std::move(file)) { set("+0"); }
  // Environment for the nodes started while `preload()` lives.
  PreloadForChildren preload() const {
    if (std::string(BAOMI_FAKETIME_SO).empty()) {
      throw std::runtime_error("libfaketime is not installed (scripts/install-deps.sh)");
    }
    return PreloadForChildren(BAOMI_FAKETIME_SO, {{"FAKETIME_TIMESTAMP_FILE", file_.string()},
                                                  {"FAKETIME_CACHE_DURATION", "1"},
                                                  {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}});
  }
  // Replaces the offset (rename, so a reader never sees half a line).
  void set(const std::string& offset) const {
    const auto tmp = file_.string() + ".tmp";
    std::ofstream(tmp, std::ios::trunc) << offset << "\n";
    if (std::rename(tmp.c_str(), file_.c_str()) != 0) throw std::runtime_error("rename " + tmp);
  }

 private:
  std::filesystem::path file_;
};

// A cluster of two nodes behind the balancer, sweeping every second on `clock`.
std::unique_ptr<Cluster> timed_cluster(const std::string& url, std::unique_ptr<NodeClock>& clock) {
  auto cluster = Cluster::create(url);
  clock = std::make_unique<NodeClock>(cluster->root() / "faketime");
  {
    const auto preload = clock->preload();
    cluster->start_node({"--sweep-seconds", "1"});
    cluster->start_node({"--sweep-seconds", "1"});
  }
  cluster->start_balancer();
  return cluster;
}

// Longer than every pending_ttl of the default policy.
constexpr const char* kPastEveryDeadline = "+15d";

// A pending access request for a fresh secret document, by a fresh staff member; its id.
std::string pending_request(HttpsClient& c, const Cluster& cluster) {
  const auto custodian =
      make_cluster_user(c, cluster, "keeper" + random_suffix(), "custodian", "secret", {"finance"});
  const std::string doc(create_document(c, custodian.token, "采购合同", "secret", {"finance"},
                                        {{"secret_until", "2030-12-31"}})
                            .at("id")
                            .as_string());
  const auto staff =
      make_cluster_user(c, cluster, "staff" + random_suffix(), "staff", "secret", {"finance"});
  auto created = c.post_json(
      "/api/v1/requests",
      json::object{{"type", "access"}, {"document_id", doc}, {"reason", "核对合同条款"}},
      staff.token);
  if (created.status != 201) throw std::runtime_error("request: " + created.body);
  return std::string(created.json().at("id").as_string());
}

// The request's expiry entries in the trail. The audit query reads the trail only: it never
// touches the request, so an expiry found here was stored by a sweep, not by a read.
std::vector<json::object> expiries(HttpsClient& c, const Cluster& cluster, const std::string& id) {
  return cluster_audit_entries(c, cluster, "action=request.expire&target=request:" + id);
}

// Whether a sweep has expired the request yet. The clock's jump ends every session (8 h), so an
// auditor token checked just before it may be refused once; the next call logs in again.
bool expired_yet(HttpsClient& c, const Cluster& cluster, const std::string& id) {
  try {
    return !expiries(c, cluster, id).empty();
  } catch (const std::runtime_error&) {
    return false;
  }
}

TEST(MultiTimersTest, ALapsedRequestIsExpiredExactlyOnceByTheInstancesSweeps_S7) {
  std::string url;
  BAOMI_POSTGRES_DATABASE_OR_SKIP(url);
  std::unique_ptr<NodeClock> clock;
  auto cluster = timed_cluster(url, clock);
  auto c = cluster->client();
  const auto id = pending_request(c, *cluster);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_TRUE(expiries(c, *cluster, id).empty()) << "expired before its deadline";

  clock->set(kPastEveryDeadline);
  ASSERT_TRUE(eventually([&] { return expired_yet(c, *cluster, id); }, 60))
      << "no sweep stored the lapse\n"
      << tail(cluster->node(0).log()) << tail(cluster->node(1).log());
  // Three more sweep rounds on each node: none of them may expire the request again.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto entries = expiries(c, *cluster, id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("actor").as_string(), "system");
  EXPECT_EQ(entries[0].at("decision").as_string(), "allow");
  std::string output;
  EXPECT_EQ(cluster->run_cli({"audit", "verify"}, &output), 0) << output;
}

// When the instance that may hold the duty is killed, the survivor sweeps: a request that
// lapses after the kill is still expired, once.
TEST(MultiTimersTest, TheSurvivorSweepsWhenTheOtherInstanceIsKilled_S7) {
  std::string url;
  BAOMI_POSTGRES_DATABASE_OR_SKIP(url);
  std::unique_ptr<NodeClock> clock;
  auto cluster = timed_cluster(url, clock);
  // Both nodes have run sweep rounds by now and one of them holds the lease; node 0 goes.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  cluster->node(0).kill9();
  auto survivor = cluster->direct(1);
  const auto id = pending_request(survivor, *cluster);
  clock->set(kPastEveryDeadline);
  ASSERT_TRUE(eventually([&] { return expired_yet(survivor, *cluster, id); }, 60))
      << "the survivor did not sweep\n"
      << tail(cluster->node(1).log());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(expiries(survivor, *cluster, id).size(), 1u);
}

}  // namespace
}  // namespace baomi::testing
