// Loading the `organisation` (A2) and `approvals` (A1, A2, S5, S7) sections: the default file
// equals the built-in defaults, every kind of bad value is refused with "<file>:<line>: <what>",
// and what a file says is what can_approve() then enforces.
#include <gtest/gtest.h>

#include <string>

#include "policy/approvals.h"
#include "policy/loader.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

using testing::edit_line;
using testing::line_of;

constexpr std::string_view kApprovalsLabel = "test.yaml";

class ApprovalsLoader : public ::testing::Test {
 protected:
  std::string text_ = testing::read_default_policy_text();

  void expect_error(const std::string& text, int line, std::string_view what) {
    const auto result = parse_policy(text, kApprovalsLabel);
    ASSERT_FALSE(result.ok()) << "expected an error at line " << line;
    const std::string prefix = std::string(kApprovalsLabel) + ":" + std::to_string(line) + ": ";
    EXPECT_EQ(result.error().code, "invalid_policy");
    EXPECT_EQ(result.error().message.rfind(prefix, 0), 0u)
        << result.error().message << "\n  expected prefix " << prefix;
    EXPECT_NE(result.error().message.find(what), std::string::npos)
        << result.error().message << "\n  expected to contain " << what;
  }
  void expect_error_at_edit(std::string_view line, std::string_view replacement,
                            std::string_view what) {
    const auto [text, number] = edit_line(text_, line, replacement);
    expect_error(text, number, what);
  }
  // Replaces a unique chunk of several lines.
  std::string replaced(std::string_view chunk, std::string_view by) const {
    std::string out = text_;
    const auto at = out.find(chunk);
    EXPECT_NE(at, std::string::npos) << chunk;
    if (at != std::string::npos) out.replace(at, chunk.size(), by);
    return out;
  }
  Policy parsed(const std::string& text) {
    auto loaded = parse_policy(text, kApprovalsLabel);
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.error().message;
      return Policy(PolicyData{}, "");
    }
    return std::move(loaded).value();
  }
};

constexpr std::string_view kPublicStep =
    "        - {any_of: [document_custodian, group_leader, supervisor, manager], "
    "reporting_line: true}";
constexpr std::string_view kManagerStep = "        - {any_of: [manager]}";    // confidential
constexpr std::string_view kSecadminStep = "        - {any_of: [secadmin]}";  // top secret
constexpr std::string_view kRanks = "  ranks: [staff, group_leader, supervisor, manager]";
constexpr std::string_view kAfterSales =
    "    - {name: after_sales,    parent: centre, display: 售后}";

TEST_F(ApprovalsLoader, DefaultYamlEqualsBuiltInApprovalsAndChart_A1_A2) {
  const Policy p = parsed(text_);
  EXPECT_TRUE(p.data().approvals == default_approval_table())
      << "policies/default.yaml approvals drifted from default_approval_table()";
  EXPECT_TRUE(p.organisation() == default_organisation())
      << "policies/default.yaml organisation drifted from default_organisation()";
  const ApprovalRule& top = p.approval_rule(RequestType::kPrint, Level::kTopSecret);
  EXPECT_EQ(distinct_approvers_required(top), 3);  // custodian, manager, secadmin
  EXPECT_EQ(approver_roles(top), role_bit(Role::kManager) | role_bit(Role::kSecadmin));
  EXPECT_EQ(p.organisation().departments.size(), 6u);
}

TEST_F(ApprovalsLoader, NewSectionsAreRequiredAndCoveredByTheVersion) {
  // The version is the hash of the file's bytes: it covers the rules only because they must
  // be written in the file, never supplied silently by the server.
  std::string cut = text_;
  cut.erase(cut.find("# Who approves a request"));
  expect_error(cut, line_of(text_, "policy:"), "missing required section 'approvals'");
  cut = text_;
  const auto start = cut.find("# The organisation chart");
  cut.erase(start, cut.find("# Who approves a request") - start);
  expect_error(cut, line_of(text_, "policy:"), "missing required section 'organisation'");
  const auto [edited, n] = edit_line(text_, "      max_days: 3", "      max_days: 2");
  (void)n;
  const Policy a = parsed(text_);
  const Policy b = parsed(edited);
  EXPECT_NE(a.version(), b.version());
  EXPECT_EQ(b.approval_rule(RequestType::kCopy, Level::kTopSecret).max_days, 2);
}

