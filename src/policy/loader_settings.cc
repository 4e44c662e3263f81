#include <algorithm>
#include <string>

#include "policy/loader_sections.h"
#include "policy/values.h"

namespace baomi::policy {
namespace sections {
namespace {

bool valid_label(std::string_view s) { return !s.empty() && s.size() <= 200 && is_valid_utf8(s); }

template <typename T>
Status in_range(const Section& s, std::string_view key, T value, T lo, T hi,
                std::string_view range_text) {
  if (value < lo || value > hi) return s.error(key, "must be " + std::string(range_text));
  return {};
}

}  // namespace

Status read_meta(const Section& root, PolicyData& out) {
  BAOMI_ASSIGN_OR_RETURN(const Section meta,
                         root.child("policy", {"name", "label"}, {"name", "label"}));
  BAOMI_ASSIGN_OR_RETURN(out.name, meta.string("name"));
  if (!is_identifier(out.name)) {
    return meta.error("name", "must be lowercase letters, digits and '_', starting with a letter");
  }
  BAOMI_ASSIGN_OR_RETURN(out.label, meta.string("label"));
  if (!valid_label(out.label)) return meta.error("label", "must be 1-200 bytes of UTF-8");
  return {};
}

namespace {

// documents.text_variants (optional): a list of class names, possibly empty (no visible channel).
Status read_text_variants(const SourceFile& src, const Section& docs, TextVariantSettings& out) {
  if (!docs.has("text_variants")) return {};
  BAOMI_ASSIGN_OR_RETURN(const auto names, docs.strings("text_variants"));
  out = TextVariantSettings{false, false, false, false, false};
  for (const auto& [name, line] : names) {
    bool* flag = name == "punctuation"   ? &out.punctuation
                 : name == "digits"      ? &out.digits
                 : name == "latin"       ? &out.latin
                 : name == "space"       ? &out.space
                 : name == "ideographic" ? &out.ideographic
                                         : nullptr;
    if (flag == nullptr) {
      return src.error(line, "documents.text_variants: unknown class '" + name +
                                 "' (punctuation, digits, latin, space, ideographic)");
    }
    if (*flag) return src.error(line, "documents.text_variants: duplicate class '" + name + "'");
    *flag = true;
  }
  return {};
}

constexpr std::int64_t kMaxRetentionMonths = 1200;

Status read_category_retention(const SourceFile& src, const Section& e, const PolicyData& data,
                               std::vector<CategoryRetention>& out) {
  BAOMI_ASSIGN_OR_RETURN(const std::string name, e.string("name"));
  const bool known = std::any_of(data.categories.begin(), data.categories.end(),
                                 [&](const CategorySpec& c) { return c.name == name; });
  if (!known) return e.error("name", "unknown category '" + name + "'");
  for (const auto& seen : out) {
    if (seen.category == name) return e.error("name", "duplicate category '" + name + "'");
  }
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t months, e.integer("months"));
  if (months < 0 || months > kMaxRetentionMonths) {
    return src.error(e.line_of("months"), e.path() + ".months: must be between 0 and 1200");
  }
  out.push_back({name, static_cast<int>(months)});
  return {};
}

// documents.retention (optional): S5, H3: how long documents are kept before destruction.
Status read_retention(const SourceFile& src, const Section& docs, PolicyData& out) {
  if (!docs.has("retention")) return {};
  const Keys kKeys = {"months", "categories", "max_months"};
  BAOMI_ASSIGN_OR_RETURN(const Section r, docs.child("retention", kKeys, {"months", "max_months"}));
  const Keys kLevels = {"public", "internal", "secret", "confidential", "top_secret"};
  BAOMI_ASSIGN_OR_RETURN(const Section m, r.child("months", kLevels, kLevels));
  RetentionSettings set;
  for (int l = 0; l < kLevelCount; ++l) {
    const std::string_view key = level_api_name(static_cast<Level>(l));
    BAOMI_ASSIGN_OR_RETURN(const std::int64_t months, m.integer(key));
    if (months < 0 || months > kMaxRetentionMonths) {
      return m.error(key, "must be between 0 and 1200");
    }
    set.months[static_cast<std::size_t>(l)] = static_cast<int>(months);
  }
  set.categories.clear();
  if (r.has("categories")) {
    BAOMI_TRY(for_each_item(
        src, r, "categories", {"name", "months"}, {"name", "months"},
        [&](const Section& e) { return read_category_retention(src, e, out, set.categories); }));
  }
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t max_months, r.integer("max_months"));
  if (max_months < 1 || max_months > kMaxRetentionMonths) {
    return r.error("max_months", "must be between 1 and 1200");
  }
  set.max_months = static_cast<int>(max_months);
  for (int months : set.months) {
    if (months > set.max_months)
      return r.error("max_months", "must be at least every level's months");
  }
  for (const auto& c : set.categories) {
    if (c.months > set.max_months) {
      return r.error("max_months", "must be at least every category's months");
    }
  }
  out.retention = std::move(set);
  return {};
}

}  // namespace

