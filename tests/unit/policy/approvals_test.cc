// can_approve() on named examples of the default policy: who may approve which request (A1),
// never the requester (A1), only with need-to-know (S6) except the security administrator
// (三员分立), and reporting-line steps upwards in the requester's chain only (A2).
#include "policy/approvals.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace baomi::policy {
namespace {

using R = Role;

constexpr RoleSet approval_roles(std::initializer_list<Role> rs) {
  RoleSet s = 0;
  for (Role r : rs) s |= role_bit(r);
  return s;
}

class CanApprove : public ::testing::Test {
 protected:
  const Policy policy_{PolicyData{}, "test"};
  // A staff member of after_sales asks about a document kept by custodian u-cust.
  RequestFacts request(RequestType type, Level level) const {
    return {type, level, "u-req", "after_sales", approval_roles({R::kStaff}), "u-cust"};
  }
  void expect_denied(const RequestFacts& q, const ApproverFacts& a, std::string_view rule_id,
                     std::string_view code_id) const {
    const Decision d = can_approve(policy_, q, a);
    EXPECT_FALSE(d.allowed) << a.id;
    EXPECT_EQ(d.deny_as, DenyAs::kForbidden);
    EXPECT_EQ(d.rule, rule_id) << a.id;
    EXPECT_EQ(d.code, code_id) << a.id;
    EXPECT_FALSE(d.reason.empty());
  }
  void expect_allowed(const RequestFacts& q, const ApproverFacts& a) const {
    const Decision d = can_approve(policy_, q, a);
    EXPECT_TRUE(d.allowed) << a.id << ": " << d.code;
    EXPECT_EQ(d.rule, rule::kA1);
    EXPECT_EQ(d.code, code::kOk);
  }
};

TEST_F(CanApprove, RequesterNeverApprovesOwnRequest_A1) {
  // Even as the document's custodian and a manager, at every level.
  for (int l = 0; l < kLevelCount; ++l) {
    RequestFacts q = request(RequestType::kCopy, static_cast<Level>(l));
    q.custodian_id = "u-req";
    q.requester_roles = approval_roles({R::kManager, R::kCustodian});
    expect_denied(q, {"u-req", approval_roles({R::kManager, R::kCustodian}), "centre", true}, "A1",
                  "self_approval");
  }
}

TEST_F(CanApprove, UnidentifiedPeopleAreRefused_A1) {
  const RequestFacts q = request(RequestType::kAccess, Level::kConfidential);
  expect_denied(q, {"", approval_roles({R::kManager}), "centre", true}, "A1", "not_an_approver");
  RequestFacts anonymous = q;
  anonymous.requester_id = "";  // cannot tell the approver from the requester: fail closed
  expect_denied(anonymous, {"u-m", approval_roles({R::kManager}), "centre", true}, "A1",
                "self_approval");
}

TEST_F(CanApprove, OnlyRolesTheRuleNamesApprove_A1) {
  const RequestFacts q = request(RequestType::kPrint, Level::kConfidential);
  expect_allowed(q, {"u-m", approval_roles({R::kManager}), "general_cs", true});
  expect_allowed(q, {"u-cust", approval_roles({R::kStaff}), "presale", true});
  for (Role r : {R::kStaff, R::kGroupLeader, R::kSupervisor, R::kCustodian, R::kFrontDesk,
                 R::kSysadmin, R::kSecadmin, R::kAuditor}) {
    expect_denied(q, {"u-x", approval_roles({r}), "centre", true}, "A1", "not_an_approver");
  }
  // The `custodian` role is not the document's custodian: only u-cust keeps this document.
  expect_denied(q, {"u-other-custodian", approval_roles({R::kCustodian}), "centre", true}, "A1",
                "not_an_approver");
}

TEST_F(CanApprove, ApproverWithoutNeedToKnowIsRefused_S6) {
  const RequestFacts q = request(RequestType::kExport, Level::kConfidential);
  expect_denied(q, {"u-m", approval_roles({R::kManager}), "centre", false}, "S6",
                "approver_not_entitled");
  expect_denied(q, {"u-cust", approval_roles({R::kCustodian}), "centre", false}, "S6",
                "approver_not_entitled");
  // A secret request: a supervisor above the requester but without need-to-know.
  expect_denied(request(RequestType::kCopy, Level::kSecret),
                {"u-s", approval_roles({R::kSupervisor}), "centre", false}, "S6",
                "approver_not_entitled");
}

TEST_F(CanApprove, SecadminSignsOffWithoutReadingContent_S6_SoD) {
  // 三员分立: the security administrator never reads classified content, so is never
  // "entitled", and still fills the secadmin step of top_secret and declassify rules.
  const ApproverFacts sec{"u-sec", approval_roles({R::kSecadmin}), "administration", false};
  expect_allowed(request(RequestType::kCopy, Level::kTopSecret), sec);
  expect_allowed(request(RequestType::kDeclassify, Level::kSecret), sec);
  // Where no step names secadmin, the exception gives nothing.
  expect_denied(request(RequestType::kCopy, Level::kSecret), sec, "A1", "not_an_approver");
}

TEST_F(CanApprove, BrokenAdminRoleSetsAreRefused_SoD) {
  const RequestFacts q = request(RequestType::kAccess, Level::kTopSecret);
  expect_denied(q, {"u-x", approval_roles({R::kSecadmin, R::kAuditor}), "centre", true}, "SoD",
                "separation_of_duties");
  expect_denied(q, {"u-x", approval_roles({R::kSecadmin, R::kManager}), "centre", true}, "SoD",
                "separation_of_duties");
  expect_denied(q, {"u-x", 0, "centre", true}, "SoD", "role_not_allowed");
  expect_denied(q, {"u-x", RoleSet{1} << 20, "centre", true}, "SoD", "role_not_allowed");
}

TEST_F(CanApprove, ReportingLineInsideAndAbove_A2) {
  const RequestFacts q = request(RequestType::kAccess, Level::kSecret);
  // inside: a supervisor of the requester's own department; above: one in the parent.
  expect_allowed(q, {"u-s1", approval_roles({R::kSupervisor}), "after_sales", true});
  expect_allowed(q, {"u-s2", approval_roles({R::kSupervisor}), "centre", true});
  expect_allowed(q, {"u-m", approval_roles({R::kManager}), "centre", true});
}

TEST_F(CanApprove, ReportingLineOutsideIsRefused_A2) {
  const RequestFacts q = request(RequestType::kAccess, Level::kSecret);
  // another branch, a department the chart does not know, and no department at all
  for (const char* dept : {"general_cs", "presale", "nowhere", ""}) {
    expect_denied(q, {"u-s", approval_roles({R::kSupervisor}), dept, true}, "A2",
                  "not_in_reporting_line");
  }
}

TEST_F(CanApprove, ReportingLineBelowOrBesideIsRefused_A2) {
  RequestFacts q = request(RequestType::kAccess, Level::kPublic);
  q.requester_roles = approval_roles({R::kSupervisor});
  // below (a group leader above in the chart but lower in rank) and beside (the same rank)
  expect_denied(q, {"u-g", approval_roles({R::kGroupLeader}), "centre", true}, "A2",
                "not_in_reporting_line");
  expect_denied(q, {"u-s", approval_roles({R::kSupervisor}), "after_sales", true}, "A2",
                "not_in_reporting_line");
  expect_allowed(q, {"u-m", approval_roles({R::kManager}), "after_sales", true});
  // A requester whose department the chart does not know has no reporting line at all.
  q.requester_department = "nowhere";
  expect_denied(q, {"u-m", approval_roles({R::kManager}), "centre", true}, "A2",
                "not_in_reporting_line");
}

TEST_F(CanApprove, CustodianQualifiesOutsideTheReportingLine_A2_S5) {
  // The custodian is a named person (S5): no chart position needed, even as plain staff.
  const RequestFacts q = request(RequestType::kCopy, Level::kSecret);
  expect_allowed(q, {"u-cust", approval_roles({R::kStaff}), "presale", true});
  expect_allowed(q, {"u-cust", approval_roles({R::kFrontDesk}), "nowhere", true});
}

TEST_F(CanApprove, ConfidentialManagerNeedsNoReportingLine_A2) {
  // Only reporting_line steps follow the chart; the confidential manager step does not.
  expect_allowed(request(RequestType::kCopy, Level::kConfidential),
                 {"u-m", approval_roles({R::kManager}), "presale", true});
}

TEST_F(CanApprove, FurthestCheckNamesTheRefusal_S6_A2) {
  // A supervisor-and-custodian-role person outside the line without need-to-know: S6 wins
  // over A2 because entitlement is checked first; with need-to-know, A2 is what is left.
  const RequestFacts q = request(RequestType::kCopy, Level::kInternal);
  expect_denied(q, {"u-s", approval_roles({R::kSupervisor}), "general_cs", false}, "S6",
                "approver_not_entitled");
  expect_denied(q, {"u-s", approval_roles({R::kSupervisor}), "general_cs", true}, "A2",
                "not_in_reporting_line");
}

}  // namespace
}  // namespace baomi::policy

