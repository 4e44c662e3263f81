// /api/v1/areas: restricted areas and their entry logs (S11). Areas and their lists are the
// security administrator's; entries and exits are recorded by the area's door terminals and
// keepers; who is inside and the entry log are for keepers, the security administrator and the
// auditor. Every decision is the policy's, through services/areas.
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxListed = 500;

json::array strings_json(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

json::object area_json(const policy::Policy& p, const services::Area& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"kind", services::area_kind_name(a.kind)},
          {"level", p.level_name(a.level)},
          {"authorised", strings_json(a.authorised)},
          {"keepers", strings_json(a.keepers)},
          {"terminals", strings_json(a.terminals)},
          {"requestable", a.requestable},
          {"changed_by", a.changed_by},
          {"created_at", format_rfc3339(a.created_at)},
          {"updated_at", format_rfc3339(a.updated_at)}};
}

json::object passage_json(const services::Passage& p) {
  json::object out{{"id", p.id},
                   {"area_id", p.area_id},
                   {"person_id", p.visit_id ? json::value(nullptr) : json::value(p.person_id)},
                   {"visit_id", p.visit_id ? json::value(*p.visit_id) : json::value(nullptr)},
                   {"escort_id", p.escort_id ? json::value(*p.escort_id) : json::value(nullptr)},
                   {"inside", p.inside},
                   {"entered_at", format_rfc3339(p.entered_at)},
                   {"entered_by", p.entered_by},
                   {"left_at", nullptr},
                   {"left_by", nullptr}};
  if (p.left_at) out["left_at"] = format_rfc3339(*p.left_at);
  if (p.left_by) out["left_by"] = *p.left_by;
  if (p.visit_id) {  // S11: the visitor's name masked (C3 masking); the request keeps the rest
    out["visitor"] = json::object{{"name", p.visitor_name.value_or("")},
                                  {"organisation", p.visitor_organisation.value_or("")}};
  }
  return out;
}

// The accounts an area names (its three lists and who changed them last).
void area_people(const services::Area& a, std::vector<std::string>& ids) {
  for (const auto* list : {&a.authorised, &a.keepers, &a.terminals}) {
    ids.insert(ids.end(), list->begin(), list->end());
  }
  ids.push_back(a.changed_by);
}

// The accounts a passage names: who passed, the escort, and who recorded each end.
void passage_people(const services::Passage& p, std::vector<std::string>& ids) {
  if (!p.visit_id) ids.push_back(p.person_id);
  if (p.escort_id) ids.push_back(*p.escort_id);
  ids.push_back(p.entered_by);
  if (p.left_by) ids.push_back(*p.left_by);
}

// An answer with `people`: the names of the accounts it lists by id, so a keeper picks and
// reads people by name (only those the answer already names).
Result<Response> with_area_people(Api& api, int status, json::object body,
                                  const std::vector<std::string>& ids) {
  BAOMI_TRY(add_people(api.rt, body, ids));
  return classified(json_response(status, std::move(body)));
}

Result<Response> area_answer(Api& api, int status, const services::Area& a) {
  std::vector<std::string> ids;
  area_people(a, ids);
  return with_area_people(api, status, area_json(api.rt.policy, a), ids);
}

Result<services::NewArea> parse_new_area(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::NewArea a;
  BAOMI_ASSIGN_OR_RETURN(a.name, f.required_text("name", 200, TextShape::kLine));
  BAOMI_ASSIGN_OR_RETURN(a.kind, f.required_string("kind", 64));
  BAOMI_ASSIGN_OR_RETURN(a.level, f.required_string("level", 64));
  BAOMI_ASSIGN_OR_RETURN(a.authorised, f.string_array("authorised", true, kMaxListed, 64));
  BAOMI_ASSIGN_OR_RETURN(a.keepers, f.string_array("keepers", false, kMaxListed, 64));
  BAOMI_ASSIGN_OR_RETURN(a.terminals, f.string_array("terminals", false, kMaxListed, 64));
  BAOMI_ASSIGN_OR_RETURN(auto requestable, f.optional_bool("requestable"));
  a.requestable = requestable.value_or(false);
  BAOMI_TRY(f.finish());
  return a;
}

Result<std::vector<std::string>> parse_list(const std::string& body, std::string_view name) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto ids, f.string_array(name, true, kMaxListed, 64));
  BAOMI_TRY(f.finish());
  return ids;
}

