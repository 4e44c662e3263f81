#include "policy/engine.h"

#include <bit>
#include <optional>

#include "policy/engine_checks.h"

namespace baomi::policy {
namespace {

using namespace checks;  // NOLINT: the engine's own vocabulary

// A customer record one may not see does not exist for them (C1, S6).
constexpr bool targets_existing_record(Action a) {
  return a == Action::kReadCustomer || a == Action::kUpdateCustomer ||
         a == Action::kUnmaskCustomer || a == Action::kAddContact || a == Action::kReadContacts;
}

// S10: a leak investigation is invisible to everyone but the audit administrator.
constexpr bool targets_investigation(Action a) { return a == Action::kInvestigate; }

constexpr bool targets_existing_document(Action a) {
  return a == Action::kReadDocumentMetadata || a == Action::kReadDocumentContent ||
         a == Action::kUploadDocumentContent || a == Action::kReadOldVersion;
}

Verdict refuse_admin_writer(const Subject& s) {
  if (holds_admin(s.roles)) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kSeparationOfDuties,
                "administrators cannot create or change documents");
  }
  return std::nullopt;
}

bool is_custodian(const Subject& s, const Resource& r) {
  return !s.id.empty() && s.id == r.custodian_id;
}

Decision decide_metadata(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = check_visible(s, r)) return *v;
  if (auto v = check_pledge(rules, s, r.level)) return *v;
  return allow(rule::kS6, code::kOk, "clearance covers the document's level");
}

Decision decide_content(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = check_visible(s, r)) return *v;
  if (auto v = check_pledge(rules, s, r.level)) return *v;
  // S6: need-to-know is membership of every category of the document ...
  if (contains_all(s.categories, r.categories)) {
    return allow(rule::kS6, code::kOk, "clearance and categories cover the document");
  }
  // ... or an approved time-limited grant; clearance was already required above.
  if (r.has_active_grant) {
    return allow(rule::kS6, code::kGrant, "an active grant supplies need-to-know");
  }
  return deny(DenyAs::kForbidden, rule::kS6, code::kNeedToKnow,
              "no need-to-know: a category of the document is missing and no grant is active");
}

Decision decide_upload(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = check_visible(s, r)) return *v;
  if (auto v = refuse_admin_writer(s)) return *v;
  if (auto v = check_pledge(rules, s, r.level)) return *v;
  // S5: the designated custodian keeps the document; its author may add versions too.
  if (is_custodian(s, r) || is_author(s, r)) {
    return allow(rule::kS5, code::kOk, "custodian or author of the document");
  }
  return deny(DenyAs::kForbidden, rule::kS5, code::kNotCustodian,
              "only the document's custodian or author may upload content");
}

Decision decide_old_version(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = check_visible(s, r)) return *v;
  if (auto v = refuse_admin_writer(s)) return *v;
  if (auto v = check_pledge(rules, s, r.level)) return *v;
  // S5: superseded versions stay with the custodian.
  if (is_custodian(s, r)) return allow(rule::kS5, code::kOk, "custodian of the document");
  return deny(DenyAs::kForbidden, rule::kS5, code::kNotCustodian,
              "only the document's custodian may read old versions");
}

Decision decide_create(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = refuse_admin_writer(s)) return *v;
  if ((s.roles & rules.creator_roles) == 0) {
    return deny(DenyAs::kForbidden, rule::kS4, code::kRoleNotAllowed,
                "none of your roles may create documents");
  }
  if (r.level > s.clearance) {
    return deny(DenyAs::kForbidden, rule::kS6, code::kClearance,
                "a document cannot be classified above its creator's clearance");
  }
  if (auto v = check_pledge(rules, s, r.level)) return *v;
  if (!contains_all(s.categories, r.categories)) {
    return deny(DenyAs::kForbidden, rule::kS6, code::kNeedToKnow,
                "a document can only carry categories its creator holds");
  }
  return allow(rule::kS4, code::kOk, "creator's clearance and categories cover the document");
}