TEST_F(ApprovalsLoader, UnknownKeysAreErrors) {
  expect_error_at_edit("      max_days: 3", "      max_day: 3",
                       "approvals.rules[4]: unknown key 'max_day'");
  expect_error_at_edit(kSecadminStep, "        - {any_of: [secadmin], counts: 2}",
                       "approvals.rules[4].steps[2]: unknown key 'counts'");
  expect_error_at_edit(kRanks, "  rank: [staff, manager]", "organisation: unknown key 'rank'");
  expect_error_at_edit(kAfterSales, "    - {name: after_sales, boss: x}",
                       "organisation.departments[2]: unknown key 'boss'");
  const auto [text, n] = edit_line(text_, "  rules:", "  default: deny\n  rules:");
  expect_error(text, n, "approvals: unknown key 'default'");
}

TEST_F(ApprovalsLoader, UnknownOrDuplicateNamesAreErrors_A1) {
  expect_error_at_edit("      levels: [secret]", "      levels: [secrets]",
                       "approvals.rules[2].levels: unknown level 'secrets'");
  expect_error_at_edit("    - types: [declassify]", "    - types: [declassification]",
                       "unknown request type 'declassification'");
  expect_error_at_edit("    - types: [declassify]", "    - types: [declassify, declassify]",
                       "duplicate request type");
  expect_error_at_edit(kManagerStep, "        - {any_of: [boss]}",
                       "approvals.rules[3].steps[1].any_of: unknown approver 'boss'");
  expect_error_at_edit(kManagerStep, "        - {any_of: [manager, manager]}",
                       "duplicate approver");
  expect_error_at_edit(kManagerStep, "        - {any_of: []}", "at least one approver");
  expect_error_at_edit("    - types: [declassify]", "    - types: []", "at least one request type");
}

TEST_F(ApprovalsLoader, SysadminAndAuditorNeverApprove_SoD) {
  expect_error_at_edit(kSecadminStep, "        - {any_of: [auditor]}",
                       "'auditor' cannot approve requests (separation of duties)");
  expect_error_at_edit(kManagerStep, "        - {any_of: [manager, sysadmin]}",
                       "'sysadmin' cannot approve requests");
}

TEST_F(ApprovalsLoader, StepCountsAndSteps_A1) {
  expect_error_at_edit(kManagerStep, "        - {any_of: [manager], count: 0}",
                       "steps[1].count: must be between 1 and 10");
  expect_error_at_edit(kManagerStep, "        - {any_of: [manager], count: 11}",
                       "must be between 1 and 10");
  expect_error_at_edit(kManagerStep, "        - {any_of: [manager], count: two}",
                       "expected an integer");
  expect_error_at_edit("        - {any_of: [document_custodian]}",
                       "        - {any_of: [document_custodian], count: 2}", "one custodian");
  // More than kMaxSteps: the ninth step is the error.
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += std::string(kManagerStep) + "\n";
  const std::string chunk = std::string(kSecadminStep) + "\n";
  const std::string many =
      replaced("        - {any_of: [document_custodian]}\n" + std::string(kManagerStep) + "\n" +
                   chunk + "      max_days: 3",
               nine + "      max_days: 3");
  expect_error(many, line_of(text_, "      levels: [top_secret]") + 2 + 8,
               "approvals.rules[4].steps[8]: at most 8 steps");
  const std::string none =
      replaced("      steps:\n" + std::string(kPublicStep) + "\n", "      steps: []\n");
  expect_error(none, line_of(text_, "      levels: [public]") + 1,
               "approvals.rules[0].steps: must name at least one step");
  // A count above one is read.
  const auto [text, n] = edit_line(text_, kManagerStep, "        - {any_of: [manager], count: 2}");
  (void)n;
  const Policy p = parsed(text);
  EXPECT_EQ(p.approval_rule(RequestType::kCopy, Level::kConfidential).steps[1].count, 2);
}

