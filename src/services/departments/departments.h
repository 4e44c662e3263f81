// Departments (RULES.md A2: the org chart is data, approval routing follows it). The policy's
// chart (organisation.departments) is the root and changes only with the policy file; the
// system administrator adds departments under any department of the chart, renames them (the
// display name; the name accounts carry never changes) and retires them once empty (no member,
// no active sub-department). The security administrator and the auditor read the chart.
// Decided by the policy (Action::kManageDepartments, kReadDepartments); every act audited
// (department.list, department.create, department.rename, department.retire). Stored through
// auth/department_record.h, so approval routing (services/requests) and account creation
// (auth/accounts) see a committed change at once, from any server instance.
// Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/department_record.h"
#include "auth/user.h"

namespace baomi::services {

struct NewDepartment {
  std::string name;
  std::string display_name;
  std::string parent;
};

// One department of the chart in force, as the API shows it.
struct DepartmentView {
  std::string name;
  std::string display_name;  // the policy's display (may be empty) or the stored one
  std::string parent;        // empty for the root
  bool from_policy = false;  // the policy file's: renamed or retired only by a policy change
  std::string state = "active";
  std::optional<auth::DepartmentRecord> stored;  // who added and last changed it, and when
  std::size_t members = 0;
};

class Departments {
 public:
  explicit Departments(const auth::Runtime& rt) : rt_(rt) {}

  // The policy's departments first (chart order), then the stored ones (oldest first, retired
  // ones too, marked so).
  Result<std::vector<DepartmentView>> list(const auth::User& actor) const;
  Result<DepartmentView> create(const auth::User& actor, const NewDepartment& spec) const;
  Result<DepartmentView> rename(const auth::User& actor, const std::string& name,
                                const std::string& display_name) const;
  Result<DepartmentView> retire(const auth::User& actor, const std::string& name) const;

 private:
  Result<void> allowed(const auth::User& actor, policy::Action action,
                       std::string_view audit_action, const std::string& target) const;
  // The stored department `name`, for a change: 404 unknown, 409 the policy's or retired.
  Result<auth::DepartmentRecord> changeable(barrier::ReadTx& tx, const std::string& name) const;
  Result<DepartmentView> with_members(auth::DepartmentRecord record) const;

  const auth::Runtime& rt_;
};

}  // namespace baomi::services
