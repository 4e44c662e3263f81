// The organisation chart as data (RULES.md A2): departments with an optional parent, and the
// ranks of the reporting line (staff < group_leader < supervisor < manager by default). Approval
// routing uses it to decide whether an approver is in a requester's reporting line. Plain
// values and pure functions: safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/model.h"

namespace baomi::policy {

struct DepartmentSpec {
  std::string name;     // what accounts carry in their `department` field, e.g. "after_sales"
  std::string parent;   // empty for a root; otherwise a department listed earlier
  std::string display;  // e.g. "售后" (may be empty)
  bool operator==(const DepartmentSpec&) const = default;
};

struct Organisation {
  // Parents come before their children, so the chart has no cycles.
  std::vector<DepartmentSpec> departments;
  // Business roles of the reporting line, lowest first. A role set's rank is the position of
  // its highest listed role; roles not listed (and no role at all) rank with the lowest.
  std::vector<Role> ranks;
  bool operator==(const Organisation&) const = default;
};

// The organisation of policies/default.yaml: the centre with its five departments.
Organisation default_organisation();

// Index of `name` in org.departments, or nullopt when the chart does not know it.
std::optional<std::size_t> department_index(const Organisation& org, std::string_view name);
// True when `ancestor` is `department` itself or one of its parents, both known to the chart.
bool is_same_or_ancestor(const Organisation& org, std::string_view ancestor,
                         std::string_view department);
int rank_of(const Organisation& org, RoleSet roles);

// A2: the policy's chart with departments added at run time (the system administrator's,
// stored), each under a department of the chart or of `added`. A department whose name the
// chart has already, or whose parent is nowhere, is left out (fail closed: its members are in
// no reporting line). The result lists parents before children, as the chart must.
Organisation with_departments(Organisation chart, const std::vector<DepartmentSpec>& added);

// A2: the approver sits in the requester's department or one above it, and ranks above the
// requester. Departments unknown to the chart are in no reporting line (fail closed).
bool in_reporting_line(const Organisation& org, std::string_view requester_department,
                       RoleSet requester_roles, std::string_view approver_department,
                       RoleSet approver_roles);

}  // namespace baomi::policy
