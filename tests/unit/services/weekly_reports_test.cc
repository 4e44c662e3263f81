// WeeklyReports over a real store, with time as an input (H4): summaries on time and late,
// resubmission as a new version that keeps the old one (I1), the supervisors' counts of the
// week's contact entries (C5) in local time, missing summaries after the deadline only,
// refusals to staff, and raw logs without records above the reader's clearance.
#include "services/reports/weekly_reports.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "services/customers/customers.h"
#include "support/test_runtime.h"
#include "unit/services/audit_detail_util.h"

namespace baomi::services {
namespace {

using policy::CustomerField;
using policy::Level;
using policy::Role;
using testing::TestRuntime;

TimePoint report_at(const char* rfc3339) { return parse_rfc3339(rfc3339).value(); }

// 2026-W48 in UTC+8: [2026-11-22T16:00Z, 2026-11-29T16:00Z), due Monday 2026-11-30 10:00 local.
const IsoWeek kW48{2026, 48};
const char* kDue = "2026-11-30T02:00:00Z";

class WeeklyReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    staff = t.user("wang.fang", Role::kStaff, Level::kSecret);
    colleague = t.user("li.na", Role::kStaff, Level::kInternal);
    supervisor = t.user("zhao.lei", Role::kSupervisor, Level::kSecret);
    leader = t.user("chen.gang", Role::kGroupLeader, Level::kInternal);
    auditor = t.user("audit.one", Role::kAuditor, Level::kTopSecret);
    auth::Accounts accounts(t.rt());
    outsider = accounts
                   .bootstrap_user(
                       {"admin.staff", "admin.staff", "administration", "password-123", {"staff"}},
                       Level::kSecret, 0)
                   .value();
    outsider = accounts.accept_pledge(outsider).value();
    customer = new_customer(std::nullopt);
  }

  std::string new_customer(std::optional<std::string> level) {
    CustomerInput in;
    in.fields[static_cast<std::size_t>(CustomerField::kName)] = "张三";
    in.level = std::move(level);
    auto c = customers.create(staff, in);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c->customer.id;
  }

  void contact(const auth::User& who, const std::string& customer_id, const char* when,
               const char* channel, const char* type) {
    t.now = report_at(when);
    auto e = customers.add_contact(who, customer_id, {channel, type, "客户来电询问订单", {}});
    ASSERT_TRUE(e.ok()) << e.error().message;
  }

  const StaffWeek* row_of(const WeeklyReport& r, const std::string& user_id) {
    for (const auto& row : r.rows) {
      if (row.user_id == user_id) return &row;
    }
    return nullptr;
  }

  std::string stored_objects_text() {
    std::string all;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((t.dir() / "baomi.db").string().c_str(), &db), SQLITE_OK);
    auto collect = [](void* out, int n, char** values, char**) {
      for (int i = 0; i < n; ++i) {
        if (values[i]) *static_cast<std::string*>(out) += std::string(values[i]) + "|";
      }
      return 0;
    };
    sqlite3_exec(db, "SELECT id, owner_id, sealed FROM objects WHERE kind = 'weekly_summary'",
                 collect, &all, nullptr);
    sqlite3_close(db);
    return all;
  }

  TestRuntime t;
  Customers customers{t.rt()};
  WeeklyReports reports{t.rt()};
  auth::User staff, colleague, supervisor, leader, auditor, outsider;
  std::string customer;
};

TEST_F(WeeklyReportsTest, SubmitBeforeDeadlineIsOnTimeAndSealed_H4) {
  t.now = report_at("2026-11-29T12:00:00Z");
  auto s = reports.submit(staff, kW48, "本周处理投诉 MARKER-weekly-text");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(s->late);
  EXPECT_EQ(s->version, 1u);
  EXPECT_EQ(s->due_at, report_at(kDue));
  EXPECT_EQ(s->user_id, staff.id);
  const auto stored = stored_objects_text();
  EXPECT_NE(stored.find(staff.id + ":2026-W48"), std::string::npos);
  EXPECT_EQ(stored.find("MARKER-weekly-text"), std::string::npos);  // sealed, never in clear
  const auto rows = t.audit_rows();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back().action, "weekly_summary.submit");
  EXPECT_EQ(rows.back().actor, staff.id);
  EXPECT_EQ(rows.back().detail.find("MARKER"), std::string::npos);
  EXPECT_NE(rows.back().detail.find("2026-W48"), std::string::npos);
}

TEST_F(WeeklyReportsTest, SubmitAfterDeadlineIsLate_H4) {
  t.now = report_at(kDue) + std::chrono::seconds{1};
  auto s = reports.submit(staff, kW48, "迟交的周报");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->late);
}

