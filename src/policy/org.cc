#include "policy/org.h"

namespace baomi::policy {

Organisation default_organisation() {
  return {{
              {"centre", "", "客服中心"},
              {"general_cs", "centre", "综合客服"},
              {"after_sales", "centre", "售后"},
              {"presale", "centre", "售前"},
              {"front_desk", "centre", "前台"},
              {"administration", "centre", "行政管理"},
          },
          {Role::kStaff, Role::kGroupLeader, Role::kSupervisor, Role::kManager}};
}

std::optional<std::size_t> department_index(const Organisation& org, std::string_view name) {
  for (std::size_t i = 0; i < org.departments.size(); ++i) {
    if (org.departments[i].name == name) return i;
  }
  return std::nullopt;
}

bool is_same_or_ancestor(const Organisation& org, std::string_view ancestor,
                         std::string_view department) {
  if (!department_index(org, ancestor)) return false;
  auto at = department_index(org, department);
  // Parents are listed first, so each step moves to a lower index; the bound is belt and
  // braces for a hand-built Organisation that breaks that order.
  for (std::size_t steps = 0; at && steps <= org.departments.size(); ++steps) {
    const DepartmentSpec& d = org.departments[*at];
    if (d.name == ancestor) return true;
    if (d.parent.empty()) return false;
    at = department_index(org, d.parent);
  }
  return false;
}

Organisation with_departments(Organisation chart, const std::vector<DepartmentSpec>& added) {
  // Passes until nothing more joins: a child listed before its parent still finds it, and
  // the chart keeps its order (parents before children).
  std::vector<bool> joined(added.size(), false);
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t i = 0; i < added.size(); ++i) {
      const auto& d = added[i];
      if (joined[i] || department_index(chart, d.name) || !department_index(chart, d.parent)) {
        continue;
      }
      chart.departments.push_back(d);
      joined[i] = true;
      grew = true;
    }
  }
  return chart;
}

int rank_of(const Organisation& org, RoleSet roles) {
  int rank = 0;
  for (std::size_t i = 0; i < org.ranks.size(); ++i) {
    if (has_role(roles, org.ranks[i])) rank = static_cast<int>(i);
  }
  return rank;
}

bool in_reporting_line(const Organisation& org, std::string_view requester_department,
                       RoleSet requester_roles, std::string_view approver_department,
                       RoleSet approver_roles) {
  // A2: upwards only, within the chain; no peer, no other branch.
  return is_same_or_ancestor(org, approver_department, requester_department) &&
         rank_of(org, approver_roles) > rank_of(org, requester_roles);
}

}  // namespace baomi::policy
