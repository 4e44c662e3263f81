// The `centre`, `handovers`, `customers` and `reporting` sections: the centre's own staff
// (C1), handover slips (H1, H2, H3), customer records (C2, C3, C4) and weekly reports (H4).
// Each section is required, like every other (records.h keeps their defaults for code that
// builds a Policy without a file).
#include <array>
#include <string>

#include "policy/loader_sections.h"
#include "policy/values.h"

namespace baomi::policy::sections {
namespace {

Result<std::vector<std::string>> read_departments(const SourceFile& src, const Section& s,
                                                  std::string_view key, const PolicyData& data) {
  BAOMI_ASSIGN_OR_RETURN(const auto names, s.strings(key));
  std::vector<std::string> out;
  for (const auto& [name, line] : names) {
    if (!department_index(data.organisation, name)) {
      return src.error(line, s.path() + "." + std::string(key) + ": '" + name +
                                 "' is not a department of the organisation chart");
    }
    for (const auto& seen : out) {
      if (seen == name) {
        return src.error(line, s.path() + "." + std::string(key) + ": duplicate '" + name + "'");
      }
    }
    out.push_back(name);
  }
  if (out.empty()) return s.error(key, "must name at least one department");
  return out;
}

// Business roles only: administrators never work with the centre's records (SoD, C1).
Result<RoleSet> read_business_roles(const SourceFile& src, const Section& s, std::string_view key) {
  BAOMI_ASSIGN_OR_RETURN(const auto names, s.strings(key));
  RoleSet roles = 0;
  for (const auto& [name, line] : names) {
    const auto role = role_from_api_name(name);
    const std::string where = s.path() + "." + std::string(key) + ": ";
    if (!role) return src.error(line, where + "unknown role '" + name + "'");
    if (is_admin_role(*role)) {
      return src.error(line, where + "admin role '" + name +
                                 "' never works with the centre's records (separation of duties)");
    }
    if (has_role(roles, *role)) return src.error(line, where + "duplicate role '" + name + "'");
    roles |= role_bit(*role);
  }
  if (roles == 0) return s.error(key, "must name at least one role");
  return roles;
}

// "HH:MM", 00:00 to 23:59.
std::optional<std::chrono::minutes> parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return std::chrono::minutes{h * 60 + m};
}

// "+08:00" / "-05:30", within ±14:00.
std::optional<std::chrono::minutes> parse_offset(std::string_view text) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const auto clock = parse_clock(text.substr(1));
  if (!clock || *clock > std::chrono::hours{14}) return std::nullopt;
  return text[0] == '-' ? -*clock : *clock;
}

Result<Level> read_level_field(const Section& s, std::string_view key) {
  BAOMI_ASSIGN_OR_RETURN(const std::string name, s.string(key));
  const auto level = level_from_api_name(name);
  if (!level) return s.error(key, "unknown level '" + name + "'");
  return *level;
}

Result<int> read_int(const Section& s, std::string_view key, int lo, int hi) {
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t value, s.integer(key));
  if (value < lo || value > hi) {
    return s.error(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return static_cast<int>(value);
}

Status read_shift(const Section& e, std::vector<ShiftSpec>& out) {
  BAOMI_ASSIGN_OR_RETURN(std::string name, e.string("name"));
  if (!is_identifier(name)) {
    return e.error("name", "must be lowercase letters, digits and '_', starting with a letter");
  }
  for (const auto& s : out) {
    if (s.name == name) return e.error("name", "duplicate shift '" + name + "'");
  }
  BAOMI_ASSIGN_OR_RETURN(const std::string start_text, e.string("start"));
  const auto start = parse_clock(start_text);
  if (!start) return e.error("start", "must be a local time of day, HH:MM");
  BAOMI_ASSIGN_OR_RETURN(std::string display, read_display(e));
  out.push_back({std::move(name), std::move(display), *start});
  return {};
}

Status read_unmask(const SourceFile& src, const Section& customers, CustomerSettings& out) {
  const Keys kRoles = {"staff",      "group_leader", "supervisor", "manager", "custodian",
                       "front_desk", "sysadmin",     "secadmin",   "auditor"};
  BAOMI_ASSIGN_OR_RETURN(const Section unmask, customers.child("unmask", kRoles, {}));
  out.unmask = {};
  for (int r = 0; r < kRoleCount; ++r) {
    const auto role = static_cast<Role>(r);
    const std::string_view key = role_api_name(role);
    if (!unmask.has(key)) continue;
    // C3, SoD: administrators never see customers, let alone unmasked.
    if (is_admin_role(role)) {
      return unmask.error(key, "administrators never see customer records (separation of duties)");
    }
    BAOMI_ASSIGN_OR_RETURN(const auto names, unmask.strings(key));
    FieldSet fields = 0;
    for (const auto& [name, line] : names) {
      if (name == "all") {
        fields = kAllCustomerFields;
        continue;
      }
      const auto field = customer_field_from_api_name(name);
      if (!field) {
        return src.error(line,
                         unmask.path() + "." + std::string(key) + ": unknown field '" + name + "'");
      }
      fields |= field_bit(*field);
    }
    out.unmask[static_cast<std::size_t>(r)] = fields;
  }
  return {};
}

Status read_watch(const Section& customers, CustomerSettings& out) {
  const Keys kKeys = {"distinct_customers", "window", "searches", "search_window"};
  BAOMI_ASSIGN_OR_RETURN(const Section w, customers.child("watch", kKeys, kKeys));
  BAOMI_ASSIGN_OR_RETURN(out.watch_distinct_customers,
                         read_int(w, "distinct_customers", 1, 1'000'000));
  BAOMI_ASSIGN_OR_RETURN(out.watch_window, w.duration("window"));
  if (out.watch_window > std::chrono::days{7}) return w.error("window", "must be at most 7d");
  BAOMI_ASSIGN_OR_RETURN(out.watch_searches, read_int(w, "searches", 1, 1'000'000));
  BAOMI_ASSIGN_OR_RETURN(out.watch_search_window, w.duration("search_window"));
  if (out.watch_search_window > std::chrono::days{1}) {
    return w.error("search_window", "must be at most 1d");
  }
  return {};
}

}  // namespace