Status read_documents(const SourceFile& src, const Section& root, PolicyData& out) {
  const Keys kKeys = {"creator_roles", "pledge_required_above"};
  const Keys kAllowed = {"creator_roles", "pledge_required_above", "text_variants", "retention"};
  BAOMI_ASSIGN_OR_RETURN(const Section docs, root.child("documents", kAllowed, kKeys));
  BAOMI_TRY(read_text_variants(src, docs, out.text_variants));
  BAOMI_TRY(read_retention(src, docs, out));
  BAOMI_ASSIGN_OR_RETURN(const auto names, docs.strings("creator_roles"));
  if (names.empty()) return docs.error("creator_roles", "must name at least one role");
  RoleSet creators = 0;
  for (const auto& [name, line] : names) {
    const auto role = role_from_api_name(name);
    if (!role) return src.error(line, "documents.creator_roles: unknown role '" + name + "'");
    if (is_admin_role(*role)) {
      return src.error(line, "documents.creator_roles: admin role '" + name +
                                 "' cannot create documents (separation of duties)");
    }
    if (has_role(creators, *role)) {
      return src.error(line, "documents.creator_roles: duplicate role '" + name + "'");
    }
    creators |= role_bit(*role);
  }
  out.documents.creator_roles = creators;
  BAOMI_ASSIGN_OR_RETURN(const std::string level, docs.string("pledge_required_above"));
  const auto parsed = level_from_api_name(level);
  if (!parsed) return docs.error("pledge_required_above", "unknown level '" + level + "'");
  out.documents.pledge_required_above = *parsed;
  return {};
}

Status read_sessions(const Section& root, PolicyData& out) {
  BAOMI_ASSIGN_OR_RETURN(const Section s,
                         root.child("sessions", {"token_ttl", "idle_timeout"}, {"token_ttl"}));
  BAOMI_ASSIGN_OR_RETURN(out.sessions.token_ttl, s.duration("token_ttl"));
  BAOMI_TRY(in_range<std::chrono::seconds>(s, "token_ttl", out.sessions.token_ttl,
                                           std::chrono::minutes{1}, std::chrono::days{30},
                                           "between 1m and 30d"));
  out.sessions.idle_timeout.reset();
  if (!s.has("idle_timeout")) return {};
  BAOMI_ASSIGN_OR_RETURN(const auto idle, s.duration("idle_timeout"));
  BAOMI_TRY(in_range<std::chrono::seconds>(s, "idle_timeout", idle, std::chrono::minutes{1},
                                           out.sessions.token_ttl, "between 1m and the token_ttl"));
  out.sessions.idle_timeout = idle;
  return {};
}

Status read_lockout(const Section& root, PolicyData& out) {
  const Keys kKeys = {"max_failures",  "window",           "first_delay",
                      "max_delay",     "source_max_names", "source_max_failures",
                      "source_window", "source_block",     "tracked_entries"};
  const Keys kAllowed = {
      "max_failures",        "window",        "first_delay",  "max_delay",       "source_max_names",
      "source_max_failures", "source_window", "source_block", "tracked_entries", "lock_duration"};
  BAOMI_ASSIGN_OR_RETURN(const Section s, root.child("lockout", kAllowed, {}));
  // A policy written for the old whole-account lock says so plainly instead of "unknown key".
  if (s.has("lock_duration")) {
    return s.error("lock_duration",
                   "no longer used: one name from one source is refused for first_delay, doubling "
                   "up to max_delay (see docs/policy.md)");
  }
  BAOMI_TRY(root.child("lockout", kAllowed, kKeys));  // every other key is required
  auto& l = out.lockout;
  const auto count = [&s](std::string_view key, std::int64_t lo, std::int64_t hi,
                          int& value) -> Status {
    BAOMI_ASSIGN_OR_RETURN(const std::int64_t n, s.integer(key));
    BAOMI_TRY(in_range<std::int64_t>(
        s, key, n, lo, hi, "between " + std::to_string(lo) + " and " + std::to_string(hi)));
    value = static_cast<int>(n);
    return {};
  };
  const auto period = [&s](std::string_view key, std::chrono::seconds lo, std::chrono::seconds hi,
                           std::string_view range, std::chrono::seconds& value) -> Status {
    BAOMI_ASSIGN_OR_RETURN(value, s.duration(key));
    return in_range<std::chrono::seconds>(s, key, value, lo, hi, range);
  };
  using std::chrono::days;
  using std::chrono::seconds;
  BAOMI_TRY(count("max_failures", 1, 1000, l.max_failures));
  BAOMI_TRY(period("window", seconds{1}, days{30}, "between 1s and 30d", l.window));
  BAOMI_TRY(period("first_delay", seconds{1}, days{1}, "between 1s and 1d", l.first_delay));
  BAOMI_TRY(
      period("max_delay", l.first_delay, days{30}, "between first_delay and 30d", l.max_delay));
  BAOMI_TRY(count("source_max_names", 1, 100000, l.source_max_names));
  BAOMI_TRY(count("source_max_failures", l.max_failures, 1000000, l.source_max_failures));
  BAOMI_TRY(period("source_window", seconds{1}, days{1}, "between 1s and 1d", l.source_window));
  BAOMI_TRY(period("source_block", seconds{1}, days{1}, "between 1s and 1d", l.source_block));
  return count("tracked_entries", 100, 10000000, l.tracked_entries);
}

