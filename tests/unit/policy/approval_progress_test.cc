// evaluate(): how far the approvals given so far go towards a rule. Each person fills one slot
// only (A1), whatever roles they hold and however often they approved; approvals that
// can_approve would refuse (A1, A2, S6) fill nothing; the assignment is exact.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/approvals.h"

namespace baomi::policy {
namespace {

using R = Role;

RoleSet roles(std::initializer_list<Role> rs) {
  RoleSet s = 0;
  for (Role r : rs) s |= role_bit(r);
  return s;
}

RequestFacts request(RequestType type, Level level) {
  return {type, level, "u-req", "after_sales", roles({R::kStaff}), "u-cust"};
}

const ApproverFacts kCustodian{"u-cust", roles({R::kCustodian}), "general_cs", true};
const ApproverFacts kManager{"u-m", roles({R::kManager}), "centre", true};
const ApproverFacts kSecadmin{"u-sec", roles({R::kSecadmin}), "administration", false};

std::vector<int> haves(const ApprovalProgress& p) {
  std::vector<int> out;
  for (const auto& s : p.steps) out.push_back(s.have);
  return out;
}

TEST(ApprovalProgress, TopSecretNeedsCustodianManagerAndSecadmin_A1) {
  const Policy policy(PolicyData{}, "test");
  const RequestFacts q = request(RequestType::kCopy, Level::kTopSecret);
  std::vector<ApproverFacts> given = {kCustodian};
  auto p = evaluate(policy, q, given);
  EXPECT_FALSE(p.satisfied);
  EXPECT_EQ(haves(p), (std::vector<int>{1, 0, 0}));
  given.push_back(kManager);
  p = evaluate(policy, q, given);
  EXPECT_FALSE(p.satisfied);
  EXPECT_EQ(haves(p), (std::vector<int>{1, 1, 0}));
  given.push_back(kSecadmin);  // not entitled: 三员分立, signs off without reading
  p = evaluate(policy, q, given);
  EXPECT_TRUE(p.satisfied);
  ASSERT_EQ(p.steps.size(), 3u);
  EXPECT_EQ(p.steps[0].approver_ids, (std::vector<std::string>{"u-cust"}));
  EXPECT_EQ(p.steps[1].approver_ids, (std::vector<std::string>{"u-m"}));
  EXPECT_EQ(p.steps[2].approver_ids, (std::vector<std::string>{"u-sec"}));
  EXPECT_EQ(p.steps[2].any_of, (std::vector<ApproverKind>{approver_role(R::kSecadmin)}));
  EXPECT_EQ(p.steps[2].count, 1);
}

TEST(ApprovalProgress, PersonWithTwoRolesCountsOnce_A1) {
  // The custodian is also a manager: one person, one slot; confidential needs two people.
  const Policy policy(PolicyData{}, "test");
  const RequestFacts q = request(RequestType::kAccess, Level::kConfidential);
  const ApproverFacts both{"u-cust", roles({R::kCustodian, R::kManager}), "centre", true};
  std::vector<ApproverFacts> given = {both};
  auto p = evaluate(policy, q, given);
  EXPECT_FALSE(p.satisfied);
  EXPECT_EQ(haves(p)[0] + haves(p)[1], 1);
  given.push_back({"u-m2", roles({R::kManager}), "presale", true});
  p = evaluate(policy, q, given);
  EXPECT_TRUE(p.satisfied);
  EXPECT_EQ(p.steps[0].approver_ids, (std::vector<std::string>{"u-cust"}));  // exact, not greedy
}

TEST(ApprovalProgress, RepeatedApprovalCountsOnce_A1) {
  const Policy policy(PolicyData{}, "test");
  const std::vector<ApproverFacts> given = {kManager, kManager, kManager};
  const auto p = evaluate(policy, request(RequestType::kPrint, Level::kConfidential), given);
  EXPECT_FALSE(p.satisfied);
  EXPECT_EQ(haves(p), (std::vector<int>{0, 1}));
}

TEST(ApprovalProgress, OnePersonWithConflictingFactsCountsWhereAllAgree_A1_S6) {
  // Order-independent and fail closed: not entitled in one entry means not entitled.
  const Policy policy(PolicyData{}, "test");
  ApproverFacts unentitled = kManager;
  unentitled.entitled = false;
  for (const auto& given : {std::vector<ApproverFacts>{kManager, unentitled},
                            std::vector<ApproverFacts>{unentitled, kManager}}) {
    const auto p = evaluate(policy, request(RequestType::kCopy, Level::kConfidential), given);
    EXPECT_EQ(haves(p), (std::vector<int>{0, 0}));
  }
}

TEST(ApprovalProgress, RefusedApprovalsFillNothing_A1_A2_S6) {
  const Policy policy(PolicyData{}, "test");
  const RequestFacts q = request(RequestType::kCopy, Level::kSecret);
  const std::vector<ApproverFacts> given = {
      {"u-req", roles({R::kStaff}), "after_sales", true},            // A1: the requester
      {"u-s", roles({R::kSupervisor}), "general_cs", true},          // A2: other branch
      {"u-m", roles({R::kManager}), "centre", false},                // S6: no need-to-know
      {"u-f", roles({R::kFrontDesk}), "front_desk", true},           // A1: not named
      {"u-x", roles({R::kSecadmin, R::kManager}), "centre", true}};  // SoD: broken role set
  const auto p = evaluate(policy, q, given);
  EXPECT_FALSE(p.satisfied);
  EXPECT_EQ(haves(p), (std::vector<int>{0}));
  // One supervisor above the requester is enough for secret.
  std::vector<ApproverFacts> more = given;
  more.push_back({"u-s2", roles({R::kSupervisor}), "centre", true});
  EXPECT_TRUE(evaluate(policy, q, more).satisfied);
}

TEST(ApprovalProgress, ExactAssignmentBeatsGreedy_A1) {
  // Steps: [supervisor or manager], [manager]. The manager approves first; a greedy
  // assignment would put them on step 0 and leave step 1 empty.
  PolicyData data;
  ApprovalRule& rule = data.approvals.at(RequestType::kCopy, Level::kConfidential);
  rule.steps = {{{approver_role(R::kSupervisor), approver_role(R::kManager)}, 1, false},
                {{approver_role(R::kManager)}, 1, false}};
  const Policy policy(std::move(data), "test");
  const std::vector<ApproverFacts> given = {kManager,
                                            {"u-s", roles({R::kSupervisor}), "presale", true}};
  const auto p = evaluate(policy, request(RequestType::kCopy, Level::kConfidential), given);
  EXPECT_TRUE(p.satisfied);
  EXPECT_EQ(p.steps[0].approver_ids, (std::vector<std::string>{"u-s"}));
  EXPECT_EQ(p.steps[1].approver_ids, (std::vector<std::string>{"u-m"}));
}

TEST(ApprovalProgress, StepsWithCountsNeedDistinctPeople_A1) {
  PolicyData data;
  data.approvals.at(RequestType::kExport, Level::kSecret).steps = {
      {{approver_role(R::kManager)}, 2, false}};
  const Policy policy(std::move(data), "test");
  const RequestFacts q = request(RequestType::kExport, Level::kSecret);
  std::vector<ApproverFacts> given = {kManager, kManager};
  EXPECT_FALSE(evaluate(policy, q, given).satisfied);
  given.push_back({"u-m2", roles({R::kManager}), "presale", true});
  const auto p = evaluate(policy, q, given);
  EXPECT_TRUE(p.satisfied);
  EXPECT_EQ(p.steps[0].have, 2);
}

// For every default rule: one suitable person per slot satisfies it, and leaving out any one
// of them does not (distinct_approvers_required people, no fewer).
TEST(ApprovalProgress, EveryDefaultRuleNeedsExactlyItsPeople_A1) {
  const Policy policy(PolicyData{}, "test");
  int rules = 0;
  for (int t = 0; t < kRequestTypeCount; ++t) {
    for (int l = 0; l < kLevelCount; ++l) {
      const RequestFacts q = request(static_cast<RequestType>(t), static_cast<Level>(l));
      const ApprovalRule& rule = policy.approval_rule(q.type, q.level);
      std::vector<std::string> ids;
      std::vector<ApproverFacts> people;
      for (const ApprovalStep& step : rule.steps) {
        for (int k = 0; k < step.count; ++k) ids.push_back("u-" + std::to_string(ids.size()));
      }
      std::size_t next = 0;
      for (const ApprovalStep& step : rule.steps) {
        const ApproverKind kind = step.any_of.front();
        for (int k = 0; k < step.count; ++k) {
          const std::string_view id =
              kind.document_custodian ? std::string_view("u-cust") : std::string_view(ids[next]);
          people.push_back({id, kind.document_custodian ? roles({R::kStaff}) : role_bit(kind.role),
                            "centre", true});
          ++next;
        }
      }
      ASSERT_EQ(static_cast<int>(people.size()), distinct_approvers_required(rule));
      EXPECT_TRUE(evaluate(policy, q, people).satisfied)
          << request_type_name(q.type) << " " << level_api_name(q.level);
      for (std::size_t drop = 0; drop < people.size(); ++drop) {
        std::vector<ApproverFacts> fewer = people;
        fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(drop));
        EXPECT_FALSE(evaluate(policy, q, fewer).satisfied)
            << request_type_name(q.type) << " " << level_api_name(q.level) << " without #" << drop;
      }
      ++rules;
    }
  }
  EXPECT_EQ(rules, kRequestTypeCount * kLevelCount);
}

TEST(ApprovalProgress, NoApprovalsYet) {
  const Policy policy(PolicyData{}, "test");
  const auto p = evaluate(policy, request(RequestType::kDeclassify, Level::kPublic), {});
  EXPECT_FALSE(p.satisfied);
  ASSERT_EQ(p.steps.size(), 2u);  // S4: custodian or manager, and secadmin
  EXPECT_EQ(haves(p), (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace baomi::policy
