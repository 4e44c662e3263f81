// Policy: the loaded policy file (levels and markings, categories, roles, document rules,
// session, lockout and limit settings, the organisation chart and the approval rules) and the
// single point of decision, decide().
// Services never compare levels or roles themselves; they ask decide(). A Policy is
// immutable once built: share one instance freely between threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "policy/approval_rules.h"
#include "policy/engine.h"
#include "policy/model.h"
#include "policy/org.h"
#include "policy/records.h"

namespace baomi::policy {

struct CategorySpec {
  std::string name;     // API name, e.g. "finance"
  std::string display;  // e.g. "财务" (may be empty)
  bool operator==(const CategorySpec&) const = default;
};

struct SessionSettings {
  std::chrono::seconds token_ttl = std::chrono::hours{8};
  std::optional<std::chrono::seconds> idle_timeout;  // none: only the TTL ends a session
  bool operator==(const SessionSettings&) const = default;
};

// Login throttling (S9): failures are counted per (account name, source address) and per source
// address, never per account alone, so that nobody can lock another person out from elsewhere.
struct LockoutSettings {
  int max_failures = 5;  // failed logins of one name from one source within `window` -> 423
  std::chrono::seconds window = std::chrono::minutes{15};
  // The first refusal period once `max_failures` is reached; each further failure of that name
  // from that source doubles it, up to `max_delay`.
  std::chrono::seconds first_delay = std::chrono::minutes{1};
  std::chrono::seconds max_delay = std::chrono::hours{1};
  // Password spraying: more than this many distinct names, or more failures in all, from one
  // source within `source_window` -> 429 for `source_block` and an alert.
  int source_max_names = 10;
  int source_max_failures = 50;
  std::chrono::seconds source_window = std::chrono::minutes{10};
  std::chrono::seconds source_block = std::chrono::minutes{15};
  // Bound on the (name, source) pairs and on the sources remembered; least recently used go.
  int tracked_entries = 10000;
  bool operator==(const LockoutSettings&) const = default;
};

// What one client may take of the server (issue 16): sizes, connections, and how slowly a
// request may arrive. policy.md explains each default.
struct Limits {
  std::uint64_t max_upload_bytes = std::uint64_t{2} << 30;  // one document version
  std::uint64_t max_json_body_bytes = std::uint64_t{1} << 20;
  std::uint64_t max_connections = 4096;
  std::uint64_t max_connections_per_address = 1024;  // per IPv4 address or IPv6 /64
  std::chrono::seconds header_timeout{20};           // the whole request header
  std::chrono::seconds json_body_timeout{60};        // the whole JSON body
  std::uint64_t body_min_rate = 1024;                // bytes per second, every body
  std::chrono::seconds body_rate_grace{20};          // how far a body may fall behind that rate
  bool operator==(const Limits&) const = default;
};

// Every setting of a policy. The member defaults are the values of policies/default.yaml
// (a test keeps them equal) so that other layers' tests can build a Policy without a file.
// documents.text_variants: the kinds of equivalent visible forms a text copy may vary to carry
// its serial when its invisible fingerprint is stripped (S10; marking/text_variants.h).
struct TextVariantSettings {
  bool punctuation = true;   // ，/, ：/: ；/; ！/! ？/? （/( ）/) between Chinese characters
  bool digits = true;        // full- or half-width digit runs between Chinese characters
  bool latin = false;        // full- or half-width Latin letter runs between Chinese characters
  bool space = false;        // U+3000 or U+0020 between two ideographs
  bool ideographic = false;  // 。、「」 or their half-width forms
  bool operator==(const TextVariantSettings&) const = default;
};

// watch (S9, C4, S6; issue 11): how the server notices an account that keeps knocking or reads
// more, or otherwise, than its work needs. Each kind raises one alert per episode
// (services/watch/; docs/alerts.md). A count of 0 turns its kind off.
struct WatchSettings {
  // S9: more refusals of one account than this within the window.
  int probing_refusals = 20;
  std::chrono::seconds probing_window = std::chrono::minutes{10};
  // C4, S6: more distinct documents read (metadata or content) by one account within the window.
  int bulk_read_documents = 50;
  std::chrono::seconds bulk_read_window = std::chrono::hours{1};
  // S6: an account's first read of a category it never read before, once it has read at least
  // `first_category_after_reads` documents (new accounts have no habits yet).
  bool first_category = false;
  int first_category_after_reads = 20;
  // Reads during these shifts (names from handovers.shifts, centre time) are off hours.
  std::vector<std::string> off_hours_shifts;
  // S7: more copy, print and excerpt requests by one account in one local day than this.
  int requests_per_day = 20;
  bool operator==(const WatchSettings&) const = default;
};

// alerts (optional section): where raised alerts are also delivered, one JSON line each, after
// their transaction commits (services/watch/alert_sink.h): "" none, "syslog", or a file path.
struct AlertSettings {
  std::string sink;
  bool operator==(const AlertSettings&) const = default;
};

// documents.retention (optional; these defaults otherwise): how long a document is kept before
// its custodian may have it destroyed (crypto-shredding, S5, H3). A document's floor is its
// creation plus the most months its level or any of its categories names; its creator may set
// a later floor (retain_until), at most max_months after creation.
struct CategoryRetention {
  std::string category;  // a category name of the policy
  int months = 0;
  bool operator==(const CategoryRetention&) const = default;
};
struct RetentionSettings {
  std::array<int, kLevelCount> months = {0, 3, 12, 24, 36};  // per level, public first
  std::vector<CategoryRetention> categories = {{"contracts_customers", 36}, {"finance", 36}};
  int max_months = 360;
  bool operator==(const RetentionSettings&) const = default;
};

struct PolicyData {
  std::string name = "default";
  std::string label = "default policy, edition 1";
  std::array<std::string, kLevelCount> markings = {"公开", "内部", "秘密", "机密", "绝密"};
  std::vector<CategorySpec> categories = {{"business_decisions", "经营发展决策"},
                                          {"personnel", "人事决策"},
                                          {"technology", "专有技术与新技术"},
                                          {"bidding", "招标标底与合作条件"},
                                          {"contracts_customers", "重要合同、客户和贸易渠道"},
                                          {"finance", "非公开财务、证券与银行账户"},
                                          {"other", "董事会或总经理确定的其他事项"}};
  std::array<std::string, kRoleCount> role_displays = {
      "客服专员", "组长",       "客服主管",       "客服经理",   "保密专人",
      "前台",     "系统管理员", "安全保密管理员", "安全审计员", "门禁终端"};
  DocumentRules documents;
  TextVariantSettings text_variants;
  RetentionSettings retention;  // S5, H3
  SessionSettings sessions;
  LockoutSettings lockout;
  Limits limits;
  Organisation organisation = default_organisation();  // A2
  ApprovalTable approvals = default_approval_table();  // A1, A2, S7
  CentreSettings centre;                               // C1
  HandoverSettings handovers;                          // H1, H2, H3
  CustomerSettings customers;                          // C2, C3, C4
  ReportingSettings reporting;                         // H4
  WatchSettings watch;                                 // S9, C4, S6
  AlertSettings alerts;
  bool operator==(const PolicyData&) const = default;
};

class Policy {
 public:
  // `version` is policy_version_of(the file's bytes); see loader.h for building from a file.
  Policy(PolicyData data, std::string version);

