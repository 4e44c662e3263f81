#include "policy/engine.h"

#include <bit>
#include <optional>

namespace baomi::policy {
namespace {

using Verdict = std::optional<Decision>;  // nullopt: this check does not object

constexpr Decision allow(std::string_view rule_id, std::string_view code_id,
                         std::string_view reason) {
  return {true, DenyAs::kNone, rule_id, code_id, reason};
}

constexpr Decision deny(DenyAs as, std::string_view rule_id, std::string_view code_id,
                        std::string_view reason) {
  return {false, as, rule_id, code_id, reason};
}

// A refusal that must not reveal that the document exists; the reason stays generic
// because clients may see it (the code and rule still tell the audit trail why).
constexpr Decision hidden(std::string_view rule_id, std::string_view code_id) {
  return deny(DenyAs::kNotFound, rule_id, code_id, "not found");
}

constexpr bool targets_existing_document(Action a) {
  return a == Action::kReadDocumentMetadata || a == Action::kReadDocumentContent ||
         a == Action::kUploadDocumentContent || a == Action::kReadOldVersion;
}

constexpr bool holds_admin(RoleSet roles) { return (roles & kAdminRoles) != 0; }

// SoD (三员分立): an account with no valid role, two admin roles, or an admin role next to
// a business role is refused everything, whatever the action.
Verdict check_role_set(RoleSet roles, DenyAs as) {
  if (roles == 0 || (roles & ~kAllRoles) != 0) {
    return deny(as, rule::kSoD, code::kRoleNotAllowed, "the account holds no valid role");
  }
  const RoleSet admin = roles & kAdminRoles;
  if (admin != 0 && (!std::has_single_bit(admin) || (roles & kBusinessRoles) != 0)) {
    return deny(as, rule::kSoD, code::kSeparationOfDuties,
                "the account's roles break the separation of duties");
  }
  return std::nullopt;
}

// Whether the subject may know the document exists. Anything refused here is a 404.
Verdict check_visible(const Subject& s, const Resource& r) {
  // SoD: administrators never see classified documents, whatever clearance they were given.
  if (holds_admin(s.roles) && r.level > Level::kPublic) {
    return hidden(rule::kSoD, code::kSeparationOfDuties);
  }
  // S6/S4: a document above one's clearance does not exist for them.
  if (r.level > s.clearance) return hidden(rule::kS6, code::kClearance);
  return std::nullopt;
}

// S2: nothing above the pledge level is read or created before the pledge is accepted.
Verdict check_pledge(const DocumentRules& rules, const Subject& s, Level level) {
  if (level > rules.pledge_required_above && !s.pledge_accepted) {
    return deny(DenyAs::kForbidden, rule::kS2, code::kPledgeRequired,
                "the confidentiality pledge (保密承诺) must be accepted first");
  }
  return std::nullopt;
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
bool is_author(const Subject& s, const Resource& r) { return !s.id.empty() && s.id == r.author_id; }

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

// SoD: each administrative duty belongs to named admin roles only.
Verdict check_duty(const Subject& s, RoleSet duty) {
  if ((s.roles & duty) != 0) return std::nullopt;
  if (holds_admin(s.roles)) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kSeparationOfDuties,
                "this duty belongs to another administrator");
  }
  return deny(DenyAs::kForbidden, rule::kSoD, code::kRoleNotAllowed,
              "this action is reserved to an administrator");
}

Decision decide_duty(const Subject& s, RoleSet duty) {
  if (auto v = check_duty(s, duty)) return *v;
  return allow(rule::kSoD, code::kOk, "administrative duty of the role");
}

Decision decide_create_user(const Subject& s, const Resource& r) {
  if (auto v = check_duty(s, role_bit(Role::kSysadmin))) return *v;
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

}  // namespace

Decision evaluate(const DocumentRules& rules, const Subject& subject, Action action,
                  const Resource& resource, const Context& /*context*/) noexcept {
  const DenyAs as = targets_existing_document(action) ? DenyAs::kNotFound : DenyAs::kForbidden;
  if (auto v = check_role_set(subject.roles, as)) return *v;
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
    case Action::kReadMetrics:
      return decide_duty(subject, role_bit(Role::kSysadmin));
    case Action::kAcceptPledge:
      return allow(rule::kS2, code::kOk, "every account may accept the pledge");
  }
  // Fail closed on a value outside the enum.
  return deny(DenyAs::kForbidden, {}, code::kUnknownAction, "unknown action");
}

}  // namespace baomi::policy
