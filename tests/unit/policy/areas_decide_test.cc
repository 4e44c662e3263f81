// Restricted-area decisions (S11): who manages areas, who records passages, who may enter, when
// a visitor is admitted, who reads the log, and that a door terminal does nothing else.
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace baomi::policy {
namespace {

using R = Role;

Subject person(RoleSet roles, Level clearance = Level::kSecret, bool pledge = true) {
  Subject s;
  s.roles = roles;
  s.clearance = clearance;
  s.pledge_accepted = pledge;
  s.id = "u-1";
  return s;
}

const RoleSet kTerminal = role_bit(R::kDoorTerminal);
const RoleSet kStaff = role_bit(R::kStaff);

Decision decide_area(const Subject& s, Action a, const Resource& r = {}) {
  static const Policy policy(PolicyData{}, "test");
  return policy.decide(s, a, r, {});
}

Resource area(Level level = Level::kSecret) {
  Resource r;
  r.level = level;
  return r;
}

TEST(AreasDecide, OnlyTheSecurityAdministratorManagesAreas_S11_SoD) {
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    const auto d = decide_area(person(role_bit(role)), Action::kManageAreas);
    EXPECT_EQ(d.allowed, role == R::kSecadmin) << role_api_name(role);
  }
}

TEST(AreasDecide, EntryNeedsTheListClearanceAndPledge_S11) {
  auto r = area(Level::kSecret);
  auto d = decide_area(person(kStaff), Action::kEnterArea, r);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, code::kNotAuthorisedForArea);
  EXPECT_EQ(d.rule, rule::kS11);
  EXPECT_EQ(d.deny_as, DenyAs::kForbidden);
  r.area.person_authorised = true;
  EXPECT_TRUE(decide_area(person(kStaff), Action::kEnterArea, r).allowed);
  d = decide_area(person(kStaff, Level::kInternal), Action::kEnterArea, r);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, code::kClearance);
  d = decide_area(person(kStaff, Level::kSecret, false), Action::kEnterArea, r);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, code::kPledgeRequired);
  // Administrators hold no clearance (SoD): the list alone admits them (the computer room).
  EXPECT_TRUE(
      decide_area(person(role_bit(R::kSysadmin), Level::kPublic), Action::kEnterArea, r).allowed);
  // A device is no person.
  d = decide_area(person(kTerminal, Level::kPublic), Action::kEnterArea, r);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, code::kDeviceAccount);
}

TEST(AreasDecide, PassagesAreRecordedByTheAreasTerminalsAndKeepers_S11) {
  auto r = area();
  EXPECT_FALSE(decide_area(person(kTerminal), Action::kRecordPassage, r).allowed);
  EXPECT_FALSE(decide_area(person(kStaff), Action::kRecordPassage, r).allowed);
  r.area.subject_serves = true;
  EXPECT_TRUE(decide_area(person(kTerminal), Action::kRecordPassage, r).allowed);
  EXPECT_FALSE(decide_area(person(kStaff), Action::kRecordPassage, r).allowed)
      << "being listed as a terminal makes no person a terminal";
  r = area();
  r.area.subject_keeps = true;
  EXPECT_TRUE(decide_area(person(kStaff), Action::kRecordPassage, r).allowed);
  EXPECT_FALSE(decide_area(person(kTerminal), Action::kRecordPassage, r).allowed);
  EXPECT_FALSE(decide_area(person(role_bit(R::kSecadmin)), Action::kRecordPassage, r).allowed);
}

TEST(AreasDecide, VisitorNeedsApprovalAndAnAuthorisedEscortInside_S11) {
  auto r = area();
  for (int bits = 0; bits < 8; ++bits) {
    r.area.visit_approved = (bits & 1) != 0;
    r.area.escort_authorised = (bits & 2) != 0;
    r.area.escort_inside = (bits & 4) != 0;
    const auto d = decide_area(person(kTerminal), Action::kAdmitVisitor, r);
    EXPECT_EQ(d.allowed, bits == 7) << bits;
    if (!r.area.visit_approved) {
      EXPECT_EQ(d.code, code::kVisitNotApproved);
    } else if (bits != 7) {
      EXPECT_EQ(d.code, code::kEscortNotInside);
    }
    EXPECT_EQ(d.rule, rule::kS11);
  }
}

