// Reading the details services put into audit entries, for tests that pin them exactly
// (docs/audit-format.md: auditors' tools read these members; their keys, order and types are
// part of the format).
#pragma once

#include <string>
#include <vector>

#include "audit/record_ledger.h"
#include "audit/trail_tables.h"
#include "support/test_runtime.h"

namespace baomi::services::testing_detail {

// The details of every entry of `action`, in trail order, each as the service wrote it: without
// the "writes" member the record ledger appends in a job that wrote records (record_ledger.h).
inline std::vector<std::string> details_of(baomi::testing::TestRuntime& t,
                                           const std::string& action) {
  static const std::string kWrites = "\"writes\":\"";
  std::vector<std::string> out;
  for (const auto& row : t.audit_rows()) {
    if (row.action != action) continue;
    std::string d = row.detail;
    if (audit::writes_in_detail(d)) {
      auto at = d.rfind(kWrites);
      if (at > 1 && d[at - 1] == ',') --at;
      d = d.substr(0, at) + "}";
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace baomi::services::testing_detail
