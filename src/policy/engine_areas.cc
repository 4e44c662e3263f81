// Decisions on restricted areas (S11: the information room, archive and computer room admit no
// one who is not staff, and staff may not bring others in). The service supplies the facts
// about the area (Resource::area: keeper, door terminal, authorised list, the visit, the escort);
// this file decides on them. Door terminals are device accounts that do nothing else.
#include "policy/engine.h"
#include "policy/engine_checks.h"

namespace baomi::policy {
namespace {

using namespace checks;  // NOLINT: the engine's own vocabulary

constexpr bool holds_device(RoleSet roles) { return (roles & kDeviceRoles) != 0; }

// kReadArea is not a device duty in general; device_violation() lets it through for this.
Decision decide_read_area(const Subject& s, const Resource& r) {
  if (has_role(s.roles, Role::kSecadmin) || has_role(s.roles, Role::kAuditor)) {
    return allow(rule::kSoD, code::kOk, "security or audit duty");
  }
  if (r.area.subject_keeps && !holds_device(s.roles)) {
    return allow(rule::kS11, code::kOk, "keeper of the area");
  }
  if (r.area.subject_serves && holds_device(s.roles)) {
    return allow(rule::kS11, code::kOk, "door terminal of the area");
  }
  // Staff who may enter it know it exists; so do staff cleared for its level when the area
  // takes visit requests from them (to ask for one, S11: visitors come only on a request).
  const bool staff = !holds_device(s.roles) && !holds_admin(s.roles);
  if (staff && r.area.subject_authorised) {
    return allow(rule::kS11, code::kOk, "on the area's authorised list");
  }
  if (staff && r.area.requestable && r.level <= s.clearance) {
    return allow(rule::kS11, code::kOk, "the area takes visit requests from staff cleared for it");
  }
  // S9: an area one has nothing to do with is not shown, not even that it exists.
  return hidden(rule::kS11, code::kNotKeeper);
}

// S11, C3: who may see a visitor's name and id number in clear: the area's keepers (they check
// the visitor at the door) and the security administrator; a reason is the service's business.
Decision decide_unmask_visitor(const Subject& s, const Resource& r) {
  if (has_role(s.roles, Role::kSecadmin)) return allow(rule::kSoD, code::kOk, "security duty");
  if (!holds_device(s.roles) && r.area.subject_keeps) {
    return allow(rule::kS11, code::kOk, "keeper of the visit's area");
  }
  return deny(DenyAs::kForbidden, rule::kC3, code::kUnmaskNotAllowed,
              "only the area's keepers and the security administrator see a visitor in clear");
}

Decision decide_record_passage(const Subject& s, const Resource& r) {
  if (holds_device(s.roles)) {
    if (r.area.subject_serves) return allow(rule::kS11, code::kOk, "door terminal of the area");
    return deny(DenyAs::kForbidden, rule::kS11, code::kNotKeeper,
                "this terminal does not serve the area");
  }
  if (holds_admin(s.roles)) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kSeparationOfDuties,
                "administrators do not keep the door of an area");
  }
  if (r.area.subject_keeps) return allow(rule::kS11, code::kOk, "keeper of the area");
  return deny(DenyAs::kForbidden, rule::kS11, code::kNotKeeper,
              "only the area's keepers and door terminals record entries and exits");
}

// Subject = the person who wants in. Staff on the authorised list only; a business account's
// clearance must also cover the area's level and its pledge be accepted (S2). The three
// administrators hold no clearance (SoD) and are admitted on the list alone (e.g. the
// computer room for the system administrator).
Decision decide_enter(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (holds_device(s.roles)) {
    return deny(DenyAs::kForbidden, rule::kS11, code::kDeviceAccount,
                "a device account is not a person");
  }
  if (!r.area.person_authorised) {
    return deny(DenyAs::kForbidden, rule::kS11, code::kNotAuthorisedForArea,
                "not on the area's authorised list");
  }
  if (holds_admin(s.roles)) return allow(rule::kS11, code::kOk, "on the authorised list");
  if (r.level > s.clearance) {
    return deny(DenyAs::kForbidden, rule::kS11, code::kClearance,
                "clearance does not cover the area's level");
  }
  if (auto v = check_pledge(rules, s, r.level)) return *v;
  return allow(rule::kS11, code::kOk, "on the authorised list, clearance covers the area");
}

// A visitor (anyone not authorised for the area) enters only on an approved visit, in its
// window, together with an authorised escort who is inside (S11: staff may not bring others in).
Decision decide_admit_visitor(const Resource& r) {
  if (!r.area.visit_approved) {
    return deny(DenyAs::kForbidden, rule::kS11, code::kVisitNotApproved,
                "a visitor needs an approved visit request for this area and time");
  }
  if (!r.area.escort_authorised || !r.area.escort_inside) {
    return deny(DenyAs::kForbidden, rule::kS11, code::kEscortNotInside,
                "a visitor enters only with an authorised escort who is inside");
  }
  return allow(rule::kS11, code::kOk, "approved visit with an authorised escort inside");
}

Decision decide_read_log(const Subject& s, const Resource& r) {
  if (has_role(s.roles, Role::kSecadmin) || has_role(s.roles, Role::kAuditor)) {
    return allow(rule::kSoD, code::kOk, "security or audit duty");
  }
  if (!holds_device(s.roles) && r.area.subject_keeps) {
    return allow(rule::kS11, code::kOk, "keeper of the area");
  }
  return deny(DenyAs::kForbidden, rule::kS11, code::kNotKeeper,
              "only the area's keepers, the security administrator and the auditor");
}

}  // namespace

bool is_area_action(Action a) noexcept {
  return a == Action::kManageAreas || a == Action::kReadArea || a == Action::kRecordPassage ||
         a == Action::kEnterArea || a == Action::kAdmitVisitor || a == Action::kReadAreaLog ||
         a == Action::kUnmaskVisitor;
}

std::optional<Decision> device_violation(const Subject& s, Action a, DenyAs as) noexcept {
  // S11: a door terminal reads the areas it serves and records passages there, visitors'
  // included (kAdmitVisitor decides on the visit, not on who records it); it enters nowhere
  // (kEnterArea refuses it itself).
  if (!holds_device(s.roles) || a == Action::kRecordPassage || a == Action::kEnterArea ||
      a == Action::kAdmitVisitor || a == Action::kReadArea) {
    return std::nullopt;
  }
  return deny(as, rule::kS11, code::kDeviceAccount,
              "a door terminal only records entries and exits at its areas");
}

Decision decide_area(const Rules& rules, const Subject& s, Action a, const Resource& r) noexcept {
  switch (a) {
    case Action::kManageAreas:
      return decide_duty(s, role_bit(Role::kSecadmin));
    case Action::kReadArea:
      return decide_read_area(s, r);
    case Action::kRecordPassage:
      return decide_record_passage(s, r);
    case Action::kEnterArea:
      return decide_enter(rules.documents, s, r);
    case Action::kAdmitVisitor:
      return decide_admit_visitor(r);
    case Action::kReadAreaLog:
      return decide_read_log(s, r);
    case Action::kUnmaskVisitor:
      return decide_unmask_visitor(s, r);
    default:
      break;
  }
  return deny(DenyAs::kForbidden, {}, code::kUnknownAction, "unknown action");
}

}  // namespace baomi::policy
