// Limits: the size, time and count bounds connections are held to, so that oversized, slow or
// numerous clients cannot exhaust memory or take every connection. A plain value; copy freely.
// Every request body is held to a minimum rate: it starts with `body_rate_grace` of credit, each
// byte received adds 1/body_min_rate seconds, and the credit never exceeds body_rate_grace
// (so that is also the longest silence allowed). Only time spent waiting for the client counts,
// never time a handler spends between reads. Bodies read whole (JSON) must also arrive within
// `json_body_timeout`; streamed bodies (uploads of any size) have no overall deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace baomi::http {

struct Limits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_json_body = 1 << 20;          // bodies read whole into memory
  std::uint64_t max_content_body = 2ull << 30;  // streamed bodies (stream_body routes)
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds header_timeout{20};     // the whole header must arrive in this time
  std::chrono::seconds json_body_timeout{60};  // the whole JSON body must arrive in this time
  std::uint64_t body_min_rate = 1024;          // bytes per second, every body
  std::chrono::seconds body_rate_grace{20};    // how far a body may fall behind that rate
  std::chrono::seconds idle_keepalive_timeout{60};
  std::chrono::seconds write_timeout{60};  // longest wait for any write to complete
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_address = 1024;  // per IPv4 address or IPv6 /64
};

}  // namespace baomi::http
