// /api/v1/handovers: handover slips (工作交接单, H1-H3, I1, I2): issue, read, list,
// acknowledge, confirm, correct, carry over, legal holds, delete (purge) and overdue alerts.
#include "http/api/copy_json.h"
#include "http/api/handover_json.h"
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

// Every answer here is classified: slips name customers and work in hand.
Response slip_response(Api& api, int status, const services::SlipView& v) {
  return classified(json_response(status, slip_json(api.rt.policy, v)));
}

// Acknowledge takes no fields; an empty body or {} is fine.
Result<void> expect_empty_object(const std::string& body) {
  if (body.empty()) return {};
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  return JsonFields(obj).finish();
}

Result<std::optional<bool>> bool_query(const Request& req, const char* name) {
  auto v = req.query(name);
  if (!v) return std::optional<bool>();
  if (*v != "true" && *v != "false") {
    return Error::invalid("invalid_field",
                          std::string("query parameter '") + name + "' must be true or false");
  }
  return std::optional<bool>(*v == "true");
}

Result<services::SlipFilter> parse_slip_filter(const Request& req) {
  services::SlipFilter f;
  f.state = req.query("state");
  f.department = req.query("department");
  BAOMI_ASSIGN_OR_RETURN(f.acknowledged, bool_query(req, "acknowledged"));
  f.shift = req.query("shift");
  f.date = req.query("date");
  f.author_id = req.query("author");
  BAOMI_ASSIGN_OR_RETURN(f.limit, page_limit(req));
  BAOMI_ASSIGN_OR_RETURN(f.cursor, page_cursor(req));
  return f;
}

using Action = Result<services::SlipView> (*)(Api&, Request&, const auth::Authenticated&);

Handler slip_action(Api& api, Action action, int status) {
  return authed(
      api,
      [&api, action, status](Request& req, const auth::Authenticated& who) -> Result<Response> {
        BAOMI_ASSIGN_OR_RETURN(auto view, action(api, req, who));
        return slip_response(api, status, view);
      });
}

void register_reads(Router& router, Api& api) {
  router.add("GET", "/api/v1/handovers",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto filter, parse_slip_filter(req));
               BAOMI_ASSIGN_OR_RETURN(auto page, api.handovers.list(who.user, filter));
               json::array items;
               for (const auto& v : page.items) items.push_back(slip_json(api.rt.policy, v));
               auto out = page_json(std::move(items), page.next_cursor);
               BAOMI_TRY(add_people(api.rt, out));  // authors and who acknowledged, by name
               return classified(json_response(200, std::move(out)));
             }));
  router.add("GET", "/api/v1/handovers/alerts",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req));
               BAOMI_ASSIGN_OR_RETURN(auto alerts,
                                      api.handovers.overdue_alerts(who.user, cursor, limit));
               json::array items;
               for (const auto& a : alerts) items.push_back(alert_json(a));
               std::optional<std::string> next;
               if (alerts.size() == limit && alerts.back().target) {
                 next = alerts.back().target->substr(std::string_view("handover:").size());
               }
               return classified(json_response(200, page_json(std::move(items), next)));
             }));
  router.add("GET", "/api/v1/handovers/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto view, api.handovers.get(who.user, req.param("id")));
               auto out = slip_json(api.rt.policy, view);
               BAOMI_TRY(add_people(api.rt, out));
               return classified(json_response(200, std::move(out)));
             }));
  router.add("GET", "/api/v1/handovers/{id}/versions/{version}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               const auto text = req.param("version");
               std::uint64_t version = 0;
               for (char c : text) {
                 if (c < '0' || c > '9' || version > 100000) return Error::not_found();
                 version = version * 10 + static_cast<std::uint64_t>(c - '0');
               }
               BAOMI_ASSIGN_OR_RETURN(auto view, api.handovers.get(who.user, req.param("id")));
               if (version == 0 || version > view.versions.size()) return Error::not_found();
               return classified(json_response(200, slip_version_json(view, version)));
             }));
}

void register_writes(Router& router, Api& api) {
  router.add(
      "POST", "/api/v1/handovers",
      slip_action(
          api,
          [](Api& a, Request& req, const auth::Authenticated& who) -> Result<services::SlipView> {
            BAOMI_ASSIGN_OR_RETURN(auto spec, parse_new_slip(req.body(), true));
            return a.handovers.create(who.user, spec);
          },
          201));
  router.add(
      "POST", "/api/v1/handovers/{id}/acknowledge",
      slip_action(
          api,
          [](Api& a, Request& req, const auth::Authenticated& who) -> Result<services::SlipView> {
            BAOMI_TRY(expect_empty_object(req.body()));
            return a.handovers.acknowledge(who.user, req.param("id"));
          },
          200));
  router.add(
      "POST", "/api/v1/handovers/{id}/confirm",
      slip_action(
          api,
          [](Api& a, Request& req, const auth::Authenticated& who) -> Result<services::SlipView> {
            BAOMI_ASSIGN_OR_RETURN(auto items, parse_confirmation(req.body()));
            return a.handovers.confirm(who.user, req.param("id"), items);
          },
          200));
  router.add(
      "POST", "/api/v1/handovers/{id}/corrections",
      slip_action(
          api,
          [](Api& a, Request& req, const auth::Authenticated& who) -> Result<services::SlipView> {
            BAOMI_ASSIGN_OR_RETURN(auto correction, parse_correction(req.body()));
            return a.handovers.correct(who.user, req.param("id"), correction);
          },
          201));
  router.add(
      "POST", "/api/v1/handovers/{id}/carry-over",
      slip_action(
          api,
          [](Api& a, Request& req, const auth::Authenticated& who) -> Result<services::SlipView> {
            BAOMI_ASSIGN_OR_RETURN(auto spec, parse_new_slip(req.body(), false));
            return a.handovers.carry_over(who.user, req.param("id"), spec);
          },
          201));
}

void register_retention(Router& router, Api& api) {
  router.add(
      "POST", "/api/v1/handovers/{id}/hold",
      slip_action(
          api,
          [](Api& a, Request& req, const auth::Authenticated& who) -> Result<services::SlipView> {
            BAOMI_ASSIGN_OR_RETURN(auto reason, parse_reason(req.body()));
            return a.handovers.hold(who.user, req.param("id"), reason);
          },
          200));
  router.add(
      "DELETE", "/api/v1/handovers/{id}/hold",
      slip_action(
          api,
          [](Api& a, Request& req, const auth::Authenticated& who) -> Result<services::SlipView> {
            BAOMI_ASSIGN_OR_RETURN(auto reason, parse_reason(req.body()));
            return a.handovers.release(who.user, req.param("id"), reason);
          },
          200));
  router.add("DELETE", "/api/v1/handovers/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto receipt,
                                      api.handovers.remove(who.user, req.param("id")));
               return json_response(200, purge_json(receipt));
             }));
}

}  // namespace

void register_handover_routes(Router& router, Api& api) {
  register_reads(router, api);
  register_writes(router, api);
  register_retention(router, api);
}

}  // namespace baomi::http::api
