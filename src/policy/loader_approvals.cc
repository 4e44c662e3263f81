// The `approvals` section: who approves each request type at each level and what an approval
// yields (RULES.md A1, A2, S5, S7). Every (type, level) pair must have exactly one rule.
#include <array>
#include <string>

#include "policy/loader_sections.h"

namespace baomi::policy::sections {
namespace {

using std::chrono::days;
using std::chrono::hours;

constexpr int kMaxDays = 365;
constexpr int kMaxCopies = 100;
constexpr std::size_t kPairs = kRequestTypeCount * kLevelCount;

std::size_t pair_index(RequestType t, Level l) {
  return static_cast<std::size_t>(t) * kLevelCount + static_cast<std::size_t>(l);
}

std::string pair_name(RequestType t, Level l) {
  return "(" + std::string(request_type_name(t)) + ", " + std::string(level_api_name(l)) + ")";
}

// What one entry of approvals.rules covers.
struct Entry {
  std::vector<RequestType> types;
  std::vector<Level> levels;
  ApprovalRule rule;
};

template <typename T, typename Parse>
Status read_names(const SourceFile& src, const Section& e, std::string_view key,
                  std::string_view what, std::string_view known, Parse parse, std::vector<T>& out) {
  BAOMI_ASSIGN_OR_RETURN(const auto names, e.strings(key));
  if (names.empty()) return e.error(key, "must name at least one " + std::string(what));
  const std::string where = e.path() + "." + std::string(key) + ": ";
  for (const auto& [name, line] : names) {
    const std::optional<T> value = parse(name);
    if (!value) {
      return src.error(line, where + "unknown " + std::string(what) + " '" + name + "' (" +
                                 std::string(known) + ")");
    }
    for (const T& seen : out) {
      if (seen == *value) return src.error(line, where + "duplicate " + std::string(what));
    }
    out.push_back(*value);
  }
  return {};
}

// A2: a reporting-line step counts a role only above the requester, so a role that ranks
// lowest (or is not ranked) could never fill it.
Status check_ranked(const Section& s, const Organisation& org, const ApprovalStep& step) {
  for (const ApproverKind& kind : step.any_of) {
    if (kind.document_custodian || rank_of(org, role_bit(kind.role)) > 0) continue;
    return s.error("reporting_line", "role '" + std::string(role_api_name(kind.role)) +
                                         "' ranks lowest in organisation.ranks (or is not "
                                         "listed), so it is never above a requester (A2)");
  }
  return {};
}

Status read_step(const SourceFile& src, const Section& s, const Organisation& org,
                 ApprovalStep& step) {
  BAOMI_TRY(read_names<ApproverKind>(src, s, "any_of", "approver", "document_custodian or a role",
                                     approver_kind_from_name, step.any_of));
  for (const ApproverKind& kind : step.any_of) {
    // SoD (三员分立): approving is neither the system administrator's duty nor the auditor's,
    // who must stay independent of what they audit. The security administrator may sign off.
    if (!kind.document_custodian && is_admin_role(kind.role) && kind.role != Role::kSecadmin) {
      return s.error("any_of", "'" + std::string(role_api_name(kind.role)) +
                                   "' cannot approve requests (separation of duties)");
    }
  }
  if (s.has("count")) {
    BAOMI_ASSIGN_OR_RETURN(const std::int64_t count, s.integer("count"));
    if (count < 1 || count > kMaxStepCount) {
      return s.error("count", "must be between 1 and " + std::to_string(kMaxStepCount));
    }
    step.count = static_cast<int>(count);
  }
  if (step.count > 1 && step.any_of == std::vector<ApproverKind>{kDocumentCustodian}) {
    return s.error("count", "a document has one custodian: this step could never be filled");
  }
  if (s.has("reporting_line")) {
    BAOMI_ASSIGN_OR_RETURN(step.reporting_line, s.boolean("reporting_line"));
  }
  if (step.reporting_line) BAOMI_TRY(check_ranked(s, org, step));
  return {};
}

Status read_limits_of(const SourceFile& src, const Section& e, bool copies, ApprovalRule& rule) {
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t max_days, e.integer("max_days"));
  if (max_days < 1 || max_days > kMaxDays) return e.error("max_days", "must be between 1 and 365");
  rule.max_days = static_cast<int>(max_days);
  BAOMI_ASSIGN_OR_RETURN(rule.pending_ttl, e.duration("pending_ttl"));
  if (rule.pending_ttl < hours{1} || rule.pending_ttl > days{90}) {
    return e.error("pending_ttl", "must be between 1h and 90d");
  }
  // max_copies and allow_unmarked belong to the types that yield copies (S7) and are written
  // exactly where they apply, so a file never carries a setting that does nothing.
  for (std::string_view key : {"max_copies", "allow_unmarked"}) {
    if (copies && !e.has(key)) {
      return src.error(e.line(), e.path() + ": missing required key '" + std::string(key) +
                                     "' (the rule covers a type that yields copies)");
    }
    if (!copies && e.has(key)) {
      return e.error(key, "applies only to copy, print, excerpt and export");
    }
  }
  if (!copies) return {};
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t max_copies, e.integer("max_copies"));
  if (max_copies < 1 || max_copies > kMaxCopies) {
    return e.error("max_copies", "must be between 1 and 100");
  }
  rule.max_copies = static_cast<int>(max_copies);
  BAOMI_ASSIGN_OR_RETURN(rule.allow_unmarked, e.boolean("allow_unmarked"));
  return {};
}

