#include "auth/department_record.h"

#include <algorithm>

#include "auth/user_record.h"
#include "barrier/records.h"

namespace baomi::auth {
namespace {

constexpr std::size_t kScanPage = 256;

barrier::Records<DepartmentRecord> department_records(const Runtime& rt) {
  return barrier::Records<DepartmentRecord>(rt.barrier, department_record_type());
}

}  // namespace

const barrier::RecordType<DepartmentRecord>& department_record_type() {
  static const auto type = barrier::RecordType<DepartmentRecord>("departments")
                               .key("name", &DepartmentRecord::name)
                               .text("parent", &DepartmentRecord::parent)
                               .text("display_name", &DepartmentRecord::display_name)
                               .text("state", &DepartmentRecord::state)
                               .text("created_by", &DepartmentRecord::created_by)
                               .text("changed_by", &DepartmentRecord::changed_by)
                               .time("created_at", &DepartmentRecord::created_at)
                               .time("updated_at", &DepartmentRecord::updated_at)
                               .revision("revision", &DepartmentRecord::revision)
                               .mac("mac");
  return type;
}

std::string_view department_state_name(DepartmentState state) {
  return state == DepartmentState::kActive ? "active" : "retired";
}

Result<std::vector<DepartmentRecord>> stored_departments(const Runtime& rt, barrier::ReadTx& tx) {
  std::vector<DepartmentRecord> out;
  barrier::Scan scan;
  scan.order_by = {"name"};  // the key: a cursor through any number of departments
  scan.limit = kScanPage;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto page, department_records(rt).scan(tx, scan));
    const bool more = page.size() == kScanPage;
    for (auto& d : page) out.push_back(std::move(d));
    if (!more) break;
    scan.after_key = barrier::Row{out.back().name};
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  return out;
}

Result<std::optional<DepartmentRecord>> find_stored_department(const Runtime& rt,
                                                               barrier::ReadTx& tx,
                                                               const std::string& name) {
  return department_records(rt).get(tx, {name});
}

Result<void> insert_department(const Runtime& rt, barrier::WriteTx& tx, DepartmentRecord& d) {
  return department_records(rt).insert(tx, d);
}

Result<void> update_department(const Runtime& rt, barrier::WriteTx& tx, DepartmentRecord& d) {
  return department_records(rt).update(tx, d);
}

Result<policy::Organisation> organisation_in(const Runtime& rt, barrier::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto stored, stored_departments(rt, tx));
  std::vector<policy::DepartmentSpec> added;
  for (const auto& d : stored) {
    if (d.state != department_state_name(DepartmentState::kActive)) continue;
    added.push_back({d.name, d.parent, d.display_name});
  }
  return policy::with_departments(rt.policy.organisation(), added);
}

Result<bool> department_has_members(const Runtime& rt, barrier::ReadTx& tx,
                                    const std::string& department) {
  barrier::Scan scan;
  scan.where.push_back({"department", barrier::Compare::kEqual, department});
  scan.limit = 1;
  BAOMI_ASSIGN_OR_RETURN(
      auto keys, barrier::Records<UserRecord>(rt.barrier, user_record_type()).scan_keys(tx, scan));
  return !keys.empty();
}

}  // namespace baomi::auth
