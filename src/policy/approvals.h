// Approval evaluation: may this person approve this request (can_approve), and do the
// approvals given so far satisfy the policy's rule (evaluate)? Pure like Policy::decide: no
// I/O, no clock; the service supplies every fact. Stateless: safe from any number of threads.
//
// Rules enforced here (RULES.md): A1 approvals only by roles the policy names, never by the
// requester; A2 steps marked reporting_line follow the org chart; S6 an approver must be
// entitled to read the document (they judge what leaves), except the security administrator,
// who by separation of duties never reads classified content and signs off on the request.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "policy/policy.h"

namespace baomi::policy {

namespace rule {
inline constexpr std::string_view kA1 = "A1";
inline constexpr std::string_view kA2 = "A2";
}  // namespace rule

namespace code {
inline constexpr std::string_view kSelfApproval = "self_approval";
inline constexpr std::string_view kNotAnApprover = "not_an_approver";
inline constexpr std::string_view kApproverNotEntitled = "approver_not_entitled";
inline constexpr std::string_view kNotInReportingLine = "not_in_reporting_line";
}  // namespace code

// The request being decided. Views must outlive the call.
struct RequestFacts {
  RequestType type = RequestType::kAccess;
  Level level = Level::kTopSecret;
  std::string_view requester_id;
  std::string_view requester_department;
  RoleSet requester_roles = 0;
  std::string_view custodian_id;  // the document's custodian
  // S11, visit requests: the area's keepers; each one counts as the matter's custodian.
  std::span<const std::string> keepers;
  // A2: the chart in force when the service read the request: the policy's chart with the
  // departments the system administrator added (read in the same transaction, so every server
  // instance on one database routes alike). Null: the policy's own chart.
  const Organisation* organisation = nullptr;
};

// One (would-be) approver. `entitled` is whether Policy::decide(approver,
// kReadDocumentContent, document) allowed: the service asks, this layer does not repeat it.
struct ApproverFacts {
  std::string_view id;
  RoleSet roles = 0;
  std::string_view department;
  bool entitled = false;
};

// Whether `approver` may approve `request` at all: they fill some step of the rule. Denials
// carry rule A1 (self_approval, not_an_approver), S6 (approver_not_entitled), A2
// (not_in_reporting_line) or SoD (an account whose roles break 三员分立); all are 403.
Decision can_approve(const Policy& policy, const RequestFacts& request,
                     const ApproverFacts& approver);

struct StepProgress {
  std::vector<ApproverKind> any_of;
  int count = 0;
  bool reporting_line = false;
  int have = 0;  // approvals assigned to this step
  // Who fills it, in input order. Owned copies: progress outlives the facts it was computed
  // from (services return it from the function that loaded the approvers).
  std::vector<std::string> approver_ids;
};

struct ApprovalProgress {
  bool satisfied = false;  // every step has `count` distinct approvers (and there is a step)
  std::vector<StepProgress> steps;
};

// Assigns the approvals to the rule's steps: each person (by id; repeats count once) fills at
// most one slot, only where can_approve-style checks pass with the facts given now, and the
// assignment is exact: the most fully filled steps, then the most filled slots. Repeats of one
// id whose facts differ count only for the steps every repeat qualifies for (fail closed).
ApprovalProgress evaluate(const Policy& policy, const RequestFacts& request,
                          std::span<const ApproverFacts> approvals);

// Checks what a request asks for against its rule: 1 ≤ days ≤ max_days, and for the types that
// yield copies 1 ≤ copies ≤ max_copies (other types must ask for 0 copies). Error::invalid
// naming "days" or "copies".
Status check_request_terms(const ApprovalRule& rule, RequestType type, int days, int copies);

// When a request made at `created` expires if still pending.
inline TimePoint pending_deadline(const ApprovalRule& rule, TimePoint created) {
  return created + rule.pending_ttl;
}

}  // namespace baomi::policy
