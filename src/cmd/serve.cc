// `baomi serve`: opens the instance and serves the API over HTTPS until SIGINT/SIGTERM.
#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>

#include "barrier/work_holds.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/node_identity.h"
#include "crypto/random.h"
#include "http/api/api.h"
#include "http/server/server.h"
#include "services/documents/documents.h"
#include "services/watch/alert_sink.h"
#include "storage/lease.h"

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

// Counts every response for /metrics, then writes the structured access log line.
http::AccessLogSink metered_log(http::api::Metrics& m) {
  return [&m](const http::AccessLogRecord& r) {
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
    http::log_to_stderr(r);
  };
}

// Gives the pages of deleted rows (aborted uploads, purged pending versions) back to the file
// system, a bounded number per call so that the single writer is never held long.
void reclaim_space(const Instance& inst) {
  constexpr std::size_t kPagesPerSweep = 16384;  // 64 MiB at SQLite's 4 KiB pages
  auto reclaimed = inst.store->write([](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.reclaim_free_pages(kPagesPerSweep));
    return {};
  });
  if (!reclaimed.ok()) {
    std::cerr << "baomi: reclaiming free pages failed: " << reclaimed.error().message << "\n";
  }
}

// This process's liveness lease (barrier/work_holds.h): renewed every few seconds by every
// instance, so that the work it holds (uploads in flight) is never cleared by another one.
storage::Lease node_lease(const Instance& inst) {
  const auto& node = inst.runtime->node;
  return storage::Lease(*inst.store, barrier::WorkHolds::node_duty(node), node,
                        barrier::WorkHolds::kNodeTerm);
}

void renew(storage::Lease& lease) {
  auto renewed = lease.acquire(now_utc());
  if (!renewed.ok()) std::cerr << "baomi: node lease: " << renewed.error().message << "\n";
}

// Pending versions no live upload holds (their process died mid-upload) go with each sweep.
void purge_lost_uploads(const http::api::Api& api) {
  auto purged = api.documents.purge_pending_versions();
  if (!purged.ok()) {
    std::cerr << "baomi: purging lost uploads failed: " << purged.error().message << "\n";
  }
}

// Housekeeping on one thread: signs a checkpoint of the head every `checkpoint_seconds`
// (DESIGN.md: every N entries or T seconds), and every `sweep_seconds` stores the lapse of
// pending requests and grants past their time (each audited as "system") and reclaims free
// pages. Reads never wait for a sweep: requests and grants are judged by their deadlines whenever
// they are used. With several instances on one database only the holder of the "maintenance"
// lease does this, so each sweep and timed checkpoint happens once; the lease outlives two sweep
// intervals, and another instance takes over within that when its holder dies.
void maintenance_loop(const Instance& inst, const http::api::Api& api, const ServeOptions& o,
                      const std::atomic<bool>& stop) {
  using clock = std::chrono::steady_clock;
  const auto term = std::chrono::seconds(2 * std::max(o.sweep_seconds, o.checkpoint_seconds) + 5);
  storage::Lease lease(*inst.store, "maintenance", crypto::random_id(), term);
  const auto holding = [&] {
    auto held = lease.acquire(now_utc());
    if (!held.ok()) std::cerr << "baomi: maintenance lease: " << held.error().message << "\n";
    return held.ok() && *held;
  };
  auto next_checkpoint = clock::now() + std::chrono::seconds(o.checkpoint_seconds);
  auto next_sweep = clock::now() + std::chrono::seconds(o.sweep_seconds);
  auto alive = node_lease(inst);
  auto next_renewal = clock::now() + barrier::WorkHolds::kNodeRenewal;
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto now = clock::now();
    if (now >= next_renewal) {
      next_renewal = now + barrier::WorkHolds::kNodeRenewal;
      renew(alive);
    }
    if (now >= next_checkpoint) {
      next_checkpoint += std::chrono::seconds(o.checkpoint_seconds);
      if (holding()) {
        (void)inst.store->write(
            [&](storage::WriteTx& tx) { return inst.audit->checkpoint(tx, now_utc()); });
      }
    }
    if (now >= next_sweep) {
      next_sweep += std::chrono::seconds(o.sweep_seconds);
      if (!holding()) continue;
      auto swept = api.requests.sweep();
      if (!swept.ok()) std::cerr << "baomi: sweep failed: " << swept.error().message << "\n";
      // H2: open slips past their deadline are stored overdue and raise their one alert.
      auto overdue = api.handovers.sweep();
      if (!overdue.ok()) {
        std::cerr << "baomi: handover sweep failed: " << overdue.error().message << "\n";
      }
      purge_lost_uploads(api);
      reclaim_space(inst);
    }
  }
  (void)lease.release();
}

