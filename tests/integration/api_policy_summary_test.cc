// GET /api/v1/policy/summary over HTTPS: any logged-in account reads the policy values a
// client offers choices from (levels and markings, categories, roles, departments, shifts,
// unmaskable fields, request limits), the default policy's exactly; nobody else reads it. And
// the custodian's register of copies names the holders (`people`), nothing more about them.
#include <gtest/gtest.h>

#include <algorithm>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

class PolicySummaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    inst = TestInstance::create().release();
    server = inst->start().release();
  }
  static void TearDownTestSuite() {
    delete server;
    delete inst;
  }
  static inline TestInstance* inst = nullptr;
  static inline ServerProcess* server = nullptr;
  HttpsClient client{server->port()};
};

std::vector<std::string> strings_of(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

TEST_F(PolicySummaryTest, AnyAccountReadsTheDefaultPolicysValues) {
  const auto staff =
      make_user(client, *inst, "sum.staff" + random_suffix(), "staff", "internal", {},
                /*pledge=*/false);
  auto r = client.get("/api/v1/policy/summary", staff.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto p = r.json().as_object();
  const auto& levels = p.at("levels").as_array();
  ASSERT_EQ(levels.size(), 5u);
  EXPECT_EQ(levels[0].at("name").as_string(), "public");
  EXPECT_EQ(levels[2].at("name").as_string(), "secret");
  EXPECT_EQ(levels[2].at("marking").as_string(), "秘密");
  const auto& categories = p.at("categories").as_array();
  ASSERT_EQ(categories.size(), 7u);
  EXPECT_EQ(categories[4].at("name").as_string(), "contracts_customers");
  const auto& roles = p.at("roles").as_array();
  ASSERT_EQ(roles.size(), 10u);
  EXPECT_EQ(std::count_if(roles.begin(), roles.end(),
                          [](const json::value& x) { return x.at("admin").as_bool(); }),
            3);
  // S11: the door terminal is the one device role.
  EXPECT_EQ(std::count_if(roles.begin(), roles.end(),
                          [](const json::value& x) { return x.at("device").as_bool(); }),
            1);
  const auto& org = p.at("organisation").as_object();
  EXPECT_EQ(org.at("utc_offset_minutes").as_int64(), 480);
  EXPECT_EQ(strings_of(org.at("supervisor_roles")),
            (std::vector<std::string>{"group_leader", "supervisor", "manager"}));
  const auto& shifts = org.at("handover_shifts").as_array();
  ASSERT_EQ(shifts.size(), 2u);
  EXPECT_EQ(shifts[0].at("name").as_string(), "day");
  EXPECT_EQ(shifts[0].at("start").as_string(), "08:00");
  EXPECT_EQ(shifts[1].at("start").as_string(), "20:00");
  const auto& departments = org.at("departments").as_array();
  EXPECT_EQ(departments.size(), 6u);
  EXPECT_TRUE(departments[0].at("parent").is_null());
  const auto& unmask = p.at("customers").at("unmask").as_object();
  EXPECT_EQ(strings_of(unmask.at("staff")), std::vector<std::string>{"phone"});
  EXPECT_EQ(unmask.at("supervisor").as_array().size(), 9u);
  EXPECT_FALSE(unmask.contains("auditor"));
  const auto& requests = p.at("requests").as_object();
  EXPECT_EQ(requests.at("copy").at("secret").at("max_copies").as_int64(), 3);
  EXPECT_EQ(requests.at("copy").at("secret").at("max_days").as_int64(), 14);
  EXPECT_EQ(requests.at("access").at("public").at("max_days").as_int64(), 90);
  EXPECT_FALSE(requests.at("access").at("public").as_object().contains("max_copies"));
  EXPECT_EQ(p.at("reporting").at("weekly_due_weekday").as_int64(), 1);  // Monday
  EXPECT_EQ(p.at("reporting").at("weekly_due_time").as_string(), "10:00");
  EXPECT_EQ(p.at("limits").at("max_upload_bytes").as_int64(), std::int64_t{2} << 30);
  EXPECT_TRUE(p.at("sessions").at("idle_timeout_seconds").is_null());
  EXPECT_EQ(strings_of(p.at("documents").at("creator_roles")).size(), 6u);

  // Administrators read the same values; nobody without a session does.
  auto admin = client.get("/api/v1/policy/summary", inst->admin_token(client, "auditor"));
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.json().at("levels"), p.at("levels"));
  EXPECT_EQ(client.get("/api/v1/policy/summary").status, 401);
}

TEST_F(PolicySummaryTest, CustodiansRegisterNamesTheHoldersOnly_S5) {
  const auto keeper =
      make_user(client, *inst, "sum.keeper" + random_suffix(), "custodian", "secret", {"finance"});
  const auto staff =
      make_user(client, *inst, "sum.holder" + random_suffix(), "staff", "secret", {"finance"});
  const std::string doc(create_document(client, keeper.token, "账户清单", "secret", {"finance"})
                            .at("id")
                            .as_string());
  upload_content(client, keeper.token, doc, "账户清单：一号账户。\n");
  auto asked = client.post_json(
      "/api/v1/requests",
      json::object{{"type", "copy"}, {"document_id", doc}, {"reason", "对账"}, {"copies", 1}},
      staff.token);
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string request(asked.json().at("id").as_string());
  ASSERT_EQ(client
                .post_json("/api/v1/requests/" + request + "/approve",
                           json::object{{"comment", "同意"}}, keeper.token)
                .status,
            200);
  ASSERT_EQ(
      client.post_json("/api/v1/copies", json::object{{"request_id", request}}, staff.token).status,
      201);
  auto reg = client.get("/api/v1/copies?document_id=" + doc, keeper.token);
  ASSERT_EQ(reg.status, 200) << reg.body;
  const auto body = reg.json();
  const auto& people = body.at("people").as_object();
  ASSERT_EQ(people.size(), 1u) << reg.body;
  EXPECT_EQ(people.at(staff.id).at("username").as_string(), staff.username);
  EXPECT_EQ(people.at(staff.id).as_object().size(), 3u);
}

}  // namespace
}  // namespace baomi::testing
