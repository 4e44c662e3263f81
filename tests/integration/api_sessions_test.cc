// Sessions over real HTTPS: login, invalid credentials, lockout, logout, /me.
#include <gtest/gtest.h>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

class SessionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete instance_;
    server_ = nullptr;
    instance_ = nullptr;
    ready_ = false;
  }
  HttpsClient client() { return HttpsClient(server_->port()); }
  // Tests stop at once, instead of crashing, when the suite's set-up threw.
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }
  static inline bool ready_ = false;
  static TestInstance* instance_;
  static ServerProcess* server_;
};
TestInstance* SessionsTest::instance_ = nullptr;
ServerProcess* SessionsTest::server_ = nullptr;

TEST_F(SessionsTest, HealthzIsOk) {
  auto c = client();
  auto r = c.get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("status").as_string(), "ok");
}

TEST_F(SessionsTest, LoginReturnsTokenExpiryAndUser) {
  auto c = client();
  auto r = c.post_json("/api/v1/session",
                       boost::json::object{{"username", "auditor"},
                                           {"password", instance_->admin_password("auditor")}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto obj = r.json().as_object();
  EXPECT_GE(obj.at("token").as_string().size(), 32u);
  EXPECT_FALSE(obj.at("expires_at").as_string().empty());
  EXPECT_EQ(obj.at("user").at("username").as_string(), "auditor");
  // Secrets never travel back: no password hash in the user object.
  EXPECT_EQ(r.body.find("argon2"), std::string::npos);
  EXPECT_EQ(obj.at("user").as_object().if_contains("password_hash"), nullptr);
}

// Unknown user and wrong password give the same answer, so usernames cannot be probed.
TEST_F(SessionsTest, UnknownUserAndWrongPasswordLookTheSame) {
  auto c = client();
  auto unknown = c.post_json(
      "/api/v1/session",
      boost::json::object{{"username", "nobody-" + random_suffix()}, {"password", "whatever-123"}});
  auto wrong =
      c.post_json("/api/v1/session",
                  boost::json::object{{"username", "secadmin"}, {"password", "wrong-password-1"}});
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.error_code(), "invalid_credentials");
  EXPECT_EQ(wrong.error_code(), "invalid_credentials");
  EXPECT_EQ(unknown.json().at("error").at("message"), wrong.json().at("error").at("message"));
}

TEST_F(SessionsTest, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  auto c = client();
  auto u = make_user(c, *instance_, "lockme-" + random_suffix(), "staff", "public", {}, false);
  for (int i = 0; i < 5; ++i) {
    auto r = c.post_json("/api/v1/session", boost::json::object{{"username", u.username},
                                                                {"password", "not-the-password"}});
    EXPECT_EQ(r.status, 401) << "attempt " << i + 1 << ": " << r.body;
  }
  auto r = c.post_json("/api/v1/session",
                       boost::json::object{{"username", u.username}, {"password", u.password}});
  EXPECT_EQ(r.status, 423) << r.body;
  EXPECT_EQ(r.error_code(), "account_locked");
  // A locked account stays locked for the right password on the next try too.
  auto again = c.post_json("/api/v1/session",
                           boost::json::object{{"username", u.username}, {"password", u.password}});
  EXPECT_EQ(again.status, 423) << again.body;
}

TEST_F(SessionsTest, LogoutEndsTheTokenAtOnce) {
  auto c = client();
  auto u = make_user(c, *instance_, "logout-" + random_suffix(), "staff", "public", {}, false);
  ASSERT_EQ(c.get("/api/v1/me", u.token).status, 200);
  auto out = c.del("/api/v1/session", u.token);
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_TRUE(out.body.empty());
  auto after = c.get("/api/v1/me", u.token);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(c.del("/api/v1/session", u.token).status, 401);
}

TEST_F(SessionsTest, MeHasTheDocumentedShape) {
  auto c = client();
  auto u = make_user(c, *instance_, "me-" + random_suffix(), "staff", "secret",
                     {"finance", "personnel"}, true, "after_sales");
  auto r = c.get("/api/v1/me", u.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto me = r.json().as_object();
  for (const char* key : {"id", "username", "display_name", "department", "roles", "clearance",
                          "categories", "pledge_accepted_at"}) {
    EXPECT_TRUE(me.contains(key)) << "missing " << key << " in " << r.body;
  }
  EXPECT_EQ(me.at("id").as_string(), u.id);
  EXPECT_EQ(me.at("username").as_string(), u.username);
  EXPECT_EQ(me.at("department").as_string(), "after_sales");
  EXPECT_EQ(me.at("roles"), (boost::json::array{"staff"}));
  EXPECT_EQ(me.at("clearance").as_string(), "secret");
  const auto& cats = me.at("categories").as_array();
  EXPECT_EQ(cats.size(), 2u);
  EXPECT_NE(std::find(cats.begin(), cats.end(), boost::json::value("finance")), cats.end());
  EXPECT_NE(std::find(cats.begin(), cats.end(), boost::json::value("personnel")), cats.end());
  EXPECT_TRUE(me.at("pledge_accepted_at").is_string());
  EXPECT_EQ(r.header("cache-control"), "no-store");
}

TEST_F(SessionsTest, MeWithoutTokenOrWithGarbageTokenIs401) {
  auto c = client();
  EXPECT_EQ(c.get("/api/v1/me").status, 401);
  auto r = c.get("/api/v1/me", "not-a-real-token");
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(r.error_code().empty());
}

// S2: the pledge is recorded; before it, pledge_accepted_at is null.
TEST_F(SessionsTest, PledgeIsRecordedOnMe_S2) {
  auto c = client();
  auto u = make_user(c, *instance_, "pledge-" + random_suffix(), "staff", "internal", {}, false);
  EXPECT_TRUE(c.get("/api/v1/me", u.token).json().at("pledge_accepted_at").is_null());
  auto p = c.request("POST", "/api/v1/me/pledge", {}, {{"Authorization", "Bearer " + u.token}});
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_TRUE(c.get("/api/v1/me", u.token).json().at("pledge_accepted_at").is_string());
  auto entries = audit_entries(c, *instance_, "actor=" + u.id);
  bool pledge_audited = false;
  for (const auto& e : entries) {
    pledge_audited =
        pledge_audited || e.at("action").as_string().find("pledge") != std::string::npos;
  }
  EXPECT_TRUE(pledge_audited) << "S2: accepting the pledge is audited";
}

}  // namespace
}  // namespace baomi::testing