Status read_centre(const SourceFile& src, const Section& root, PolicyData& out) {
  const Keys kKeys = {"departments", "roles", "supervisor_roles", "utc_offset"};
  BAOMI_ASSIGN_OR_RETURN(const Section c, root.child("centre", kKeys, kKeys));
  BAOMI_ASSIGN_OR_RETURN(out.centre.departments, read_departments(src, c, "departments", out));
  BAOMI_ASSIGN_OR_RETURN(out.centre.roles, read_business_roles(src, c, "roles"));
  BAOMI_ASSIGN_OR_RETURN(out.centre.supervisor_roles,
                         read_business_roles(src, c, "supervisor_roles"));
  BAOMI_ASSIGN_OR_RETURN(const std::string offset_text, c.string("utc_offset"));
  const auto offset = parse_offset(offset_text);
  if (!offset) return c.error("utc_offset", "must be +HH:MM or -HH:MM, within 14 hours");
  out.centre.utc_offset = *offset;
  return {};
}

Status read_handovers(const SourceFile& src, const Section& root, PolicyData& out) {
  const Keys kKeys = {"receiving_departments", "shifts", "level", "confirm_within_days",
                      "retention_months"};
  BAOMI_ASSIGN_OR_RETURN(const Section h, root.child("handovers", kKeys, kKeys));
  HandoverSettings& set = out.handovers;
  BAOMI_ASSIGN_OR_RETURN(set.receiving_departments,
                         read_departments(src, h, "receiving_departments", out));
  // H1: two copies, one per department.
  if (set.receiving_departments.size() != 2) {
    return h.error("receiving_departments", "must name exactly two departments (H1)");
  }
  set.shifts.clear();
  BAOMI_TRY(for_each_item(src, h, "shifts", {"name", "display", "start"}, {"name", "start"},
                          [&](const Section& e) { return read_shift(e, set.shifts); }));
  if (set.shifts.empty()) return h.error("shifts", "must name at least one shift");
  BAOMI_ASSIGN_OR_RETURN(set.level, read_level_field(h, "level"));
  BAOMI_ASSIGN_OR_RETURN(set.confirm_within_days, read_int(h, "confirm_within_days", 1, 30));
  // H3: 交接单保存三个月以上 — a shorter retention is refused, never rounded up.
  BAOMI_ASSIGN_OR_RETURN(const std::int64_t months, h.integer("retention_months"));
  if (months < kMinRetentionMonths || months > 1200) {
    return h.error("retention_months",
                   "must be at least 3 (H3: slips are kept at least three "
                   "months) and at most 1200");
  }
  set.retention_months = static_cast<int>(months);
  return {};
}

Status read_customers(const SourceFile& src, const Section& root, PolicyData& out) {
  const Keys kKeys = {"default_level", "max_level", "unmask", "watch", "export_canaries"};
  BAOMI_ASSIGN_OR_RETURN(const Section c, root.child("customers", kKeys, kKeys));
  CustomerSettings& set = out.customers;
  BAOMI_ASSIGN_OR_RETURN(set.default_level, read_level_field(c, "default_level"));
  BAOMI_ASSIGN_OR_RETURN(set.max_level, read_level_field(c, "max_level"));
  if (set.max_level < set.default_level) {
    return c.error("max_level", "must be at or above default_level");
  }
  BAOMI_TRY(read_unmask(src, c, set));
  BAOMI_TRY(read_watch(c, set));
  BAOMI_ASSIGN_OR_RETURN(set.export_canaries, read_int(c, "export_canaries", 1, 100));
  return {};
}

Status read_reporting(const Section& root, PolicyData& out) {
  BAOMI_ASSIGN_OR_RETURN(const Section r, root.child("reporting", {"weekly_due"}, {"weekly_due"}));
  BAOMI_ASSIGN_OR_RETURN(const std::string text, r.string("weekly_due"));
  static constexpr std::array<std::string_view, 7> kDays = {
      "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  const auto space = text.find(' ');
  const auto day = text.substr(0, space);
  int weekday = -1;
  for (std::size_t i = 0; i < kDays.size(); ++i) {
    if (kDays[i] == day) weekday = static_cast<int>(i);
  }
  const auto clock =
      space == std::string::npos ? std::nullopt : parse_clock(text.substr(space + 1));
  if (weekday < 0 || !clock) {
    return r.error("weekly_due", "must be a weekday and a local time, e.g. \"monday 10:00\"");
  }
  out.reporting.due_weekday = weekday;
  out.reporting.due_time = *clock;
  return {};
}

}  // namespace baomi::policy::sections
