// /api/v1/customers: customer records (C1 to C5, I1). Handlers parse strictly and call one
// service; masking, decisions, audit and the watch all happen in services::Customers.
#include "http/api/customer_json.h"
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

constexpr std::string_view kSearchFields[] = {"phone", "id_number", "qq", "account", "email"};

Response customer_response(Api& api, int status, const services::CustomerView& view) {
  auto res = json_response(status, customer_json(api.rt.policy, view));
  res.classified = true;  // personal data, even masked, is never cached
  return res;
}

// Exactly one search parameter; any other parameter is refused (no search by name).
Result<std::pair<std::string, std::string>> search_term(const Request& req) {
  std::optional<std::pair<std::string, std::string>> term;
  for (const auto& [key, value] : req.query_params()) {
    const bool known = std::find(std::begin(kSearchFields), std::end(kSearchFields), key) !=
                       std::end(kSearchFields);
    if (!known) {
      return Error::invalid("invalid_field", "query parameter '" + key.substr(0, 32) +
                                                 "' is not a search field (phone, id_number, qq, "
                                                 "account, email)");
    }
    if (term) return Error::invalid("invalid_field", "search by exactly one field");
    term.emplace(key, value);
  }
  if (!term) {
    return Error::invalid("missing_field",
                          "a search field is required (phone, id_number, qq, account, email)");
  }
  return *term;
}

Handler update_route(Api& api, bool replace) {
  return authed(api,
                [&api, replace](Request& req, const auth::Authenticated& who) -> Result<Response> {
                  BAOMI_ASSIGN_OR_RETURN(auto input, parse_customer_input(req.body()));
                  BAOMI_ASSIGN_OR_RETURN(
                      auto view, api.customers.update(who.user, req.param("id"), input, replace));
                  return customer_response(api, 200, view);
                });
}

}  // namespace

void register_customer_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/customers",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto input, parse_customer_input(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto view, api.customers.create(who.user, input));
               return customer_response(api, 201, view);
             }));
  router.add("GET", "/api/v1/customers",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto term, search_term(req));
               BAOMI_ASSIGN_OR_RETURN(auto views,
                                      api.customers.search(who.user, term.first, term.second));
               boost::json::array items;
               for (const auto& v : views) items.push_back(customer_json(api.rt.policy, v));
               auto res = json_response(200, page_json(std::move(items), std::nullopt));
               res.classified = true;
               return res;
             }));
  router.add("GET", "/api/v1/customers/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto unmask, parse_unmask(req));
               BAOMI_ASSIGN_OR_RETURN(auto view,
                                      api.customers.get(who.user, req.param("id"), unmask));
               return customer_response(api, 200, view);
             }));
  router.add("PUT", "/api/v1/customers/{id}", update_route(api, true));
  router.add("PATCH", "/api/v1/customers/{id}", update_route(api, false));
  router.add("POST", "/api/v1/customers/{id}/contacts",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto input, parse_contact_input(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto entry,
                                      api.customers.add_contact(who.user, req.param("id"), input));
               auto res = json_response(201, contact_json(entry));
               res.classified = true;
               return res;
             }));
  // C2, S10: which export a leaked text (a file, a few rows) came from: the auditor.
  router.add("POST", "/api/v1/customer-exports/trace",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto text, f.required_string("leaked_text", 8u << 20));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(auto matches, api.exports.trace(who.user, text));
               boost::json::array items;
               for (const auto& m : matches) {
                 items.push_back(boost::json::object{{"serial", m.serial},
                                                     {"evidence", m.evidence},
                                                     {"holder_id", m.holder_id},
                                                     {"request_id", m.request_id},
                                                     {"issued_at", format_rfc3339(m.issued_at)}});
               }
               auto res = json_response(200, boost::json::object{{"matches", std::move(items)}});
               res.classified = true;
               return res;
             }));
  router.add("GET", "/api/v1/customers/{id}/contacts",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto entries,
                                      api.customers.contacts(who.user, req.param("id")));
               boost::json::array items;
               for (const auto& e : entries) items.push_back(contact_json(e));
               auto out = page_json(std::move(items), std::nullopt);
               BAOMI_TRY(add_people(api.rt, out));  // who handled each contact, by name
               auto res = json_response(200, out);
               res.classified = true;
               return res;
             }));
}

}  // namespace baomi::http::api
