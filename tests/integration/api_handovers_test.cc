// Handover slips over real HTTPS (API.md "Handover slips", docs/api.md): issue as two bound
// copies (H1), acknowledge, confirm by the receiving side only (H2, I2), overdue lists,
// corrections (I1), carry-over, holds and retention refusals (H3), error statuses, and no slip
// text in any file of the instance.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

// The centre's local date (default policy: UTC+8) `days_back` days ago.
std::string local_date(int days_back) {
  using namespace std::chrono;
  const auto local = system_clock::now() + hours(8) - days(days_back);
  const year_month_day ymd{floor<days>(local)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

json::object slip_body(const std::string& summary, int days_back = 0) {
  return {
      {"shift", "day"},
      {"date", local_date(days_back)},
      {"items",
       json::array{json::object{{"summary", summary}, {"customer_id", "c-1"}, {"priority", "high"}},
                   json::object{{"summary", "second item"}}}},
      {"notes", "notes"}};
}

class HandoversApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    inst = TestInstance::create();
    server = inst->start();
    c = std::make_unique<HttpsClient>(server->port());
    author = make_user(*c, *inst, "author" + random_suffix(), "staff", "internal", {}, true,
                       "general_cs");
    gcs =
        make_user(*c, *inst, "gcs" + random_suffix(), "staff", "internal", {}, true, "general_cs");
    as = make_user(*c, *inst, "as" + random_suffix(), "staff", "internal", {}, true, "after_sales");
    sup =
        make_user(*c, *inst, "sup" + random_suffix(), "supervisor", "internal", {}, true, "centre");
    presale =
        make_user(*c, *inst, "pre" + random_suffix(), "staff", "internal", {}, true, "presale");
  }

  std::string create(const json::object& body) {
    auto r = c->post_json("/api/v1/handovers", body, author.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().as_object().at("id").as_string());
  }

  std::unique_ptr<TestInstance> inst;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpsClient> c;
  TestUser author, gcs, as, sup, presale;
};

TEST_F(HandoversApiTest, IssueAcknowledgeConfirmFlow_H1_H2) {
  auto r = c->post_json("/api/v1/handovers", slip_body("call back the customer"), author.token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto slip = r.json().as_object();
  const std::string id(slip.at("id").as_string());
  EXPECT_EQ(slip.at("state").as_string(), "issued");
  auto copies = slip.at("copies").as_array();
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_EQ(copies[0].at("department").as_string(), "after_sales");
  EXPECT_EQ(copies[1].at("department").as_string(), "general_cs");
  EXPECT_EQ(copies[0].at("content_hash"), copies[1].at("content_hash"));  // H1: one content
  EXPECT_EQ(copies[0].at("content_hash"), slip.at("content_hash"));

  EXPECT_EQ(c->post_json("/api/v1/handovers/" + id + "/acknowledge", json::object{}, author.token)
                .error_code(),
            "own_slip");
  EXPECT_EQ(
      c->post_json("/api/v1/handovers/" + id + "/acknowledge", json::object{}, gcs.token).status,
      200);
  auto ack = c->post_json("/api/v1/handovers/" + id + "/acknowledge", json::object{}, as.token);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.json().at("state").as_string(), "acknowledged");
  EXPECT_EQ(ack.json().at("copies").at(0).at("acknowledged_by").as_string(), as.id);
  EXPECT_EQ(
      c->post_json("/api/v1/handovers/" + id + "/acknowledge", json::object{}, as.token).status,
      409);

  const json::object confirm_all{
      {"items", json::array{json::object{{"index", 0}, {"done", true}, {"note", "called"}},
                            json::object{{"index", 1}, {"done", true}}}}};
  auto own = c->post_json("/api/v1/handovers/" + id + "/confirm", confirm_all, author.token);
  EXPECT_EQ(own.status, 403);
  EXPECT_EQ(own.error_code(), "own_slip");
  EXPECT_EQ(own.json().at("error").at("rule").as_string(), "I2");
  auto done = c->post_json("/api/v1/handovers/" + id + "/confirm", confirm_all, gcs.token);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("state").as_string(), "confirmed");
  EXPECT_FALSE(done.json().at("retain_until").is_null());

  auto del = c->del("/api/v1/handovers/" + id, inst->admin_token(*c, "secadmin"));
  EXPECT_EQ(del.status, 409);
  EXPECT_EQ(del.error_code(), "retention");
  EXPECT_EQ(del.json().at("error").at("rule").as_string(), "H3");

  auto entries = audit_entries(*c, *inst, "action=handover.create");
  ASSERT_EQ(entries.size(), 1u);
}

