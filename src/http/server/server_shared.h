// ServerShared: what every session of one Server needs: router, limits, TLS context, worker
// pool, access-log sink, connection admission, refusal counters and log, and the registry of
// live sessions used by stop(). Internal to http/server. Counters are atomics, the limiter,
// refusal log and registry are internally locked: thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "http/server/access_log.h"
#include "http/server/connection_limiter.h"
#include "http/server/limits.h"
#include "http/server/refusal_log.h"
#include "http/server/router.h"
#include "http/server/worker_pool.h"

namespace baomi::http::detail {

class Session;

// Sources the refusal log tracks one by one; more are summed (bounds its memory under attack).
inline constexpr std::size_t kRefusalLogSources = 4096;

class ServerShared {
 public:
  ServerShared(const Router& router, const Limits& limits, boost::asio::ssl::context& tls,
               WorkerPool& workers, AccessLogSink access_log, RefusalLog::Sink refusal_sink,
               std::chrono::seconds refusal_interval)
      : router(router),
        limits(limits),
        tls(tls),
        workers(workers),
        access_log(std::move(access_log)),
        limiter(limits.max_connections, limits.max_connections_per_address),
        refusal_log(refusal_interval, kRefusalLogSources, std::move(refusal_sink)) {}

  const Router& router;
  const Limits limits;
  boost::asio::ssl::context& tls;
  WorkerPool& workers;
  const AccessLogSink access_log;

  std::atomic<std::uint64_t> connections_total{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> peak_read_buffer{0};
  ConnectionLimiter limiter;
  RefusalLog refusal_log;
  std::array<std::atomic<std::uint64_t>, kRefusalKinds> refused{};
  // Balancers that send a PROXY protocol v2 header first (ServerConfig::proxy_protocol_from);
  // set before the first connection, read-only after.
  std::vector<boost::asio::ip::address> proxy_sources;

  // Counts and logs a refused or cut connection from `source` (a source_key()).
  void refuse(const std::string& source, Refusal why) {
    refused[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
    refusal_log.note(source, why, std::chrono::steady_clock::now());
  }

  void note_read_buffer(std::size_t bytes) {
    std::uint64_t prev = peak_read_buffer.load(std::memory_order_relaxed);
    while (bytes > prev && !peak_read_buffer.compare_exchange_weak(prev, bytes)) {
    }
  }

  // Returns false (and does not register) once the server is stopping.
  bool add(const std::shared_ptr<Session>& s);
  void remove(Session* s);
  std::size_t count();
  std::vector<std::shared_ptr<Session>> snapshot();
  // Marks the server as stopping; later add() calls fail.
  void begin_stop();
  // Waits until no session is left or the timeout passes; true when none is left.
  bool wait_empty(std::chrono::milliseconds timeout);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  bool stopping_ = false;
};

}  // namespace baomi::http::detail