namespace {

Status read_bounded(const Section& s, std::string_view key, std::int64_t lo, std::int64_t hi,
                    int& out) {
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t n, s.integer(key));
  BAOMI_TRY(in_range<std::int64_t>(s, key, n, lo, hi,
                                   "between " + std::to_string(lo) + " and " + std::to_string(hi)));
  out = static_cast<int>(n);
  return {};
}

Status read_window(const Section& s, std::string_view key, std::chrono::seconds& out) {
  BAOMI_ASSIGN_OR_RETURN(out, s.duration(key));
  return in_range<std::chrono::seconds>(s, key, out, std::chrono::seconds{10}, std::chrono::days{7},
                                        "between 10s and 7d");
}

// Optional parts of `watch` (issue 11, part 1): absent, the defaults of WatchSettings stand.
Status read_read_watch(const Section& w, const PolicyData& data, WatchSettings& out) {
  if (w.has("bulk_read")) {
    const Keys kKeys = {"documents", "window"};
    BAOMI_ASSIGN_OR_RETURN(const Section b, w.child("bulk_read", kKeys, kKeys));
    BAOMI_TRY(read_bounded(b, "documents", 0, 100000, out.bulk_read_documents));
    BAOMI_TRY(read_window(b, "window", out.bulk_read_window));
  }
  if (w.has("first_category")) {
    const Keys kKeys = {"enabled", "after_reads"};
    BAOMI_ASSIGN_OR_RETURN(const Section f, w.child("first_category", kKeys, kKeys));
    BAOMI_ASSIGN_OR_RETURN(out.first_category, f.boolean("enabled"));
    BAOMI_TRY(read_bounded(f, "after_reads", 0, 100000, out.first_category_after_reads));
  }
  if (w.has("off_hours")) {
    const Keys kKeys = {"shifts"};
    BAOMI_ASSIGN_OR_RETURN(const Section o, w.child("off_hours", kKeys, kKeys));
    BAOMI_ASSIGN_OR_RETURN(const auto names, o.strings("shifts"));
    out.off_hours_shifts.clear();
    for (const auto& entry : names) {
      const std::string& name = entry.first;  // a named variable: lambdas may capture it
      const auto& shifts = data.handovers.shifts;
      if (std::none_of(shifts.begin(), shifts.end(),
                       [&](const ShiftSpec& s) { return s.name == name; })) {
        return o.error("shifts", "'" + name + "' is not a shift of handovers.shifts");
      }
      if (std::find(out.off_hours_shifts.begin(), out.off_hours_shifts.end(), name) !=
          out.off_hours_shifts.end()) {
        return o.error("shifts", "'" + name + "' is named twice");
      }
      out.off_hours_shifts.push_back(name);
    }
    if (out.off_hours_shifts.size() == data.handovers.shifts.size()) {
      return o.error("shifts", "must leave at least one shift as working hours");
    }
  }
  if (w.has("request_volume")) {
    const Keys kKeys = {"per_day"};
    BAOMI_ASSIGN_OR_RETURN(const Section v, w.child("request_volume", kKeys, kKeys));
    BAOMI_TRY(read_bounded(v, "per_day", 0, 100000, out.requests_per_day));
  }
  return {};
}

}  // namespace