Decision decide_create_user(const Subject& s, const Resource& r) {
  if (auto v = check_duty(s, role_bit(Role::kSysadmin))) return *v;
  // S11: a door terminal is a device account of its own, holding no other role.
  if ((r.target_roles & kDeviceRoles) != 0) {
    if (r.target_roles == role_bit(Role::kDoorTerminal)) {
      return allow(rule::kS11, code::kOk, "system administrator creating a door terminal");
    }
    return deny(DenyAs::kForbidden, rule::kSoD, code::kSeparationOfDuties,
                "a device account holds no other role");
  }
  // SoD: a sysadmin cannot mint administrators (API.md POST /users).
  if ((r.target_roles & ~kBusinessRoles) != 0) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kAdminRoleNotAllowed,
                "new accounts may hold business roles only");
  }
  return allow(rule::kSoD, code::kOk, "system administrator creating a business account");
}

Decision decide_set_clearance(const Subject& s, const Resource& r) {
  if (auto v = check_duty(s, role_bit(Role::kSecadmin))) return *v;
  if (s.is_self_target) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kSeparationOfDuties,
                "no one sets their own clearance");
  }
  // SoD: administrators keep their fixed, minimal access; only business accounts are cleared.
  if ((r.target_roles & ~kBusinessRoles) != 0) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kAdminRoleNotAllowed,
                "clearances are set on business accounts only");
  }
  return allow(rule::kSoD, code::kOk, "security administrator clearing a business account");
}

// ---- requests, grants, copies, incidents (S5, S6, S7, S8) ----

bool is_holder(const Subject& s, const Resource& r) { return !s.id.empty() && s.id == r.holder_id; }

// Document-bound workflow actions start like a read of the document: invisible → 404 (S6,
// SoD), administrators do no business (SoD), the pledge first (S2).
Verdict business_gate(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = check_visible(s, r)) return v;
  if (auto v = refuse_admin_writer(s)) return v;
  return check_pledge(rules, s, r.level);
}

Decision decide_create_request(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = business_gate(rules, s, r)) return *v;
  return allow(rule::kS7, code::kOk, "requests are made about documents one may know of");
}

Decision holder_only(const Subject& s, const Resource& r, std::string_view rule_id,
                     std::string_view code_id, std::string_view reason) {
  if (is_holder(s, r)) return allow(rule_id, code::kOk, "the request or copy is the subject's");
  return deny(DenyAs::kForbidden, rule_id, code_id, reason);
}

Decision decide_read_request(const Subject& s, const Resource& r) {
  if (has_role(s.roles, Role::kAuditor)) return allow(rule::kSoD, code::kOk, "audit duty");
  return holder_only(s, r, rule::kS7, code::kNotRequester, "only the requester reads it");
}

Decision decide_revoke_grant(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (has_role(s.roles, Role::kSecadmin)) return allow(rule::kSoD, code::kOk, "security duty");
  if (auto v = business_gate(rules, s, r)) return *v;
  if (is_custodian(s, r)) return allow(rule::kS6, code::kOk, "custodian of the document");
  return deny(DenyAs::kForbidden, rule::kS6, code::kNotCustodian,
              "only the document's custodian or the security administrator revokes grants");
}

Decision decide_issue_copy(const DocumentRules& rules, const Subject& s, const Resource& r,
                           Action a) {
  if (auto v = business_gate(rules, s, r)) return *v;
  if (a == Action::kIssueCopy) {
    return holder_only(s, r, rule::kS7, code::kNotRequester,
                       "only the requester takes the approved copies");
  }
  return holder_only(s, r, rule::kS5, code::kNotHolder, "only the holder takes the artifact");
}

Decision decide_copy_record(const DocumentRules& rules, const Subject& s, const Resource& r,
                            Action a) {
  const bool auditor_reads =
      (a == Action::kReadCopy || a == Action::kListCopies) && has_role(s.roles, Role::kAuditor);
  if (auditor_reads) return allow(rule::kSoD, code::kOk, "audit duty");
  if (a == Action::kRevokeCopy && has_role(s.roles, Role::kSecadmin)) {
    return allow(rule::kSoD, code::kOk, "security duty");
  }
  if (auto v = business_gate(rules, s, r)) return *v;
  if (is_custodian(s, r)) return allow(rule::kS5, code::kOk, "custodian of the document");
  if (a == Action::kReadCopy && is_holder(s, r)) {
    return allow(rule::kS5, code::kOk, "holder of the copy");
  }
  return deny(DenyAs::kForbidden, rule::kS5,
              a == Action::kReadCopy ? code::kNotHolder : code::kNotCustodian,
              "only the document's custodian keeps track of its copies");
}

