// /api/v1/copies, /api/v1/incidents and /api/v1/alerts: issuing and taking back approved
// copies, downloading their marked artifacts, and loss reports with their alerts (S5, S7, S8).
#include "http/api/copy_json.h"
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

// An optional JSON body with one optional text field (e.g. {"note"}); an empty body is fine.
Result<std::string> optional_text_field(const std::string& body, std::string_view name) {
  if (body.empty()) return std::string();
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto value, f.optional_text(name, 4000, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  return value.value_or("");
}

Result<std::string> required_text_field(const std::string& body, std::string_view name) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto value, f.required_text(name, 4000, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  return value;
}

// A classified answer that names the people it mentions (holders, who recorded each step).
Result<Response> with_copy_people(Api& api, int status, json::object body) {
  BAOMI_TRY(add_people(api.rt, body));
  return classified(json_response(status, std::move(body)));
}

Handler copy_event_route(Api& api, services::CopyEvent event) {
  return authed(api,
                [&api, event](Request& req, const auth::Authenticated& who) -> Result<Response> {
                  BAOMI_ASSIGN_OR_RETURN(auto note, optional_text_field(req.body(), "note"));
                  BAOMI_ASSIGN_OR_RETURN(
                      auto copy, api.copies.record(who.user, req.param("serial"), event, note));
                  return classified(json_response(200, copy_json(copy)));
                });
}

void register_copies(Router& router, Api& api) {
  router.add("POST", "/api/v1/copies",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto request_id,
                                      required_text_field(req.body(), "request_id"));
               BAOMI_ASSIGN_OR_RETURN(auto copy, api.copies.issue(who.user, request_id));
               return classified(json_response(201, copy_json(copy)));
             }));
  router.add("GET", "/api/v1/copies",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req, CursorKind::kSerial));
               BAOMI_ASSIGN_OR_RETURN(
                   auto page, api.copies.list(who.user, req.query("document_id"), cursor, limit));
               json::array items;
               for (const auto& c : page.items) items.push_back(copy_json(c));
               return with_copy_people(api, 200, page_json(std::move(items), page.next_cursor));
             }));
  router.add("GET", "/api/v1/copies/{serial}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto copy, api.copies.get(who.user, req.param("serial")));
               return with_copy_people(api, 200, copy_json(copy));
             }));
  router.add("GET", "/api/v1/copies/{serial}/artifact",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto artifact,
                                      api.copies.artifact(who.user, req.param("serial")));
               Response res;
               res.status = 200;
               res.classified = true;
               res.content_type = artifact.content_type;
               res.body.assign(artifact.bytes.begin(), artifact.bytes.end());
               res.headers.emplace_back("Content-Disposition",
                                        "attachment; filename=\"" + artifact.filename + "\"");
               res.headers.emplace_back("X-Baomi-Serial", req.param("serial"));
               return res;
             }));
  router.add("POST", "/api/v1/copies/{serial}/return",
             copy_event_route(api, services::CopyEvent::kReturn));
  router.add("POST", "/api/v1/copies/{serial}/destroy",
             copy_event_route(api, services::CopyEvent::kDestroy));
  router.add("POST", "/api/v1/copies/{serial}/revoke",
             copy_event_route(api, services::CopyEvent::kRevoke));
  router.add(
      "POST", "/api/v1/copies/{serial}/report-lost",
      authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
        BAOMI_ASSIGN_OR_RETURN(auto description, required_text_field(req.body(), "description"));
        BAOMI_ASSIGN_OR_RETURN(auto incident,
                               api.copies.report_lost(who.user, req.param("serial"), description));
        return classified(json_response(201, incident_json(incident)));
      }));
}

void register_incidents(Router& router, Api& api) {
  router.add("POST", "/api/v1/incidents",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto document_id, f.required_string("document_id", 64));
               BAOMI_ASSIGN_OR_RETURN(auto description,
                                      f.required_text("description", 4000, TextShape::kParagraphs));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(
                   auto doc, api.documents.load_for(who.user, "incident.open", document_id));
               BAOMI_ASSIGN_OR_RETURN(auto incident,
                                      api.incidents.report_notes_lost(who.user, doc, description));
               return classified(json_response(201, incident_json(incident)));
             }));
  router.add("GET", "/api/v1/incidents",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               std::optional<bool> open;
               if (auto state = req.query("state")) {
                 if (*state != "open" && *state != "closed") {
                   return Error::invalid("invalid_field",
                                         "query parameter 'state' must be open or closed");
                 }
                 open = *state == "open";
               }
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req));
               BAOMI_ASSIGN_OR_RETURN(auto page, api.incidents.list(who.user, open, cursor, limit));
               json::array items;
               for (const auto& i : page.items) items.push_back(incident_json(i));
               return with_copy_people(api, 200, page_json(std::move(items), page.next_cursor));
             }));
  router.add("GET", "/api/v1/incidents/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto incident, api.incidents.get(who.user, req.param("id")));
               return with_copy_people(api, 200, incident_json(incident));
             }));
  router.add("POST", "/api/v1/incidents/{id}/steps",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto note, required_text_field(req.body(), "note"));
               BAOMI_ASSIGN_OR_RETURN(auto incident,
                                      api.incidents.add_step(who.user, req.param("id"), note));
               return classified(json_response(200, incident_json(incident)));
             }));
  router.add("POST", "/api/v1/incidents/{id}/close",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto note, required_text_field(req.body(), "note"));
               BAOMI_ASSIGN_OR_RETURN(auto incident,
                                      api.incidents.close(who.user, req.param("id"), note));
               return classified(json_response(200, incident_json(incident)));
             }));
  router.add("GET", "/api/v1/alerts",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req));
               services::AlertFilter filter;
               filter.state = req.query("state");
               filter.type = req.query("kind");
               filter.account = req.query("account");
               BAOMI_ASSIGN_OR_RETURN(auto page,
                                      api.incidents.alerts(who.user, filter, cursor, limit));
               json::array items;
               std::vector<std::string> raisers;
               for (const auto& a : page.items) {
                 items.push_back(alert_json(a));
                 raisers.push_back(a.raised_by);
               }
               auto body = page_json(std::move(items), page.next_cursor);
               BAOMI_TRY(add_people(api.rt, body, raisers));  // who raised and handled, by name
               return classified(json_response(200, std::move(body)));
             }));
  router.add("POST", "/api/v1/alerts/{id}/acknowledge",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto note, required_text_field(req.body(), "note"));
               BAOMI_ASSIGN_OR_RETURN(
                   auto alert, api.incidents.acknowledge_alert(who.user, req.param("id"), note));
               auto body = alert_json(alert);
               BAOMI_TRY(add_people(api.rt, body, {alert.raised_by}));
               return classified(json_response(200, std::move(body)));
             }));
  router.add("POST", "/api/v1/alerts/{id}/close",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto finding, required_text_field(req.body(), "finding"));
               BAOMI_ASSIGN_OR_RETURN(
                   auto alert, api.incidents.close_alert(who.user, req.param("id"), finding));
               auto body = alert_json(alert);
               BAOMI_TRY(add_people(api.rt, body, {alert.raised_by}));
               return classified(json_response(200, std::move(body)));
             }));
}

}  // namespace

void register_copy_routes(Router& router, Api& api) {
  register_copies(router, api);
  register_incidents(router, api);
}

}  // namespace baomi::http::api
