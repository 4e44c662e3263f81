// /api/v1/departments: the organisation chart (A2). The policy's departments are read-only
// here; the system administrator adds departments under existing ones, renames and retires
// them; the security administrator and the auditor read the chart. Every decision is the
// policy's, through services/departments.
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

json::object department_json(const services::DepartmentView& d) {
  json::object out{{"name", d.name},
                   {"display_name", d.display_name},
                   {"parent", d.parent.empty() ? json::value(nullptr) : json::value(d.parent)},
                   {"source", d.from_policy ? "policy" : "added"},
                   {"state", d.state},
                   {"members", d.members},
                   {"created_by", nullptr},
                   {"created_at", nullptr},
                   {"changed_by", nullptr},
                   {"updated_at", nullptr}};
  if (d.stored) {
    out["created_by"] = d.stored->created_by;
    out["created_at"] = format_rfc3339(d.stored->created_at);
    out["changed_by"] = d.stored->changed_by;
    out["updated_at"] = format_rfc3339(d.stored->updated_at);
  }
  return out;
}

void people_of(const services::DepartmentView& d, std::vector<std::string>& ids) {
  if (!d.stored) return;
  ids.push_back(d.stored->created_by);
  ids.push_back(d.stored->changed_by);
}

Result<Response> answer(Api& api, int status, const services::DepartmentView& d) {
  auto body = department_json(d);
  std::vector<std::string> ids;
  people_of(d, ids);
  BAOMI_TRY(add_people(api.rt, body, ids));  // who added and changed it, by name
  return json_response(status, std::move(body));
}

}  // namespace

void register_department_routes(Router& router, Api& api) {
  router.add("GET", "/api/v1/departments",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto all, api.departments.list(who.user));
               json::array items;
               std::vector<std::string> ids;
               for (const auto& d : all) {
                 items.push_back(department_json(d));
                 people_of(d, ids);
               }
               json::object body{{"items", std::move(items)}, {"next_cursor", nullptr}};
               BAOMI_TRY(add_people(api.rt, body, ids));
               return json_response(200, std::move(body));
             }));
  router.add("POST", "/api/v1/departments",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               services::NewDepartment spec;
               BAOMI_ASSIGN_OR_RETURN(spec.name, f.required_text("name", 64, TextShape::kLine));
               BAOMI_ASSIGN_OR_RETURN(spec.display_name,
                                      f.required_text("display_name", 128, TextShape::kLine));
               BAOMI_ASSIGN_OR_RETURN(spec.parent, f.required_text("parent", 64, TextShape::kLine));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(auto d, api.departments.create(who.user, spec));
               return answer(api, 201, d);
             }));
  router.add("PATCH", "/api/v1/departments/{name}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto display,
                                      f.required_text("display_name", 128, TextShape::kLine));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(auto d,
                                      api.departments.rename(who.user, req.param("name"), display));
               return answer(api, 200, d);
             }));
  router.add("POST", "/api/v1/departments/{name}/retire",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto d, api.departments.retire(who.user, req.param("name")));
               return answer(api, 200, d);
             }));
}

}  // namespace baomi::http::api
