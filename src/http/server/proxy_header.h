// The PROXY protocol, version 2 (HAProxy's "proxy-protocol.txt"): a binary header a TCP load
// balancer sends before anything else on a connection, naming the client it accepted the
// connection from. Behind a TLS-passthrough balancer it is the only way to learn the client's
// address, which the login throttle (S9), the access log and the audit trail count by.
// Only connections from a configured balancer address are read this way (a client could
// otherwise claim any address); from such an address the header is required.
// Pure functions over bytes; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/result.h"

namespace baomi::http {

// The fixed part: 12-byte signature, version and command, family, length of the rest.
inline constexpr std::size_t kProxyHeaderFixed = 16;
// The rest may carry TLVs; anything longer than this is refused as a bad header.
inline constexpr std::size_t kProxyHeaderMaxRest = 512;

// The length of the rest of the header; kInvalid when `fixed` is not a v2 header.
Result<std::size_t> proxy_header_rest_length(
    std::span<const std::uint8_t, kProxyHeaderFixed> fixed);

// The client's address as text ("203.0.113.7", "2001:db8::1"), or nullopt when the header
// names none: a LOCAL command (the balancer's own health check) or an unspecified family; the
// connection then counts under the balancer's address.
Result<std::optional<std::string>> proxy_header_source(
    std::span<const std::uint8_t, kProxyHeaderFixed> fixed, std::span<const std::uint8_t> rest);

}  // namespace baomi::http