// S8: a loss must be reported at once, so the holder may always report it, whatever their
// clearance is now; the custodian may report for them.
Decision decide_report_loss(const Subject& s, const Resource& r) {
  if (auto v = refuse_admin_writer(s)) return *v;
  if (is_holder(s, r) || is_custodian(s, r)) {
    return allow(rule::kS8, code::kOk, "holder or custodian reports the loss");
  }
  if (auto v = check_visible(s, r)) return *v;
  return deny(DenyAs::kForbidden, rule::kS8, code::kNotHolder,
              "only the holder or the custodian reports a loss");
}

// S9: serials are sequential, so a 403 for a serial that exists and a 404 for one that does not
// would tell anyone which copies exist. Whoever may not know of the copy (not its holder, its
// document's custodian, the security administrator or the auditor) is refused with the 404 of a
// missing serial; the audit entry keeps the real rule and code.
Decision hide_unknown_copy(const Subject& s, const Resource& r, Decision d) {
  if (d.allowed || d.deny_as == DenyAs::kNotFound) return d;
  const bool knows = is_holder(s, r) || is_custodian(s, r) || has_role(s.roles, Role::kSecadmin) ||
                     has_role(s.roles, Role::kAuditor);
  if (!knows) d.deny_as = DenyAs::kNotFound;
  return d;
}

Decision decide_incident(const Subject& s, const Resource& r, Action a) {
  if (has_role(s.roles, Role::kSecadmin)) return allow(rule::kSoD, code::kOk, "security duty");
  if (a == Action::kReadIncident && has_role(s.roles, Role::kAuditor)) {
    return allow(rule::kSoD, code::kOk, "audit duty");
  }
  if (holds_admin(s.roles)) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kSeparationOfDuties,
                "this duty belongs to another administrator");
  }
  if (is_holder(s, r) || is_custodian(s, r)) {
    return allow(rule::kS8, code::kOk, "reporter or custodian of the incident");
  }
  return deny(DenyAs::kForbidden, rule::kS8, code::kNotInvolved,
              "only the reporter, the custodian and the security administrator");
}

// S5: the custodian keeps the document, so the custodian carries out its approved destruction;
// administrators do no business (SoD), even the security administrator who approved it.
Decision decide_destroy(const DocumentRules& rules, const Subject& s, const Resource& r) {
  if (auto v = business_gate(rules, s, r)) return *v;
  if (is_custodian(s, r)) return allow(rule::kS5, code::kOk, "custodian of the document");
  return deny(DenyAs::kForbidden, rule::kS5, code::kNotCustodian,
              "only the document's custodian destroys it, with an approved destroy request");
}

// S10, SoD: investigating leaks is the audit administrator's duty; to anyone else the cases do
// not exist, so the refusal is a 404 that says nothing about them.
Decision decide_investigation(const Subject& s) {
  if (has_role(s.roles, Role::kAuditor)) return allow(rule::kS10, code::kOk, "audit duty");
  return hidden(rule::kS10, code::kRoleNotAllowed);
}

Decision decide_workflow(const DocumentRules& rules, const Subject& s, Action a,
                         const Resource& r) {
  switch (a) {
    case Action::kCreateRequest:
      return decide_create_request(rules, s, r);
    case Action::kReadRequest:
      return decide_read_request(s, r);
    case Action::kCancelRequest:
      return holder_only(s, r, rule::kS7, code::kNotRequester, "only the requester cancels it");
    case Action::kReadAllRequests:
      return decide_duty(s, role_bit(Role::kAuditor));
    case Action::kRevokeGrant:
      return decide_revoke_grant(rules, s, r);
    case Action::kIssueCopy:
      return decide_issue_copy(rules, s, r, a);
    case Action::kReadArtifact:
      return hide_unknown_copy(s, r, decide_issue_copy(rules, s, r, a));
    case Action::kListCopies:
      return decide_copy_record(rules, s, r, a);
    case Action::kReadCopy:
    case Action::kRecordCopyReturn:
    case Action::kRevokeCopy:
      return hide_unknown_copy(s, r, decide_copy_record(rules, s, r, a));
    case Action::kReportLoss:
      return hide_unknown_copy(s, r, decide_report_loss(s, r));
    case Action::kReadIncident:
    case Action::kUpdateIncident:
      return decide_incident(s, r, a);
    case Action::kCloseIncident:
      return decide_duty(s, role_bit(Role::kSecadmin));
    case Action::kReadAllIncidents:
      return decide_duty(s, role_bit(Role::kSecadmin) | role_bit(Role::kAuditor));
    case Action::kReadOwnAlerts:
      if (auto v = refuse_admin_writer(s)) return *v;
      return allow(rule::kS8, code::kOk, "alerts addressed to oneself");
    case Action::kDestroyDocument:
      return decide_destroy(rules, s, r);
    default:
      break;
  }
  return deny(DenyAs::kForbidden, {}, code::kUnknownAction, "unknown action");
}

}  // namespace

