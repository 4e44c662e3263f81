// Watching for pryers (S9: staff without access must not inquire or pry) over real HTTPS: an
// account refused more than `watch.probing.refusals` times within the window raises one
// "probing" alert, not at N and not again for the same episode; the count lives in the store,
// so a restart in the middle of the episode neither forgets nor doubles it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

constexpr int kRefusals = 3;  // the test policy's threshold: the 4th refusal raises the alert

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = TestInstance::create();
    server_ = instance_->start({"--policy", policy_file()});
    auto c = client();
    custodian_ =
        make_user(c, *instance_, "keeper-" + random_suffix(), "custodian", "secret", {"finance"});
    pryer_ = make_user(c, *instance_, "pryer-" + random_suffix(), "staff", "internal", {});
    for (int i = 0; i < kRefusals + 3; ++i) {
      const auto doc = create_document(c, custodian_.token, "预算草案 " + std::to_string(i),
                                       "secret", {"finance"});
      secret_docs_.push_back(std::string(doc.at("id").as_string()));
    }
  }

  // The instance's policy with a watch section that alerts at the 4th refusal.
  std::string policy_file() {
    std::ifstream in(instance_->data() / "policy.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = text.str();
    if (const auto at = yaml.find("\nwatch:\n"); at != std::string::npos) yaml.resize(at + 1);
    yaml +=
        "\nwatch:\n  probing:\n    refusals: " + std::to_string(kRefusals) + "\n    window: 10m\n";
    const auto path = instance_->root() / "watch-policy.yaml";
    std::ofstream(path) << yaml;
    return path.string();
  }

  HttpsClient client() { return HttpsClient(server_->port()); }

  // The pryer asks for a secret document it may not read (S9: refused, audited).
  void pry(int i) {
    auto c = client();
    auto r = c.get("/api/v1/documents/" + secret_docs_.at(i), pryer_.token);
    ASSERT_TRUE(r.status == 403 || r.status == 404) << r.status << " " << r.body;
  }

  std::vector<boost::json::object> probing_alerts() {
    auto c = client();
    auto r = c.get("/api/v1/alerts?limit=100", instance_->admin_token(c, "secadmin"));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<boost::json::object> out;
    const auto page = r.json();
    for (const auto& item : page.at("items").as_array()) {
      const auto& a = item.as_object();
      if (a.at("type").as_string() == "probing") out.push_back(a);
    }
    return out;
  }

  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
  TestUser custodian_, pryer_;
  std::vector<std::string> secret_docs_;
};

TEST_F(WatchTest, ProbingAlertAtExactlyNPlusOneRefusalsAndOncePerEpisode_S9) {
  for (int i = 0; i < kRefusals; ++i) pry(i);
  EXPECT_TRUE(probing_alerts().empty()) << "N refusals are within the policy";
  pry(kRefusals);
  auto alerts = probing_alerts();
  ASSERT_EQ(alerts.size(), 1u);
  const auto& alert = alerts.front();
  EXPECT_EQ(alert.at("target").as_string(), "account:" + pryer_.id);
  EXPECT_EQ(alert.at("raised_by").as_string(), pryer_.id);
  const std::string detail(alert.at("detail").as_string());
  EXPECT_NE(detail.find(std::to_string(kRefusals + 1) + " refusals within 10min"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("document:" + secret_docs_.front()), std::string::npos)
      << "targets are named by id: " << detail;
  EXPECT_EQ(detail.find("预算"), std::string::npos) << "never a title";
  // The alert links to the refusals that raised it: each a deny entry of the pryer.
  const auto& seqs = alert.at("audit_seqs").as_array();
  ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kRefusals + 1));
  auto c = client();
  const auto denied = audit_entries(c, *instance_, "actor=" + pryer_.id);
  for (const auto& seq : seqs) {
    bool found = false;
    for (const auto& e : denied) {
      if (e.at("seq").to_number<std::uint64_t>() == seq.to_number<std::uint64_t>()) {
        found = true;
        EXPECT_EQ(e.at("decision").as_string(), "deny");
      }
    }
    EXPECT_TRUE(found) << "seq " << seq << " is not a refusal of the pryer";
  }
  const auto raised = audit_entries(c, *instance_, "action=alert.raise");
  ASSERT_FALSE(raised.empty());
  EXPECT_EQ(raised.back().at("rule").as_string(), "S9");
  // The episode goes on: more refusals add no second alert.
  pry(kRefusals + 1);
  pry(kRefusals + 2);
  EXPECT_EQ(probing_alerts().size(), 1u);
}

TEST_F(WatchTest, ProbingCountSurvivesARestart_S9) {
  for (int i = 0; i < kRefusals; ++i) pry(i);
  server_->stop();
  server_ = instance_->start({"--policy", policy_file()});
  EXPECT_TRUE(probing_alerts().empty());
  pry(kRefusals);
  EXPECT_EQ(probing_alerts().size(), 1u) << "the count before the restart was kept";
}

TEST_F(WatchTest, RefusalsOfOthersAndReadsAllowedDoNotCount_S9) {
  auto c = client();
  const auto other = make_user(c, *instance_, "other-" + random_suffix(), "staff", "internal", {});
  for (int i = 0; i < kRefusals; ++i) pry(i);
  for (int i = 0; i < kRefusals; ++i) {
    auto r = c.get("/api/v1/documents/" + secret_docs_.at(i), other.token);
    ASSERT_TRUE(r.status == 403 || r.status == 404);
    auto allowed = c.get("/api/v1/documents/" + secret_docs_.at(i), custodian_.token);
    ASSERT_EQ(allowed.status, 200) << allowed.body;
  }
  EXPECT_TRUE(probing_alerts().empty()) << "counts are per account, and only refusals";
}

}  // namespace
}  // namespace baomi::testing
