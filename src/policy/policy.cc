#include "policy/policy.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

namespace baomi::policy {
namespace {

// The invariants approvals.cc relies on (the loader reports each with file:line first).
void check_approvals(const ApprovalTable& table) {
  constexpr RoleSet kNeverApprovers = role_bit(Role::kSysadmin) | role_bit(Role::kAuditor);
  for (int t = 0; t < kRequestTypeCount; ++t) {
    for (int l = 0; l < kLevelCount; ++l) {
      const ApprovalRule& rule = table.at(static_cast<RequestType>(t), static_cast<Level>(l));
      if (rule.steps.empty() || rule.steps.size() > static_cast<std::size_t>(kMaxSteps)) {
        throw std::invalid_argument("an approval rule has 1 to kMaxSteps steps");
      }
      for (const ApprovalStep& step : rule.steps) {
        if (step.any_of.empty()) throw std::invalid_argument("an approval step names no one");
      }
      // SoD: approving is neither the system administrator's nor the auditor's duty.
      if ((approver_roles(rule) & kNeverApprovers) != 0) {
        throw std::invalid_argument("sysadmin and auditor never approve requests");
      }
    }
  }
}

DepartmentSet department_set(const Organisation& org, const std::vector<std::string>& names) {
  DepartmentSet set;
  for (const auto& name : names) {
    // The loader reports unknown names with file:line; here a name the chart lacks (defaults
    // over a smaller chart) simply matches no one.
    if (const auto index = department_index(org, name)) set.set(*index);
  }
  return set;
}

Rules rules_of(const PolicyData& data) {
  Rules rules{.documents = data.documents, .records = {}};
  rules.records.centre_departments = department_set(data.organisation, data.centre.departments);
  rules.records.centre_roles = data.centre.roles;
  rules.records.supervisor_roles = data.centre.supervisor_roles;
  rules.records.handover_receivers =
      department_set(data.organisation, data.handovers.receiving_departments);
  rules.records.unmask_fields = data.customers.unmask;
  return rules;
}

// `months` calendar months after `t` (UTC); the last day of a shorter month.
TimePoint add_months(TimePoint t, int months_count) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const auto time_of_day = t - day;
  auto target = year_month_day{day} + months{months_count};
  if (!target.ok()) target = target.year() / target.month() / last;
  return TimePoint(sys_days{target} + time_of_day);
}

}  // namespace

TimePoint Policy::retention_floor(Level level, CategorySet categories, TimePoint created) const {
  int months = data_.retention.months[static_cast<std::size_t>(level)];
  for (const auto& c : data_.retention.categories) {
    const auto index = category_index(c.category);
    if (index && (categories & category_bit(*index)) != 0) months = std::max(months, c.months);
  }
  return add_months(created, months);
}

TimePoint Policy::retention_ceiling(TimePoint created) const {
  return add_months(created, data_.retention.max_months);
}

Policy::Policy(PolicyData data, std::string version)
    : data_(std::move(data)), rules_(rules_of(data_)), version_(std::move(version)) {
  // The loader validates this; a violation here is a programming error in the caller.
  if (data_.categories.size() > static_cast<std::size_t>(kMaxCategories)) {
    throw std::invalid_argument("a policy holds at most 32 categories");
  }
  if ((data_.documents.creator_roles & kAdminRoles) != 0) {
    throw std::invalid_argument("administrators cannot be document creators");
  }
  check_approvals(data_.approvals);
  // SoD: administrators never work with the centre's records (C1).
  if (((data_.centre.roles | data_.centre.supervisor_roles) & kAdminRoles) != 0) {
    throw std::invalid_argument("administrators cannot be the centre's staff");
  }
  // H3: the floor no policy goes below.
  if (data_.handovers.retention_months < kMinRetentionMonths) {
    throw std::invalid_argument("handover slips are kept at least three months");
  }
}

std::optional<Level> Policy::level_from_name(std::string_view api_name) const {
  return level_from_api_name(api_name);
}

std::string_view Policy::level_name(Level level) const { return level_api_name(level); }

const std::string& Policy::marking_name(Level level) const {
  return data_.markings.at(static_cast<std::size_t>(level));
}

std::string Policy::marking(Level level, std::optional<TimePoint> secret_until) const {
  std::string out = marking_name(level);
  if (level == Level::kPublic || !secret_until) return out;
  out += "\u2605";  // ★
  out += format_date(*secret_until);
  return out;
}

std::optional<int> Policy::category_index(std::string_view name) const {
  for (std::size_t i = 0; i < data_.categories.size(); ++i) {
    if (data_.categories[i].name == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

Result<CategorySet> Policy::category_set(std::span<const std::string> names) const {
  CategorySet set = 0;
  for (const auto& name : names) {
    const auto index = category_index(name);
    if (!index) return Error::invalid("categories", "unknown category '" + name + "'");
    set |= category_bit(*index);
  }
  return set;
}

std::vector<std::string> Policy::category_names(CategorySet set) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < data_.categories.size(); ++i) {
    if ((set & category_bit(static_cast<int>(i))) != 0) out.push_back(data_.categories[i].name);
  }
  return out;
}

std::optional<Role> Policy::role_from_name(std::string_view api_name) const {
  return role_from_api_name(api_name);
}

std::string_view Policy::role_name(Role role) const { return role_api_name(role); }

const std::string& Policy::role_display(Role role) const {
  return data_.role_displays.at(static_cast<std::size_t>(role));
}

Result<RoleSet> Policy::role_set(std::span<const std::string> names) const {
  RoleSet set = 0;
  for (const auto& name : names) {
    const auto role = role_from_name(name);
    if (!role) return Error::invalid("roles", "unknown role '" + name + "'");
    set |= role_bit(*role);
  }
  return set;
}

std::vector<std::string> Policy::role_names(RoleSet set) const {
  std::vector<std::string> out;
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    if (has_role(set, role)) out.emplace_back(role_name(role));
  }
  return out;
}

int Policy::department_id(std::string_view name) const {
  const auto index = department_index(data_.organisation, name);
  return index ? static_cast<int>(*index) : -1;
}

}  // namespace baomi::policy
