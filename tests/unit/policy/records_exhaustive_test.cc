// Exhaustive check of the record actions (handover slips and customer records): every role set
// × action × subject department × copy department × authorship × record level × clearance ×
// category relation × pledge × unmask field set is decided by the default policy and compared
// with expected(), an independent restatement of RULES.md C1, C3, C5, H1, H2, H3, H4, I1, I2
// and the separation of duties, written without any engine code.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace baomi::policy {
namespace {

using R = Role;
using A = Action;

const std::vector<std::vector<Role>> kRecordSubjects = {
    {R::kStaff},
    {R::kGroupLeader},
    {R::kSupervisor},
    {R::kManager},
    {R::kCustodian},
    {R::kFrontDesk},
    {R::kSysadmin},
    {R::kSecadmin},
    {R::kAuditor},
    {R::kStaff, R::kCustodian},
    {R::kCustodian, R::kSupervisor},
    {R::kSysadmin, R::kSecadmin},
    {R::kAuditor, R::kStaff},
    {},
};

// Departments of the default chart, and none at all.
const std::vector<std::string> kDepartments = {"general_cs", "after_sales", "presale",
                                               "administration", ""};
constexpr A kActions[] = {A::kCreateHandover,  A::kReadHandover,        A::kAcknowledgeHandover,
                          A::kConfirmHandover, A::kCorrectHandover,     A::kSuperviseHandovers,
                          A::kDeleteHandover,  A::kHoldRecord,          A::kCreateCustomer,
                          A::kReadCustomer,    A::kUpdateCustomer,      A::kSearchCustomers,
                          A::kUnmaskCustomer,  A::kAddContact,          A::kReadContacts,
                          A::kExportCustomers, A::kSubmitWeeklySummary, A::kReadWeeklyReports};
constexpr Level kRecordLevels[] = {Level::kPublic, Level::kInternal, Level::kSecret};
const std::vector<FieldSet> kFieldSets = {
    0, field_bit(CustomerField::kPhone),
    field_bit(CustomerField::kPhone) | field_bit(CustomerField::kIdNumber), kAllCustomerFields};

struct RecordCase {
  const std::vector<Role>* roles;
  A action;
  const std::string* department;       // the subject's
  const std::string* copy_department;  // the slip copy acted on
  bool author;
  Level level;
  Level clearance;
  bool has_categories;
  bool pledge;
  FieldSet fields;
};

struct RecordExpected {
  bool allowed;
  DenyAs as;
  std::string_view rule;
  std::string_view code;
};

bool record_holds(const std::vector<Role>& roles, Role r) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}
bool holds_any(const std::vector<Role>& roles, std::initializer_list<Role> any) {
  return std::any_of(any.begin(), any.end(), [&](Role r) { return record_holds(roles, r); });
}
bool is_admin(Role r) { return r == R::kSysadmin || r == R::kSecadmin || r == R::kAuditor; }

RecordExpected record_ok(std::string_view rule) { return {true, DenyAs::kNone, rule, "ok"}; }
RecordExpected record_no(DenyAs as, std::string_view rule, std::string_view code) {
  return {false, as, rule, code};
}

bool existing_customer(A a) {
  return a == A::kReadCustomer || a == A::kUpdateCustomer || a == A::kUnmaskCustomer ||
         a == A::kAddContact || a == A::kReadContacts;
}

// The default policy's settings, restated.
bool in_centre(const std::string& d) {
  return d == "general_cs" || d == "after_sales" || d == "presale";  // administration: not
}
bool receiver(const std::string& d) { return d == "general_cs" || d == "after_sales"; }
bool record_centre_role(const std::vector<Role>& roles) {
  return holds_any(roles, {R::kStaff, R::kGroupLeader, R::kSupervisor, R::kManager, R::kFrontDesk});
}
bool supervisor(const std::vector<Role>& roles) {
  return holds_any(roles, {R::kGroupLeader, R::kSupervisor, R::kManager});
}
FieldSet unmaskable(const std::vector<Role>& roles) {
  if (holds_any(roles, {R::kSupervisor, R::kManager})) return kAllCustomerFields;
  if (holds_any(roles, {R::kStaff, R::kFrontDesk, R::kGroupLeader})) {
    return field_bit(CustomerField::kPhone);
  }
  return 0;
}

