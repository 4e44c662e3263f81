// POST/DELETE /api/v1/session, GET /api/v1/me, POST /api/v1/me/pledge.
#include <algorithm>

#include "http/api/error_map.h"
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {

void register_session_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/session", open([&api](Request& req) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto username, f.required_string("username", 64));
               BAOMI_ASSIGN_OR_RETURN(auto password, f.required_string("password", 1024));
               BAOMI_TRY(f.finish());
               auto login = api.sessions.login(username, password, req.remote_address());
               if (!login.ok() && login.error().kind == ErrorKind::kRateLimited) {
                 // S9: a source spraying names is told when it may try again.
                 auto refused = error_of(login.error(), "");
                 refused.headers.emplace_back(
                     "Retry-After",
                     std::to_string(std::max<long long>(
                         1, api.sessions.retry_after(req.remote_address()).count())));
                 return refused;
               }
               if (!login.ok()) return login.take_error();
               req.attributes["actor"] = login->user.id;
               return json_response(
                   200, boost::json::object{{"token", login->token},
                                            {"expires_at", format_rfc3339(login->expires_at)},
                                            {"user", user_json(api.rt.policy, login->user)}});
             }));
  router.add("DELETE", "/api/v1/session",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_TRY(api.sessions.logout(who));
               return no_content();
             }));
  router.add("GET", "/api/v1/me",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               return json_response(200, user_json(api.rt.policy, who.user));
             }));
  router.add("POST", "/api/v1/me/pledge",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               if (!req.body().empty()) {
                 BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
                 BAOMI_TRY(JsonFields(obj).finish());
               }
               BAOMI_ASSIGN_OR_RETURN(auto user, api.accounts.accept_pledge(who.user));
               return json_response(200, user_json(api.rt.policy, user));
             }));
}

}  // namespace baomi::http::api