TEST_F(ApprovalsLoader, TopSecretNeedsTwoPeople) {
  const std::string one =
      replaced("        - {any_of: [document_custodian]}\n" + std::string(kManagerStep) + "\n" +
                   std::string(kSecadminStep) + "\n      max_days: 3",
               "        - {any_of: [document_custodian]}\n      max_days: 3");
  // The error names the first line of the steps list.
  expect_error(one, line_of(text_, "      levels: [top_secret]") + 2, "two-person rule");
}

TEST_F(ApprovalsLoader, LimitRanges_S4_S7) {
  expect_error_at_edit("      max_days: 3", "      max_days: 0",
                       "max_days: must be between 1 and 365");
  expect_error_at_edit("      max_days: 3", "      max_days: 366", "between 1 and 365");
  expect_error_at_edit("      max_copies: 1", "      max_copies: 0",
                       "max_copies: must be between 1 and 100");
  expect_error_at_edit("      max_copies: 1", "      max_copies: 101", "between 1 and 100");
  expect_error_at_edit("      pending_ttl: 3d", "      pending_ttl: 30m",
                       "pending_ttl: must be between 1h and 90d");
  expect_error_at_edit("      pending_ttl: 3d", "      pending_ttl: 91d", "between 1h and 90d");
  expect_error_at_edit("      pending_ttl: 3d", "      pending_ttl: 3", "positive duration");
}

TEST_F(ApprovalsLoader, CopySettingsOnlyWhereCopiesAre_S7) {
  const auto [text, n] =
      edit_line(text_, "      max_days: 1", "      max_days: 1\n      max_copies: 1");
  expect_error(text, n + 1, "max_copies: applies only to copy, print, excerpt and export");
  const auto [cut, m] = edit_line(text_, "      max_copies: 1", "");
  (void)m;
  expect_error(cut, line_of(text_, "      levels: [top_secret]") - 1,
               "approvals.rules[4]: missing required key 'max_copies'");
}

TEST_F(ApprovalsLoader, UnmarkedCopiesOnlyAtPublicAndInternal_S5) {
  const std::string secret = replaced(
      "      max_copies: 3\n      pending_ttl: 7d\n      "
      "allow_unmarked: false",
      "      max_copies: 3\n      pending_ttl: 7d\n      "
      "allow_unmarked: true");
  expect_error(secret, line_of(text_, "      max_copies: 3") + 2,
               "must be false at level 'secret'");
  expect_error_at_edit("      allow_unmarked: false", "      allow_unmarked: yes",
                       "expected true or false");
  const auto [text, n] =
      edit_line(text_, "      allow_unmarked: false", "      allow_unmarked: true");
  (void)n;
  const Policy p = parsed(text);  // the first rule is public
  EXPECT_TRUE(p.approval_rule(RequestType::kCopy, Level::kPublic).allow_unmarked);
  EXPECT_FALSE(p.approval_rule(RequestType::kCopy, Level::kInternal).allow_unmarked);
}

TEST_F(ApprovalsLoader, EveryTypeAndLevelExactlyOnce_A1) {
  expect_error_at_edit("    - types: [declassify]", "    - types: [declassify, access]",
                       "approvals.rules[5]: (access, public) already has a rule at line " +
                           std::to_string(line_of(text_, "      levels: [public]") - 1));
  const auto [text, n] =
      edit_line(text_, "      levels: [public, internal, secret, confidential, top_secret]",
                "      levels: [public, internal, secret, confidential]");
  (void)n;
  expect_error(text, line_of(text_, "  rules:"),
               "approvals.rules: no rule for (declassify, top_secret)");
}