TEST_F(WeeklyReportsTest, ResubmissionKeepsHistoryAndLatenessOfFirst_H4_I1) {
  t.now = report_at("2026-11-30T01:00:00Z");
  ASSERT_TRUE(reports.submit(staff, kW48, "第一版").ok());
  t.now = report_at("2026-11-30T05:00:00Z");  // after the deadline
  auto second = reports.submit(staff, kW48, "第二版");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->version, 2u);
  EXPECT_FALSE(second->late);  // decided by the first submission
  auto own = reports.own_summary(staff, kW48);
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(own->summary, "第二版");
  EXPECT_EQ(own->first_submitted_at, report_at("2026-11-30T01:00:00Z"));
  EXPECT_EQ(own->submitted_at, report_at("2026-11-30T05:00:00Z"));
  ASSERT_EQ(own->history.size(), 1u);
  EXPECT_EQ(own->history[0].summary, "第一版");
  EXPECT_EQ(own->history[0].version, 1u);
}

TEST_F(WeeklyReportsTest, BadSubmissionsAreRefused_H4) {
  t.now = report_at("2026-11-25T09:00:00Z");
  auto future = reports.submit(staff, {2026, 49}, "还没到");
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(future.error().message.find("'week'"), std::string::npos);
  auto blank = reports.submit(staff, kW48, "  \n");
  ASSERT_FALSE(blank.ok());
  EXPECT_NE(blank.error().message.find("'summary'"), std::string::npos);
  EXPECT_FALSE(reports.submit(staff, kW48, std::string(20001, 'a')).ok());
  EXPECT_TRUE(reports.submit(staff, kW48, std::string(20000, 'a')).ok());
  auto none = reports.own_summary(colleague, kW48);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::kNotFound);
  auto admin = reports.submit(auditor, kW48, "审计");
  ASSERT_FALSE(admin.ok());
  EXPECT_EQ(admin.error().kind, ErrorKind::kForbidden);
}

TEST_F(WeeklyReportsTest, ReportCountsContactsOfTheLocalWeekOnly_H4_C5) {
  contact(staff, customer, "2026-11-22T15:59:59Z", "phone", "complaint");     // Sunday W47 local
  contact(staff, customer, "2026-11-22T16:00:00Z", "phone", "consultation");  // Monday 00:00
  contact(staff, customer, "2026-11-25T03:00:00Z", "qq", "consultation");
  contact(staff, customer, "2026-11-29T15:59:59Z", "phone", "fault");      // Sunday 23:59:59
  contact(staff, customer, "2026-11-29T16:00:00Z", "email", "complaint");  // W49 local
  contact(colleague, customer, "2026-11-24T03:00:00Z", "email", "suggestion");
  t.now = report_at("2026-11-30T01:00:00Z");
  auto r = reports.report(supervisor, kW48);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto* row = row_of(*r, staff.id);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->contacts, 3u);
  EXPECT_EQ(row->by_type.at("consultation"), 2u);
  EXPECT_EQ(row->by_type.at("fault"), 1u);
  EXPECT_EQ(row->by_type.count("complaint"), 0u);
  EXPECT_EQ(row->by_channel.at("phone"), 2u);
  EXPECT_EQ(row->by_channel.at("qq"), 1u);
  EXPECT_EQ(row->by_channel.count("email"), 0u);
  EXPECT_EQ(row->username, "wang.fang");
  EXPECT_EQ(row->department, "general_cs");
  const auto* other = row_of(*r, colleague.id);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->contacts, 1u);
  EXPECT_NE(row_of(*r, supervisor.id), nullptr);  // supervisors are staff too
  EXPECT_EQ(row_of(*r, auditor.id), nullptr);     // administrators are not the centre's
  EXPECT_EQ(row_of(*r, outsider.id), nullptr);    // outside the centre (C1)
  const auto rows = t.audit_rows();
  EXPECT_EQ(rows.back().action, "weekly_report.read");
  EXPECT_EQ(rows.back().actor, supervisor.id);
}

TEST_F(WeeklyReportsTest, MissingOnlyAfterTheDeadline_H4) {
  const auto new_hire = t.user("new.hire", Role::kStaff, Level::kInternal, 0, false);  // no pledge
  t.now = report_at("2026-11-30T01:59:59Z");
  ASSERT_TRUE(reports.submit(colleague, kW48, "按时").ok());
  auto before = reports.report(supervisor, kW48);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_FALSE(row_of(*before, staff.id)->missing);
  t.now = report_at(kDue) + std::chrono::seconds{1};
  auto after = reports.report(supervisor, kW48);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(row_of(*after, staff.id)->missing);
  EXPECT_FALSE(row_of(*after, staff.id)->summary_submitted_at.has_value());
  const auto* done = row_of(*after, colleague.id);
  EXPECT_FALSE(done->missing);
  EXPECT_FALSE(done->late);
  EXPECT_EQ(done->summary_submitted_at, report_at("2026-11-30T01:59:59Z"));
  const auto* unpledged = row_of(*after, new_hire.id);  // still owes a summary
  ASSERT_NE(unpledged, nullptr);
  EXPECT_TRUE(unpledged->missing);
}

