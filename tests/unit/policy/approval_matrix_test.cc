// The approval matrix of the default policy, exhaustively: every request type × level × approver
// role set (each business and admin role, combinations, broken 三员分立 sets) × being the
// document's custodian × self × need-to-know × place in the org chart × requester's rank is
// decided by can_approve() and compared with expected(), an independent restatement of
// docs/policy.md "Default approval rules" and RULES.md A1, A2, S6 written without policy code.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "policy/approvals.h"

namespace baomi::policy {
namespace {

using R = Role;

// One alternative of a step as the test states it: the document's custodian, or a role,
// optionally only within the requester's reporting line (A2).
struct Alt {
  bool custodian;
  Role role;
  bool line;
};
constexpr Alt kCust{true, R::kStaff, false};
constexpr Alt in_line(Role r) { return {false, r, true}; }
constexpr Alt anyone(Role r) { return {false, r, false}; }

// Who may approve, per the defaults: public: custodian, group leader, supervisor or
// manager above the requester; internal and secret: custodian, supervisor or manager above the
// requester; confidential: custodian and a manager; top_secret: custodian, a manager and
// secadmin; declassify at every level: custodian or a manager, and secadmin; visit (S11) at
// every level: the area's keeper (the custodian's place) or secadmin.
std::vector<Alt> alternatives(RequestType type, Level level) {
  if (type == RequestType::kDeclassify) return {kCust, anyone(R::kManager), anyone(R::kSecadmin)};
  if (type == RequestType::kVisit) return {kCust, anyone(R::kSecadmin)};
  // S5, H3: the custodian asks to destroy; the security administrator (and for top secret a
  // manager) decides, never the custodian.
  if (type == RequestType::kDestroy) {
    if (level == Level::kTopSecret) return {anyone(R::kManager), anyone(R::kSecadmin)};
    return {anyone(R::kSecadmin)};
  }
  switch (level) {
    case Level::kPublic:
      return {kCust, in_line(R::kGroupLeader), in_line(R::kSupervisor), in_line(R::kManager)};
    case Level::kInternal:
    case Level::kSecret:
      return {kCust, in_line(R::kSupervisor), in_line(R::kManager)};
    case Level::kConfidential:
      return {kCust, anyone(R::kManager)};
    case Level::kTopSecret:
      break;
  }
  return {kCust, anyone(R::kManager), anyone(R::kSecadmin)};
}

// Where the approver sits relative to a requester in after_sales (under centre).
enum class Place { kParent, kSame, kOtherBranch, kUnknown };
constexpr Place kPlaces[] = {Place::kParent, Place::kSame, Place::kOtherBranch, Place::kUnknown};
const char* department_of(Place p) {
  switch (p) {
    case Place::kParent:
      return "centre";
    case Place::kSame:
      return "after_sales";
    case Place::kOtherBranch:
      return "general_cs";
    case Place::kUnknown:
      break;
  }
  return "nowhere";
}

int rank(const std::vector<Role>& roles) {  // staff < group_leader < supervisor < manager
  int r = 0;
  for (Role x : roles) {
    if (x == R::kGroupLeader) r = std::max(r, 1);
    if (x == R::kSupervisor) r = std::max(r, 2);
    if (x == R::kManager) r = std::max(r, 3);
  }
  return r;
}

bool matrix_holds(const std::vector<Role>& roles, Role r) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

struct MatrixCase {
  RequestType type;
  Level level;
  const std::vector<Role>* roles;
  bool custodian;  // the approver is the document's custodian
  bool self;       // the approver is the requester
  bool entitled;   // Policy::decide would let the approver read the document (S6)
  Place place;
  const std::vector<Role>* requester_roles;
};

struct Want {
  bool allowed;
  std::string rule;
  std::string code;
  bool operator==(const Want&) const = default;
};

Want matrix_expected(const MatrixCase& c) {
  const auto& roles = *c.roles;
  int admins = 0;
  for (Role r : roles) admins += (r == R::kSysadmin || r == R::kSecadmin || r == R::kAuditor);
  if (roles.empty()) return {false, "SoD", "role_not_allowed"};
  if (admins > 1 || (admins == 1 && roles.size() > 1))
    return {false, "SoD", "separation_of_duties"};
  if (c.self) return {false, "A1", "self_approval"};
  bool matched = false;
  bool entitled = false;
  for (const Alt& alt : alternatives(c.type, c.level)) {
    if (alt.custodian ? !c.custodian : !matrix_holds(roles, alt.role)) continue;
    matched = true;
    // S6, with the secadmin exception (三员分立: never reads, signs off).
    if (!c.entitled && (alt.custodian || alt.role != R::kSecadmin)) continue;
    entitled = true;
    const bool chain = c.place == Place::kParent || c.place == Place::kSame;
    if (alt.line && !(chain && rank(roles) > rank(*c.requester_roles))) continue;
    return {true, "A1", "ok"};
  }
  if (!matched) return {false, "A1", "not_an_approver"};
  if (!entitled) return {false, "S6", "approver_not_entitled"};
  return {false, "A2", "not_in_reporting_line"};
}

const std::vector<std::vector<Role>> kRoleSets = {{R::kStaff},
                                                  {R::kGroupLeader},
                                                  {R::kSupervisor},
                                                  {R::kManager},
                                                  {R::kCustodian},
                                                  {R::kFrontDesk},
                                                  {R::kSysadmin},
                                                  {R::kSecadmin},
                                                  {R::kAuditor},
                                                  {R::kStaff, R::kCustodian},
                                                  {R::kGroupLeader, R::kManager},
                                                  {R::kSysadmin, R::kSecadmin},
                                                  {R::kSecadmin, R::kManager},
                                                  {}};
const std::vector<std::vector<Role>> kRequesterRoles = {{R::kStaff}, {R::kSupervisor}};

RoleSet set_of(const std::vector<Role>& roles) {
  RoleSet s = 0;
  for (Role r : roles) s |= role_bit(r);
  return s;
}

TEST(ApprovalMatrix, EveryTypeLevelRoleCustodianSelfEntitlementAndLine_A1_A2_S6_SoD) {
  const Policy policy(PolicyData{}, "test");
  std::map<std::string, int> outcomes;
  int cases = 0;
  for (int t = 0; t < kRequestTypeCount; ++t) {
    for (int l = 0; l < kLevelCount; ++l) {
      for (const auto& roles : kRoleSets) {
        for (const auto& requester_roles : kRequesterRoles) {
          for (int bits = 0; bits < 8; ++bits) {
            for (Place place : kPlaces) {
              const MatrixCase c{static_cast<RequestType>(t),
                                 static_cast<Level>(l),
                                 &roles,
                                 (bits & 1) != 0,
                                 (bits & 2) != 0,
                                 (bits & 4) != 0,
                                 place,
                                 &requester_roles};
              const std::string approver_id = c.self ? "u-req" : "u-approver";
              const std::string custodian_id = c.custodian ? approver_id : "u-cust";
              const RequestFacts request{
                  c.type, c.level, "u-req", "after_sales", set_of(requester_roles), custodian_id};
              const ApproverFacts approver{approver_id, set_of(roles), department_of(place),
                                           c.entitled};
              const Decision d = can_approve(policy, request, approver);
              const Want want = matrix_expected(c);
              ASSERT_EQ((Want{d.allowed, std::string(d.rule), std::string(d.code)}), want)
                  << "type " << request_type_name(c.type) << ", level " << level_api_name(c.level)
                  << ", roles " << set_of(roles) << ", custodian " << c.custodian << ", self "
                  << c.self << ", entitled " << c.entitled << ", department "
                  << department_of(place) << ", requester roles " << set_of(requester_roles);
              EXPECT_EQ(d.deny_as, d.allowed ? DenyAs::kNone : DenyAs::kForbidden);  // all 403
              ++outcomes[want.code];
              ++cases;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, kRequestTypeCount * 5 * 14 * 2 * 8 * 4);
  // Every outcome occurs often enough that the matrix is not vacuous.
  for (const char* code : {"ok", "self_approval", "not_an_approver", "approver_not_entitled",
                           "not_in_reporting_line", "separation_of_duties", "role_not_allowed"}) {
    EXPECT_GT(outcomes[code], 50) << code;
  }
}

}  // namespace
}  // namespace baomi::policy