TEST_F(ApprovalsLoader, ReportingLineNeedsARankAboveTheLowest_A2) {
  expect_error_at_edit(kPublicStep,
                       "        - {any_of: [document_custodian, staff], reporting_line: true}",
                       "role 'staff' ranks lowest");
  expect_error_at_edit(kPublicStep, "        - {any_of: [front_desk], reporting_line: true}",
                       "role 'front_desk' ranks lowest");
  expect_error_at_edit(kPublicStep, "        - {any_of: [manager], reporting_line: maybe}",
                       "reporting_line: expected true or false");
  // The check reads the file's own ranks: without group_leader ranked, the public step fails.
  expect_error(edit_line(text_, kRanks, "  ranks: [staff, supervisor, manager]").first,
               line_of(text_, std::string(kPublicStep)), "role 'group_leader' ranks lowest");
}

TEST_F(ApprovalsLoader, OrganisationErrors_A2) {
  expect_error_at_edit(kAfterSales, "    - {name: after_sales, parent: presale}",
                       "organisation.departments[2].parent: 'presale' is not a department "
                       "listed earlier");
  expect_error_at_edit(kAfterSales, "    - {name: after_sales, parent: after_sales}",
                       "not a department listed earlier");
  expect_error_at_edit(kAfterSales, "    - {name: general_cs, parent: centre}",
                       "duplicate department 'general_cs'");
  expect_error_at_edit(kAfterSales, "    - {name: After-Sales}", "must be lowercase");
  expect_error_at_edit(kRanks, "  ranks: [staff, boss]", "organisation.ranks: unknown role 'boss'");
  expect_error_at_edit(kRanks, "  ranks: [staff, secadmin]", "admin role 'secadmin'");
  expect_error_at_edit(kRanks, "  ranks: [staff, staff]", "duplicate role 'staff'");
  expect_error_at_edit(kRanks, "  ranks: []", "organisation.ranks: must name at least one role");
  const auto begin = text_.find("  departments:");
  std::string none = text_;
  none.replace(begin, text_.find(std::string(kRanks)) - begin, "  departments: []\n");
  expect_error(none, line_of(text_, "  departments:"), "name at least one department");
  std::string many = "  departments:\n";
  for (int i = 0; i < 257; ++i) many += "    - {name: d" + std::to_string(i) + "}\n";
  std::string big = text_;
  big.replace(begin, text_.find(std::string(kRanks)) - begin, many);
  expect_error(big, line_of(text_, "  departments:") + 257, "too many departments");
}

TEST_F(ApprovalsLoader, WhatTheFileSaysIsEnforced_A1_A2) {
  // Secret copies by a manager only; after_sales moves under a new customer_service branch.
  std::string text = replaced(
      "      levels: [secret]\n      steps:\n        - {any_of: [document_custodian, supervisor, "
      "manager], reporting_line: true}",
      "      levels: [secret]\n      steps:\n        - {any_of: [manager], reporting_line: true}");
  text = edit_line(text, kAfterSales,
                   "    - {name: customer_service, parent: centre}\n"
                   "    - {name: after_sales, parent: customer_service}")
             .first;
  const Policy p = parsed(text);
  const RequestFacts secret{RequestType::kCopy, Level::kSecret,         "u-req",
                            "after_sales",      role_bit(Role::kStaff), "u-cust"};
  EXPECT_EQ(can_approve(p, secret, {"u-s", role_bit(Role::kSupervisor), "centre", true}).code,
            code::kNotAnApprover);
  EXPECT_EQ(can_approve(p, secret, {"u-cust", role_bit(Role::kStaff), "centre", true}).code,
            code::kNotAnApprover);
  EXPECT_TRUE(
      can_approve(p, secret, {"u-m", role_bit(Role::kManager), "customer_service", true}).allowed);
  // The internal rule is untouched: a supervisor above the requester still approves there.
  RequestFacts internal = secret;
  internal.level = Level::kInternal;
  EXPECT_TRUE(
      can_approve(p, internal, {"u-s", role_bit(Role::kSupervisor), "centre", true}).allowed);
  EXPECT_EQ(can_approve(p, secret, {"u-m", role_bit(Role::kManager), "presale", true}).code,
            code::kNotInReportingLine);
}

}  // namespace
}  // namespace baomi::policy
