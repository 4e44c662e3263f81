// Accounts and separation of duties (三员分立, RULES.md "Separation of duties") over real HTTPS.
#include <gtest/gtest.h>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

class AccountsTest : public ::testing::Test {
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
  std::string token(HttpsClient& c, std::string_view role) {
    return instance_->admin_token(c, role);
  }

  static boost::json::object new_user(std::string_view username, boost::json::array roles) {
    return {{"username", username},
            {"display_name", "Test User"},
            {"department", "general_cs"},
            {"password", "a-good-password-1"},
            {"roles", std::move(roles)}};
  }

  // Tests stop at once, instead of crashing, when the suite's set-up threw.
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }
  static inline bool ready_ = false;
  static TestInstance* instance_;
  static ServerProcess* server_;
};
TestInstance* AccountsTest::instance_ = nullptr;
ServerProcess* AccountsTest::server_ = nullptr;

// A2: routing follows the organisation chart, so an account must sit in one of its departments.
TEST_F(AccountsTest, DepartmentOutsideTheOrganisationChartIsRefused_A2) {
  auto c = client();
  auto body = new_user("nowhere-" + random_suffix(), {"staff"});
  body["department"] = "marketing";
  auto r = c.post_json("/api/v1/users", body, token(c, "sysadmin"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.error_code(), "invalid_field");
  EXPECT_NE(r.body.find("department"), std::string::npos);
}

TEST_F(AccountsTest, SysadminCreatesBusinessUserAtPublicWithNoCategories_SoD) {
  auto c = client();
  const auto name = "newstaff-" + random_suffix();
  auto r = c.post_json("/api/v1/users", new_user(name, {"staff"}), token(c, "sysadmin"));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto u = r.json().as_object();
  EXPECT_EQ(u.at("username").as_string(), name);
  EXPECT_EQ(u.at("clearance").as_string(), "public");  // only secadmin grants clearance
  EXPECT_TRUE(u.at("categories").as_array().empty());
  EXPECT_EQ(r.body.find("a-good-password-1"), std::string::npos);
  EXPECT_EQ(r.body.find("argon2"), std::string::npos);
  // The new account can log in.
  EXPECT_FALSE(login(c, name, "a-good-password-1").empty());
}

TEST_F(AccountsTest, SysadminCannotMintAdministrators_SoD) {
  auto c = client();
  for (const char* role : {"auditor", "secadmin", "sysadmin"}) {
    auto r = c.post_json("/api/v1/users", new_user("admin-" + random_suffix(), {role}),
                         token(c, "sysadmin"));
    EXPECT_EQ(r.status, 403) << role << ": " << r.body;
    EXPECT_EQ(r.json().at("error").at("rule").as_string(), "SoD") << r.body;
  }
}

TEST_F(AccountsTest, AdminAndBusinessRolesAreNeverCombined_SoD) {
  auto c = client();
  auto r = c.post_json("/api/v1/users", new_user("mixed-" + random_suffix(), {"staff", "auditor"}),
                       token(c, "sysadmin"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.error_code(), "separation_of_duties");
}

TEST_F(AccountsTest, SysadminCannotSetClearanceButSecadminCan_SoD) {
  auto c = client();
  auto u = make_user(c, *instance_, "clr-" + random_suffix(), "staff", "public", {}, false);
  const boost::json::object body{{"level", "secret"},
                                 {"categories", boost::json::array{"finance"}}};
  auto denied = c.put_json("/api/v1/users/" + u.id + "/clearance", body, token(c, "sysadmin"));
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(c.get("/api/v1/me", u.token).json().at("clearance").as_string(), "public");

  auto ok = c.put_json("/api/v1/users/" + u.id + "/clearance", body, token(c, "secadmin"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("clearance").as_string(), "secret");
  EXPECT_EQ(ok.json().at("categories"), (boost::json::array{"finance"}));
  auto me = c.get("/api/v1/me", u.token).json();
  EXPECT_EQ(me.at("clearance").as_string(), "secret");
}

TEST_F(AccountsTest, SecadminCannotCreateAccounts_SoD) {
  auto c = client();
  auto r = c.post_json("/api/v1/users", new_user("bysec-" + random_suffix(), {"staff"}),
                       token(c, "secadmin"));
  EXPECT_EQ(r.status, 403) << r.body;
}

TEST_F(AccountsTest, SecadminCannotClearAnAdministrator_SoD) {
  auto c = client();
  auto me = c.get("/api/v1/me", token(c, "auditor")).json();
  auto r =
      c.put_json("/api/v1/users/" + std::string(me.at("id").as_string()) + "/clearance",
                 boost::json::object{{"level", "top_secret"}, {"categories", boost::json::array{}}},
                 token(c, "secadmin"));
  EXPECT_EQ(r.status, 403) << r.body;
}

TEST_F(AccountsTest, StaffCannotListOrCreateUsers) {
  auto c = client();
  auto u = make_user(c, *instance_, "lister-" + random_suffix(), "staff", "internal", {});
  EXPECT_EQ(c.get("/api/v1/users", u.token).status, 403);
  EXPECT_EQ(c.get("/api/v1/users/" + u.id, u.token).status, 403);
  EXPECT_EQ(
      c.post_json("/api/v1/users", new_user("x-" + random_suffix(), {"staff"}), u.token).status,
      403);
}

TEST_F(AccountsTest, SysadminAndSecadminListUsersWithoutSecrets) {
  auto c = client();
  auto u = make_user(c, *instance_, "listed-" + random_suffix(), "staff", "public", {}, false);
  for (const char* role : {"sysadmin", "secadmin"}) {
    auto r = c.get("/api/v1/users?limit=500", token(c, role));
    ASSERT_EQ(r.status, 200) << role << ": " << r.body;
    bool found = false;
    const auto listed = r.json();
    for (const auto& item : listed.at("items").as_array()) {
      found = found || item.at("id").as_string() == u.id;
    }
    EXPECT_TRUE(found) << role;
    EXPECT_EQ(r.body.find("argon2"), std::string::npos);
    EXPECT_EQ(r.body.find("password"), std::string::npos);
    auto one = c.get("/api/v1/users/" + u.id, token(c, role));
    EXPECT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.json().at("username").as_string(), u.username);
  }
  auto auditor = c.get("/api/v1/users", token(c, "auditor"));
  EXPECT_EQ(auditor.status, 403) << auditor.body;  // the auditor changes and lists no accounts
}

TEST_F(AccountsTest, OnlyTheAuditorReadsTheAuditTrail_SoD) {
  auto c = client();
  EXPECT_EQ(c.get("/api/v1/audit", token(c, "auditor")).status, 200);
  EXPECT_EQ(c.get("/api/v1/audit/verify", token(c, "auditor")).status, 200);
  for (const char* role : {"sysadmin", "secadmin"}) {
    for (const char* path : {"/api/v1/audit", "/api/v1/audit/verify", "/api/v1/audit/checkpoint"}) {
      auto r = c.get(path, token(c, role));
      EXPECT_EQ(r.status, 403) << role << " " << path << ": " << r.body;
    }
  }
  auto staff = make_user(c, *instance_, "nosy-" + random_suffix(), "staff", "top_secret", {});
  EXPECT_EQ(c.get("/api/v1/audit", staff.token).status, 403);
}

TEST_F(AccountsTest, AdministratorsCannotReadClassifiedDocuments_SoD) {
  auto c = client();
  auto author =
      make_user(c, *instance_, "author-" + random_suffix(), "staff", "secret", {"finance"});
  auto doc = create_document(c, author.token, "Quarterly figures", "secret", {"finance"});
  const std::string id(doc.at("id").as_string());
  upload_content(c, author.token, id, "numbers nobody else should see");
  for (const char* role : {"sysadmin", "secadmin", "auditor"}) {
    auto meta = c.get("/api/v1/documents/" + id, token(c, role));
    EXPECT_EQ(meta.status, 404) << role << ": " << meta.body;
    auto content = c.get("/api/v1/documents/" + id + "/content", token(c, role));
    EXPECT_EQ(content.status, 404) << role << ": " << content.body;
    EXPECT_EQ(content.text().find("numbers nobody"), std::string::npos);
    auto list = c.get("/api/v1/documents", token(c, role));
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body.find(id), std::string::npos) << role << " sees the document in its list";
    // Nor may they create documents.
    auto created =
        c.post_json("/api/v1/documents",
                    boost::json::object{
                        {"title", "t"}, {"level", "public"}, {"categories", boost::json::array{}}},
                    token(c, role));
    EXPECT_EQ(created.status, 403) << role << ": " << created.body;
  }
}

// Every refusal of an administrative action is itself audited (S9).
TEST_F(AccountsTest, RefusedAdministrationIsAudited_S9) {
  auto c = client();
  const auto sys = token(c, "sysadmin");
  const auto sys_id = std::string(c.get("/api/v1/me", sys).json().at("id").as_string());
  auto r = c.post_json("/api/v1/users", new_user("denied-" + random_suffix(), {"auditor"}), sys);
  ASSERT_EQ(r.status, 403);
  auto entries = audit_entries(c, *instance_, "actor=" + sys_id + "&action=account.create");
  bool denied = false;
  for (const auto& e : entries) {
    EXPECT_EQ(e.at("actor").as_string(), sys_id);
    EXPECT_EQ(e.at("action").as_string(), "account.create");
    denied = denied || e.at("decision").as_string() == "deny";
  }
  EXPECT_TRUE(denied) << "S9: the refused account creation is in the audit trail";
}

}  // namespace
}  // namespace baomi::testing
