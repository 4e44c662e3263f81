// /healthz and /api/v1/sys/{seal-status,unseal,seal}: the only paths a sealed server serves.
#include <boost/json.hpp>

#include "auth/guard.h"
#include "http/api/error_map.h"
#include "http/api/seal.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

Response status_response(int code, const SealStatus& s) {
  json::object o{{"sealed", s.sealed},
                 {"progress", s.progress},
                 {"threshold", s.threshold},
                 {"shares", s.shares},
                 {"key_shares", s.by_shares}};
  return json_response(code, o);
}

// The seal of a running server by the security administrator (SoD: the policy decides who);
// recorded before the keys go, since a sealed server cannot write the trail.
Result<Response> seal_by(Api& api, SealControl& control, const auth::Authenticated& who) {
  const auto d = api.rt.policy.decide(auth::subject_of(who.user), policy::Action::kSealInstance, {},
                                      {api.rt.now()});
  BAOMI_TRY(auth::enforce(api.rt, d, who.user.id, "seal.seal", "instance"));
  if (!control.status().by_shares) {
    return Error::conflict("not_sealable",
                           "this instance keeps its master key in a file, which a restart reads "
                           "again: sealing needs an instance created with --key-shares");
  }
  BAOMI_TRY(api.rt.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(api.rt.audit.append(
        tx, {who.user.id, "seal.seal", "instance", "allow", std::string(d.rule), "{}"},
        api.rt.now()));
    return api.rt.audit.checkpoint(tx, api.rt.now());
  }));
  BAOMI_TRY(control.seal());
  return status_response(200, control.status());
}

}  // namespace

Response sealed_response() {
  return error_response(503, "sealed",
                        "the server is sealed: key holders unseal it with their shares "
                        "(POST /api/v1/sys/unseal)");
}

void register_seal_routes(Router& router, SealControl& control) {
  router.add("GET", "/healthz", [&control](Request&) -> Response {
    auto api = control.api();
    if (!api) return json_response(503, json::object{{"status", "sealed"}});
    if (!api->serving.load()) return json_response(503, json::object{{"status", "stopping"}});
    return json_response(200, json::object{{"status", "ok"}});
  });
  router.add("GET", "/api/v1/sys/seal-status",
             [&control](Request&) -> Response { return status_response(200, control.status()); });
  router.add("POST", "/api/v1/sys/unseal", open([&control](Request& req) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto share, f.required_string("share", 1024));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(auto status, control.unseal(share, req.remote_address()));
               return status_response(200, status);
             }));
  router.add("POST", "/api/v1/sys/seal", [&control](Request& req) -> Response {
    auto api = control.api();
    if (!api) return status_response(200, control.status());  // sealed already
    return authed(*api, [&](Request&, const auth::Authenticated& who) {
      return seal_by(*api, control, who);
    })(req);
  });
}

}  // namespace baomi::http::api
