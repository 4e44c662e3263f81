// The approvals section of the policy as data: request types, who may approve each type of
// request at each level (a list of steps, each filled by distinct people), and the limits of
// what an approval yields (longest grant, most copies, how long a request waits). The
// evaluation lives in approvals.h; this header holds plain values only, safe to copy and share
// between threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "policy/model.h"

namespace baomi::policy {

// What a request asks for. access: a time-limited grant that supplies need-to-know for one
// document (S6, never clearance); copy/print/excerpt/export: something that leaves the system
// (S3, S7); declassify: lowering the document's level or ending its secrecy term (S4); visit:
// a visitor entering a restricted area with an escort (S11), about an area, not a document:
// the area's keepers stand where a document's custodian stands; destroy: the custodian asks to
// crypto-shred a document (or one version) whose retention has ended (S5, H3).
enum class RequestType : std::uint8_t {
  kAccess,
  kCopy,
  kPrint,
  kExcerpt,
  kExport,
  kDeclassify,
  kVisit,
  kDestroy
};
inline constexpr int kRequestTypeCount = 8;

std::string_view request_type_name(RequestType type);
std::optional<RequestType> request_type_from_name(std::string_view name);
// True for the types whose approval yields copies (max_copies, allow_unmarked apply).
constexpr bool yields_copies(RequestType t) {
  return t == RequestType::kCopy || t == RequestType::kPrint || t == RequestType::kExcerpt ||
         t == RequestType::kExport;
}

// One alternative of an approval step: anyone holding `role`, or the document's own custodian
// (the custodian_id of the document, whatever roles that person holds).
struct ApproverKind {
  bool document_custodian = false;
  Role role = Role::kStaff;  // meaningful only when !document_custodian
  bool operator==(const ApproverKind&) const = default;
};
inline constexpr ApproverKind kDocumentCustodian{true, Role::kStaff};
constexpr ApproverKind approver_role(Role r) { return {false, r}; }
// "document_custodian" or the role's API name.
std::string_view approver_kind_name(ApproverKind kind);
std::optional<ApproverKind> approver_kind_from_name(std::string_view name);

// `count` distinct people, each matching one of `any_of`. With `reporting_line` (A2), an
// approver matching by role must be in the requester's reporting line (org.h); the document's
// custodian is a named person and qualifies wherever they sit.
struct ApprovalStep {
  std::vector<ApproverKind> any_of;
  int count = 1;
  bool reporting_line = false;
  bool operator==(const ApprovalStep&) const = default;
};
inline constexpr int kMaxSteps = 8;       // keeps the exact slot assignment cheap
inline constexpr int kMaxStepCount = 10;  // people one step may ask for

// Who must approve one (type, level) pair, and the limits of what approval yields.
struct ApprovalRule {
  std::vector<ApprovalStep> steps;  // all must be filled, each person filling one slot only
  int max_days = 1;                 // longest grant (access) or copy loan (copy types)
  int max_copies = 1;               // most copies one request may ask for (copy types)
  std::chrono::seconds pending_ttl = std::chrono::days{7};  // a pending request then expires
  bool allow_unmarked = false;  // S5: a copy may leave without the level marking (≤ internal)
  bool operator==(const ApprovalRule&) const = default;
};

// One rule for every request type × level.
class ApprovalTable {
 public:
  const ApprovalRule& at(RequestType type, Level level) const { return rules_[index(type, level)]; }
  ApprovalRule& at(RequestType type, Level level) { return rules_[index(type, level)]; }
  bool operator==(const ApprovalTable&) const = default;

 private:
  static std::size_t index(RequestType type, Level level) {
    return static_cast<std::size_t>(type) * kLevelCount + static_cast<std::size_t>(level);
  }
  std::array<ApprovalRule, kRequestTypeCount * kLevelCount> rules_{};
};

// The rules of policies/default.yaml (a test keeps the two equal; docs/policy.md explains them).
ApprovalTable default_approval_table();

// Every role named by any step of `rule` (the document's custodian is not a role).
RoleSet approver_roles(const ApprovalRule& rule);
// The fewest distinct people who can satisfy `rule`: each approval fills one slot only.
int distinct_approvers_required(const ApprovalRule& rule);

}  // namespace baomi::policy