  const std::string& name() const { return data_.name; }
  const std::string& label() const { return data_.label; }
  const std::string& version() const { return version_; }
  const PolicyData& data() const { return data_; }

  std::optional<Level> level_from_name(std::string_view api_name) const;
  std::string_view level_name(Level level) const;
  const std::string& marking_name(Level level) const;
  // S5: "秘密★2030-12-31" (marking, ★, last day of the secrecy term, UTC); the bare marking
  // without a term. Public documents are never under a term: always just "公开".
  std::string marking(Level level, std::optional<TimePoint> secret_until) const;

  std::optional<int> category_index(std::string_view name) const;
  const std::vector<CategorySpec>& categories() const { return data_.categories; }
  // Error::invalid("categories", ...) naming the first unknown name.
  Result<CategorySet> category_set(std::span<const std::string> names) const;
  std::vector<std::string> category_names(CategorySet set) const;

  std::optional<Role> role_from_name(std::string_view api_name) const;
  std::string_view role_name(Role role) const;
  const std::string& role_display(Role role) const;
  // Error::invalid("roles", ...) naming the first unknown name.
  Result<RoleSet> role_set(std::span<const std::string> names) const;
  std::vector<std::string> role_names(RoleSet set) const;

  const DocumentRules& documents() const { return data_.documents; }
  const TextVariantSettings& text_variants() const { return data_.text_variants; }
  const RetentionSettings& retention() const { return data_.retention; }
  // S5, H3: the earliest time a document of this level and these categories, created at
  // `created`, may be destroyed under this policy (calendar months, UTC).
  TimePoint retention_floor(Level level, CategorySet categories, TimePoint created) const;
  // The latest floor a creator may choose for a document created at `created`.
  TimePoint retention_ceiling(TimePoint created) const;
  std::chrono::seconds session_ttl() const { return data_.sessions.token_ttl; }
  std::optional<std::chrono::seconds> idle_timeout() const { return data_.sessions.idle_timeout; }
  const LockoutSettings& lockout() const { return data_.lockout; }
  const Limits& limits() const { return data_.limits; }
  const Organisation& organisation() const { return data_.organisation; }
  // Who must approve a request of `type` about a document at `level` (approvals.h evaluates).
  const ApprovalRule& approval_rule(RequestType type, Level level) const {
    return data_.approvals.at(type, level);
  }

  const CentreSettings& centre() const { return data_.centre; }
  const HandoverSettings& handovers() const { return data_.handovers; }
  const CustomerSettings& customers() const { return data_.customers; }
  const ReportingSettings& reporting() const { return data_.reporting; }
  const WatchSettings& watch() const { return data_.watch; }
  const AlertSettings& alerts() const { return data_.alerts; }
  // Index of a department in the organisation chart (Subject::department), or -1.
  int department_id(std::string_view name) const;

  // The single point of decision: pure, allocation-free, never throws.
  Decision decide(const Subject& subject, Action action, const Resource& resource,
                  const Context& context) const noexcept {
    return evaluate(rules_, subject, action, resource, context);
  }

 private:
  PolicyData data_;
  Rules rules_;
  std::string version_;
};

}  // namespace baomi::policy
