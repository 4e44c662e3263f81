#include <string>

#include "policy/loader_sections.h"
#include "policy/values.h"

namespace baomi::policy::sections {
namespace {

constexpr std::size_t kMaxDisplayBytes = 200;

std::string level_list() { return "public, internal, secret, confidential, top_secret"; }

Status read_level_entry(const Section& e, int& next, PolicyData& out) {
  BAOMI_ASSIGN_OR_RETURN(const std::string name, e.string("name"));
  const auto level = level_from_api_name(name);
  if (!level) {
    return e.error("name", "unknown level '" + name + "' (levels are " + level_list() + ")");
  }
  const int i = static_cast<int>(*level);
  if (i < next) return e.error("name", "duplicate level '" + name + "'");
  if (i > next) {
    return e.error("name", "level '" + name + "' is out of order: expected '" +
                               std::string(level_api_name(static_cast<Level>(next))) +
                               "' (lowest first: " + level_list() + ")");
  }
  ++next;
  BAOMI_ASSIGN_OR_RETURN(std::string marking, e.string("marking"));
  // S5: the marking is printed on every rendering; it must be unambiguous.
  if (!is_valid_marking(marking)) {
    return e.error("marking",
                   "bad marking: use 1-64 bytes of UTF-8 without spaces, control characters "
                   "or \u2605");
  }
  for (int j = 0; j < i; ++j) {
    if (out.markings[static_cast<std::size_t>(j)] == marking) {
      return e.error("marking", "duplicate marking '" + marking + "'");
    }
  }
  out.markings[static_cast<std::size_t>(i)] = std::move(marking);
  return {};
}

Status read_category(const Section& e, std::vector<CategorySpec>& cats) {
  BAOMI_ASSIGN_OR_RETURN(std::string name, e.string("name"));
  if (!is_identifier(name)) {
    return e.error("name", "must be lowercase letters, digits and '_', starting with a letter");
  }
  for (const auto& c : cats) {
    if (c.name == name) return e.error("name", "duplicate category '" + name + "'");
  }
  if (cats.size() == static_cast<std::size_t>(kMaxCategories)) {
    return e.error("name", "too many categories (at most 32)");
  }
  BAOMI_ASSIGN_OR_RETURN(std::string display, read_display(e));
  cats.push_back({std::move(name), std::move(display)});
  return {};
}

Status read_role(const Section& e, RoleSet& seen, PolicyData& out) {
  BAOMI_ASSIGN_OR_RETURN(const std::string name, e.string("name"));
  const auto role = role_from_api_name(name);
  if (!role) return e.error("name", "unknown role '" + name + "'");
  if (has_role(seen, *role)) return e.error("name", "duplicate role '" + name + "'");
  seen |= role_bit(*role);
  BAOMI_ASSIGN_OR_RETURN(const std::string kind, e.string("kind"));
  if (kind != "admin" && kind != "business" && kind != "device") {
    return e.error("kind", "expected 'business' or 'admin' or 'device', found '" + kind + "'");
  }
  // SoD (三员分立), S11: which roles are administrators or devices is fixed by the server.
  const std::string_view fixed =
      is_admin_role(*role) ? "admin" : (is_device_role(*role) ? "device" : "business");
  if (kind != fixed) {
    return e.error("kind", "'" + name + "' is " + (fixed == "admin" ? "an " : "a ") +
                               std::string(fixed) +
                               " role; the admin roles are exactly sysadmin, secadmin, auditor "
                               "and the device role is door_terminal");
  }
  BAOMI_ASSIGN_OR_RETURN(out.role_displays[static_cast<std::size_t>(*role)], read_display(e));
  return {};
}

}  // namespace

Result<std::string> read_display(const Section& entry) {
  if (!entry.has("display")) return std::string();
  BAOMI_ASSIGN_OR_RETURN(std::string display, entry.string("display"));
  if (display.size() > kMaxDisplayBytes || !is_valid_utf8(display)) {
    return entry.error("display", "must be at most 200 bytes of UTF-8");
  }
  return display;
}

Status read_levels(const SourceFile& src, const Section& root, PolicyData& out) {
  int next = 0;
  BAOMI_TRY(for_each_item(src, root, "levels", {"name", "marking"}, {"name", "marking"},
                          [&](const Section& e) { return read_level_entry(e, next, out); }));
  if (next < kLevelCount) {
    return src.error(
        root.key_line("levels"),
        "levels: missing level '" + std::string(level_api_name(static_cast<Level>(next))) + "'");
  }
  return {};
}

Status read_categories(const SourceFile& src, const Section& root, PolicyData& out) {
  std::vector<CategorySpec> cats;
  BAOMI_TRY(for_each_item(src, root, "categories", {"name", "display"}, {"name"},
                          [&](const Section& e) { return read_category(e, cats); }));
  if (cats.empty()) {
    return src.error(root.key_line("categories"), "categories: name at least one category");
  }
  out.categories = std::move(cats);
  return {};
}

Status read_roles(const SourceFile& src, const Section& root, PolicyData& out) {
  RoleSet seen = 0;
  BAOMI_TRY(for_each_item(src, root, "roles", {"name", "kind", "display"}, {"name", "kind"},
                          [&](const Section& e) { return read_role(e, seen, out); }));
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    if (!has_role(seen, role)) {
      return src.error(root.key_line("roles"),
                       "roles: missing role '" + std::string(role_api_name(role)) + "'");
    }
  }
  return {};
}

}  // namespace baomi::policy::sections
