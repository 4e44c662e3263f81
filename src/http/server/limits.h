// Limits: the size and time bounds one HTTPS connection is held to, so that oversized or slow
// clients cannot exhaust memory or pin connections. A plain value; copy freely.
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
  std::chrono::seconds header_timeout{30};     // the whole header must arrive in this time
  std::chrono::seconds body_idle_timeout{30};  // longest wait for any body progress
  std::chrono::seconds idle_keepalive_timeout{60};
  std::chrono::seconds write_timeout{60};  // longest wait for any write to complete
  std::size_t max_connections = 4096;
};

}  // namespace baomi::http
