// Server: the HTTPS server. N I/O threads run asynchronous Beast sessions; a fixed pool of
// worker threads runs the (blocking) handlers, so handlers stay simple while all cores are used.
// It knows nothing about Baomi's domain: routes, limits and the access-log sink come from the
// caller. start(), stop() and wait() may be called from any thread except the server's own
// I/O and worker threads (stop() joins them); stop() is idempotent and also run by the
// destructor.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/server/access_log.h"
#include "http/server/limits.h"
#include "http/server/refusal.h"
#include "http/server/router.h"

namespace baomi::http {

struct ServerConfig {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: pick a free port (see Server::port())
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
  int io_threads = 0;  // 0: hardware concurrency, at least 2
  int worker_threads = 64;
  Limits limits;
  AccessLogSink access_log;  // unset: one JSON line per request to stderr
  // Refused and cut connections (see RefusalLog): at most one line per source per interval.
  std::function<void(const std::string&)> refusal_log;  // unset: stderr
  std::chrono::seconds refusal_log_interval{10};
  std::chrono::seconds shutdown_grace{5};  // stop(): how long in-flight requests may finish
  // Load balancers (IP addresses) whose connections begin with a PROXY protocol v2 header
  // naming the client (proxy_header.h): that client is the request's remote address. Start()
  // refuses an entry that is not an IP address.
  std::vector<std::string> proxy_protocol_from;
};

struct ServerStats {
  std::uint64_t connections_active = 0;
  std::uint64_t connections_total = 0;
  // Connections refused at accept or cut short, indexed by Refusal (refusal_name() names them).
  RefusalCounts connections_refused{};
  std::uint64_t requests = 0;
  // Largest read buffer any connection has held: shows streamed bodies stay bounded.
  std::uint64_t peak_read_buffer_bytes = 0;
};

class Server {
 public:
  Server(ServerConfig config, std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads TLS material, binds and starts serving. Errors name the problem (bad certificate or
  // key, address in use, ...). Call once.
  Result<void> start();
  std::uint16_t port() const;
  // Graceful: stop accepting, let requests in flight finish (up to shutdown_grace), close the
  // rest, join all threads.
  void stop();
  // Blocks until stop() has completed (returns at once if the server never started).
  void wait();
  ServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baomi::http
