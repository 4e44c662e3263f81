// Login throttling over real HTTPS (S9, issue 16 attack 2): an attacker at another address can
// neither lock a user (or an administrator) out nor tell real names from unknown ones; spraying
// names from one address is rate limited and alerts the security administrator and the auditor.
// The attacker binds its socket to another loopback address (all of 127/8 is local on Linux).
#include <gtest/gtest.h>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

class LoginThrottleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    HttpsClient c(server_->port());
    user_ = new TestUser(make_user(c, *instance_, "li.na", "staff", "public", {}, false));
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete user_;
    delete server_;
    delete instance_;
    user_ = nullptr;
    server_ = nullptr;
    instance_ = nullptr;
    ready_ = false;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }

  static HttpResponse login_from(const std::string& source, std::string_view username,
                                 std::string_view password) {
    HttpsClient c(server_->port(), source);
    return c.post_json("/api/v1/session",
                       boost::json::object{{"username", username}, {"password", password}});
  }
  static std::vector<boost::json::object> alerts(const std::string& role) {
    HttpsClient c(server_->port());
    const auto r = c.get("/api/v1/alerts?limit=500", instance_->admin_token(c, role));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<boost::json::object> out;
    const auto body = r.json();
    for (const auto& a : body.at("items").as_array()) {
      if (a.at("type").as_string() == "login_spraying") out.push_back(a.as_object());
    }
    return out;
  }

  static inline bool ready_ = false;
  static inline TestInstance* instance_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline TestUser* user_ = nullptr;
};

// S9: ten failures from 127.0.0.2 for li.na and for an administrator refuse them there only.
TEST_F(LoginThrottleTest, AnAttackerElsewhereLocksNobodyOut) {
  for (const std::string name : {"li.na", "secadmin"}) {
    for (int i = 0; i < 10; ++i) {
      const auto r = login_from("127.0.0.2", name, "guess-" + std::to_string(i));
      EXPECT_EQ(r.status, i < 5 ? 401 : 423) << name << " attempt " << i + 1 << ": " << r.body;
    }
  }
  EXPECT_EQ(login_from("127.0.0.2", "li.na", user_->password).status, 423);
  const auto user = login_from("127.0.0.1", "li.na", user_->password);
  EXPECT_EQ(user.status, 200) << user.body;
  const auto admin = login_from("127.0.0.1", "secadmin", instance_->admin_password("secadmin"));
  EXPECT_EQ(admin.status, 200) << admin.body;
}

// S9: an unknown name and a real one answer byte for byte the same, before and after the
// refusal starts, and for the right password too.
TEST_F(LoginThrottleTest, UnknownAndKnownNamesAnswerIdenticallyInEveryState) {
  const std::string ghost = "ghost-" + random_suffix();
  for (int i = 0; i < 7; ++i) {
    const auto known = login_from("127.0.0.3", "li.na", "wrong-" + std::to_string(i));
    const auto unknown = login_from("127.0.0.3", ghost, "wrong-" + std::to_string(i));
    EXPECT_EQ(known.status, i < 5 ? 401 : 423) << "attempt " << i + 1;
    EXPECT_EQ(known.status, unknown.status) << "attempt " << i + 1;
    EXPECT_EQ(known.body, unknown.body) << "attempt " << i + 1;
  }
  const auto known = login_from("127.0.0.3", "li.na", user_->password);
  const auto unknown = login_from("127.0.0.3", ghost, user_->password);
  EXPECT_EQ(known.status, 423);
  EXPECT_EQ(known.error_code(), "account_locked");
  EXPECT_EQ(known.status, unknown.status);
  EXPECT_EQ(known.body, unknown.body);
}

// API.md: five failures within 15 minutes, then 423 even for the right password (same source).
TEST_F(LoginThrottleTest, FiveFailuresThenTheRightPasswordIs423FromThatSource) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login_from("127.0.0.5", "li.na", "not-the-password").status, 401);
  }
  const auto r = login_from("127.0.0.5", "li.na", user_->password);
  EXPECT_EQ(r.status, 423) << r.body;
  EXPECT_EQ(r.error_code(), "account_locked");
}

// S9: many names from one source is rate limited (429, Retry-After) and raises one alert that
// names the source and counts, never a password, seen by the security administrator and auditor.
TEST_F(LoginThrottleTest, SprayingIsRateLimitedAndAlerts) {
  const std::string password = "Spring2026!" + random_suffix();
  HttpResponse last;
  for (int i = 0; i < 11; ++i) {
    last = login_from("127.0.0.4", "sprayed" + std::to_string(i), password);
    EXPECT_EQ(last.status, 401) << "name " << i << ": " << last.body;
  }
  const auto limited = login_from("127.0.0.4", "li.na", user_->password);
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.error_code(), "rate_limited");
  const auto retry = limited.header("retry-after");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoi(retry), 0);
  EXPECT_LE(std::stoi(retry), 15 * 60);
  EXPECT_EQ(login_from("127.0.0.4", "nobody-at-all", "x").body, limited.body)
      << "a 429 says nothing about the name";
  EXPECT_EQ(login_from("127.0.0.1", "li.na", user_->password).status, 200);

  for (const std::string role : {"secadmin", "auditor"}) {
    const auto found = alerts(role);
    std::size_t from_spray = 0;
    for (const auto& a : found) {
      if (a.at("target").as_string() != "source:127.0.0.4") continue;
      ++from_spray;
      const std::string detail(a.at("detail").as_string());
      EXPECT_NE(detail.find("127.0.0.4"), std::string::npos) << detail;
      EXPECT_NE(detail.find("11 names"), std::string::npos) << detail;
      EXPECT_EQ(detail.find(password), std::string::npos) << "no password in an alert";
      EXPECT_EQ(detail.find("sprayed"), std::string::npos) << "no username in an alert";
    }
    EXPECT_EQ(from_spray, 1u) << role << " sees exactly one alert for the episode";
  }
  HttpsClient c(server_->port());
  const auto throttled = audit_entries(c, *instance_, "action=session.throttle");
  bool source_block_audited = false;
  for (const auto& e : throttled) {
    source_block_audited |=
        e.at("target").as_string() == "source:127.0.0.4" && e.at("rule").as_string() == "S9";
  }
  EXPECT_TRUE(source_block_audited);
}

}  // namespace
}  // namespace baomi::testing
