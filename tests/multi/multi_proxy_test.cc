// Client addresses behind the balancer (PROXY protocol v2, http/server/proxy_header.h): with
// HAProxy's send-proxy-v2 and `baomi serve --proxy-protocol-from BALANCER`, each instance
// counts a login failure under the client's own address, not the balancer's (S9): one client
// failing a name gets it refused from its address on every instance, while other clients
// behind the same balancer still log in with it. A connection from the balancer's address
// without the header is closed unanswered (nobody can pose as the balancer's clients).
#include <gtest/gtest.h>

#include "multi/cluster.h"
#include "support/postgres.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

TEST(MultiProxyTest, LoginFailuresCountUnderTheClientsAddressNotTheBalancers_S9) {
  std::string url;
  BAOMI_POSTGRES_DATABASE_OR_SKIP(url);
  auto cluster = Cluster::create(url);
  cluster->start_node({"--proxy-protocol-from", "127.0.0.1"});
  cluster->start_node({"--proxy-protocol-from", "127.0.0.1"});
  cluster->start_balancer(/*proxy_protocol=*/true);

  auto admin = cluster->client("127.0.0.5");
  const auto user =
      make_cluster_user(admin, *cluster, "shared" + random_suffix(), "staff", "internal", {});
  auto attacker = cluster->client("127.0.0.2");
  auto colleague = cluster->client("127.0.0.3");
  const auto attempt = [&](HttpsClient& from, const std::string& password) {
    return from
        .post_json("/api/v1/session",
                   json::object{{"username", user.username}, {"password", password}})
        .status;
  };
  for (int i = 0; i < 5; ++i) ASSERT_EQ(attempt(attacker, "wrong-" + std::to_string(i)), 401);
  // Refused from the failing address, through whichever instance the balancer picks...
  EXPECT_EQ(attempt(attacker, user.password), 423);
  EXPECT_EQ(attempt(attacker, user.password), 423);
  // ...but not from another client behind the same balancer.
  EXPECT_EQ(attempt(colleague, user.password), 200);
  EXPECT_EQ(attempt(colleague, user.password), 200);

  // The trail names the client's address, not the balancer's.
  const auto entries = cluster_audit_entries(admin, *cluster, "action=session.throttle");
  bool named = false;
  for (const auto& e : entries) {
    if (e.at("target").as_string() == "user:" + user.id) {
      const auto detail = boost::json::serialize(e);
      named |= detail.find("127.0.0.2") != std::string::npos;
    }
  }
  EXPECT_TRUE(named) << "the throttle entry names 127.0.0.2";

  // Straight from the balancer's address, without a header: closed unanswered.
  auto direct = cluster->direct(0);
  EXPECT_ANY_THROW(direct.get("/healthz"));
}

}  // namespace
}  // namespace baomi::testing
