// `baomi serve`: serves the API over HTTPS until SIGINT/SIGTERM. An instance with a master key
// file is opened at start; one sealed by key shares starts sealed (cmd/unsealer.h).
#include <csignal>
#include <functional>
#include <iostream>

#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/master_rotation.h"
#include "cmd/seal_files.h"
#include "cmd/test_hooks.h"
#include "cmd/unsealer.h"
#include "http/api/api.h"
#include "http/api/seal.h"
#include "http/server/server.h"
#include "policy/loader.h"

namespace baomi::cmd {
namespace {

Result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error::invalid("listen", "--listen must be ADDRESS:PORT, e.g. 127.0.0.1:8443");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) return Error::invalid("listen", "--listen has an invalid port");
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

http::Limits limits_from(const policy::Policy& p) {
  http::Limits limits;
  limits.max_json_body = p.limits().max_json_body_bytes;
  limits.max_content_body = p.limits().max_upload_bytes;
  limits.max_connections = p.limits().max_connections;
  limits.max_connections_per_address = p.limits().max_connections_per_address;
  limits.header_timeout = p.limits().header_timeout;
  limits.json_body_timeout = p.limits().json_body_timeout;
  limits.body_min_rate = p.limits().body_min_rate;
  limits.body_rate_grace = p.limits().body_rate_grace;
  return limits;
}

// Counts every response for /metrics (of the unsealed instance), then writes the structured
// access log line.
http::AccessLogSink metered_log(const Unsealer& seal) {
  return [&seal](const http::AccessLogRecord& r) {
    if (auto api = seal.api()) {
      auto& m = api->metrics;
      m.requests++;
      if (r.status < 300)
        m.responses_2xx++;
      else if (r.status < 500)
        m.responses_4xx++;
      else
        m.responses_5xx++;
      m.bytes_in += r.bytes_in;
      m.bytes_out += r.bytes_out;
      m.latency.observe(http::api::route_class_of(r.path), r.duration_us);
    }
    http::log_to_stderr(r);
  };
}

// The routes the server starts with: the seal endpoints, and for every other path the opened
// instance's API router, or 503 `sealed` while there is none.
std::shared_ptr<http::Router> seal_router(Unsealer& seal) {
  auto router = std::make_shared<http::Router>();
  http::api::register_seal_routes(*router, seal);
  auto sealed_route = std::make_shared<http::Route>();
  sealed_route->handler = [](http::Request&) { return http::api::sealed_response(); };
  sealed_route->options.stream_body = true;  // a sealed server reads no body, whatever its size
  router->set_fallback(
      [&seal, sealed_route](std::string_view method, const std::vector<std::string>& segments) {
        if (auto served = seal.served()) {
          auto m = served->router.match(method, segments);
          m.keep_alive = std::move(served);
          return m;
        }
        http::RouteMatch m;
        m.kind = http::RouteMatch::Kind::kFound;
        m.route = sealed_route.get();
        return m;
      });
  return router;
}

// Key-share mode starts sealed: the instance must exist, and its split must be readable, but
// nothing is read from its storage yet.
Result<std::unique_ptr<Unsealer>> start_seal(const InstancePaths& paths, const ServeOptions& o,
                                             const std::function<http::ServerStats()>& stats) {
  auto opener = [&paths, &o, &stats](
                    const crypto::SecretKey* master) -> Result<std::shared_ptr<ServedInstance>> {
    BAOMI_ASSIGN_OR_RETURN(auto served, serve_instance(paths, o, master));
    served->api->metrics.server_stats = [&stats] { return stats ? stats() : http::ServerStats{}; };
    return served;
  };
  // A master key rotation killed half-way is finished or rolled back before any key is read.
  BAOMI_TRY(recover_interrupted_rotation(paths));
  if (!paths.sealed_by_shares()) return Unsealer::with_key_file(opener);
  BAOMI_TRY(refuse_moved_instance(paths));
  if (!paths.on_postgres() && !std::filesystem::exists(paths.database())) {
    return Error::not_found("no instance at " + paths.data.string() + " (run: baomi init)");
  }
  BAOMI_TRY(check_private_key_file(paths.sealed_signing_key()));
  return Unsealer::with_key_shares(opener,
                                   [&paths] { return read_seal_config(paths.seal_config()); });
}

int wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace

int run_serve(const ServeOptions& o) {
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto fail = [](const std::string& why) {
    std::cerr << "baomi serve: " << why << "\n";
    return 1;
  };
  auto listen = parse_listen(o.listen);
  if (!listen.ok()) return fail(listen.error().message);
  const auto paths_given = paths_of(o.data, o.keys, o.database);
  if (!paths_given.ok()) return fail(paths_given.error().message);
  const InstancePaths& paths = *paths_given;
  auto tls_key_ok = check_private_key_file(paths.tls_key());
  if (!tls_key_ok.ok()) return fail(tls_key_ok.error().message);
  auto policy_path =
      o.policy_dir ? policy_file_in(*o.policy_dir) : Result<std::filesystem::path>(paths.policy());
  if (!policy_path.ok()) return fail(policy_path.error().message);
  auto policy = policy::load_policy(*policy_path);
  if (!policy.ok()) return fail(policy.error().message);
  std::function<http::ServerStats()> server_stats;  // set once the server exists
  auto seal = start_seal(paths, o, server_stats);
  if (!seal.ok()) return fail(seal.error().message);
  auto& unsealer = **seal;
  auto router = seal_router(unsealer);
  http::ServerConfig config;
  config.listen_address = listen->first;
  config.port = listen->second;
  config.cert_file = paths.tls_cert();
  config.key_file = paths.tls_key();
  config.io_threads = o.io_threads;
  config.worker_threads = o.worker_threads;
  config.limits = limits_from(*policy);
  config.access_log = metered_log(unsealer);
  config.proxy_protocol_from = o.proxy_protocol_from;
  http::Server server(config, router);
  server_stats = [&server] { return server.stats(); };  // before the first request
  auto started = server.start();
  if (!started.ok()) return fail(started.error().message);
  const auto status = unsealer.status();
  std::cout << "baomi: serving https://" << o.listen.substr(0, o.listen.rfind(':')) << ":"
            << server.port() << "/ (policy " << policy->version().substr(0, 12) << ")"
            << (status.sealed ? " sealed: " + std::to_string(status.threshold) + " of " +
                                    std::to_string(status.shares) + " key shares unseal it"
                              : std::string())
            << std::endl;
  if (test_hooks::compiled_in()) {
    std::cerr << "baomi serve: this build has the test suite's hooks (BAOMI_TEST_HOOKS): it is "
                 "for tests, not for production\n";
  }

  const int sig = wait_for_signal();
  std::cerr << "baomi: signal " << sig << ", shutting down\n";
  if (auto api = unsealer.api()) api->serving = false;
  server.stop();
  unsealer.stop();
  return 0;
}

}  // namespace baomi::cmd