RecordExpected duty(const std::vector<Role>& roles, bool admin, std::initializer_list<Role> who) {
  if (holds_any(roles, who)) return record_ok("SoD");
  return record_no(DenyAs::kForbidden, "SoD", admin ? "separation_of_duties" : "role_not_allowed");
}

std::optional<RecordExpected> centre_gate(const RecordCase& c, bool admin, DenyAs as) {
  if (admin) return record_no(as, "C1", "separation_of_duties");
  if (!record_centre_role(*c.roles) || !in_centre(*c.department))
    return record_no(as, "C1", "outside_centre");
  return std::nullopt;
}

RecordExpected expected_slip(const RecordCase& c, bool admin) {
  const auto& roles = *c.roles;
  if (c.action == A::kDeleteHandover) return duty(roles, admin, {R::kSecadmin});
  if (c.action == A::kHoldRecord) return duty(roles, admin, {R::kSecadmin, R::kAuditor});
  if (auto g = centre_gate(c, admin, DenyAs::kForbidden)) return *g;
  // Slips are internal (default handovers.level): the pledge comes first (S2).
  if (!c.pledge) return record_no(DenyAs::kForbidden, "S2", "pledge_required");
  const bool receives = receiver(*c.department);
  switch (c.action) {
    case A::kCreateHandover:
      return record_ok("H1");
    case A::kReadHandover:
      if (c.author || receives || supervisor(roles)) return record_ok("H1");
      return record_no(DenyAs::kForbidden, "H1", "not_receiver");
    case A::kAcknowledgeHandover:
      if (c.author) return record_no(DenyAs::kForbidden, "I2", "own_slip");
      if (*c.copy_department == *c.department && receives) return record_ok("H1");
      return record_no(DenyAs::kForbidden, "H1", "not_receiver");
    case A::kConfirmHandover:
      if (c.author) return record_no(DenyAs::kForbidden, "I2", "own_slip");
      if (receives || supervisor(roles)) return record_ok("H2");
      return record_no(DenyAs::kForbidden, "H2", "not_receiver");
    case A::kCorrectHandover:
      if (c.author || supervisor(roles)) return record_ok("I1");
      return record_no(DenyAs::kForbidden, "I1", "not_author");
    case A::kSuperviseHandovers:
      if (supervisor(roles)) return record_ok("H2");
      return record_no(DenyAs::kForbidden, "H2", "role_not_allowed");
    default:
      return record_no(DenyAs::kForbidden, "", "unknown_action");
  }
}

RecordExpected expected_customer(const RecordCase& c, bool admin) {
  const DenyAs as = existing_customer(c.action) ? DenyAs::kNotFound : DenyAs::kForbidden;
  if (auto g = centre_gate(c, admin, as)) return *g;
  if (c.level > c.clearance) return record_no(as, "S6", "clearance");
  if (!c.has_categories) return record_no(as, "S6", "need_to_know");
  if (c.level > Level::kPublic && !c.pledge)
    return record_no(DenyAs::kForbidden, "S2", "pledge_required");
  switch (c.action) {
    case A::kCreateCustomer:
    case A::kReadCustomer:
    case A::kUpdateCustomer:
    case A::kSearchCustomers:
      return record_ok("C1");
    case A::kUnmaskCustomer:
      if ((c.fields & ~unmaskable(*c.roles)) == 0) return record_ok("C3");
      return record_no(DenyAs::kForbidden, "C3", "unmask_not_allowed");
    case A::kAddContact:
    case A::kReadContacts:
      return record_ok("C5");
    case A::kExportCustomers:
      return record_ok("C2");
    case A::kSubmitWeeklySummary:
      return record_ok("H4");
    case A::kReadWeeklyReports:
      if (supervisor(*c.roles)) return record_ok("H4");
      return record_no(DenyAs::kForbidden, "H4", "role_not_allowed");
    default:
      return record_no(DenyAs::kForbidden, "", "unknown_action");
  }
}

RecordExpected record_expected(const RecordCase& c) {
  const auto& roles = *c.roles;
  int admins = 0;
  for (Role r : roles) admins += is_admin(r) ? 1 : 0;
  const int business = static_cast<int>(roles.size()) - admins;
  const DenyAs early = existing_customer(c.action) ? DenyAs::kNotFound : DenyAs::kForbidden;
  if (roles.empty()) return record_no(early, "SoD", "role_not_allowed");
  if (admins > 1 || (admins == 1 && business > 0)) {
    return record_no(early, "SoD", "separation_of_duties");
  }
  const bool customer_action = c.action >= A::kCreateCustomer;
  return customer_action ? expected_customer(c, admins == 1) : expected_slip(c, admins == 1);
}

