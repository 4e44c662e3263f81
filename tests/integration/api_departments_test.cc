// Departments managed by the system administrator over real HTTPS (RULES.md A2: the org chart
// is data and approval routing follows it; 三员分立: the sysadmin manages, the security
// administrator and the auditor read). A department added through the API takes members at
// once, and a request of one of its members is approved upwards along its parent chain, by
// every server instance on the database (two processes here, no restart).
#include <gtest/gtest.h>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

class DepartmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = TestInstance::create();
    server_ = instance_->start();
    client_ = std::make_unique<HttpsClient>(server_->port());
  }

  std::string admin(std::string_view role) { return instance_->admin_token(*client_, role); }

  HttpResponse add(std::string_view name, std::string_view parent, const std::string& token) {
    return client_->post_json(
        "/api/v1/departments",
        json::object{
            {"name", name}, {"display_name", "测试部门 " + std::string(name)}, {"parent", parent}},
        token);
  }

  HttpResponse rename(std::string_view name, std::string_view display, const std::string& token) {
    return client_->request(
        "PATCH", "/api/v1/departments/" + std::string(name),
        json::serialize(json::object{{"display_name", display}}),
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
  }

  HttpResponse retire(std::string_view name, const std::string& token) {
    return client_->post_json("/api/v1/departments/" + std::string(name) + "/retire",
                              json::object{}, token);
  }

  static const json::object* find(const json::value& list, std::string_view name) {
    for (const auto& d : list.at("items").as_array()) {
      if (d.at("name").as_string() == name) return &d.as_object();
    }
    return nullptr;
  }

  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpsClient> client_;
};

TEST_F(DepartmentsTest, OnlyTheSystemAdministratorAddsAndTheOtherAdministratorsRead_A2_SoD) {
  const auto sys = admin("sysadmin");
  auto created = add("night_shift", "after_sales", sys);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto d = created.json().as_object();
  EXPECT_EQ(d.at("parent").as_string(), "after_sales");
  EXPECT_EQ(d.at("source").as_string(), "added");
  EXPECT_EQ(d.at("state").as_string(), "active");
  EXPECT_EQ(d.at("members").as_int64(), 0);
  EXPECT_TRUE(created.json().at("people").as_object().contains(
      std::string(d.at("created_by").as_string())));
  // The entry's detail: {"parent","state"} (then the record ledger's "writes").
  int recorded = 0;
  for (const auto& e : audit_entries(*client_, *instance_, "action=department.create")) {
    if (e.at("target").as_string().find("night_shift") == std::string::npos) continue;
    ++recorded;
    const auto& detail = e.at("detail").as_object();
    ASSERT_GE(detail.size(), 2u);
    auto member = detail.begin();
    EXPECT_EQ(member->key(), "parent");
    EXPECT_EQ(member->value(), json::value("after_sales"));
    ++member;
    EXPECT_EQ(member->key(), "state");
    EXPECT_EQ(member->value(), json::value("active"));
  }
  EXPECT_EQ(recorded, 1);

  for (const auto* role : {"secadmin", "auditor"}) {
    auto refused = add("other_" + std::string(role), "centre", admin(role));
    EXPECT_EQ(refused.status, 403) << role;
    auto listed = client_->get("/api/v1/departments", admin(role));
    ASSERT_EQ(listed.status, 200) << role << listed.body;
    const auto list = listed.json();
    ASSERT_NE(find(list, "night_shift"), nullptr) << role;
    ASSERT_NE(find(list, "after_sales"), nullptr) << "the policy's departments are listed too";
    EXPECT_EQ(find(list, "after_sales")->at("source").as_string(), "policy");
    EXPECT_EQ(find(list, "other_" + std::string(role)), nullptr);
  }
  const auto staff =
      make_user(*client_, *instance_, "staff" + random_suffix(), "staff", "internal", {});
  EXPECT_EQ(client_->get("/api/v1/departments", staff.token).status, 403);
  EXPECT_EQ(add("by_staff", "centre", staff.token).status, 403);

  const auto entries = audit_entries(*client_, *instance_, "action=department.create");
  ASSERT_EQ(entries.size(), 4u) << "one allowed, three refused";
  int allowed = 0;
  for (const auto& e : entries) allowed += e.at("decision").as_string() == "allow";
  EXPECT_EQ(allowed, 1);
}

TEST_F(DepartmentsTest, BadNamesParentsAndDuplicatesAreRefused_A2) {
  const auto sys = admin("sysadmin");
  EXPECT_EQ(add("bad name", "centre", sys).status, 400);
  auto orphan = add("orphan", "nowhere", sys);
  EXPECT_EQ(orphan.status, 400);
  EXPECT_NE(orphan.body.find("parent"), std::string::npos) << orphan.body;
  EXPECT_EQ(add("presale", "centre", sys).error_code(), "department_exists")
      << "the policy's names are taken";
  ASSERT_EQ(add("night_shift", "after_sales", sys).status, 201);
  EXPECT_EQ(add("night_shift", "centre", sys).error_code(), "department_exists");
  auto missing = client_->post_json("/api/v1/departments", json::object{{"name", "x"}}, sys);
  EXPECT_EQ(missing.status, 400);
}

