// The `centre`, `handovers`, `customers` and `reporting` sections: their defaults, and every
// broken value refused with the line that holds it (C1, C3, C4, H1, H2, H3, H4).
#include <gtest/gtest.h>

#include <string>

#include "policy/loader.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

constexpr std::string_view kRecordsLabel = "test.yaml";
using testing::edit_line;

class RecordSections : public ::testing::Test {
 protected:
  std::string text_ = testing::read_default_policy_text();

  void expect_error_at_edit(std::string_view line, std::string_view replacement,
                            std::string_view what) {
    const auto [text, number] = edit_line(text_, line, replacement);
    const auto result = parse_policy(text, kRecordsLabel);
    ASSERT_FALSE(result.ok()) << "expected an error at line " << number << " for " << replacement;
    const std::string prefix = std::string(kRecordsLabel) + ":" + std::to_string(number) + ": ";
    EXPECT_EQ(result.error().message.rfind(prefix, 0), 0u)
        << result.error().message << "\n  expected prefix " << prefix;
    EXPECT_NE(result.error().message.find(what), std::string::npos)
        << result.error().message << "\n  expected to contain " << what;
  }

  Result<Policy> parse_edited(std::string_view line, std::string_view replacement) {
    return parse_policy(edit_line(text_, line, replacement).first, kRecordsLabel);
  }
};

TEST_F(RecordSections, DefaultsAreTheCentresRules_C1_H1_H2_H3_H4) {
  const auto loaded = parse_policy(text_, kRecordsLabel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const Policy& p = *loaded;
  EXPECT_EQ(p.handovers().receiving_departments,
            (std::vector<std::string>{"general_cs", "after_sales"}));
  EXPECT_EQ(p.handovers().retention_months, 3);
  EXPECT_EQ(p.handovers().confirm_within_days, 1);
  ASSERT_EQ(p.handovers().shifts.size(), 2u);
  EXPECT_EQ(p.handovers().shifts[1].start, std::chrono::hours{20});
  EXPECT_EQ(p.centre().utc_offset, std::chrono::hours{8});
  EXPECT_FALSE(has_role(p.centre().roles, Role::kCustodian));
  EXPECT_EQ(p.customers().unmask[static_cast<int>(Role::kStaff)], field_bit(CustomerField::kPhone));
  EXPECT_EQ(p.customers().unmask[static_cast<int>(Role::kManager)], kAllCustomerFields);
  EXPECT_EQ(p.reporting().due_weekday, 1);
  EXPECT_EQ(p.reporting().due_time, std::chrono::hours{10});
  EXPECT_EQ(p.department_id("general_cs"), 1);
  EXPECT_EQ(p.department_id("nowhere"), -1);
}

TEST_F(RecordSections, RetentionBelowThreeMonthsIsRefused_H3) {
  const std::string line =
      "  retention_months: 3        # H3: kept at least 3 months after "
      "confirmation; less is refused";
  expect_error_at_edit(line, "  retention_months: 2", "at least 3 (H3");
  expect_error_at_edit(line, "  retention_months: 0", "at least 3 (H3");
  expect_error_at_edit(line, "  retention_months: -4", "at least 3 (H3");
  const auto longer = parse_edited(line, "  retention_months: 24");
  ASSERT_TRUE(longer.ok()) << longer.error().message;
  EXPECT_EQ(longer->handovers().retention_months, 24);  // longer is the policy's choice
}

TEST_F(RecordSections, TwoReceivingDepartmentsFromTheChart_H1) {
  const std::string line =
      "  receiving_departments: [general_cs, after_sales]   # H1: exactly "
      "two; each keeps one copy";
  expect_error_at_edit(line, "  receiving_departments: [general_cs]", "exactly two");
  expect_error_at_edit(line, "  receiving_departments: [general_cs, after_sales, presale]",
                       "exactly two");
  expect_error_at_edit(line, "  receiving_departments: [general_cs, warehouse]",
                       "'warehouse' is not a department");
  expect_error_at_edit(line, "  receiving_departments: [general_cs, general_cs]", "duplicate");
}

TEST_F(RecordSections, ShiftsAndDeadlines_H2) {
  expect_error_at_edit("    - {name: night, display: 夜班, start: \"20:00\"}",
                       "    - {name: night, start: \"25:00\"}", "HH:MM");
  expect_error_at_edit("    - {name: night, display: 夜班, start: \"20:00\"}",
                       "    - {name: day, start: \"20:00\"}", "duplicate shift 'day'");
  expect_error_at_edit(
      "  confirm_within_days: 1     # H2: confirmed by the end of the next day "
      "(local time)",
      "  confirm_within_days: 0", "between 1 and 30");
}

TEST_F(RecordSections, AdministratorsAreNeverTheCentresStaff_C1_SoD) {
  const std::string roles = "  roles: [staff, group_leader, supervisor, manager, front_desk]";
  expect_error_at_edit(roles, "  roles: [staff, auditor]", "admin role 'auditor'");
  expect_error_at_edit(roles, "  roles: [staff, chef]", "unknown role 'chef'");
  expect_error_at_edit(roles, "  roles: []", "at least one role");
  expect_error_at_edit("    staff: [phone]           # a call-back", "    secadmin: [phone]",
                       "never see customer records");
}

TEST_F(RecordSections, UnmaskNamesKnownFields_C3) {
  const std::string line = "    staff: [phone]           # a call-back";
  expect_error_at_edit(line, "    staff: [phone, salary]", "unknown field 'salary'");
  const auto wider = parse_edited(line, "    staff: [phone, qq]");
  ASSERT_TRUE(wider.ok()) << wider.error().message;
  EXPECT_EQ(wider->customers().unmask[static_cast<int>(Role::kStaff)],
            field_bit(CustomerField::kPhone) | field_bit(CustomerField::kQq));
  const auto none = parse_edited(line, "");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->customers().unmask[static_cast<int>(Role::kStaff)], 0);  // not listed: none
}

