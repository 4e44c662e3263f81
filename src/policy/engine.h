// The decision function behind Policy::decide: pure (no I/O, no clock, no allocation), so
// it can be called on every request and tested exhaustively. Callers normally go through
// Policy::decide; the free function exists so tests can vary the settings directly.
// Stateless: safe to call from any number of threads.
#pragma once

#include <array>
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

// The settings of the `centre`, `handovers` and `customers` sections that decisions on
// handover slips and customer records depend on. Departments are organisation-chart indices.
struct RecordRules {
  DepartmentSet centre_departments;  // C1: the centre's own departments
  RoleSet centre_roles = 0;          // business roles that work with slips and customers
  RoleSet supervisor_roles = 0;      // H2, H4: see every slip, overdue lists, weekly reports
  DepartmentSet handover_receivers;  // H1: the departments that each keep a copy
  std::array<FieldSet, kRoleCount> unmask_fields{};  // C3: per role, fields shown in clear
  bool operator==(const RecordRules&) const = default;
};

// Everything evaluate() reads.
struct Rules {
  DocumentRules documents;
  RecordRules records;
  bool operator==(const Rules&) const = default;
};

// SoD (三员分立): the refusal for an account with no valid role, two admin roles, or an admin
// role next to a business role; nullopt for a valid role set. Every decision starts with it
// (approvals.cc too), so a broken account is refused everything.
std::optional<Decision> role_set_violation(RoleSet roles, DenyAs as) noexcept;

Decision evaluate(const Rules& rules, const Subject& subject, Action action,
                  const Resource& resource, const Context& context) noexcept;

// Document and workflow decisions only: every record action is refused (empty RecordRules).
Decision evaluate(const DocumentRules& rules, const Subject& subject, Action action,
                  const Resource& resource, const Context& context) noexcept;

// The record actions (engine_records.cc), reached through evaluate().
bool is_record_action(Action action) noexcept;
Decision decide_record(const Rules& rules, const Subject& subject, Action action,
                       const Resource& resource) noexcept;

// The restricted-area actions (engine_areas.cc, S11), reached through evaluate().
bool is_area_action(Action action) noexcept;
Decision decide_area(const Rules& rules, const Subject& subject, Action action,
                     const Resource& resource) noexcept;
// S11: the refusal of anything but recording passages to a door terminal; nullopt otherwise.
std::optional<Decision> device_violation(const Subject& subject, Action action, DenyAs as) noexcept;

}  // namespace baomi::policy
