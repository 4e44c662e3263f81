#include "policy/approval_rules.h"

#include "core/enum_names.h"

namespace baomi::policy {
namespace {

using std::chrono::days;

constexpr std::array<std::string_view, kRequestTypeCount> kTypeNames = {
    "access", "copy", "print", "excerpt", "export", "declassify", "visit", "destroy"};

constexpr std::string_view kDocumentCustodianName = "document_custodian";

constexpr ApproverKind role_kind(Role r) { return approver_role(r); }

// The default rule of every type but declassify at `level` (docs/policy.md "Default rules").
ApprovalRule release_rule(Level level) {
  const ApproverKind custodian = kDocumentCustodian;
  const ApproverKind leader = role_kind(Role::kGroupLeader);
  const ApproverKind supervisor = role_kind(Role::kSupervisor);
  const ApproverKind manager = role_kind(Role::kManager);
  switch (level) {
    case Level::kPublic:
      return {{{{custodian, leader, supervisor, manager}, 1, true}}, 90, 10, days{14}, false};
    case Level::kInternal:
      return {{{{custodian, supervisor, manager}, 1, true}}, 30, 5, days{14}, false};
    case Level::kSecret:
      return {{{{custodian, supervisor, manager}, 1, true}}, 14, 3, days{7}, false};
    case Level::kConfidential:
      return {{{{custodian}, 1, false}, {{manager}, 1, false}}, 7, 2, days{7}, false};
    case Level::kTopSecret:
      break;
  }
  return {
      {{{custodian}, 1, false}, {{manager}, 1, false}, {{role_kind(Role::kSecadmin)}, 1, false}},
      3,
      1,
      days{3},
      false};
}

// S4: declassification is a security decision: the custodian (or a manager, when the custodian
// asks) and the security administrator.
ApprovalRule declassify_rule() {
  return {{{{kDocumentCustodian, role_kind(Role::kManager)}, 1, false},
           {{role_kind(Role::kSecadmin)}, 1, false}},
          1,
          1,
          days{14},
          false};
}

// S11: a visit to a restricted area: one of the area's keepers or the security administrator;
// both for a top-secret area (two-person rule).
ApprovalRule visit_rule(Level level) {
  const ApproverKind secadmin = role_kind(Role::kSecadmin);
  if (level == Level::kTopSecret) {
    return {{{{kDocumentCustodian}, 1, false}, {{secadmin}, 1, false}}, 1, 1, days{7}, false};
  }
  return {{{{kDocumentCustodian, secadmin}, 1, false}}, 1, 1, days{7}, false};
}

// S5, H3: destroying a document is the custodian's request and the security administrator's
// decision; nothing top secret goes on one approver's word (a manager too).
ApprovalRule destroy_rule(Level level) {
  const ApproverKind secadmin = role_kind(Role::kSecadmin);
  if (level == Level::kTopSecret) {
    return {
        {{{role_kind(Role::kManager)}, 1, false}, {{secadmin}, 1, false}}, 7, 1, days{14}, false};
  }
  return {{{{secadmin}, 1, false}}, 7, 1, days{14}, false};
}

}  // namespace

std::string_view request_type_name(RequestType type) { return enum_name(kTypeNames, type); }

std::optional<RequestType> request_type_from_name(std::string_view name) {
  return enum_from_name<RequestType>(kTypeNames, name);
}

std::string_view approver_kind_name(ApproverKind kind) {
  return kind.document_custodian ? kDocumentCustodianName : role_api_name(kind.role);
}

std::optional<ApproverKind> approver_kind_from_name(std::string_view name) {
  if (name == kDocumentCustodianName) return kDocumentCustodian;
  const auto role = role_from_api_name(name);
  if (!role) return std::nullopt;
  return approver_role(*role);
}

ApprovalTable default_approval_table() {
  ApprovalTable table;
  for (int t = 0; t < kRequestTypeCount; ++t) {
    const auto type = static_cast<RequestType>(t);
    for (int l = 0; l < kLevelCount; ++l) {
      const auto level = static_cast<Level>(l);
      table.at(type, level) = type == RequestType::kDeclassify ? declassify_rule()
                              : type == RequestType::kVisit    ? visit_rule(level)
                              : type == RequestType::kDestroy  ? destroy_rule(level)
                                                               : release_rule(level);
    }
  }
  return table;
}

RoleSet approver_roles(const ApprovalRule& rule) {
  RoleSet roles = 0;
  for (const auto& step : rule.steps) {
    for (const auto& kind : step.any_of) {
      if (!kind.document_custodian) roles |= role_bit(kind.role);
    }
  }
  return roles;
}

int distinct_approvers_required(const ApprovalRule& rule) {
  int total = 0;
  for (const auto& step : rule.steps) total += step.count;
  return total;
}

}  // namespace baomi::policy
