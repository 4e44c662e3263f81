// Decisions on handover slips (H1, H2, H3, I1, I2) and customer records (C1 to C5, H4).
// Both are the customer-service centre's own records: only the centre's staff work with them
// (C1), administrators never read them (三员分立), and the pledge comes first (S2).
#include "policy/engine.h"
#include "policy/engine_checks.h"

namespace baomi::policy {
namespace {

using namespace checks;  // NOLINT: the engine's own vocabulary

bool in_set(const DepartmentSet& set, int department) {
  return department >= 0 && department < kMaxDepartments &&
         set.test(static_cast<std::size_t>(department));
}

// C1: the centre's own staff are business accounts in one of the centre's departments and
// holding one of its roles.
Verdict check_centre(const RecordRules& rules, const Subject& s, DenyAs as) {
  if (holds_admin(s.roles)) {
    return deny(as, rule::kC1, code::kSeparationOfDuties,
                "administrators do not work with the centre's records");
  }
  if ((s.roles & rules.centre_roles) == 0 || !in_set(rules.centre_departments, s.department)) {
    return deny(as, rule::kC1, code::kOutsideCentre,
                "only the customer-service centre's own staff work with these records");
  }
  return std::nullopt;
}

bool is_supervisor(const RecordRules& rules, const Subject& s) {
  return (s.roles & rules.supervisor_roles) != 0;
}

// ---- handover slips ----

Verdict slip_gate(const Rules& rules, const Subject& s, const Resource& r) {
  if (auto v = check_centre(rules.records, s, DenyAs::kForbidden)) return v;
  return check_pledge(rules.documents, s, r.level);
}

Decision decide_read_slip(const Rules& rules, const Subject& s, const Resource& r) {
  if (auto v = slip_gate(rules, s, r)) return *v;
  if (is_author(s, r)) return allow(rule::kH1, code::kOk, "author of the slip");
  if (in_set(rules.records.handover_receivers, s.department) || is_supervisor(rules.records, s)) {
    return allow(rule::kH1, code::kOk, "receiving department or supervisor");
  }
  return deny(DenyAs::kForbidden, rule::kH1, code::kNotReceiver,
              "only the author, the receiving departments and supervisors read slips");
}

Decision decide_acknowledge(const Rules& rules, const Subject& s, const Resource& r) {
  if (auto v = slip_gate(rules, s, r)) return *v;
  // I2: the author does not sign for the other side.
  if (is_author(s, r)) {
    return deny(DenyAs::kForbidden, rule::kI2, code::kOwnSlip,
                "the author cannot acknowledge their own slip");
  }
  if (r.department == s.department && in_set(rules.records.handover_receivers, r.department)) {
    return allow(rule::kH1, code::kOk, "member of the copy's department");
  }
  return deny(DenyAs::kForbidden, rule::kH1, code::kNotReceiver,
              "only a member of the copy's department acknowledges it");
}

Decision decide_confirm(const Rules& rules, const Subject& s, const Resource& r) {
  if (auto v = slip_gate(rules, s, r)) return *v;
  // I2: whoever left the work unfinished never marks it done.
  if (is_author(s, r)) {
    return deny(DenyAs::kForbidden, rule::kI2, code::kOwnSlip,
                "the author cannot confirm their own slip");
  }
  if (in_set(rules.records.handover_receivers, s.department) || is_supervisor(rules.records, s)) {
    return allow(rule::kH2, code::kOk, "receiving side of the slip");
  }
  return deny(DenyAs::kForbidden, rule::kH2, code::kNotReceiver,
              "only the receiving side or a supervisor confirms a slip");
}

Decision decide_correct(const Rules& rules, const Subject& s, const Resource& r) {
  if (auto v = slip_gate(rules, s, r)) return *v;
  if (is_author(s, r) || is_supervisor(rules.records, s)) {
    return allow(rule::kI1, code::kOk, "author or supervisor corrects with a new version");
  }
  return deny(DenyAs::kForbidden, rule::kI1, code::kNotAuthor,
              "only the author or a supervisor corrects a slip");
}

Decision decide_slip(const Rules& rules, const Subject& s, Action a, const Resource& r) {
  switch (a) {
    case Action::kCreateHandover:
      if (auto v = slip_gate(rules, s, r)) return *v;
      return allow(rule::kH1, code::kOk, "the centre's staff write handover slips");
    case Action::kReadHandover:
      return decide_read_slip(rules, s, r);
    case Action::kAcknowledgeHandover:
      return decide_acknowledge(rules, s, r);
    case Action::kConfirmHandover:
      return decide_confirm(rules, s, r);
    case Action::kCorrectHandover:
      return decide_correct(rules, s, r);
    case Action::kSuperviseHandovers:
      if (auto v = slip_gate(rules, s, r)) return *v;
      if (is_supervisor(rules.records, s)) return allow(rule::kH2, code::kOk, "supervisor");
      return deny(DenyAs::kForbidden, rule::kH2, code::kRoleNotAllowed,
                  "only supervisors oversee every slip");
    case Action::kDeleteHandover:
      return decide_duty(s, role_bit(Role::kSecadmin));
    case Action::kHoldRecord:
      return decide_duty(s, role_bit(Role::kSecadmin) | role_bit(Role::kAuditor));
    default:
      break;
  }
  return deny(DenyAs::kForbidden, {}, code::kUnknownAction, "unknown action");
}

// ---- customer records ----

// C1 first, then S6: a record above one's clearance or outside one's categories does not
// exist for them, then S2.
Verdict customer_gate(const Rules& rules, const Subject& s, const Resource& r, DenyAs as) {
  if (auto v = check_centre(rules.records, s, as)) return v;
  if (r.level > s.clearance) return deny(as, rule::kS6, code::kClearance, "not found");
  if (!contains_all(s.categories, r.categories)) {
    return deny(as, rule::kS6, code::kNeedToKnow, "not found");
  }
  return check_pledge(rules.documents, s, r.level);
}

FieldSet unmaskable(const RecordRules& rules, RoleSet roles) {
  FieldSet fields = 0;
  for (int i = 0; i < kRoleCount; ++i) {
    if (has_role(roles, static_cast<Role>(i))) fields |= rules.unmask_fields[i];
  }
  return fields;
}

Decision decide_customer(const Rules& rules, const Subject& s, Action a, const Resource& r) {
  const bool existing = a == Action::kReadCustomer || a == Action::kUpdateCustomer ||
                        a == Action::kUnmaskCustomer || a == Action::kAddContact ||
                        a == Action::kReadContacts;
  if (auto v = customer_gate(rules, s, r, existing ? DenyAs::kNotFound : DenyAs::kForbidden)) {
    return *v;
  }
  switch (a) {
    case Action::kCreateCustomer:
    case Action::kReadCustomer:
    case Action::kUpdateCustomer:
    case Action::kSearchCustomers:
      return allow(rule::kC1, code::kOk, "the centre's staff");
    case Action::kUnmaskCustomer:
      // C3: each field shown in clear must be one the subject's roles may unmask.
      if ((r.fields & ~unmaskable(rules.records, s.roles)) == 0) {
        return allow(rule::kC3, code::kOk, "the roles may unmask these fields");
      }
      return deny(DenyAs::kForbidden, rule::kC3, code::kUnmaskNotAllowed,
                  "your roles may not unmask one of these fields");
    case Action::kAddContact:
    case Action::kReadContacts:
      return allow(rule::kC5, code::kOk, "the centre's staff keep the contact log");
    case Action::kExportCustomers:
      return allow(rule::kC2, code::kOk, "an export must then be approved");
    case Action::kSubmitWeeklySummary:
      return allow(rule::kH4, code::kOk, "one's own weekly summary");
    case Action::kReadWeeklyReports:
      if (is_supervisor(rules.records, s)) return allow(rule::kH4, code::kOk, "supervisor");
      return deny(DenyAs::kForbidden, rule::kH4, code::kRoleNotAllowed,
                  "only supervisors read everyone's weekly reports");
    default:
      break;
  }
  return deny(DenyAs::kForbidden, {}, code::kUnknownAction, "unknown action");
}

}  // namespace

bool is_record_action(Action action) noexcept {
  return action >= Action::kCreateHandover && action <= Action::kReadWeeklyReports;
}

Decision decide_record(const Rules& rules, const Subject& subject, Action action,
                       const Resource& resource) noexcept {
  if (action >= Action::kCreateCustomer) return decide_customer(rules, subject, action, resource);
  return decide_slip(rules, subject, action, resource);
}

}  // namespace baomi::policy
