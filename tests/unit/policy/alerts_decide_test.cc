// Acting on alerts (S9, S8, C4, H2, S11): the security administrator acknowledges an alert
// (takes the episode in hand); the security administrator or the auditor closes it with a
// finding; nobody else does either, whatever other roles they hold.
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace baomi::policy {
namespace {

Decision decide_alert(RoleSet roles, Action a) {
  static const Policy policy(PolicyData{}, "test");
  Subject s;
  s.id = "u-1";
  s.roles = roles;
  s.clearance = Level::kTopSecret;
  s.pledge_accepted = true;
  return policy.decide(s, a, {}, {});
}

TEST(AlertsDecide, OnlyTheSecurityAdministratorAcknowledges_S9_SoD) {
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    EXPECT_EQ(decide_alert(role_bit(role), Action::kAcknowledgeAlert).allowed,
              role == Role::kSecadmin)
        << role_api_name(role);
  }
}

TEST(AlertsDecide, TheSecurityAdministratorOrTheAuditorCloses_S9_SoD) {
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    EXPECT_EQ(decide_alert(role_bit(role), Action::kCloseAlert).allowed,
              role == Role::kSecadmin || role == Role::kAuditor)
        << role_api_name(role);
  }
}

TEST(AlertsDecide, ActingOnAlertsIsNamedInTheCatalogue) {
  EXPECT_EQ(action_name(Action::kAcknowledgeAlert), "acknowledge_alert");
  EXPECT_EQ(action_name(Action::kCloseAlert), "close_alert");
}

}  // namespace
}  // namespace baomi::policy
