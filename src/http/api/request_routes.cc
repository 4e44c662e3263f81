// /api/v1/requests and /api/v1/grants: asking for access, copies, prints, excerpts, exports
// and declassification, deciding those requests, and the grants that approvals create.
#include "http/api/json_out.h"
#include "http/api/request_json.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

constexpr std::int64_t kMaxDays = 3650;
constexpr std::int64_t kMaxCopies = 1000;

Result<TimePoint> window_time(JsonFields& w, std::string_view name) {
  BAOMI_ASSIGN_OR_RETURN(auto text, w.required_string(name, 64));
  const auto t = parse_rfc3339(text);
  if (!t) return Error::invalid("invalid_field", w.label(name) + " must be an RFC 3339 time");
  return *t;
}

// S11:
// {"area_id","visitor":{"name","organisation","id_number"?},"escort_id","window":{"from","to"}}
Result<services::VisitSpec> parse_visit(JsonFields& f) {
  services::VisitSpec v;
  BAOMI_ASSIGN_OR_RETURN(v.area_id, f.required_string("area_id", 64));
  BAOMI_ASSIGN_OR_RETURN(v.escort_id, f.required_string("escort_id", 64));
  BAOMI_ASSIGN_OR_RETURN(auto visitor, f.optional_object("visitor"));
  BAOMI_ASSIGN_OR_RETURN(auto window, f.optional_object("window"));
  if (!visitor) return Error::invalid("invalid_field", "field 'visitor' is required");
  if (!window) return Error::invalid("invalid_field", "field 'window' is required");
  JsonFields p(*visitor, "visitor.");
  BAOMI_ASSIGN_OR_RETURN(v.visitor.name, p.required_text("name", 100, TextShape::kLine));
  BAOMI_ASSIGN_OR_RETURN(v.visitor.organisation,
                         p.required_text("organisation", 200, TextShape::kLine));
  BAOMI_ASSIGN_OR_RETURN(v.visitor.id_number, p.optional_text("id_number", 32, TextShape::kLine));
  BAOMI_TRY(p.finish());
  JsonFields w(*window, "window.");
  BAOMI_ASSIGN_OR_RETURN(v.from, window_time(w, "from"));
  BAOMI_ASSIGN_OR_RETURN(v.to, window_time(w, "to"));
  BAOMI_TRY(w.finish());
  return v;
}

Result<services::RequestSpec> parse_request(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::RequestSpec spec;
  BAOMI_ASSIGN_OR_RETURN(spec.type, f.required_string("type", 32));
  // A document request names its document; an export of customer records (C2) says
  // "customers" instead.
  BAOMI_ASSIGN_OR_RETURN(auto customers, f.optional_object("customers"));
  if (spec.type == "visit") {
    BAOMI_ASSIGN_OR_RETURN(spec.visit, parse_visit(f));
  } else if (customers) {
    JsonFields c(*customers, "customers.");
    services::CustomerExportSpec cs;
    BAOMI_ASSIGN_OR_RETURN(cs.level, c.optional_string("level", 32));
    BAOMI_ASSIGN_OR_RETURN(cs.categories, c.string_array("categories", false, 32, 64));
    BAOMI_ASSIGN_OR_RETURN(cs.fields, c.string_array("fields", false, 16, 32));
    BAOMI_TRY(c.finish());
    spec.customers = std::move(cs);
    BAOMI_ASSIGN_OR_RETURN(auto doc, f.optional_string("document_id", 64));
    if (doc) {
      return Error::invalid("invalid_field", "give either 'document_id' or 'customers', not both");
    }
  } else {
    BAOMI_ASSIGN_OR_RETURN(spec.document_id, f.required_string("document_id", 64));
  }
  BAOMI_ASSIGN_OR_RETURN(spec.reason, f.required_text("reason", 2000, TextShape::kParagraphs));
  BAOMI_ASSIGN_OR_RETURN(auto copies, f.optional_int("copies", 0, kMaxCopies));
  BAOMI_ASSIGN_OR_RETURN(auto days, f.optional_int("days", 1, kMaxDays));
  BAOMI_ASSIGN_OR_RETURN(auto uses, f.optional_int("uses", 1, 1000));
  if (copies) spec.copies = static_cast<int>(*copies);
  if (days) spec.days = static_cast<int>(*days);
  if (uses) spec.uses = static_cast<int>(*uses);
  BAOMI_ASSIGN_OR_RETURN(auto excerpt, f.optional_object("excerpt"));
  if (excerpt) {
    JsonFields e(*excerpt, "excerpt.");
    constexpr std::int64_t kMaxOffset = std::int64_t{1} << 40;
    BAOMI_ASSIGN_OR_RETURN(auto from, e.required_int("from", 0, kMaxOffset));
    BAOMI_ASSIGN_OR_RETURN(auto to, e.required_int("to", 1, kMaxOffset));
    BAOMI_TRY(e.finish());
    spec.excerpt =
        services::ExcerptRange{static_cast<std::uint64_t>(from), static_cast<std::uint64_t>(to)};
  }
  BAOMI_ASSIGN_OR_RETURN(spec.declassify_level, f.optional_string("level", 32));
  BAOMI_ASSIGN_OR_RETURN(auto end_term, f.optional_bool("end_term"));
  spec.end_term = end_term.value_or(false);
  // S5, H3: a destroy request for one version only.
  BAOMI_ASSIGN_OR_RETURN(auto version, f.optional_int("version", 1, std::int64_t{1} << 40));
  if (version) spec.destroy_version = static_cast<std::uint64_t>(*version);
  BAOMI_TRY(f.finish());
  return spec;
}

