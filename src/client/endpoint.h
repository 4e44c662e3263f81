// Where the `baomi` client connects (BAOMI_ADDR, --addr) and how it spells query strings.
// Pure functions over strings; thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace baomi::client {

inline constexpr std::string_view kDefaultAddress = "https://127.0.0.1:8443";

struct Endpoint {
  std::string host;  // a DNS name or an IP literal (IPv6 without brackets)
  std::uint16_t port = 8443;
  bool host_is_ip = false;
  std::string text() const;  // "host:port", "[::1]:8443": how errors name the server
};

// "https://host[:port][/]" (port 443 when absent). Anything else, `http://` included (the
// server speaks HTTPS only), is kInvalidArgument "address" naming what is wrong.
Result<Endpoint> parse_address(std::string_view url);

// RFC 3986 percent-encoding of a query value or path segment (unreserved characters kept).
std::string percent_encode(std::string_view value);

// "?a=1&b=x%20y" from the pairs whose value is not empty; "" when none.
std::string query_string(std::initializer_list<std::pair<std::string_view, std::string>> pairs);

}  // namespace baomi::client
