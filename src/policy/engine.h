// The decision function behind Policy::decide: pure (no I/O, no clock, no allocation), so
// it can be called on every request and tested exhaustively. Callers normally go through
// Policy::decide; the free function exists so tests can vary the settings directly.
// Stateless: safe to call from any number of threads.
#pragma once

#include <optional>

#include "policy/model.h"

namespace baomi::policy {

// The settings of the `documents` section that decisions depend on.
struct DocumentRules {
  RoleSet creator_roles = kBusinessRoles;  // roles that may create documents (never admins)
  // S2: reading or creating a document above this level needs the accepted pledge.
  Level pledge_required_above = Level::kPublic;
  bool operator==(const DocumentRules&) const = default;
};

// SoD (三员分立): the refusal for an account with no valid role, two admin roles, or an admin
// role next to a business role; nullopt for a valid role set. Every decision starts with it
// (approvals.cc too), so a broken account is refused everything.
std::optional<Decision> role_set_violation(RoleSet roles, DenyAs as) noexcept;

Decision evaluate(const DocumentRules& rules, const Subject& subject, Action action,
                  const Resource& resource, const Context& context) noexcept;

}  // namespace baomi::policy