// A2: accounts join a department added at run time, and a request of one of its members is
// approved by a supervisor above it in its parent chain, never by one of another branch; a
// second server instance on the same database sees the new department without a restart.
TEST_F(DepartmentsTest, ApprovalFollowsTheParentChainOfAnAddedDepartmentOnEveryInstance_A2) {
  auto second = instance_->start();
  HttpsClient other(second->port());
  ASSERT_EQ(add("night_shift", "after_sales", admin("sysadmin")).status, 201);
  // Created through the other instance: it reads the committed chart, not a copy of its own.
  const auto requester = make_user(other, *instance_, "night" + random_suffix(), "staff", "secret",
                                   {}, true, "night_shift");
  const auto above = make_user(other, *instance_, "above" + random_suffix(), "supervisor", "secret",
                               {"finance"}, true, "after_sales");
  const auto beside = make_user(other, *instance_, "beside" + random_suffix(), "supervisor",
                                "secret", {"finance"}, true, "presale");
  const auto keeper = make_user(*client_, *instance_, "keeper" + random_suffix(), "custodian",
                                "secret", {"finance"});
  const std::string doc(create_document(*client_, keeper.token, "夜班预算", "secret", {"finance"})
                            .at("id")
                            .as_string());
  auto asked = other.post_json(
      "/api/v1/requests",
      json::object{
          {"type", "access"}, {"document_id", doc}, {"reason", "夜班核对预算"}, {"days", 1}},
      requester.token);
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string id(asked.json().at("id").as_string());
  auto refused = other.post_json("/api/v1/requests/" + id + "/approve",
                                 json::object{{"comment", "不是我的部门"}}, beside.token);
  // S9: a request one may not decide does not exist for them; the trail says why (A2).
  EXPECT_EQ(refused.status, 404) << refused.body;
  // The approval queues say the same: the request waits for the supervisor above only.
  const auto queued = [&](const TestUser& who) {
    auto listed = other.get("/api/v1/requests?approvable=true", who.token);
    EXPECT_EQ(listed.status, 200) << listed.body;
    const auto body = listed.json();
    for (const auto& r : body.at("items").as_array()) {
      if (r.at("id").as_string() == id) return true;
    }
    return false;
  };
  EXPECT_TRUE(queued(above));
  EXPECT_FALSE(queued(beside));
  auto approved = client_->post_json("/api/v1/requests/" + id + "/approve",
                                     json::object{{"comment", "同意"}}, above.token);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("status").as_string(), "approved");
}

TEST_F(DepartmentsTest, RenamedWhileActiveRetiredOnlyWhenEmptyAndThenClosed_A2) {
  const auto sys = admin("sysadmin");
  ASSERT_EQ(add("night_shift", "after_sales", sys).status, 201);
  ASSERT_EQ(add("night_b", "night_shift", sys).status, 201);
  auto renamed = rename("night_shift", "售后夜班组", sys);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json().at("display_name").as_string(), "售后夜班组");
  EXPECT_EQ(rename("night_shift", "x", admin("secadmin")).status, 403);
  EXPECT_EQ(rename("after_sales", "改名", sys).error_code(), "department_in_policy");
  EXPECT_EQ(rename("nowhere", "改名", sys).status, 404);

  // An active sub-department, then a member, keep it from retiring.
  EXPECT_EQ(retire("night_shift", sys).error_code(), "department_not_empty");
  ASSERT_EQ(retire("night_b", sys).status, 200);
  make_user(*client_, *instance_, "member" + random_suffix(), "staff", "internal", {}, true,
            "night_shift");
  EXPECT_EQ(retire("night_shift", sys).error_code(), "department_not_empty");

  // A retired department takes no one and changes no more; its name stays taken.
  auto created = client_->post_json("/api/v1/users",
                                    json::object{{"username", "late" + random_suffix()},
                                                 {"display_name", "晚到"},
                                                 {"department", "night_b"},
                                                 {"password", "a-good-password-1"},
                                                 {"roles", json::array{"staff"}}},
                                    sys);
  EXPECT_EQ(created.status, 400) << created.body;
  EXPECT_EQ(rename("night_b", "改名", sys).error_code(), "department_retired");
  EXPECT_EQ(add("night_b", "after_sales", sys).error_code(), "department_exists");
  auto listed = client_->get("/api/v1/departments", sys);
  ASSERT_EQ(listed.status, 200);
  const auto list = listed.json();
  ASSERT_NE(find(list, "night_b"), nullptr);
  EXPECT_EQ(find(list, "night_b")->at("state").as_string(), "retired");
  EXPECT_EQ(find(list, "night_shift")->at("members").as_int64(), 1);
  int retired = 0;
  for (const auto& e : audit_entries(*client_, *instance_, "action=department.retire")) {
    retired += e.at("decision").as_string() == "allow";
  }
  EXPECT_EQ(retired, 1) << "night_b only";
}

}  // namespace
}  // namespace baomi::testing