TEST_F(HandoversApiTest, BadInputAndStatuses) {
  const std::string id = create(slip_body("x"));
  auto unknown =
      c->post_json("/api/v1/handovers", json::object{{"shift", "day"}, {"x", 1}}, author.token);
  EXPECT_EQ(unknown.status, 400);
  auto bad_shift = slip_body("x");
  bad_shift["shift"] = "evening";
  auto r = c->post_json("/api/v1/handovers", bad_shift, author.token);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("shift"), std::string::npos);
  auto bad_index = c->post_json(
      "/api/v1/handovers/" + id + "/confirm",
      json::object{{"items", json::array{json::object{{"index", 7}, {"done", true}}}}}, gcs.token);
  EXPECT_EQ(bad_index.status, 400);
  EXPECT_NE(bad_index.body.find("items[0].index"), std::string::npos);
  EXPECT_EQ(c->get("/api/v1/handovers/nope", gcs.token).status, 404);
  EXPECT_EQ(c->get("/api/v1/handovers/" + id).status, 401);
  EXPECT_EQ(c->get("/api/v1/handovers/" + id, presale.token).status, 403);
  EXPECT_EQ(c->get("/api/v1/handovers?state=bogus", gcs.token).status, 400);
  auto hold =
      c->post_json("/api/v1/handovers/" + id + "/hold", json::object{{"reason", "r"}}, gcs.token);
  EXPECT_EQ(hold.status, 403);
}

TEST_F(HandoversApiTest, OverdueListedForSupervisorsWithoutWaitingForTheSweep_H2) {
  const std::string old_id = create(slip_body("old work", 3));
  const std::string new_id = create(slip_body("new work"));
  auto list = c->get("/api/v1/handovers?state=overdue", sup.token);
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = list.json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_string(), old_id);
  EXPECT_EQ(items[0].at("state").as_string(), "overdue");
  auto one = c->get("/api/v1/handovers/" + old_id, gcs.token);
  EXPECT_EQ(one.json().at("state").as_string(), "overdue");
  // Late confirmation is accepted and marked late.
  auto late = c->post_json(
      "/api/v1/handovers/" + old_id + "/confirm",
      json::object{{"items", json::array{json::object{{"index", 0}, {"done", false}}}}}, as.token);
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_TRUE(late.json().at("items").at(0).at("confirmation").at("late").as_bool());
  EXPECT_EQ(c->get("/api/v1/handovers/alerts", gcs.token).status, 403);
  EXPECT_EQ(c->get("/api/v1/handovers/alerts", sup.token).status, 200);
  (void)new_id;
}

TEST_F(HandoversApiTest, CorrectionCarryOverAndHold_I1_H3) {
  const std::string id = create(slip_body("first text"));
  json::object correction{{"items", json::array{json::object{{"summary", "corrected text"}}}},
                          {"reason", "wrong customer"}};
  EXPECT_EQ(
      c->post_json("/api/v1/handovers/" + id + "/corrections", correction, gcs.token).error_code(),
      "not_author");
  auto v2 = c->post_json("/api/v1/handovers/" + id + "/corrections", correction, author.token);
  ASSERT_EQ(v2.status, 201) << v2.body;
  EXPECT_EQ(v2.json().at("version").as_int64(), 2);
  auto versions = v2.json().at("versions").as_array();
  EXPECT_EQ(versions[1].at("prev_hash"), versions[0].at("content_hash"));
  auto old = c->get("/api/v1/handovers/" + id + "/versions/1", gcs.token);
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(old.json().at("items").at(0).at("summary").as_string(), "first text");

  auto carried = c->post_json("/api/v1/handovers/" + id + "/carry-over",
                              json::object{{"shift", "night"}}, gcs.token);
  ASSERT_EQ(carried.status, 201) << carried.body;
  EXPECT_EQ(carried.json().at("carried_from").as_string(), id);
  auto back = c->get("/api/v1/handovers/" + id, sup.token);
  EXPECT_EQ(back.json().at("carried_to").at(0), carried.json().at("id"));

  const auto auditor = inst->admin_token(*c, "auditor");
  auto held =
      c->post_json("/api/v1/handovers/" + id + "/hold", json::object{{"reason", "case"}}, auditor);
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_TRUE(held.json().at("hold").as_bool());
  EXPECT_TRUE(held.json().at("items").is_null());  // metadata only for the auditor
  auto del = c->del("/api/v1/handovers/" + id, inst->admin_token(*c, "secadmin"));
  EXPECT_EQ(del.error_code(), "legal_hold");
  auto release =
      c->request("DELETE", "/api/v1/handovers/" + id + "/hold", R"({"reason":"closed"})",
                 {{"Authorization", "Bearer " + auditor}, {"Content-Type", "application/json"}});
  EXPECT_EQ(release.status, 200) << release.body;
}

TEST_F(HandoversApiTest, NoSlipTextInTheDatabaseFile_H1) {
  const std::string marker = "SLIPMARKER" + random_suffix();
  const std::string id = create(slip_body(marker + " 客户投诉"));
  c->post_json("/api/v1/handovers/" + id + "/confirm",
               json::object{{"items", json::array{json::object{
                                          {"index", 0}, {"done", false}, {"note", marker}}}}},
               gcs.token);
  server->stop();
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(inst->data())) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    all += ss.str();
  }
  EXPECT_GT(all.size(), 0u);
  EXPECT_EQ(all.find(marker), std::string::npos);
}

}  // namespace
}  // namespace baomi::testing
