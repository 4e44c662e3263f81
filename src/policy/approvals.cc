#include "policy/approvals.h"

#include <string>

#include "policy/approval_matching.h"

namespace baomi::policy {
namespace {

constexpr Decision forbid(std::string_view rule_id, std::string_view code_id,
                          std::string_view reason) {
  return {false, DenyAs::kForbidden, rule_id, code_id, reason};
}

// How far one alternative of a step got for an approver. The checks run in this order, and a
// refusal reports the furthest any alternative reached: the most specific reason.
enum class Reach : std::uint8_t { kNoMatch, kNotEntitled, kOutsideLine, kFills };

const Organisation& chart_of(const Policy& policy, const RequestFacts& r) {
  return r.organisation ? *r.organisation : policy.organisation();
}

bool is_document_custodian(const RequestFacts& r, const ApproverFacts& a) {
  if (a.id.empty()) return false;
  if (a.id == r.custodian_id) return true;
  for (const auto& keeper : r.keepers) {
    if (keeper == a.id) return true;
  }
  return false;
}

Reach reach(const Organisation& org, const RequestFacts& r, const ApproverFacts& a,
            const ApprovalStep& step, ApproverKind kind) {
  if (kind.document_custodian) {
    if (!is_document_custodian(r, a)) return Reach::kNoMatch;
    // S6: the custodian judges what leaves, so must still be entitled to read it. A2: the
    // custodian is a named person (S5) and qualifies wherever they sit in the chart.
    return a.entitled ? Reach::kFills : Reach::kNotEntitled;
  }
  if (!has_role(a.roles, kind.role)) return Reach::kNoMatch;
  // S6, except SoD: the security administrator never reads classified content (三员分立) and
  // signs off on the request without it.
  if (!a.entitled && kind.role != Role::kSecadmin) return Reach::kNotEntitled;
  // A2: a role named by a reporting-line step counts only upwards in the requester's chain.
  if (step.reporting_line &&
      !in_reporting_line(org, r.requester_department, r.requester_roles, a.department, a.roles)) {
    return Reach::kOutsideLine;
  }
  return Reach::kFills;
}

struct Fit {
  std::uint32_t steps = 0;  // bit s: the approver may fill step s of the rule
  Reach furthest = Reach::kNoMatch;
};

// Refusals that do not depend on the steps: SoD role sets and A1 self-approval.
std::optional<Decision> refuse_person(const RequestFacts& r, const ApproverFacts& a) {
  if (auto v = role_set_violation(a.roles, DenyAs::kForbidden)) return v;
  if (a.id.empty())
    return forbid(rule::kA1, code::kNotAnApprover, "the approver is not identified");
  // A1: never one's own request. An unidentified requester cannot be told apart: fail closed.
  if (r.requester_id.empty() || a.id == r.requester_id) {
    return forbid(rule::kA1, code::kSelfApproval, "no one approves their own request");
  }
  return std::nullopt;
}

Fit fit(const Organisation& org, const ApprovalRule& rule, const RequestFacts& r,
        const ApproverFacts& a) {
  Fit out;
  for (std::size_t s = 0; s < rule.steps.size(); ++s) {
    for (const ApproverKind& kind : rule.steps[s].any_of) {
      const Reach got = reach(org, r, a, rule.steps[s], kind);
      if (got > out.furthest) out.furthest = got;
      if (got == Reach::kFills) out.steps |= std::uint32_t{1} << s;
    }
  }
  return out;
}

}  // namespace

Decision can_approve(const Policy& policy, const RequestFacts& request,
                     const ApproverFacts& approver) {
  if (auto v = refuse_person(request, approver)) return *v;
  const ApprovalRule& rule = policy.approval_rule(request.type, request.level);
  switch (fit(chart_of(policy, request), rule, request, approver).furthest) {
    case Reach::kFills:
      return {true, DenyAs::kNone, rule::kA1, code::kOk, "an approver the policy names"};
    case Reach::kOutsideLine:
      return forbid(rule::kA2, code::kNotInReportingLine,
                    "approval follows the requester's reporting line");
    case Reach::kNotEntitled:
      return forbid(rule::kS6, code::kApproverNotEntitled,
                    "an approver must be entitled to read the document");
    case Reach::kNoMatch:
      break;
  }
  return forbid(rule::kA1, code::kNotAnApprover,
                "the policy names no such approver for this request");
}

ApprovalProgress evaluate(const Policy& policy, const RequestFacts& request,
                          std::span<const ApproverFacts> approvals) {
  const ApprovalRule& rule = policy.approval_rule(request.type, request.level);
  ApprovalProgress out;
  out.steps.reserve(rule.steps.size());
  std::vector<int> counts;
  for (const ApprovalStep& step : rule.steps) {
    out.steps.push_back({step.any_of, step.count, step.reporting_line, 0, {}});
    counts.push_back(step.count);
  }
  // One person, one slot (A1: a person with several roles, or who approved twice, counts
  // once). Should the facts of one id differ between entries, the person fills only the steps
  // that every entry qualifies for: order-independent and fail closed.
  std::vector<std::string_view> people;
  std::vector<std::uint32_t> eligible;
  for (const ApproverFacts& a : approvals) {
    const std::uint32_t steps =
        refuse_person(request, a) ? 0 : fit(chart_of(policy, request), rule, request, a).steps;
    std::size_t k = 0;
    while (k < people.size() && people[k] != a.id) ++k;
    if (k == people.size()) {
      people.push_back(a.id);
      eligible.push_back(steps);
    } else {
      eligible[k] &= steps;
    }
  }
  const std::vector<int> slot = matching::assign(eligible, counts);
  for (std::size_t k = 0; k < people.size(); ++k) {
    if (slot[k] < 0) continue;
    StepProgress& step = out.steps[static_cast<std::size_t>(slot[k])];
    ++step.have;
    step.approver_ids.emplace_back(people[k]);
  }
  out.satisfied = !out.steps.empty();  // a rule without steps approves nothing (fail closed)
  for (const StepProgress& step : out.steps) {
    out.satisfied = out.satisfied && step.have >= step.count;
  }
  return out;
}

Status check_request_terms(const ApprovalRule& rule, RequestType type, int days, int copies) {
  if (days < 1 || days > rule.max_days) {
    return Error::invalid("days", "days must be between 1 and " + std::to_string(rule.max_days) +
                                      " for this request");
  }
  if (yields_copies(type)) {
    if (copies < 1 || copies > rule.max_copies) {
      return Error::invalid("copies", "copies must be between 1 and " +
                                          std::to_string(rule.max_copies) + " for this request");
    }
  } else if (copies != 0) {
    return Error::invalid("copies", "a " + std::string(request_type_name(type)) +
                                        " request asks for no copies (copies must be 0)");
  }
  return {};
}

}  // namespace baomi::policy