TEST_F(RecordSections, WatchThresholdsAndLevels_C4) {
  expect_error_at_edit(
      "    distinct_customers: 30   # more distinct customers viewed or "
      "unmasked by one account ...",
      "    distinct_customers: 0", "between 1 and");
  expect_error_at_edit("    window: 1h               # ... within this window", "    window: 30d",
                       "at most 7d");
  expect_error_at_edit(
      "  max_level: secret          # key accounts (重要客户), category "
      "contracts_customers",
      "  max_level: public", "at or above default_level");
}

TEST_F(RecordSections, OffsetAndWeeklyDue_H4) {
  const std::string offset =
      "  utc_offset: \"+08:00\"    # the centre's local time: shift "
      "dates, deadlines, Monday 10:00";
  expect_error_at_edit(offset, "  utc_offset: \"8\"", "+HH:MM");
  expect_error_at_edit(offset, "  utc_offset: \"+15:00\"", "within 14 hours");
  expect_error_at_edit("  weekly_due: \"monday 10:00\"", "  weekly_due: \"someday 10:00\"",
                       "a weekday and a local time");
  const auto friday =
      parse_edited("  weekly_due: \"monday 10:00\"", "  weekly_due: \"friday 17:30\"");
  ASSERT_TRUE(friday.ok()) << friday.error().message;
  EXPECT_EQ(friday->reporting().due_weekday, 5);
  EXPECT_EQ(friday->reporting().due_time, std::chrono::minutes{17 * 60 + 30});
}

TEST_F(RecordSections, AbsentSectionIsAnErrorNoRuleIsInForceUnwritten_H3) {
  // A file written for an older server lacks the sections: it is refused, never defaulted.
  auto text = text_;
  text.erase(text.find("\n# The customer-service centre's own staff"));
  const auto loaded = parse_policy(text + "\n", kRecordsLabel);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("centre"), std::string::npos) << loaded.error().message;
}

}  // namespace
}  // namespace baomi::policy
