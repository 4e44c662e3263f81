// GET /api/v1/policy/summary: the parts of the policy any logged-in account may know and a
// client needs to offer only what the server would accept (levels and markings, categories,
// roles, departments, shifts, unmaskable fields, request limits, the centre's time zone).
// Nothing here is a decision: the server still decides every request through the policy.
#include <cstdio>

#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

json::value text_or_null(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

std::string clock_of(std::chrono::minutes m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60),
                static_cast<int>(m.count() % 60));
  return buf;
}

json::array levels_json(const policy::Policy& p) {
  json::array out;
  for (int i = 0; i < policy::kLevelCount; ++i) {
    const auto level = static_cast<policy::Level>(i);
    out.push_back(json::object{{"name", p.level_name(level)}, {"marking", p.marking_name(level)}});
  }
  return out;
}

json::array roles_json(const policy::Policy& p) {
  json::array out;
  for (int i = 0; i < policy::kRoleCount; ++i) {
    const auto role = static_cast<policy::Role>(i);
    out.push_back(json::object{{"name", p.role_name(role)},
                               {"display", p.role_display(role)},
                               {"admin", policy::is_admin_role(role)},
                               {"device", policy::is_device_role(role)}});
  }
  return out;
}

json::array role_list(const policy::Policy& p, policy::RoleSet set) {
  json::array out;
  for (const auto& name : p.role_names(set)) out.emplace_back(name);
  return out;
}

json::object organisation_json(const policy::Policy& p) {
  json::array departments;
  for (const auto& d : p.organisation().departments) {
    departments.push_back(json::object{{"name", d.name},
                                       {"display", text_or_null(d.display)},
                                       {"parent", text_or_null(d.parent)}});
  }
  json::array centre;
  for (const auto& d : p.centre().departments) centre.emplace_back(d);
  json::array receiving;
  for (const auto& d : p.handovers().receiving_departments) receiving.emplace_back(d);
  json::array shifts;
  for (const auto& s : p.handovers().shifts) {
    shifts.push_back(json::object{
        {"name", s.name}, {"display", text_or_null(s.display)}, {"start", clock_of(s.start)}});
  }
  return json::object{{"departments", std::move(departments)},
                      {"centre_departments", std::move(centre)},
                      {"centre_roles", role_list(p, p.centre().roles)},
                      {"supervisor_roles", role_list(p, p.centre().supervisor_roles)},
                      {"utc_offset_minutes", p.centre().utc_offset.count()},
                      {"handover_shifts", std::move(shifts)},
                      {"handover_receiving_departments", std::move(receiving)}};
}

// C3: the fields each role may unmask.
json::object unmask_json(const policy::Policy& p) {
  json::object out;
  for (int r = 0; r < policy::kRoleCount; ++r) {
    json::array fields;
    for (int f = 0; f < policy::kCustomerFieldCount; ++f) {
      const auto field = static_cast<policy::CustomerField>(f);
      if (p.customers().unmask[r] & policy::field_bit(field)) {
        fields.emplace_back(policy::customer_field_api_name(field));
      }
    }
    if (!fields.empty()) out[p.role_name(static_cast<policy::Role>(r))] = std::move(fields);
  }
  return out;
}

// S6, S7: the longest grant or loan and the most copies one request may ask for, per type
// and level.
json::object request_limits_json(const policy::Policy& p) {
  json::object out;
  for (int t = 0; t < policy::kRequestTypeCount; ++t) {
    const auto type = static_cast<policy::RequestType>(t);
    json::object per_level;
    for (int l = 0; l < policy::kLevelCount; ++l) {
      const auto level = static_cast<policy::Level>(l);
      const auto& rule = p.approval_rule(type, level);
      json::object o{{"max_days", rule.max_days}};
      if (policy::yields_copies(type)) o["max_copies"] = rule.max_copies;
      per_level[p.level_name(level)] = std::move(o);
    }
    out[policy::request_type_name(type)] = std::move(per_level);
  }
  return out;
}

json::object summary_json(const policy::Policy& p) {
  json::array categories;
  for (const auto& c : p.categories()) {
    categories.push_back(json::object{{"name", c.name}, {"display", text_or_null(c.display)}});
  }
  const auto idle = p.idle_timeout();
  return json::object{
      {"policy", json::object{{"name", p.name()}, {"label", p.label()}, {"version", p.version()}}},
      {"levels", levels_json(p)},
      {"categories", std::move(categories)},
      {"roles", roles_json(p)},
      {"documents",
       json::object{{"creator_roles", role_list(p, p.documents().creator_roles)},
                    {"pledge_required_above", p.level_name(p.documents().pledge_required_above)}}},
      {"organisation", organisation_json(p)},
      {"customers", json::object{{"default_level", p.level_name(p.customers().default_level)},
                                 {"max_level", p.level_name(p.customers().max_level)},
                                 {"unmask", unmask_json(p)}}},
      {"requests", request_limits_json(p)},
      {"reporting", json::object{{"weekly_due_weekday", p.reporting().due_weekday},
                                 {"weekly_due_time", clock_of(p.reporting().due_time)}}},
      {"limits", json::object{{"max_upload_bytes", p.limits().max_upload_bytes}}},
      {"sessions", json::object{{"token_ttl_seconds", p.session_ttl().count()},
                                {"idle_timeout_seconds",
                                 idle ? json::value(idle->count()) : json::value(nullptr)}}}};
}

}  // namespace

void register_policy_routes(Router& router, Api& api) {
  router.add("GET", "/api/v1/policy/summary",
             authed(api, [&api](Request&, const auth::Authenticated&) -> Result<Response> {
               return json_response(200, summary_json(api.rt.policy));
             }));
}

}  // namespace baomi::http::api
