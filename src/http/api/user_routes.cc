// /api/v1/users: account administration under separation of duties.
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {

void register_user_routes(Router& router, Api& api) {
  router.add(
      "POST", "/api/v1/users",
      authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
        BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
        JsonFields f(obj);
        auth::NewUser nu;
        BAOMI_ASSIGN_OR_RETURN(nu.username, f.required_text("username", 64, TextShape::kLine));
        BAOMI_ASSIGN_OR_RETURN(nu.display_name,
                               f.required_text("display_name", 128, TextShape::kLine));
        BAOMI_ASSIGN_OR_RETURN(nu.department, f.required_text("department", 64, TextShape::kLine));
        BAOMI_ASSIGN_OR_RETURN(nu.password, f.required_string("password", 1024));
        BAOMI_ASSIGN_OR_RETURN(nu.roles, f.string_array("roles", true, 9, 32));
        BAOMI_TRY(f.finish());
        BAOMI_ASSIGN_OR_RETURN(auto user, api.accounts.create_user(who.user, nu));
        return json_response(201, user_json(api.rt.policy, user));
      }));
  router.add("PUT", "/api/v1/users/{id}/clearance",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto level, f.required_string("level", 32));
               BAOMI_ASSIGN_OR_RETURN(auto categories, f.string_array("categories", true, 32, 64));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(auto user, api.accounts.set_clearance(
                                                     who.user, req.param("id"), level, categories));
               return json_response(200, user_json(api.rt.policy, user));
             }));
  router.add("GET", "/api/v1/users",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req));
               BAOMI_ASSIGN_OR_RETURN(auto page, api.accounts.list_users(who.user, cursor, limit));
               boost::json::array items;
               for (const auto& u : page.users) items.push_back(user_json(api.rt.policy, u));
               return json_response(200, page_json(std::move(items), page.next_cursor));
             }));
  router.add("GET", "/api/v1/users/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto user, api.accounts.get_user(who.user, req.param("id")));
               return json_response(200, user_json(api.rt.policy, user));
             }));
}

}  // namespace baomi::http::api
