#include "http/server/proxy_header.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

namespace baomi::http {
namespace {

constexpr std::array<std::uint8_t, 12> kSignature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                     0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr std::uint8_t kVersion2 = 0x20;
constexpr std::uint8_t kCommandLocal = 0x0;
constexpr std::uint8_t kCommandProxy = 0x1;
constexpr std::uint8_t kFamilyInet = 0x1;
constexpr std::uint8_t kFamilyInet6 = 0x2;
constexpr std::size_t kInetAddresses = 12;  // source, destination, ports
constexpr std::size_t kInet6Addresses = 36;

Error bad_header(std::string what) {
  return Error::invalid("proxy_header", "PROXY protocol v2 header: " + std::move(what));
}

}  // namespace

Result<std::size_t> proxy_header_rest_length(
    std::span<const std::uint8_t, kProxyHeaderFixed> fixed) {
  if (!std::equal(kSignature.begin(), kSignature.end(), fixed.begin())) {
    return bad_header("missing (the connection comes from a balancer address)");
  }
  if ((fixed[12] & 0xF0) != kVersion2) return bad_header("not version 2");
  const std::size_t rest = (std::size_t{fixed[14]} << 8) | fixed[15];
  if (rest > kProxyHeaderMaxRest) return bad_header("too long");
  return rest;
}

Result<std::optional<std::string>> proxy_header_source(
    std::span<const std::uint8_t, kProxyHeaderFixed> fixed, std::span<const std::uint8_t> rest) {
  const std::uint8_t command = fixed[12] & 0x0F;
  if (command == kCommandLocal) return std::optional<std::string>();
  if (command != kCommandProxy) return bad_header("unknown command");
  const std::uint8_t family = fixed[13] >> 4;
  char text[INET6_ADDRSTRLEN] = {};
  if (family == kFamilyInet) {
    if (rest.size() < kInetAddresses) return bad_header("IPv4 addresses cut short");
    inet_ntop(AF_INET, rest.data(), text, sizeof text);
  } else if (family == kFamilyInet6) {
    if (rest.size() < kInet6Addresses) return bad_header("IPv6 addresses cut short");
    inet_ntop(AF_INET6, rest.data(), text, sizeof text);
  } else {
    return std::optional<std::string>();  // UNSPEC or UNIX: no client address to count by
  }
  return std::optional<std::string>(text);
}

}  // namespace baomi::http