TEST_F(WeeklyReportsTest, StaffCannotReadOthersReports_H4) {
  t.now = report_at("2026-11-30T03:00:00Z");
  auto report = reports.report(staff, kW48);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(report.error().rule, "H4");
  auto other = reports.raw_log(staff, colleague.id, kW48);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(other.error().rule, "H4");
  const auto rows = t.audit_rows();
  EXPECT_EQ(rows.back().action, "weekly_report.raw_log_read");
  EXPECT_EQ(rows.back().decision, "deny");
  EXPECT_TRUE(reports.raw_log(staff, staff.id, kW48).ok());  // one's own log
  auto unknown = reports.raw_log(supervisor, "no-such-user", kW48);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kNotFound);
}

TEST_F(WeeklyReportsTest, RawLogHidesRecordsAboveReadersClearance_H4_C5) {
  const auto key_account = new_customer("secret");
  contact(staff, key_account, "2026-11-24T02:00:00Z", "phone", "complaint");
  contact(staff, customer, "2026-11-23T02:00:00Z", "qq", "consultation");
  contact(staff, customer, "2026-11-25T02:00:00Z", "phone", "fault");
  t.now = report_at("2026-11-29T12:00:00Z");
  ASSERT_TRUE(reports.submit(staff, kW48, "周报").ok());
  auto log = reports.raw_log(leader, staff.id, kW48);  // group leader, cleared to internal
  ASSERT_TRUE(log.ok()) << log.error().message;
  EXPECT_EQ(log->hidden, 1u);
  ASSERT_EQ(log->entries.size(), 2u);
  EXPECT_EQ(log->entries[0].type, "consultation");  // time order
  EXPECT_EQ(log->entries[1].type, "fault");
  EXPECT_EQ(log->entries[0].content, "客户来电询问订单");
  ASSERT_TRUE(log->summary.has_value());
  EXPECT_EQ(log->summary->summary, "周报");
  auto full = reports.raw_log(supervisor, staff.id, kW48);  // cleared to secret
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->hidden, 0u);
  EXPECT_EQ(full->entries.size(), 3u);
  const auto rows = t.audit_rows();
  EXPECT_EQ(rows.back().action, "weekly_report.raw_log_read");
  EXPECT_EQ(rows.back().detail.find("客户"), std::string::npos);
}

// Each action's detail, member by member (keys, order, types): counts and the week only, never
// the summary's text or an entry's content.
TEST_F(WeeklyReportsTest, AuditDetailsHaveTheirDocumentedMembers_H4) {
  using testing_detail::details_of;
  using Details = std::vector<std::string>;
  contact(staff, customer, "2026-11-25T02:00:00Z", "phone", "fault");
  t.now = report_at("2026-11-29T12:00:00Z");
  EXPECT_FALSE(reports.own_summary(staff, kW48).ok());
  ASSERT_TRUE(reports.submit(staff, kW48, "周报").ok());  // 6 bytes of UTF-8
  EXPECT_EQ(details_of(t, "weekly_summary.submit"),
            Details{R"({"week":"2026-W48","version":1,"late":false,"bytes":6})"});
  ASSERT_TRUE(reports.own_summary(staff, kW48).ok());
  EXPECT_EQ(details_of(t, "weekly_summary.read"),
            (Details{R"({"week":"2026-W48","found":false})",
                     R"({"week":"2026-W48","found":true,"version":1})"}));
  auto report = reports.report(supervisor, kW48);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(details_of(t, "weekly_report.read"),
            Details{R"({"week":"2026-W48","rows":)" + std::to_string(report->rows.size()) + "}"});
  ASSERT_TRUE(reports.raw_log(supervisor, staff.id, kW48).ok());
  EXPECT_FALSE(reports.raw_log(supervisor, "no-such-user", kW48).ok());
  EXPECT_EQ(details_of(t, "weekly_report.raw_log_read"),
            (Details{R"({"week":"2026-W48","entries":1,"hidden":0})",
                     R"({"week":"2026-W48","reason":"not_found"})"}));
}

}  // namespace
}  // namespace baomi::services