std::optional<Decision> role_set_violation(RoleSet roles, DenyAs as) noexcept {
  if (roles == 0 || (roles & ~kAllRoles) != 0) {
    return deny(as, rule::kSoD, code::kRoleNotAllowed, "the account holds no valid role");
  }
  // S11: a device account holds its one device role and nothing else.
  const RoleSet device = roles & kDeviceRoles;
  if (device != 0 && device != roles) {
    return deny(as, rule::kSoD, code::kSeparationOfDuties, "a device account holds no other role");
  }
  const RoleSet admin = roles & kAdminRoles;
  if (admin != 0 && (!std::has_single_bit(admin) || (roles & kBusinessRoles) != 0)) {
    return deny(as, rule::kSoD, code::kSeparationOfDuties,
                "the account's roles break the separation of duties");
  }
  return std::nullopt;
}

Decision evaluate(const DocumentRules& rules, const Subject& subject, Action action,
                  const Resource& resource, const Context& context) noexcept {
  return evaluate(Rules{.documents = rules, .records = {}}, subject, action, resource, context);
}

Decision evaluate(const Rules& all, const Subject& subject, Action action, const Resource& resource,
                  const Context& /*context*/) noexcept {
  const DenyAs as = targets_existing_document(action) || targets_existing_record(action) ||
                            targets_investigation(action)
                        ? DenyAs::kNotFound
                        : DenyAs::kForbidden;
  if (auto v = role_set_violation(subject.roles, as)) return *v;
  if (auto v = device_violation(subject, action, as)) return *v;
  if (is_area_action(action)) return decide_area(all, subject, action, resource);
  if (is_record_action(action)) return decide_record(all, subject, action, resource);
  const DocumentRules& rules = all.documents;
  switch (action) {
    case Action::kCreateDocument:
      return decide_create(rules, subject, resource);
    case Action::kReadDocumentMetadata:
      return decide_metadata(rules, subject, resource);
    case Action::kReadDocumentContent:
      return decide_content(rules, subject, resource);
    case Action::kUploadDocumentContent:
      return decide_upload(rules, subject, resource);
    case Action::kReadOldVersion:
      return decide_old_version(rules, subject, resource);
    case Action::kCreateUser:
      return decide_create_user(subject, resource);
    case Action::kSetClearance:
      return decide_set_clearance(subject, resource);
    case Action::kReadUsers:
      return decide_duty(subject, role_bit(Role::kSysadmin) | role_bit(Role::kSecadmin));
    case Action::kReadAudit:
      return decide_duty(subject, role_bit(Role::kAuditor));
    case Action::kReadAlerts:
      return decide_duty(subject, role_bit(Role::kAuditor) | role_bit(Role::kSecadmin));
    case Action::kAcknowledgeAlert:
      return decide_duty(subject, role_bit(Role::kSecadmin));
    case Action::kCloseAlert:
      return decide_duty(subject, role_bit(Role::kAuditor) | role_bit(Role::kSecadmin));
    case Action::kManageDepartments:
      return decide_duty(subject, role_bit(Role::kSysadmin));
    case Action::kReadDepartments:
      return decide_duty(subject, role_bit(Role::kSysadmin) | role_bit(Role::kSecadmin) |
                                      role_bit(Role::kAuditor));
    case Action::kReadMetrics:
      return decide_duty(subject, role_bit(Role::kSysadmin));
    case Action::kSealInstance:
    case Action::kRotateKeys:
    case Action::kReadKeyStatus:
      return decide_duty(subject, role_bit(Role::kSecadmin));
    case Action::kAcceptPledge:
      return allow(rule::kS2, code::kOk, "every account may accept the pledge");
    case Action::kInvestigate:
      return decide_investigation(subject);
    default:
      return decide_workflow(rules, subject, action, resource);
  }
  // Fail closed on a value outside the enum.
  return deny(DenyAs::kForbidden, {}, code::kUnknownAction, "unknown action");
}

}  // namespace baomi::policy
