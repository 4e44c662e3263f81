// Connection exhaustion from one client (issue 16, attack 1), against the real server with a
// test policy that scales the limits down: an "attacker" on 127.0.0.2 opens more connections
// than its cap and sends bodies slowly (slowhttptest -B, "R-U-Dead-Yet") while a legitimate
// client on 127.0.0.1 keeps logging in; a trickled body is cut by the minimum-rate rule; the
// refusals are counted in /metrics and logged, rate-limited. S9: probing is recorded.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/harness.h"
#include "integration/raw_tls.h"

namespace baomi::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ConnectionAttackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { instance_ = TestInstance::create().release(); }
  static void TearDownTestSuite() {
    delete instance_;
    instance_ = nullptr;
  }

  // The instance's policy with the `limits:` keys replaced by `limits`, as a file to --policy.
  static std::string policy_with(const std::string& name, const std::string& limits) {
    std::ifstream in(instance_->data() / "policy.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = text.str();
    const auto start = yaml.find("\nlimits:\n");
    const auto end = yaml.find("\n\n", start + 1);
    if (start == std::string::npos || end == std::string::npos) {
      throw std::runtime_error("no limits section in the instance policy");
    }
    yaml.replace(start + 1, end - start - 1, "limits:\n" + limits);
    const auto path = instance_->root() / (name + ".yaml");
    std::ofstream(path) << yaml;
    return path.string();
  }

  static inline TestInstance* instance_ = nullptr;
};

const std::string kSlowLoginHead =
    "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    "Content-Length: 8192\r\n\r\n{\"username\":\"";

// /metrics from loopback: the value of one sample (-1 when absent), once it has reached
// `at_least` or after a bounded wait (a cut connection is counted just after it closes).
long long metric(HttpsClient& c, const std::string& sample, long long at_least = 0) {
  long long value = -1;
  for (int i = 0; i < 100; ++i) {
    const auto text = c.get("/metrics").body;
    const auto at = text.find("\n" + sample + " ");
    value = at == std::string::npos ? -1 : std::stoll(text.substr(at + sample.size() + 2));
    if (value >= at_least) break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return value;
}

TEST_F(ConnectionAttackTest, OneAddressCannotExhaustConnectionsOthersKeepBeingServed) {
  // Without a per-address cap, 40 attacking connections would fill all 32 the server has.
  auto server = instance_->start({"--policy", policy_with("cap", R"(  max_upload_bytes: 2GiB
  max_json_body_bytes: 1MiB
  max_connections: 32
  max_connections_per_address: 12
  header_timeout: 2m
  json_body_timeout: 10m
  body_min_rate: 1
  body_rate_grace: 10m
)")});
  std::vector<std::unique_ptr<RawTls>> attack;
  int admitted = 0;
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    auto conn = std::make_unique<RawTls>(server->port(), "127.0.0.2");
    if (conn->ok() && conn->send(kSlowLoginHead)) {
      ++admitted;
      attack.push_back(std::move(conn));
    } else {
      ++refused;
    }
  }
  EXPECT_EQ(admitted, 12);
  EXPECT_EQ(refused, 28);
  // The legitimate client is served while the attack holds its connections, and keeps the
  // connections it needs.
  HttpsClient legit(server->port());
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(login(legit, "sysadmin", instance_->admin_password("sysadmin")).empty());
    EXPECT_EQ(legit.get("/healthz").status, 200);
  }
  // The attacker keeps trickling and retrying; nothing changes for anyone.
  for (auto& conn : attack) EXPECT_TRUE(conn->send("a"));
  EXPECT_FALSE(RawTls(server->port(), "127.0.0.2").ok());
  EXPECT_EQ(legit.get("/healthz").status, 200);
  EXPECT_EQ(metric(legit, "baomi_connections_refused_total{reason=\"per_address_cap\"}"), 29);
  EXPECT_EQ(metric(legit, "baomi_connections_refused_total{reason=\"server_full\"}"), 0);
  EXPECT_GE(metric(legit, "baomi_connections_open"), 12);
  attack.clear();
  server->stop();
  // Logged, but not once per refusal: one line per address per interval, with a count.
  const auto log = server->log();
  std::regex line(R"(\{[^\n]*"event":"connections_refused","remote":"127\.0\.0\.2"[^\n]*\})");
  const auto lines =
      std::distance(std::sregex_iterator(log.begin(), log.end(), line), std::sregex_iterator());
  EXPECT_GE(lines, 1) << log.substr(0, 2000);
  EXPECT_LE(lines, 5) << "the refusal log was flooded";
  EXPECT_NE(log.find("\"per_address_cap\":"), std::string::npos);
}

TEST_F(ConnectionAttackTest, ATrickledBodyIsCutByTheMinimumRate) {
  auto server = instance_->start({"--policy", policy_with("slow", R"(  max_upload_bytes: 2GiB
  max_json_body_bytes: 1MiB
  max_connections_per_address: 12
  header_timeout: 2m
  body_min_rate: 1KiB
  body_rate_grace: 2s
)")});
  std::vector<std::unique_ptr<RawTls>> attack;
  for (int i = 0; i < 4; ++i) {
    attack.push_back(std::make_unique<RawTls>(server->port(), "127.0.0.2", seconds(60)));
    ASSERT_TRUE(attack.back()->ok());
    ASSERT_TRUE(attack.back()->send(kSlowLoginHead));
  }
  // 8 bytes every 200 ms each: never silent for long, far below 1 KiB/s. The server cuts them;
  // the loop's bound is a safety stop for a broken server, not a timing assertion.
  const auto give_up = std::chrono::steady_clock::now() + seconds(60);
  std::size_t cut = 0;
  std::vector<bool> open(attack.size(), true);
  while (cut < attack.size() && std::chrono::steady_clock::now() < give_up) {
    for (std::size_t i = 0; i < attack.size(); ++i) {
      if (open[i] && !attack[i]->send("aaaaaaaa")) {
        open[i] = false;
        ++cut;
      }
    }
    std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_EQ(cut, attack.size()) << "trickled bodies were never cut";
  HttpsClient legit(server->port());
  EXPECT_FALSE(login(legit, "sysadmin", instance_->admin_password("sysadmin")).empty());
  EXPECT_EQ(metric(legit, "baomi_connections_refused_total{reason=\"slow_body\"}", 4), 4);
}

}  // namespace
}  // namespace baomi::testing
