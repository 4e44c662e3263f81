// Departments added at run time (A2: the org chart is data): the system administrator manages
// them, the security administrator and the auditor read them (三员分立); approval routing follows
// a stored department's parent chain when the service hands the chart in force to can_approve().
#include <gtest/gtest.h>

#include "policy/approvals.h"

namespace baomi::policy {
namespace {

using R = Role;

Decision decide_department(RoleSet department_roles, Action a) {
  static const Policy policy(PolicyData{}, "test");
  Subject s;
  s.id = "u-1";
  s.roles = department_roles;
  s.clearance = Level::kTopSecret;
  s.pledge_accepted = true;
  return policy.decide(s, a, {}, {});
}

TEST(DepartmentsDecide, OnlyTheSystemAdministratorManagesDepartments_A2_SoD) {
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    EXPECT_EQ(decide_department(role_bit(role), Action::kManageDepartments).allowed,
              role == R::kSysadmin)
        << role_api_name(role);
  }
}

TEST(DepartmentsDecide, TheThreeAdministratorsReadTheChart_A2_SoD) {
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    const bool admin = role == R::kSysadmin || role == R::kSecadmin || role == R::kAuditor;
    EXPECT_EQ(decide_department(role_bit(role), Action::kReadDepartments).allowed, admin)
        << role_api_name(role);
  }
  EXPECT_EQ(action_name(Action::kManageDepartments), "manage_departments");
  EXPECT_EQ(action_name(Action::kReadDepartments), "read_departments");
}

TEST(WithDepartments, AddsUnderKnownParentsOnlyAndKeepsParentsFirst_A2) {
  const auto chart = with_departments(default_organisation(), {{"night_b", "night", "夜班乙组"},
                                                               {"night", "after_sales", "售后夜班"},
                                                               {"orphan", "nowhere", "无上级"},
                                                               {"presale", "centre", "重名"}});
  ASSERT_TRUE(department_index(chart, "night"));
  ASSERT_TRUE(department_index(chart, "night_b"));
  EXPECT_LT(*department_index(chart, "night"), *department_index(chart, "night_b"));
  EXPECT_FALSE(department_index(chart, "orphan")) << "no parent: in no reporting line";
  EXPECT_EQ(chart.departments.size(), default_organisation().departments.size() + 2);
  EXPECT_TRUE(is_same_or_ancestor(chart, "after_sales", "night_b"));
  EXPECT_TRUE(is_same_or_ancestor(chart, "centre", "night_b"));
  EXPECT_FALSE(is_same_or_ancestor(chart, "presale", "night_b"));
}

constexpr RoleSet department_roles(std::initializer_list<Role> rs) {
  RoleSet s = 0;
  for (Role r : rs) s |= role_bit(r);
  return s;
}

TEST(WithDepartments, ApprovalFollowsTheStoredParentChain_A2) {
  const Policy policy(PolicyData{}, "test");
  const auto chart =
      with_departments(policy.organisation(), {{"night", "after_sales", "售后夜班"}});
  RequestFacts q{RequestType::kAccess,          Level::kSecret, "u-req", "night",
                 department_roles({R::kStaff}), "u-cust"};
  const ApproverFacts above{"u-s", department_roles({R::kSupervisor}), "after_sales", true};
  const ApproverFacts beside{"u-p", department_roles({R::kSupervisor}), "presale", true};
  // The policy's chart alone does not know "night": nobody is in its reporting line.
  EXPECT_EQ(can_approve(policy, q, above).code, code::kNotInReportingLine);
  q.organisation = &chart;
  EXPECT_TRUE(can_approve(policy, q, above).allowed);
  const auto refused = can_approve(policy, q, beside);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.rule, rule::kA2);
  EXPECT_EQ(refused.code, code::kNotInReportingLine);
  // evaluate() routes through the same chart.
  const ApproverFacts signed_by[] = {above};
  EXPECT_TRUE(evaluate(policy, q, signed_by).satisfied);
}

}  // namespace
}  // namespace baomi::policy
