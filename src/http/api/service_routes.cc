// /healthz and /metrics.
#include "auth/guard.h"
#include "barrier/record_cache.h"
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

// One family of one sample (no labels).
void sample(std::string& out, const char* type, const char* name, const char* help,
            std::uint64_t v) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
         name + " " + std::to_string(v) + "\n";
}

// One counter family with one label, a sample per value.
void labelled(std::string& out, const char* name, const char* help, const char* label,
              std::initializer_list<std::pair<const char*, std::uint64_t>> values) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
  for (const auto& [value, n] : values) {
    out += std::string(name) + "{" + label + "=\"" + value + "\"} " + std::to_string(n) + "\n";
  }
}

// Issues 14 and 16: what every audited request waits on (its entry made durable by a group
// commit), the record cache that spares re-opening unchanged records, and the login throttle.
void store_metrics(std::string& out, const Api& api) {
  api.rt.audit.record_latency().write_prometheus(
      out, "baomi_audit_append_seconds",
      "Time from handing an audit entry of its own (an audited read, a refusal) to the writer "
      "until it is durable.");
  barrier::SealedStore::commit_batch_sizes().write_prometheus(
      out, "baomi_group_commit_jobs",
      "Write jobs (each with its audit entries) per durable commit.");
  barrier::SealedStore::commit_durations().write_prometheus(
      out, "baomi_group_commit_seconds", "Time of one group commit: its jobs, COMMIT and sync.");
  const auto cache = api.rt.barrier.record_cache().stats();
  sample(out, "counter", "baomi_record_cache_hits_total",
         "Record reads served from the verified-record cache (row unchanged, ledger checked).",
         cache.hits);
  sample(out, "counter", "baomi_record_cache_misses_total",
         "Reads of cached record types opened and verified afresh.", cache.misses);
  sample(out, "counter", "baomi_record_cache_evictions_total",
         "Records forgotten by the cache to stay within its bounds.", cache.evictions);
  sample(out, "gauge", "baomi_record_cache_entries", "Records in the cache now.", cache.entries);
  sample(out, "gauge", "baomi_record_cache_bytes", "Approximate bytes the cache holds now.",
         cache.bytes);
  const auto logins = api.sessions.login_counts();
  sample(out, "counter", "baomi_logins_failed_total",
         "Logins refused for a wrong password or an unknown name.", logins.failed);
  labelled(out, "baomi_logins_refused_total", "Logins refused by the throttle, by reason (S9).",
           "reason",
           {{"locked", logins.refused_locked}, {"rate_limited", logins.refused_rate_limited}});
  labelled(out, "baomi_login_throttles_total",
           "Throttling begun: a name refused from one source, or a source refused (S9).", "scope",
           {{"pair", logins.pair_throttles}, {"source", logins.source_blocks}});
}

std::string metrics_text(const Api& api) {
  const Metrics& m = api.metrics;
  std::string out;
  auto line = [&out](const char* name, const char* help, std::uint64_t v) {
    sample(out, "counter", name, help, v);
  };
  line("baomi_requests_total", "HTTP requests handled.", m.requests.load());
  line("baomi_responses_2xx_total", "Responses with a 2xx status.", m.responses_2xx.load());
  line("baomi_responses_4xx_total", "Responses with a 4xx status.", m.responses_4xx.load());
  line("baomi_responses_5xx_total", "Responses with a 5xx status.", m.responses_5xx.load());
  line("baomi_request_bytes_total", "Request body bytes received.", m.bytes_in.load());
  line("baomi_response_bytes_total", "Response body bytes sent.", m.bytes_out.load());
  m.latency.write_prometheus(out);
  if (m.server_stats) connection_metrics(out, m.server_stats());
  store_metrics(out, api);
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
      res.body = metrics_text(api);
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