TEST(AreasDecide, TheLogIsForKeepersSecadminAndAuditor_S11) {
  auto r = area();
  EXPECT_TRUE(decide_area(person(role_bit(R::kAuditor)), Action::kReadAreaLog, r).allowed);
  EXPECT_TRUE(decide_area(person(role_bit(R::kSecadmin)), Action::kReadAreaLog, r).allowed);
  EXPECT_FALSE(decide_area(person(kStaff), Action::kReadAreaLog, r).allowed);
  EXPECT_EQ(decide_area(person(kStaff), Action::kReadArea, r).deny_as, DenyAs::kNotFound)
      << "an area one has nothing to do with is not shown";
  r.area.subject_keeps = true;
  EXPECT_TRUE(decide_area(person(kStaff), Action::kReadAreaLog, r).allowed);
  r.area.subject_serves = true;
  EXPECT_FALSE(decide_area(person(kTerminal), Action::kReadAreaLog, r).allowed);
  EXPECT_TRUE(decide_area(person(kTerminal), Action::kReadArea, r).allowed);
}

// S11, S9: who learns that an area exists: its lists, the two administrators with a duty, and
// staff cleared for its level once the area takes visit requests; no one else, not even then.
TEST(AreasDecide, AnAreaIsKnownToItsListsAndToClearedStaffWhenRequestable_S11_S9) {
  auto r = area(Level::kSecret);
  EXPECT_EQ(decide_area(person(kStaff), Action::kReadArea, r).deny_as, DenyAs::kNotFound);
  r.area.subject_authorised = true;
  EXPECT_TRUE(decide_area(person(kStaff), Action::kReadArea, r).allowed) << "may enter: knows it";
  EXPECT_FALSE(decide_area(person(role_bit(R::kSysadmin)), Action::kReadArea, r).allowed)
      << "on the list of the computer room, an administrator still reads no area record";
  r = area(Level::kSecret);
  r.area.requestable = true;
  EXPECT_TRUE(decide_area(person(kStaff), Action::kReadArea, r).allowed);
  EXPECT_TRUE(decide_area(person(role_bit(R::kSupervisor)), Action::kReadArea, r).allowed);
  EXPECT_EQ(decide_area(person(kStaff, Level::kInternal), Action::kReadArea, r).deny_as,
            DenyAs::kNotFound)
      << "not cleared for its level: still hidden";
  EXPECT_FALSE(decide_area(person(kTerminal, Level::kTopSecret), Action::kReadArea, r).allowed);
  EXPECT_FALSE(decide_area(person(role_bit(R::kSysadmin)), Action::kReadArea, r).allowed);
  EXPECT_FALSE(decide_area(person(kStaff), Action::kReadAreaLog, r).allowed)
      << "knowing an area is not reading its log";
}

// S11, C3: a visitor in clear: the visit area's keepers and the security administrator only.
TEST(AreasDecide, AVisitorIsUnmaskedForTheKeepersAndTheSecurityAdministrator_S11_C3) {
  auto r = area();
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    const auto d = decide_area(person(role_bit(role)), Action::kUnmaskVisitor, r);
    EXPECT_EQ(d.allowed, role == R::kSecadmin) << role_api_name(role);
    if (!d.allowed && role != R::kDoorTerminal) {
      EXPECT_EQ(d.code, code::kUnmaskNotAllowed) << role_api_name(role);
    }
  }
  r.area.subject_keeps = true;
  EXPECT_TRUE(decide_area(person(kStaff), Action::kUnmaskVisitor, r).allowed);
  r.area.subject_serves = true;
  EXPECT_FALSE(decide_area(person(kTerminal), Action::kUnmaskVisitor, r).allowed);
}

TEST(AreasDecide, ADoorTerminalDoesNothingElse_S11) {
  Resource r;
  r.level = Level::kPublic;
  r.holder_id = "u-1";
  r.custodian_id = "u-1";
  r.area.subject_serves = true;
  r.area.subject_keeps = true;
  const Subject terminal = person(kTerminal, Level::kTopSecret);
  for (int i = 0; i < kActionCount; ++i) {
    const auto a = static_cast<Action>(i);
    // kAdmitVisitor is judged on the visit's facts (none here), not on who records it.
    const bool may = a == Action::kRecordPassage || a == Action::kReadArea;
    EXPECT_EQ(decide_area(terminal, a, r).allowed, may) << action_name(a);
  }
  // A device account holds its one role and nothing else; only a sysadmin creates one.
  EXPECT_FALSE(decide_area(person(kTerminal | kStaff), Action::kRecordPassage, r).allowed);
  Resource target;
  target.target_roles = kTerminal;
  EXPECT_TRUE(decide_area(person(role_bit(R::kSysadmin)), Action::kCreateUser, target).allowed);
  target.target_roles = kTerminal | kStaff;
  EXPECT_FALSE(decide_area(person(role_bit(R::kSysadmin)), Action::kCreateUser, target).allowed);
  target.target_roles = kTerminal;
  EXPECT_FALSE(decide_area(person(role_bit(R::kSecadmin)), Action::kSetClearance, target).allowed);
}

}  // namespace
}  // namespace baomi::policy