namespace baomi::policy {
namespace {

TEST(PolicyConstruction, RejectsApprovalRulesEvaluationCannotHonour_SoD) {
  // The loader reports these with file:line; a hand-built PolicyData is a programming error.
  const auto with = [](auto edit) {
    PolicyData data;
    edit(data.approvals.at(RequestType::kCopy, Level::kSecret));
    return data;
  };
  EXPECT_THROW(Policy(with([](ApprovalRule& r) { r.steps.clear(); }), "v"), std::invalid_argument);
  EXPECT_THROW(
      Policy(with([](ApprovalRule& r) { r.steps.resize(kMaxSteps + 1, r.steps[0]); }), "v"),
      std::invalid_argument);
  EXPECT_THROW(Policy(with([](ApprovalRule& r) { r.steps[0].any_of.clear(); }), "v"),
               std::invalid_argument);
  for (Role admin : {Role::kSysadmin, Role::kAuditor}) {
    EXPECT_THROW(
        Policy(with([&](ApprovalRule& r) { r.steps[0].any_of.push_back(approver_role(admin)); }),
               "v"),
        std::invalid_argument);
  }
  EXPECT_NO_THROW(
      Policy(with([](ApprovalRule& r) { r.steps.resize(kMaxSteps, r.steps[0]); }), "v"));
}

}  // namespace
}  // namespace baomi::policy