// Delivers raised alerts to the policy's alerts.sink, about once a second (alert_sink.h). Only
// the holder of the "alert_sink" lease delivers, so each line is written by one process; the
// lease is asked for only when there is something to deliver. Failures are logged with their
// running count and retried; they never touch a request.
void alert_sink_loop(const Instance& inst, const std::atomic<bool>& stop) {
  const auto& target = inst.policy->alerts().sink;
  if (target.empty()) return;
  services::AlertSink sink(*inst.runtime, target);
  storage::Lease lease(*inst.store, "alert_sink", crypto::random_id(), std::chrono::seconds{15});
  auto next = std::chrono::steady_clock::now();
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (std::chrono::steady_clock::now() < next) continue;
    next += std::chrono::seconds{1};
    auto pending = sink.pending();
    if (!pending.ok() || !*pending) continue;
    auto held = lease.acquire(now_utc());
    if (!held.ok() || !*held) continue;
    auto delivered = sink.deliver();
    if (!delivered.ok()) {
      std::cerr << "baomi: alert sink: " << delivered.error().message << " (failure "
                << sink.failures() << ")\n";
    }
  }
  (void)lease.release();
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
  auto opened = open_instance(
      paths, o.policy_dir ? std::optional<std::filesystem::path>(*o.policy_dir) : std::nullopt);
  if (!opened.ok()) return fail(opened.error().message);
  auto& inst = *opened.value();
  const auto identity = NodeIdentity::claim(paths.data);
  inst.runtime->node = identity.id();
  // Alive before anything this process writes can name it.
  auto alive = node_lease(inst);
  renew(alive);
  // Uploads that were never acknowledged (a crash mid-upload) leave nothing visible behind.
  auto purged = services::Documents(*inst.runtime).purge_pending_versions();
  if (!purged.ok()) return fail(purged.error().message);
  if (purged->left > 0) {
    std::cerr << "baomi serve: " << purged->left
              << " pending upload(s) fail their integrity check and were left in place; "
                 "`baomi audit verify` names them\n";
  }
  reclaim_space(inst);

  http::api::Api api(*inst.runtime);
  auto router = std::make_shared<http::Router>();
  http::api::register_routes(*router, api);
  http::ServerConfig config;
  config.listen_address = listen->first;
  config.port = listen->second;
  config.cert_file = paths.tls_cert();
  config.key_file = paths.tls_key();
  config.io_threads = o.io_threads;
  config.worker_threads = o.worker_threads;
  config.limits = limits_from(*inst.policy);
  config.access_log = metered_log(api.metrics);
  config.proxy_protocol_from = o.proxy_protocol_from;
  http::Server server(config, router);
  api.metrics.server_stats = [&server] { return server.stats(); };  // before the first request
  auto started = server.start();
  if (!started.ok()) return fail(started.error().message);
  std::cout << "baomi: serving https://" << o.listen.substr(0, o.listen.rfind(':')) << ":"
            << server.port() << "/ (policy " << inst.policy->version().substr(0, 12) << ")"
            << std::endl;

  std::atomic<bool> stop{false};
  std::thread maintenance([&] { maintenance_loop(inst, api, o, stop); });
  std::thread alert_delivery([&] { alert_sink_loop(inst, stop); });
  const int sig = wait_for_signal();
  std::cerr << "baomi: signal " << sig << ", shutting down\n";
  api.serving = false;
  server.stop();
  stop = true;
  maintenance.join();
  alert_delivery.join();
  (void)alive.release();  // a clean stop: what this process held is free at once
  (void)inst.store->write(
      [&](storage::WriteTx& tx) { return inst.audit->checkpoint(tx, now_utc()); });
  inst.store->close();
  return 0;
}

}  // namespace baomi::cmd
