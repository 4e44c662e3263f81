#include "services/departments/departments.h"

#include <algorithm>
#include <map>

#include "audit/detail.h"
#include "auth/guard.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxDepartmentName = 64;
constexpr std::size_t kMaxDisplay = 256;  // bytes; the API also caps it at 128 characters
constexpr std::size_t kMemberPage = 500;

std::string department_target(const std::string& name) { return "department:" + name; }

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > kMaxDepartmentName) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// What a department audit entry says beyond actor, action and target, serialised in one place.
struct DepartmentAuditDetail {
  std::string parent;
  std::string state;
};

std::string department_detail_json(const DepartmentAuditDetail& d) {
  return audit::Detail{}.add("parent", d.parent).add("state", d.state);
}

const std::string& active() {
  static const std::string name(auth::department_state_name(auth::DepartmentState::kActive));
  return name;
}

// Members per department, from the accounts (clear department column).
Result<std::map<std::string, std::size_t>> member_counts(const auth::Runtime& rt,
                                                         barrier::ReadTx& tx) {
  std::map<std::string, std::size_t> counts;
  std::string after;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto users, auth::list_users_after(rt, tx, after, kMemberPage));
    for (const auto& u : users) ++counts[u.department];
    if (users.size() < kMemberPage) return counts;
    after = users.back().id;
  }
}

DepartmentView view_of(const auth::DepartmentRecord& d, std::size_t members) {
  DepartmentView v;
  v.name = d.name;
  v.display_name = d.display_name;
  v.parent = d.parent;
  v.state = d.state;
  v.stored = d;
  v.members = members;
  return v;
}

}  // namespace

Result<void> Departments::allowed(const auth::User& actor, policy::Action action,
                                  std::string_view audit_action, const std::string& target) const {
  return auth::enforce(rt_, rt_.policy.decide(auth::subject_of(actor), action, {}, {rt_.now()}),
                       actor.id, audit_action, target);
}

Result<std::vector<DepartmentView>> Departments::list(const auth::User& actor) const {
  BAOMI_TRY(allowed(actor, policy::Action::kReadDepartments, "department.list", "departments"));
  std::vector<DepartmentView> out;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto counts, member_counts(rt_, tx));
    for (const auto& d : rt_.policy.organisation().departments) {
      DepartmentView v;
      v.name = d.name;
      v.display_name = d.display;
      v.parent = d.parent;
      v.from_policy = true;
      v.members = counts[d.name];
      out.push_back(std::move(v));
    }
    BAOMI_ASSIGN_OR_RETURN(auto stored, auth::stored_departments(rt_, tx));
    for (const auto& d : stored) out.push_back(view_of(d, counts[d.name]));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "department.list", "departments", "allow", "A2", "{}"}, rt_.now()));
  return out;
}

Result<DepartmentView> Departments::create(const auth::User& actor,
                                           const NewDepartment& spec) const {
  if (!valid_name(spec.name)) {
    return Error::invalid("invalid_field",
                          "field 'name' must be 1-64 letters, digits, '.', '_' or '-'");
  }
  if (spec.display_name.empty() || spec.display_name.size() > kMaxDisplay) {
    return Error::invalid("invalid_field", "field 'display_name' must be 1-256 bytes");
  }
  BAOMI_TRY(allowed(actor, policy::Action::kManageDepartments, "department.create",
                    department_target(spec.name)));
  const auto now = rt_.now();
  auth::DepartmentRecord record{
      spec.name, spec.parent, spec.display_name, active(), actor.id, actor.id, now, now, 0};
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    // A2: the chart of this transaction: the parent must be in force now, the name new
    // (retired names stay taken: the trail and old accounts name them).
    BAOMI_ASSIGN_OR_RETURN(auto chart, auth::organisation_in(rt_, tx));
    if (!policy::department_index(chart, spec.parent)) {
      return Error::invalid("invalid_field",
                            "field 'parent' is not a department of the organisation chart");
    }
    BAOMI_ASSIGN_OR_RETURN(auto existing, auth::find_stored_department(rt_, tx, spec.name));
    if (existing || policy::department_index(rt_.policy.organisation(), spec.name)) {
      return Error::conflict("department_exists", "a department with this name exists");
    }
    BAOMI_TRY(auth::insert_department(rt_, tx, record));
    BAOMI_TRY(
        rt_.audit.append(tx,
                         {actor.id, "department.create", department_target(spec.name), "allow",
                          "A2", department_detail_json({record.parent, record.state})},
                         now));
    return {};
  }));
  return view_of(record, 0);
}

Result<auth::DepartmentRecord> Departments::changeable(barrier::ReadTx& tx,
                                                       const std::string& name) const {
  if (policy::department_index(rt_.policy.organisation(), name)) {
    return Error::conflict("department_in_policy",
                           "this department is the policy's; it changes with the policy file");
  }
  BAOMI_ASSIGN_OR_RETURN(auto record, auth::find_stored_department(rt_, tx, name));
  if (!record) return Error::not_found("department not found");
  if (record->state != active()) {
    return Error::conflict("department_retired", "this department is retired");
  }
  return std::move(*record);
}

Result<DepartmentView> Departments::with_members(auth::DepartmentRecord record) const {
  std::size_t members = 0;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto counts, member_counts(rt_, tx));
    members = counts[record.name];
    return {};
  }));
  return view_of(record, members);
}

Result<DepartmentView> Departments::rename(const auth::User& actor, const std::string& name,
                                           const std::string& display_name) const {
  if (display_name.empty() || display_name.size() > kMaxDisplay) {
    return Error::invalid("invalid_field", "field 'display_name' must be 1-256 bytes");
  }
  BAOMI_TRY(allowed(actor, policy::Action::kManageDepartments, "department.rename",
                    department_target(name)));
  const auto now = rt_.now();
  auth::DepartmentRecord record;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(record, changeable(tx, name));
    record.display_name = display_name;
    record.changed_by = actor.id;
    record.updated_at = now;
    BAOMI_TRY(auth::update_department(rt_, tx, record));
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "department.rename", department_target(name), "allow",
                                "A2", department_detail_json({record.parent, record.state})},
                               now));
    return {};
  }));
  return with_members(std::move(record));
}

Result<DepartmentView> Departments::retire(const auth::User& actor, const std::string& name) const {
  BAOMI_TRY(allowed(actor, policy::Action::kManageDepartments, "department.retire",
                    department_target(name)));
  const auto now = rt_.now();
  auth::DepartmentRecord record;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(record, changeable(tx, name));
    // A2: a department with members or active sub-departments keeps them in a reporting line.
    BAOMI_ASSIGN_OR_RETURN(bool members, auth::department_has_members(rt_, tx, name));
    BAOMI_ASSIGN_OR_RETURN(auto stored, auth::stored_departments(rt_, tx));
    const bool children = std::any_of(stored.begin(), stored.end(), [&](const auto& d) {
      return d.parent == name && d.state == active();
    });
    if (members || children) {
      return Error::conflict("department_not_empty",
                             "a department with members or active sub-departments is not retired");
    }
    record.state = std::string(auth::department_state_name(auth::DepartmentState::kRetired));
    record.changed_by = actor.id;
    record.updated_at = now;
    BAOMI_TRY(auth::update_department(rt_, tx, record));
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "department.retire", department_target(name), "allow",
                                "A2", department_detail_json({record.parent, record.state})},
                               now));
    return {};
  }));
  return with_members(std::move(record));
}

}  // namespace baomi::services
