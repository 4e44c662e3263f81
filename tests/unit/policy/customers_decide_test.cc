// Customer record decisions (C1, C3, C5, S6): every business and admin role, in and outside the
// centre's departments, every clearance against internal and secret records, with and without
// the record's category, and every single field to unmask, against an oracle written from
// RULES.md and policies/default.yaml.
#include <gtest/gtest.h>

#include "policy/policy.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

using testing::load_default_policy;

constexpr Action kExisting[] = {Action::kReadCustomer, Action::kUpdateCustomer, Action::kAddContact,
                                Action::kReadContacts};

FieldSet unmaskable_by(Role role) {
  switch (role) {
    case Role::kStaff:
    case Role::kFrontDesk:
    case Role::kGroupLeader:
      return field_bit(CustomerField::kPhone);
    case Role::kSupervisor:
    case Role::kManager:
      return kAllCustomerFields;
    default:
      return 0;
  }
}

bool centre_role(Role r) {
  return r == Role::kStaff || r == Role::kGroupLeader || r == Role::kSupervisor ||
         r == Role::kManager || r == Role::kFrontDesk;
}

struct CustomerCase {
  Role role;
  int department;
  bool in_centre;
  Level clearance;
  CategorySet subject_cats;
  Level record_level;
  CategorySet record_cats;
};

Subject subject_of(const CustomerCase& c) {
  Subject s;
  s.roles = role_bit(c.role);
  s.clearance = c.clearance;
  s.categories = c.subject_cats;
  s.pledge_accepted = true;
  s.department = c.department;
  s.id = "u1";
  return s;
}

bool sees(const CustomerCase& c) {
  return centre_role(c.role) && c.in_centre && c.record_level <= c.clearance &&
         contains_all(c.subject_cats, c.record_cats);
}

TEST(CustomersDecide, RolesDepartmentsLevelsCategoriesAndFields_C1_C3_C5) {
  const auto policy = load_default_policy();
  const CategorySet contracts = category_bit(policy.category_index("contracts_customers").value());
  const std::pair<int, bool> departments[] = {{policy.department_id("general_cs"), true},
                                              {policy.department_id("front_desk"), true},
                                              {policy.department_id("administration"), false},
                                              {-1, false}};
  int checked = 0;
  for (int r = 0; r < kRoleCount; ++r) {
    for (const auto& [dept, in_centre] : departments) {
      for (int cl = 0; cl < kLevelCount; ++cl) {
        for (CategorySet sc : {CategorySet{0}, contracts}) {
          for (Level rl : {Level::kInternal, Level::kSecret}) {
            for (CategorySet rc : {CategorySet{0}, contracts}) {
              const CustomerCase c{
                  static_cast<Role>(r), dept, in_centre, static_cast<Level>(cl), sc, rl, rc};
              const auto s = subject_of(c);
              Resource res;
              res.level = rl;
              res.categories = rc;
              const bool visible = sees(c);
              for (Action a : kExisting) {
                const auto d = policy.decide(s, a, res, {});
                ASSERT_EQ(d.allowed, visible)
                    << action_name(a) << " role " << r << " dept " << dept;
                if (!visible) {
                  EXPECT_EQ(d.deny_as, DenyAs::kNotFound);  // hidden: 404
                }
                ++checked;
              }
              for (int f = 0; f < kCustomerFieldCount; ++f) {
                res.fields = field_bit(static_cast<CustomerField>(f));
                const auto d = policy.decide(s, Action::kUnmaskCustomer, res, {});
                const bool may = visible && (res.fields & ~unmaskable_by(c.role)) == 0;
                ASSERT_EQ(d.allowed, may) << "unmask field " << f << " role " << r;
                if (visible && !may) {
                  EXPECT_EQ(d.code, code::kUnmaskNotAllowed);
                  EXPECT_EQ(d.rule, rule::kC3);
                  EXPECT_EQ(d.deny_as, DenyAs::kForbidden);
                }
                ++checked;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 10000);
}

TEST(CustomersDecide, OutsideTheCentreIsRefusedWithC1_C1) {
  const auto policy = load_default_policy();
  Subject s;
  s.roles = role_bit(Role::kManager);
  s.clearance = Level::kTopSecret;
  s.pledge_accepted = true;
  s.department = policy.department_id("administration");
  Resource res;
  res.level = Level::kInternal;
  const auto search = policy.decide(s, Action::kSearchCustomers, res, {});
  EXPECT_FALSE(search.allowed);
  EXPECT_EQ(search.code, code::kOutsideCentre);
  EXPECT_EQ(search.rule, rule::kC1);
  EXPECT_EQ(search.deny_as, DenyAs::kForbidden);
  s.department = policy.department_id("after_sales");
  EXPECT_TRUE(policy.decide(s, Action::kSearchCustomers, res, {}).allowed);
}

TEST(CustomersDecide, AdminsNeverWorkWithCustomerRecords_C1) {
  const auto policy = load_default_policy();
  for (Role admin : {Role::kSysadmin, Role::kSecadmin, Role::kAuditor}) {
    Subject s;
    s.roles = role_bit(admin);
    s.clearance = Level::kTopSecret;
    s.pledge_accepted = true;
    s.department = policy.department_id("general_cs");
    Resource res;
    res.level = Level::kInternal;
    for (Action a : {Action::kCreateCustomer, Action::kSearchCustomers, Action::kReadCustomer,
                     Action::kUnmaskCustomer, Action::kAddContact}) {
      const auto d = policy.decide(s, a, res, {});
      EXPECT_FALSE(d.allowed) << action_name(a);
      EXPECT_EQ(d.code, code::kSeparationOfDuties);
    }
  }
}

TEST(CustomersDecide, StaffUnmaskPhoneButNotPhoneAndIdTogether_C3) {
  const auto policy = load_default_policy();
  Subject s;
  s.roles = role_bit(Role::kStaff);
  s.clearance = Level::kSecret;
  s.pledge_accepted = true;
  s.department = policy.department_id("general_cs");
  Resource res;
  res.level = Level::kInternal;
  res.fields = field_bit(CustomerField::kPhone);
  EXPECT_TRUE(policy.decide(s, Action::kUnmaskCustomer, res, {}).allowed);
  res.fields |= field_bit(CustomerField::kIdNumber);
  EXPECT_FALSE(policy.decide(s, Action::kUnmaskCustomer, res, {}).allowed);
  s.roles |= role_bit(Role::kSupervisor);
  EXPECT_TRUE(policy.decide(s, Action::kUnmaskCustomer, res, {}).allowed);
}

}  // namespace
}  // namespace baomi::policy
