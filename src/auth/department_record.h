// Departments the system administrator adds to the organisation chart at run time (RULES.md A2:
// the org chart is data). The policy's own chart (policy/org.h) stays the root; each stored
// department hangs under a department already in the chart, is renamed (its display name) and
// retired when empty, never deleted: audit entries and accounts name it. Stored as declared,
// MAC'd records (barrier/record_type.h), so every server instance on one database reads the same
// chart inside its own transaction: nothing is cached in a process.
// Thread-safety: stateless over the Runtime; use inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "barrier/record_type.h"
#include "policy/org.h"

namespace baomi::auth {

enum class DepartmentState { kActive, kRetired };

struct DepartmentRecord {
  std::string name;          // what accounts carry in `department`, e.g. "after_sales_night"
  std::string parent;        // a department of the chart (the policy's or a stored one)
  std::string display_name;  // e.g. "售后夜班组"
  std::string state;         // "active" or "retired"
  std::string created_by;
  std::string changed_by;
  TimePoint created_at;
  TimePoint updated_at;
  std::uint64_t revision = 0;
};

const barrier::RecordType<DepartmentRecord>& department_record_type();

std::string_view department_state_name(DepartmentState state);

// Every stored department, oldest first (so a parent precedes its children).
Result<std::vector<DepartmentRecord>> stored_departments(const Runtime& rt, barrier::ReadTx& tx);
Result<std::optional<DepartmentRecord>> find_stored_department(const Runtime& rt,
                                                               barrier::ReadTx& tx,
                                                               const std::string& name);
Result<void> insert_department(const Runtime& rt, barrier::WriteTx& tx, DepartmentRecord& d);
Result<void> update_department(const Runtime& rt, barrier::WriteTx& tx, DepartmentRecord& d);

// A2: the chart in force in this transaction: the policy's chart and the active stored
// departments under it. Approval routing and account creation read it here, never from a copy
// another process could not invalidate.
Result<policy::Organisation> organisation_in(const Runtime& rt, barrier::ReadTx& tx);

// Whether some account sits in `department` (a department with members is not retired).
Result<bool> department_has_members(const Runtime& rt, barrier::ReadTx& tx,
                                    const std::string& department);

}  // namespace baomi::auth
