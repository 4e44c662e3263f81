// Refusal: why the server refused a new connection or cut one short. Counted per reason in
// ServerStats (exposed by /metrics) and written to the refusal log. Pure, thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace baomi::http {

enum class Refusal {
  kPerAddressCap,     // the source already holds Limits::max_connections_per_address
  kServerFull,        // Limits::max_connections are open
  kHandshakeTimeout,  // the TLS handshake did not finish in time
  kHeaderTimeout,     // the request header did not arrive whole within Limits::header_timeout
  kSlowBody,          // a body fell behind the minimum rate or missed its deadline
};
inline constexpr std::size_t kRefusalKinds = 5;

// snake_case names used as the /metrics `reason` label and in the log.
std::string_view refusal_name(Refusal r);

using RefusalCounts = std::array<std::uint64_t, kRefusalKinds>;

}  // namespace baomi::http