Decision decide_record(const Policy& p, const RecordCase& c) {
  RoleSet roles = 0;
  for (Role r : *c.roles) roles |= role_bit(r);
  const CategorySet contracts = category_bit(*p.category_index("contracts_customers"));
  const bool slip = c.action < A::kCreateCustomer;
  Subject s{.roles = roles,
            .clearance = c.clearance,
            .categories = c.has_categories ? contracts : CategorySet{0},
            .pledge_accepted = c.pledge,
            .id = "u-subject",
            .department = p.department_id(*c.department)};
  Resource r{.level = slip ? p.handovers().level : c.level,
             .categories = slip ? CategorySet{0} : contracts,
             .author_id = c.author ? "u-subject" : "u-author",
             .department = p.department_id(*c.copy_department),
             .fields = c.fields};
  return p.decide(s, c.action, r, Context{});
}

std::string describe_record(const RecordCase& c, const Decision& got, const RecordExpected& want) {
  std::ostringstream out;
  out << "roles=[";
  for (Role r : *c.roles) out << role_api_name(r) << ' ';
  out << "] action=" << action_name(c.action) << " dept=" << *c.department
      << " copy=" << *c.copy_department << " author=" << c.author
      << " level=" << level_api_name(c.level) << " clearance=" << level_api_name(c.clearance)
      << " cats=" << c.has_categories << " pledge=" << c.pledge << " fields=" << c.fields
      << " | got " << got.allowed << '/' << static_cast<int>(got.deny_as) << '/' << got.rule << '/'
      << got.code << " want " << want.allowed << '/' << static_cast<int>(want.as) << '/'
      << want.rule << '/' << want.code;
  return out.str();
}

TEST(RecordDecisions, EveryCombinationMatchesTheRules_C1_C3_C5_H1_H2_H3_H4_I1_I2_SoD) {
  const Policy p{PolicyData{}, "test"};
  long cases = 0, mismatches = 0, allowed = 0;
  std::vector<std::string> samples;
  for (const auto& roles : kRecordSubjects)
    for (A action : kActions)
      for (const auto& dept : kDepartments)
        for (const auto& copy : kDepartments)
          for (bool author : {false, true})
            for (Level level : kRecordLevels)
              for (Level clearance : kRecordLevels)
                for (bool cats : {false, true})
                  for (bool pledge : {false, true})
                    for (FieldSet fields : kFieldSets) {
                      const RecordCase c{&roles, action,    &dept, &copy,  author,
                                         level,  clearance, cats,  pledge, fields};
                      const Decision got = decide_record(p, c);
                      const RecordExpected want = record_expected(c);
                      ++cases;
                      allowed += got.allowed ? 1 : 0;
                      const bool same = got.allowed == want.allowed && got.deny_as == want.as &&
                                        got.rule == want.rule && got.code == want.code &&
                                        !got.reason.empty();
                      if (!same) {
                        if (samples.size() < 20) samples.push_back(describe_record(c, got, want));
                        ++mismatches;
                      }
                    }
  EXPECT_EQ(mismatches, 0) << [&] {
    std::string all;
    for (const auto& s : samples) all += s + "\n";
    return all;
  }();
  EXPECT_GT(allowed, 0);
  EXPECT_LT(allowed, cases);
  EXPECT_EQ(cases, static_cast<long>(kRecordSubjects.size()) * std::size(kActions) * 5 * 5 * 2 * 3 *
                       3 * 2 * 2 * kFieldSets.size());
}

TEST(RecordDecisions, DocumentOnlyRulesRefuseEveryRecordAction) {
  // The DocumentRules overload has no centre: no one works with records through it.
  const Subject s{.roles = role_bit(R::kManager),
                  .clearance = Level::kTopSecret,
                  .pledge_accepted = true,
                  .id = "u",
                  .department = 1};
  for (A action : kActions) {
    const Decision d =
        evaluate(DocumentRules{}, s, action, Resource{.level = Level::kPublic}, Context{});
    EXPECT_FALSE(d.allowed) << action_name(action);
  }
}

}  // namespace
}  // namespace baomi::policy