// {"person_id"} for staff, or {"visit_id"} for a visitor on an approved visit (S11).
Result<services::PassageSpec> parse_passage(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::PassageSpec who;
  BAOMI_ASSIGN_OR_RETURN(who.person_id, f.optional_string("person_id", 64));
  BAOMI_ASSIGN_OR_RETURN(who.visit_id, f.optional_string("visit_id", 64));
  BAOMI_TRY(f.finish());
  if (who.person_id.has_value() == who.visit_id.has_value()) {
    return Error::invalid("invalid_field", "give exactly one of 'person_id' and 'visit_id'");
  }
  return who;
}

Result<std::optional<TimePoint>> area_time_param(const Request& req, std::string_view name) {
  auto text = req.query(name);
  if (!text) return std::optional<TimePoint>();
  auto t = parse_rfc3339(*text);
  if (!t) {
    return Error::invalid("invalid_field",
                          "query parameter '" + std::string(name) + "' must be an RFC 3339 time");
  }
  return std::optional<TimePoint>(*t);
}

Result<Response> passages_answer(Api& api, const std::vector<services::Passage>& items,
                                 const std::optional<std::string>& next = std::nullopt) {
  json::array out;
  std::vector<std::string> ids;
  for (const auto& p : items) {
    out.push_back(passage_json(p));
    passage_people(p, ids);
  }
  return with_area_people(api, 200, page_json(std::move(out), next), ids);
}

Handler list_route(Api& api, services::AreaList which) {
  return authed(
      api, [&api, which](Request& req, const auth::Authenticated& who) -> Result<Response> {
        BAOMI_ASSIGN_OR_RETURN(auto ids, parse_list(req.body(), services::area_list_name(which)));
        BAOMI_ASSIGN_OR_RETURN(auto area,
                               api.areas.set_list(who.user, req.param("id"), which, ids));
        return area_answer(api, 200, area);
      });
}

Handler passage_route(Api& api, bool entering) {
  return authed(api,
                [&api, entering](Request& req, const auth::Authenticated& who) -> Result<Response> {
                  BAOMI_ASSIGN_OR_RETURN(auto person, parse_passage(req.body()));
                  BAOMI_ASSIGN_OR_RETURN(
                      auto passage, entering ? api.areas.enter(who.user, req.param("id"), person)
                                             : api.areas.exit(who.user, req.param("id"), person));
                  std::vector<std::string> ids;
                  passage_people(passage, ids);
                  return with_area_people(api, entering ? 201 : 200, passage_json(passage), ids);
                });
}

}  // namespace

void register_area_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/areas",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto spec, parse_new_area(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto area, api.areas.create(who.user, spec));
               return area_answer(api, 201, area);
             }));
  router.add("GET", "/api/v1/areas",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req));
               BAOMI_ASSIGN_OR_RETURN(auto page, api.areas.list(who.user, cursor, limit));
               json::array items;
               std::vector<std::string> ids;
               for (const auto& a : page.items) {
                 items.push_back(area_json(api.rt.policy, a));
                 area_people(a, ids);
               }
               return with_area_people(api, 200, page_json(std::move(items), page.next_cursor),
                                       ids);
             }));
  router.add("GET", "/api/v1/areas/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto area, api.areas.get(who.user, req.param("id")));
               return area_answer(api, 200, area);
             }));
  router.add("PUT", "/api/v1/areas/{id}/authorised",
             list_route(api, services::AreaList::kAuthorised));
  router.add("PUT", "/api/v1/areas/{id}/keepers", list_route(api, services::AreaList::kKeepers));
  router.add("PUT", "/api/v1/areas/{id}/terminals",
             list_route(api, services::AreaList::kTerminals));
  router.add("PUT", "/api/v1/areas/{id}/requestable",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto requestable, f.required_bool("requestable"));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(
                   auto area, api.areas.set_requestable(who.user, req.param("id"), requestable));
               return area_answer(api, 200, area);
             }));
  router.add("POST", "/api/v1/areas/{id}/entries", passage_route(api, true));
  router.add("POST", "/api/v1/areas/{id}/exits", passage_route(api, false));
  router.add("GET", "/api/v1/areas/{id}/present",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto inside, api.areas.present(who.user, req.param("id")));
               return passages_answer(api, inside);
             }));
  router.add("GET", "/api/v1/areas/{id}/entries",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto from, area_time_param(req, "from"));
               BAOMI_ASSIGN_OR_RETURN(auto to, area_time_param(req, "to"));
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req));
               BAOMI_ASSIGN_OR_RETURN(
                   auto log, api.areas.entries(who.user, req.param("id"), from, to, cursor, limit));
               return passages_answer(api, log.items, log.next_cursor);
             }));
}

}  // namespace baomi::http::api
