// Watching for pryers (S9: staff without access must not inquire or pry) over real HTTPS: an
// account refused more than `watch.probing.refusals` times within the window raises one
// "probing" alert, not at N and not again for the same episode; the count lives in the store,
// so a restart in the middle of the episode neither forgets nor doubles it.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

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

// S9: two `baomi serve` processes on one data directory, the pryer's refusals split across both
// at once (each process sees at most N of them): together N+1 raise exactly one alert, and more
// refusals through either process update it instead of raising a second.
TEST_F(WatchTest, ProbingSplitOverTwoServerProcessesAlertsExactlyOnce_S9) {
  auto second = instance_->start({"--policy", policy_file()});
  const std::array<std::uint16_t, 2> ports{server_->port(), second->port()};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < ports.size(); ++t) {
    threads.emplace_back([&, t] {
      HttpsClient node(ports[t]);
      for (std::size_t i = t; i <= static_cast<std::size_t>(kRefusals); i += 2) {
        const auto r = node.get("/api/v1/documents/" + secret_docs_.at(i), pryer_.token);
        if (r.status != 403 && r.status != 404) ++unexpected;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(unexpected.load(), 0);
  auto alerts = probing_alerts();
  ASSERT_EQ(alerts.size(), 1u) << "N+1 refusals over both processes: one alert";
  EXPECT_EQ(alerts[0].at("audit_seqs").as_array().size(), static_cast<std::size_t>(kRefusals + 1));
  HttpsClient other(ports[1]);
  const auto r = other.get("/api/v1/documents/" + secret_docs_.at(kRefusals + 1), pryer_.token);
  ASSERT_TRUE(r.status == 403 || r.status == 404);
  alerts = probing_alerts();
  ASSERT_EQ(alerts.size(), 1u) << "the episode goes on: updated, not repeated";
  EXPECT_NE(std::string(alerts[0].at("detail").as_string())
                .find(std::to_string(kRefusals + 1) + " refusals within 10min"),
            std::string::npos)
      << "the count keeps the threshold + 1 newest refusals";
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

TEST_F(WatchTest, AlertIsAcknowledgedThenClosedWithItsTextSealedAndAudited_S9) {
  for (int i = 0; i <= kRefusals; ++i) pry(i);
  auto alerts = probing_alerts();
  ASSERT_EQ(alerts.size(), 1u);
  const std::string id(alerts.front().at("id").as_string());
  EXPECT_EQ(alerts.front().at("state").as_string(), "open");
  auto c = client();
  const auto secadmin = instance_->admin_token(c, "secadmin");
  const auto auditor = instance_->admin_token(c, "auditor");
  const std::string note = "NOTE-7c1f 已约谈当事人";
  const std::string finding = "FINDING-7c1f 误操作，无泄露";
  // Who may act is the policy's: staff and the auditor do not acknowledge; staff do not close.
  EXPECT_EQ(
      c.post_json("/api/v1/alerts/" + id + "/acknowledge", {{"note", note}}, pryer_.token).status,
      403);
  EXPECT_EQ(c.post_json("/api/v1/alerts/" + id + "/acknowledge", {{"note", note}}, auditor).status,
            403);
  EXPECT_EQ(c.post_json("/api/v1/alerts/" + id + "/acknowledge", {{"note", ""}}, secadmin).status,
            400);
  EXPECT_EQ(
      c.post_json("/api/v1/alerts/nonexistent/acknowledge", {{"note", note}}, secadmin).status,
      404);
  auto acked = c.post_json("/api/v1/alerts/" + id + "/acknowledge", {{"note", note}}, secadmin);
  ASSERT_EQ(acked.status, 200) << acked.body;
  EXPECT_EQ(acked.json().at("state").as_string(), "acknowledged");
  EXPECT_EQ(acked.json().at("note").as_string(), note);
  auto again = c.post_json("/api/v1/alerts/" + id + "/acknowledge", {{"note", note}}, secadmin);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "alert_not_open");
  // Filters: by state, kind and account.
  auto open = c.get("/api/v1/alerts?state=open&kind=probing", secadmin);
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_TRUE(open.json().at("items").as_array().empty());
  auto handled = c.get("/api/v1/alerts?state=acknowledged&account=" + pryer_.id, auditor);
  ASSERT_EQ(handled.status, 200) << handled.body;
  ASSERT_EQ(handled.json().at("items").as_array().size(), 1u);
  auto others = c.get("/api/v1/alerts?account=" + custodian_.id, auditor);
  EXPECT_TRUE(others.json().at("items").as_array().empty());
  EXPECT_EQ(c.get("/api/v1/alerts?state=dismissed", auditor).status, 400);
  // The auditor closes it with a finding; a closed alert is not acted on again.
  EXPECT_EQ(
      c.post_json("/api/v1/alerts/" + id + "/close", {{"finding", finding}}, pryer_.token).status,
      403);
  auto closed = c.post_json("/api/v1/alerts/" + id + "/close", {{"finding", finding}}, auditor);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json().at("state").as_string(), "closed");
  EXPECT_EQ(closed.json().at("finding").as_string(), finding);
  EXPECT_EQ(
      c.post_json("/api/v1/alerts/" + id + "/close", {{"finding", finding}}, secadmin).error_code(),
      "alert_closed");
  // Audited, with the alert named and neither text in the trail.
  for (const char* action : {"alert.acknowledge", "alert.close"}) {
    const auto entries = audit_entries(c, *instance_, std::string("action=") + action);
    ASSERT_FALSE(entries.empty()) << action;
    const auto& e = entries.back();
    EXPECT_EQ(e.at("target").as_string(), "alert:" + id);
    EXPECT_EQ(e.at("rule").as_string(), "S9");
    const std::string detail = boost::json::serialize(e.at("detail"));
    EXPECT_NE(detail.find(id), std::string::npos) << detail;
    EXPECT_EQ(detail.find("7c1f"), std::string::npos) << detail;
  }
  // Sealed at rest: neither text is in the database in clear.
  server_->stop();
  RawDb db(*instance_);
  const auto sealed =
      db.query_blob("SELECT sealed FROM objects WHERE kind = 'alert' AND id = ?", {id});
  ASSERT_FALSE(sealed.empty());
  const std::string stored(sealed.begin(), sealed.end());
  EXPECT_EQ(stored.find("7c1f"), std::string::npos) << "a note or finding stored in clear";
}

}  // namespace
}  // namespace baomi::testing