Status read_watch(const Section& root, PolicyData& out) {
  const Keys kWatch = {"probing", "bulk_read", "first_category", "off_hours", "request_volume"};
  const Keys kRequired = {"probing"};
  BAOMI_ASSIGN_OR_RETURN(const Section w, root.child("watch", kWatch, kRequired));
  const Keys kProbing = {"refusals", "window"};
  BAOMI_ASSIGN_OR_RETURN(const Section p, w.child("probing", kProbing, kProbing));
  BAOMI_TRY(read_bounded(p, "refusals", 1, 100000, out.watch.probing_refusals));
  BAOMI_TRY(read_window(p, "window", out.watch.probing_window));
  return read_read_watch(w, out, out.watch);
}

// alerts.sink: "syslog" or a file path; the section is optional (no sink).
Status read_alerts(const Section& root, PolicyData& out) {
  if (!root.has("alerts")) return {};
  const Keys kKeys = {"sink"};
  BAOMI_ASSIGN_OR_RETURN(const Section a, root.child("alerts", kKeys, kKeys));
  BAOMI_ASSIGN_OR_RETURN(out.alerts.sink, a.string("sink"));
  if (out.alerts.sink == "syslog") return {};
  if (out.alerts.sink.empty() || out.alerts.sink.front() != '/' ||
      out.alerts.sink.find('\0') != std::string::npos) {
    return a.error("sink", "must be \"syslog\" or an absolute file path");
  }
  return {};
}

namespace {

Status read_size(const Section& s, std::string_view key, std::uint64_t& out, std::uint64_t lo,
                 std::uint64_t hi, std::string_view range_text) {
  if (!s.has(key)) return {};  // optional: the default stands
  BAOMI_ASSIGN_OR_RETURN(out, s.size(key));
  return in_range<std::uint64_t>(s, key, out, lo, hi, range_text);
}

Status read_count(const Section& s, std::string_view key, std::uint64_t& out, std::uint64_t lo,
                  std::uint64_t hi, std::string_view range_text) {
  if (!s.has(key)) return {};
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t n, s.integer(key));
  BAOMI_TRY(in_range<std::int64_t>(s, key, n, static_cast<std::int64_t>(lo),
                                   static_cast<std::int64_t>(hi), range_text));
  out = static_cast<std::uint64_t>(n);
  return {};
}

Status read_seconds(const Section& s, std::string_view key, std::chrono::seconds& out,
                    std::chrono::seconds lo, std::chrono::seconds hi, std::string_view range_text) {
  if (!s.has(key)) return {};
  BAOMI_ASSIGN_OR_RETURN(out, s.duration(key));
  return in_range<std::chrono::seconds>(s, key, out, lo, hi, range_text);
}

}  // namespace

Status read_limits(const Section& root, PolicyData& out) {
  const Keys kKeys = {
      "max_upload_bytes", "max_json_body_bytes", "max_connections", "max_connections_per_address",
      "header_timeout",   "json_body_timeout",   "body_min_rate",   "body_rate_grace"};
  BAOMI_ASSIGN_OR_RETURN(const Section s,
                         root.child("limits", kKeys, {"max_upload_bytes", "max_json_body_bytes"}));
  Limits& l = out.limits;
  l = Limits{};
  BAOMI_TRY(read_size(s, "max_upload_bytes", l.max_upload_bytes, 1, std::uint64_t{1} << 40,
                      "between 1 byte and 1TiB"));
  BAOMI_TRY(read_size(s, "max_json_body_bytes", l.max_json_body_bytes, 1024,
                      std::uint64_t{64} << 20, "between 1KiB and 64MiB"));
  // Issue 16, attack 1: what one source may hold, and how slowly a request may arrive.
  BAOMI_TRY(
      read_count(s, "max_connections", l.max_connections, 1, 1000000, "between 1 and 1000000"));
  BAOMI_TRY(read_count(s, "max_connections_per_address", l.max_connections_per_address, 1,
                       l.max_connections, "between 1 and max_connections"));
  using std::chrono::seconds;
  BAOMI_TRY(read_seconds(s, "header_timeout", l.header_timeout, seconds{1}, seconds{600},
                         "between 1s and 10m"));
  BAOMI_TRY(read_seconds(s, "json_body_timeout", l.json_body_timeout, seconds{1}, seconds{3600},
                         "between 1s and 1h"));
  BAOMI_TRY(read_size(s, "body_min_rate", l.body_min_rate, 1, std::uint64_t{1} << 30,
                      "between 1 byte and 1GiB (per second)"));
  return read_seconds(s, "body_rate_grace", l.body_rate_grace, seconds{1}, seconds{600},
                      "between 1s and 10m");
}

}  // namespace sections
}  // namespace baomi::policy
