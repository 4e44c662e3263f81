// The `organisation` section: the org chart that approval routing follows (RULES.md A2).
#include <string>

#include "policy/loader_sections.h"
#include "policy/values.h"

namespace baomi::policy::sections {
namespace {

bool listed(const std::vector<DepartmentSpec>& departments, std::string_view name) {
  for (const auto& d : departments) {
    if (d.name == name) return true;
  }
  return false;
}

Status read_department(const Section& e, std::vector<DepartmentSpec>& out) {
  BAOMI_ASSIGN_OR_RETURN(std::string name, e.string("name"));
  if (!is_identifier(name)) {
    return e.error("name", "must be lowercase letters, digits and '_', starting with a letter");
  }
  if (listed(out, name)) return e.error("name", "duplicate department '" + name + "'");
  if (out.size() == static_cast<std::size_t>(kMaxDepartments)) {
    return e.error("name",
                   "too many departments (at most " + std::to_string(kMaxDepartments) + ")");
  }
  std::string parent;
  if (e.has("parent")) {
    BAOMI_ASSIGN_OR_RETURN(parent, e.string("parent"));
    // Parents first: the chart can then hold no cycle, and A2's walk upwards always ends.
    if (!listed(out, parent)) {
      return e.error("parent", "'" + parent +
                                   "' is not a department listed earlier (list parents before "
                                   "their children)");
    }
  }
  BAOMI_ASSIGN_OR_RETURN(std::string display, read_display(e));
  out.push_back({std::move(name), std::move(parent), std::move(display)});
  return {};
}

Status read_ranks(const SourceFile& src, const Section& org, std::vector<Role>& out) {
  BAOMI_ASSIGN_OR_RETURN(const auto names, org.strings("ranks"));
  if (names.empty()) return org.error("ranks", "must name at least one role");
  RoleSet seen = 0;
  for (const auto& [name, line] : names) {
    const auto role = role_from_api_name(name);
    if (!role) return src.error(line, "organisation.ranks: unknown role '" + name + "'");
    // SoD: administrators stand outside the business reporting line (三员分立).
    if (is_admin_role(*role)) {
      return src.error(line, "organisation.ranks: admin role '" + name +
                                 "' is not part of a reporting line (separation of duties)");
    }
    if (has_role(seen, *role)) {
      return src.error(line, "organisation.ranks: duplicate role '" + name + "'");
    }
    seen |= role_bit(*role);
    out.push_back(*role);
  }
  return {};
}

}  // namespace

Status read_organisation(const SourceFile& src, const Section& root, PolicyData& out) {
  const Keys kKeys = {"departments", "ranks"};
  BAOMI_ASSIGN_OR_RETURN(const Section org, root.child("organisation", kKeys, kKeys));
  Organisation chart;
  BAOMI_TRY(for_each_item(src, org, "departments", {"name", "parent", "display"}, {"name"},
                          [&](const Section& e) { return read_department(e, chart.departments); }));
  if (chart.departments.empty()) {
    return org.error("departments", "name at least one department");
  }
  BAOMI_TRY(read_ranks(src, org, chart.ranks));
  out.organisation = std::move(chart);
  return {};
}

}  // namespace baomi::policy::sections
