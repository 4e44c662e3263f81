// /api/v1/sys/rotate and /api/v1/sys/keys: KEK rotation and what each KEK version still wraps
// (docs/api.md, "Keys"). Every decision is the policy's, through services/keys.
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

json::object status_json(const services::KeyStatus& s) {
  json::array versions;
  for (const auto& v : s.versions) {
    versions.push_back(json::object{
        {"version", v.version}, {"keys", v.keys}, {"current", v.version == s.current}});
  }
  json::object out{
      {"current_version", s.current}, {"versions", std::move(versions)}, {"rewrap", nullptr}};
  if (s.rewrap) {
    out["rewrap"] = json::object{{"target_version", s.rewrap->target},
                                 {"started_at", format_rfc3339(s.rewrap->started)},
                                 {"rewrapped", s.rewrap->rewrapped},
                                 {"passes", s.rewrap->passes},
                                 {"table", s.rewrap->table}};
  }
  return out;
}

json::object transition_json(const audit::KeyTransition& t) {
  return audit::key_transition_json(t);
}

}  // namespace

void register_key_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/sys/rotate",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto started, api.keys.rotate(who.user));
               return json_response(202, json::object{{"kek_version", started.version},
                                                      {"previous_version", started.previous},
                                                      {"rewrap", "started"}});
             }));
  // I1: a new audit signing key, handed over by the old one in the trail.
  router.add("POST", "/api/v1/sys/rotate-audit-key",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto t, api.audit_keys.rotate(who.user));
               return json_response(200, transition_json(t));
             }));
  router.add("GET", "/api/v1/audit/keys",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto chain, api.audit_keys.chain(who.user));
               json::array transitions;
               for (const auto& t : chain.transitions) transitions.push_back(transition_json(t));
               return json_response(200,
                                    json::object{{"first_public_key", chain.first_public_key},
                                                 {"current_public_key", chain.current_public_key},
                                                 {"transitions", std::move(transitions)}});
             }));
  router.add("GET", "/api/v1/sys/keys",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto status, api.keys.status(who.user));
               return json_response(200, status_json(status));
             }));
}

}  // namespace baomi::http::api
