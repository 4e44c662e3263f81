// Weekly reporting over HTTPS (docs/api.md "Weekly reports", H4): a staff member submits the
// summary of the current week, the supervisor reads the week's report (contact counts from the
// C5 log) and the member's raw log, staff are refused the report, and every read is audited.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

// The ISO week the server is in now, in the default policy's local time (UTC+8).
std::string current_week() {
  using namespace std::chrono;
  const auto local = floor<days>(system_clock::now() + hours{8});
  const weekday wd{local};
  const auto monday = local - days{(wd.c_encoding() + 6) % 7};
  const year_month_day thursday{monday + days{3}};
  const auto jan1 = sys_days{thursday.year() / January / 1};
  const int week = static_cast<int>((sys_days{thursday} - jan1).count() / 7 + 1);
  char text[16];
  std::snprintf(text, sizeof text, "%d-W%02d", static_cast<int>(thursday.year()), week);
  return text;
}

const boost::json::object* row_of(const boost::json::value& report, const std::string& id) {
  for (const auto& item : report.at("items").as_array()) {
    if (item.at("user_id").as_string() == id) return &item.as_object();
  }
  return nullptr;
}

TEST(WeeklyReportsApi, SubmitReportAndRawLog_H4_C5) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  auto staff = make_user(c, *inst, "wk.staff", "staff", "secret", {});
  auto supervisor = make_user(c, *inst, "wk.super", "supervisor", "secret", {});
  const auto week = current_week();

  auto customer =
      c.post_json("/api/v1/customers", boost::json::object{{"name", "张三"}}, staff.token);
  ASSERT_EQ(customer.status, 201) << customer.body;
  const std::string cid(customer.json().at("id").as_string());
  const std::pair<const char*, const char*> calls[] = {{"phone", "consultation"},
                                                       {"qq", "complaint"}};
  for (const auto& [channel, type] : calls) {
    auto e = c.post_json(
        "/api/v1/customers/" + cid + "/contacts",
        boost::json::object{{"channel", channel}, {"type", type}, {"content", "询问订单进度"}},
        staff.token);
    ASSERT_EQ(e.status, 201) << e.body;
  }

  auto bad = c.post_json("/api/v1/weekly-summaries",
                         boost::json::object{{"week", "2026-48"}, {"summary", "x"}}, staff.token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("'week'"), std::string::npos) << bad.body;

  auto sub =
      c.post_json("/api/v1/weekly-summaries",
                  boost::json::object{{"week", week}, {"summary", "本周两通来电"}}, staff.token);
  ASSERT_EQ(sub.status, 201) << sub.body;
  EXPECT_EQ(sub.json().at("version").as_int64(), 1);
  EXPECT_FALSE(sub.json().at("late").as_bool());  // the current week is due next Monday
  EXPECT_EQ(sub.json().at("user_id").as_string(), staff.id);

  auto stray = c.get("/api/v1/weekly-summaries?week=" + week + "&user=x", staff.token);
  EXPECT_EQ(stray.status, 400);
  auto own = c.get("/api/v1/weekly-summaries?week=" + week, staff.token);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json().at("summary").as_string(), "本周两通来电");

  auto report = c.get("/api/v1/weekly-reports?week=" + week, supervisor.token);
  ASSERT_EQ(report.status, 200) << report.body;
  const auto report_json = report.json();
  const auto* row = row_of(report_json, staff.id);
  ASSERT_NE(row, nullptr) << report.body;
  EXPECT_EQ(row->at("contacts").as_int64(), 2);
  EXPECT_EQ(row->at("by_type").at("consultation").as_int64(), 1);
  EXPECT_EQ(row->at("by_channel").at("qq").as_int64(), 1);
  EXPECT_TRUE(row->at("summary_submitted_at").is_string());
  EXPECT_FALSE(row->at("missing").as_bool());

  auto raw =
      c.get("/api/v1/weekly-reports/" + staff.id + "/raw-log?week=" + week, supervisor.token);
  ASSERT_EQ(raw.status, 200) << raw.body;
  EXPECT_EQ(raw.json().at("items").as_array().size(), 2u);
  EXPECT_EQ(raw.json().at("hidden").as_int64(), 0);
  EXPECT_EQ(raw.json().at("summary").at("summary").as_string(), "本周两通来电");

  auto refused = c.get("/api/v1/weekly-reports?week=" + week, staff.token);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.json().at("error").at("rule").as_string(), "H4");
  auto others =
      c.get("/api/v1/weekly-reports/" + supervisor.id + "/raw-log?week=" + week, staff.token);
  EXPECT_EQ(others.status, 403);

  const auto reads = audit_entries(c, *inst, "action=weekly_report.read&actor=" + supervisor.id);
  EXPECT_EQ(reads.size(), 1u);
  const auto denied = audit_entries(c, *inst, "action=weekly_report.read&actor=" + staff.id);
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].at("decision").as_string(), "deny");
  server->stop();
}

}  // namespace
}  // namespace baomi::testing