// {"comment"} (optional, possibly an empty body) for approve and reject.
// S11, C3: ?unmask=name,id_number&reason=TEXT on a visit request; nothing without `unmask`.
Result<std::optional<services::VisitorUnmask>> parse_visitor_unmask(const Request& req) {
  const auto unmask = req.query("unmask");
  const auto reason = req.query("reason");
  if (!unmask) {
    if (reason) {
      return Error::invalid("invalid_field", "query parameter 'reason' applies only with 'unmask'");
    }
    return std::optional<services::VisitorUnmask>();
  }
  services::VisitorUnmask u;
  std::string_view rest = *unmask;
  for (;;) {
    const auto comma = rest.find(',');
    const auto name = rest.substr(0, comma);
    if (name == "name") {
      u.name = true;
    } else if (name == "id_number") {
      u.id_number = true;
    } else {
      return Error::invalid("invalid_field",
                            "query parameter 'unmask' names a field other than name and id_number");
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  u.reason = reason.value_or("");
  return std::optional<services::VisitorUnmask>(std::move(u));
}

Result<std::string> parse_comment(const std::string& body) {
  if (body.empty()) return std::string();
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto comment, f.optional_text("comment", 2000, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  return comment.value_or("");
}

Result<services::RequestFilter> parse_request_filter(const Request& req) {
  services::RequestFilter filter;
  if (auto status = req.query("status")) {
    filter.state = services::request_state_from_name(*status);
    if (!filter.state) {
      return Error::invalid("invalid_field", "query parameter 'status' is not a request status");
    }
  }
  if (auto approvable = req.query("approvable")) {
    if (*approvable != "true" && *approvable != "false") {
      return Error::invalid("invalid_field", "query parameter 'approvable' must be true or false");
    }
    filter.approvable = *approvable == "true";
  }
  BAOMI_ASSIGN_OR_RETURN(filter.limit, page_limit(req));
  BAOMI_ASSIGN_OR_RETURN(filter.cursor, page_cursor(req));
  return filter;
}

Response request_response(Api& api, int status, const services::RequestView& view) {
  auto res = json_response(status, request_json(api.rt.policy, view));
  res.classified = true;  // the reason and the excerpt range concern a classified document
  return res;
}

using Decide = Result<services::RequestView> (services::Requests::*)(const auth::User&,
                                                                     const std::string&,
                                                                     const std::string&) const;

Handler decide_route(Api& api, Decide decide) {
  return authed(api,
                [&api, decide](Request& req, const auth::Authenticated& who) -> Result<Response> {
                  BAOMI_ASSIGN_OR_RETURN(auto comment, parse_comment(req.body()));
                  BAOMI_ASSIGN_OR_RETURN(
                      auto view, (api.requests.*decide)(who.user, req.param("id"), comment));
                  return request_response(api, 200, view);
                });
}

}  // namespace

void register_request_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/requests",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto spec, parse_request(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto view, api.requests.create(who.user, spec));
               return request_response(api, 201, view);
             }));
  router.add("GET", "/api/v1/requests",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto filter, parse_request_filter(req));
               BAOMI_ASSIGN_OR_RETURN(auto page, api.requests.list(who.user, filter));
               boost::json::array items;
               for (const auto& v : page.items) items.push_back(request_json(api.rt.policy, v));
               auto res = json_response(200, page_json(std::move(items), page.next_cursor));
               res.classified = true;
               return res;
             }));
  router.add("GET", "/api/v1/requests/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto unmask, parse_visitor_unmask(req));
               if (unmask) {
                 BAOMI_ASSIGN_OR_RETURN(
                     auto view, api.requests.unmask_visitor(who.user, req.param("id"), *unmask));
                 return request_response(api, 200, view);
               }
               BAOMI_ASSIGN_OR_RETURN(auto view, api.requests.get(who.user, req.param("id")));
               return request_response(api, 200, view);
             }));
  router.add("POST", "/api/v1/requests/{id}/approve",
             decide_route(api, &services::Requests::approve));
  router.add("POST", "/api/v1/requests/{id}/reject",
             decide_route(api, &services::Requests::reject));
  router.add("POST", "/api/v1/requests/{id}/cancel",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_TRY(parse_comment(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto view, api.requests.cancel(who.user, req.param("id")));
               return request_response(api, 200, view);
             }));
  router.add("GET", "/api/v1/grants",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto grants, api.grants.usable_of(who.user));
               const auto now = api.rt.now();
               boost::json::array items;
               for (const auto& g : grants) items.push_back(grant_json(g, now));
               return json_response(200, page_json(std::move(items), std::nullopt));
             }));
  router.add("POST", "/api/v1/grants/{id}/revoke",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto grant, api.grants.revoke(who.user, req.param("id")));
               return json_response(200, grant_json(grant, api.rt.now()));
             }));
}

}  // namespace baomi::http::api
