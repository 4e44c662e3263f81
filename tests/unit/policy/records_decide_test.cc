// Handover slip decisions, exhaustively: every department of the chart (and none) × every role
// × author or not × pledge or not × the copy's department, for every handover action, against
// an expectation written from RULES.md (H1, H2, H3, I1, I2, C1, S2, SoD), not from the engine.
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace baomi::policy {
namespace {

constexpr Action kSlipActions[] = {Action::kCreateHandover,      Action::kReadHandover,
                                   Action::kAcknowledgeHandover, Action::kConfirmHandover,
                                   Action::kCorrectHandover,     Action::kSuperviseHandovers,
                                   Action::kDeleteHandover,      Action::kHoldRecord};

struct SlipCase {
  std::string department;  // "" = none the chart knows
  Role role;
  bool author;
  bool pledge;
  std::string copy_department;
};

bool is_receiver(const std::string& d) { return d == "general_cs" || d == "after_sales"; }
bool is_centre_department(const std::string& d) {
  return d == "centre" || d == "general_cs" || d == "after_sales" || d == "presale" ||
         d == "front_desk";
}
bool is_supervisor(Role r) {
  return r == Role::kGroupLeader || r == Role::kSupervisor || r == Role::kManager;
}
bool is_centre_role(Role r) {
  return r == Role::kStaff || r == Role::kFrontDesk || is_supervisor(r);
}

bool slip_expected(const SlipCase& c, Action a) {
  if (a == Action::kDeleteHandover) return c.role == Role::kSecadmin;  // H3, SoD
  if (a == Action::kHoldRecord) return c.role == Role::kSecadmin || c.role == Role::kAuditor;
  if (!is_centre_role(c.role) || !is_centre_department(c.department)) return false;  // C1
  if (!c.pledge) return false;                                                       // S2
  switch (a) {
    case Action::kCreateHandover:
      return true;  // H1
    case Action::kReadHandover:
      return c.author || is_receiver(c.department) || is_supervisor(c.role);
    case Action::kAcknowledgeHandover:  // H1, I2
      return !c.author && c.department == c.copy_department && is_receiver(c.copy_department);
    case Action::kConfirmHandover:  // H2, I2
      return !c.author && (is_receiver(c.department) || is_supervisor(c.role));
    case Action::kCorrectHandover:  // I1
      return c.author || is_supervisor(c.role);
    case Action::kSuperviseHandovers:  // H2
      return is_supervisor(c.role);
    default:
      return false;
  }
}

TEST(RecordsDecide, HandoverActionsExhaustive_H1_H2_H3_I1_I2) {
  const Policy policy(PolicyData{}, "test");
  std::vector<std::string> departments = {""};
  for (const auto& d : policy.organisation().departments) departments.push_back(d.name);
  int checked = 0;
  for (const auto& dept : departments) {
    for (int r = 0; r < kRoleCount; ++r) {
      for (bool author : {false, true}) {
        for (bool pledge : {false, true}) {
          for (const std::string copy : {"general_cs", "after_sales", "presale"}) {
            const SlipCase c{dept, static_cast<Role>(r), author, pledge, copy};
            Subject s;
            s.roles = role_bit(c.role);
            s.clearance = Level::kSecret;
            s.pledge_accepted = pledge;
            s.id = "user-1";
            s.department = dept.empty() ? -1 : policy.department_id(dept);
            Resource res;
            res.level = policy.handovers().level;
            res.author_id = author ? "user-1" : "someone-else";
            res.department = policy.department_id(copy);
            for (Action a : kSlipActions) {
              const auto d = policy.decide(s, a, res, {});
              EXPECT_EQ(d.allowed, slip_expected(c, a))
                  << action_name(a) << " dept=" << dept << " role=" << role_api_name(c.role)
                  << " author=" << author << " pledge=" << pledge << " copy=" << copy;
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(departments.size()) * kRoleCount * 2 * 2 * 3 * 8);
}

TEST(RecordsDecide, AuthorRefusalsCarryRuleI2) {
  const Policy policy(PolicyData{}, "test");
  Subject s;
  s.roles = role_bit(Role::kStaff);
  s.pledge_accepted = true;
  s.id = "a";
  s.department = policy.department_id("general_cs");
  Resource r;
  r.level = policy.handovers().level;
  r.author_id = "a";
  r.department = s.department;
  for (Action a : {Action::kConfirmHandover, Action::kAcknowledgeHandover}) {
    const auto d = policy.decide(s, a, r, {});
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.rule, "I2");
    EXPECT_EQ(d.code, "own_slip");
  }
}

TEST(RecordsDecide, NonReceiverStaffCannotConfirm_H2) {
  const Policy policy(PolicyData{}, "test");
  Subject s;
  s.roles = role_bit(Role::kStaff);
  s.pledge_accepted = true;
  s.id = "b";
  s.department = policy.department_id("presale");
  Resource r;
  r.level = policy.handovers().level;
  r.author_id = "a";
  const auto d = policy.decide(s, Action::kConfirmHandover, r, {});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "H2");
  EXPECT_EQ(d.code, "not_receiver");
}

}  // namespace
}  // namespace baomi::policy
