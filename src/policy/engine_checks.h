// The checks every decision is built from (internal to the policy layer): allow/deny values,
// visibility (S6, SoD), the pledge (S2) and administrative duties (SoD). Shared by engine.cc
// (documents and workflow) and engine_records.cc (handover slips and customer records).
#pragma once

#include <optional>
#include <string_view>

#include "policy/engine.h"
#include "policy/model.h"

namespace baomi::policy::checks {

using Verdict = std::optional<Decision>;  // nullopt: this check does not object

inline constexpr Decision allow(std::string_view rule_id, std::string_view code_id,
                                std::string_view reason) {
  return {true, DenyAs::kNone, rule_id, code_id, reason};
}

inline constexpr Decision deny(DenyAs as, std::string_view rule_id, std::string_view code_id,
                               std::string_view reason) {
  return {false, as, rule_id, code_id, reason};
}

// A refusal that must not reveal that the document exists; the reason stays generic
// because clients may see it (the code and rule still tell the audit trail why).
inline constexpr Decision hidden(std::string_view rule_id, std::string_view code_id) {
  return deny(DenyAs::kNotFound, rule_id, code_id, "not found");
}

inline constexpr bool holds_admin(RoleSet roles) { return (roles & kAdminRoles) != 0; }

// Whether the subject may know the document exists. Anything refused here is a 404.
inline Verdict check_visible(const Subject& s, const Resource& r) {
  // SoD: administrators never see classified documents, whatever clearance they were given.
  if (holds_admin(s.roles) && r.level > Level::kPublic) {
    return hidden(rule::kSoD, code::kSeparationOfDuties);
  }
  // S6/S4: a document above one's clearance does not exist for them.
  if (r.level > s.clearance) return hidden(rule::kS6, code::kClearance);
  return std::nullopt;
}

inline bool is_author(const Subject& s, const Resource& r) {
  return !s.id.empty() && s.id == r.author_id;
}

// S2: nothing above the pledge level is read or created before the pledge is accepted.
inline Verdict check_pledge(const DocumentRules& rules, const Subject& s, Level level) {
  if (level > rules.pledge_required_above && !s.pledge_accepted) {
    return deny(DenyAs::kForbidden, rule::kS2, code::kPledgeRequired,
                "the confidentiality pledge (保密承诺) must be accepted first");
  }
  return std::nullopt;
}

// SoD: each administrative duty belongs to named admin roles only.
inline Verdict check_duty(const Subject& s, RoleSet duty) {
  if ((s.roles & duty) != 0) return std::nullopt;
  if (holds_admin(s.roles)) {
    return deny(DenyAs::kForbidden, rule::kSoD, code::kSeparationOfDuties,
                "this duty belongs to another administrator");
  }
  return deny(DenyAs::kForbidden, rule::kSoD, code::kRoleNotAllowed,
              "this action is reserved to an administrator");
}

inline Decision decide_duty(const Subject& s, RoleSet duty) {
  if (auto v = check_duty(s, duty)) return *v;
  return allow(rule::kSoD, code::kOk, "administrative duty of the role");
}

}  // namespace baomi::policy::checks