Status read_entry(const SourceFile& src, const Section& e, const Organisation& org, Entry& out) {
  BAOMI_TRY(
      read_names<RequestType>(src, e, "types", "request type",
                              "types are access, copy, print, excerpt, export, declassify, visit, "
                              "destroy",
                              request_type_from_name, out.types));
  BAOMI_TRY(read_names<Level>(src, e, "levels", "level",
                              "levels are public, internal, secret, confidential, top_secret",
                              level_from_api_name, out.levels));
  std::vector<ApprovalStep>& steps = out.rule.steps;
  BAOMI_TRY(for_each_item(src, e, "steps", {"any_of", "count", "reporting_line"}, {"any_of"},
                          [&](const Section& s) -> Status {
                            if (steps.size() == static_cast<std::size_t>(kMaxSteps)) {
                              return src.error(s.line(), s.path() + ": at most " +
                                                             std::to_string(kMaxSteps) +
                                                             " steps per rule");
                            }
                            steps.emplace_back();
                            return read_step(src, s, org, steps.back());
                          }));
  if (steps.empty()) return e.error("steps", "must name at least one step");
  bool copies = false;
  for (RequestType t : out.types) copies = copies || yields_copies(t);
  BAOMI_TRY(read_limits_of(src, e, copies, out.rule));
  for (Level l : out.levels) {
    // S5: secret files must be marked (秘密); only public and internal copies may go bare.
    if (out.rule.allow_unmarked && l > Level::kInternal) {
      return e.error("allow_unmarked",
                     "must be false at level '" + std::string(level_api_name(l)) +
                         "': copies above internal always carry the marking (S5)");
    }
    // The two-person rule: nothing top secret leaves on one person's word.
    if (l == Level::kTopSecret && distinct_approvers_required(out.rule) < 2) {
      return e.error("steps", "top_secret needs at least two distinct approvers (two-person rule)");
    }
  }
  return {};
}

}  // namespace

Status read_approvals(const SourceFile& src, const Section& root, PolicyData& out) {
  BAOMI_ASSIGN_OR_RETURN(const Section section, root.child("approvals", {"rules"}, {"rules"}));
  std::array<int, kPairs> given_at{};  // line of the rule covering each pair; 0: none yet
  ApprovalTable table;
  BAOMI_TRY(for_each_item(
      src, section, "rules",
      {"types", "levels", "steps", "max_days", "max_copies", "pending_ttl", "allow_unmarked"},
      {"types", "levels", "steps", "max_days", "pending_ttl"}, [&](const Section& e) -> Status {
        Entry entry;
        BAOMI_TRY(read_entry(src, e, out.organisation, entry));
        for (RequestType t : entry.types) {
          for (Level l : entry.levels) {
            int& at = given_at[pair_index(t, l)];
            if (at != 0) {
              return src.error(e.line(), e.path() + ": " + pair_name(t, l) +
                                             " already has a rule at line " + std::to_string(at));
            }
            at = e.line();
            table.at(t, l) = entry.rule;
          }
        }
        return {};
      }));
  for (int t = 0; t < kRequestTypeCount; ++t) {
    for (int l = 0; l < kLevelCount; ++l) {
      const auto type = static_cast<RequestType>(t);
      const auto level = static_cast<Level>(l);
      if (given_at[pair_index(type, level)] != 0) continue;
      // Fail closed: a pair without a rule would otherwise fall back to something unwritten.
      return src.error(section.key_line("rules"),
                       "approvals.rules: no rule for " + pair_name(type, level));
    }
  }
  out.approvals = std::move(table);
  return {};
}

}  // namespace baomi::policy::sections
