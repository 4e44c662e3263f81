// /healthz and /metrics.
#include "auth/guard.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

bool is_loopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

// Issue 16: connections open, accepted, and refused or cut by reason (http::Refusal).
void connection_metrics(std::string& out, const ServerStats& st) {
  out +=
      "# HELP baomi_connections_open Connections open now.\n"
      "# TYPE baomi_connections_open gauge\n"
      "baomi_connections_open " +
      std::to_string(st.connections_active) +
      "\n# HELP baomi_connections_accepted_total Connections accepted.\n"
      "# TYPE baomi_connections_accepted_total counter\n"
      "baomi_connections_accepted_total " +
      std::to_string(st.connections_total) +
      "\n# HELP baomi_connections_refused_total Connections refused at accept or cut short, by "
      "reason.\n# TYPE baomi_connections_refused_total counter\n";
  for (std::size_t i = 0; i < kRefusalKinds; ++i) {
    out += "baomi_connections_refused_total{reason=\"" +
           std::string(refusal_name(static_cast<Refusal>(i))) + "\"} " +
           std::to_string(st.connections_refused[i]) + "\n";
  }
}

std::string metrics_text(const Metrics& m) {
  std::string out;
  auto line = [&out](const char* name, const char* help, std::uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
           " " + std::to_string(v) + "\n";
  };
  line("baomi_requests_total", "HTTP requests handled.", m.requests.load());
  line("baomi_responses_2xx_total", "Responses with a 2xx status.", m.responses_2xx.load());
  line("baomi_responses_4xx_total", "Responses with a 4xx status.", m.responses_4xx.load());
  line("baomi_responses_5xx_total", "Responses with a 5xx status.", m.responses_5xx.load());
  line("baomi_request_bytes_total", "Request body bytes received.", m.bytes_in.load());
  line("baomi_response_bytes_total", "Response body bytes sent.", m.bytes_out.load());
  m.latency.write_prometheus(out);
  if (m.server_stats) connection_metrics(out, m.server_stats());
  return out;
}

}  // namespace

void register_service_routes(Router& router, Api& api) {
  router.add("GET", "/healthz", open([&api](Request&) -> Result<Response> {
               if (!api.serving.load()) {
                 return json_response(503, boost::json::object{{"status", "sealed"}});
               }
               return json_response(200, boost::json::object{{"status", "ok"}});
             }));
  // Loopback callers (a local Prometheus) need no token; anyone else needs the sysadmin's.
  router.add("GET", "/metrics", [&api](Request& req) -> Response {
    auto text = [&api] {
      Response res;
      res.content_type = "text/plain; version=0.0.4";
      res.body = metrics_text(api.metrics);
      return res;
    };
    if (is_loopback(req.remote_address())) return text();
    return authed(api, [&](Request&, const auth::Authenticated& who) -> Result<Response> {
      const auto d = api.rt.policy.decide(auth::subject_of(who.user), policy::Action::kReadMetrics,
                                          {}, {api.rt.now()});
      BAOMI_TRY(auth::enforce(api.rt, d, who.user.id, "metrics.read", "metrics"));
      return text();
    })(req);
  });
}

}  // namespace baomi::http::api
