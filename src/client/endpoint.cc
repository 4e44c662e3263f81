#include "client/endpoint.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>

#include "client/errors.h"

namespace baomi::client {
namespace {

Error bad_address(std::string_view url, std::string why) {
  return client_error("address", "address '" + std::string(url) + "' " + why +
                                     " (expected https://HOST:PORT, e.g. " +
                                     std::string(kDefaultAddress) + ")");
}

bool is_ip(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

std::string Endpoint::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Endpoint> parse_address(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.starts_with("http://")) {
    return bad_address(url, "uses http://, but Baomi answers HTTPS only");
  }
  if (!url.starts_with(kScheme)) return bad_address(url, "does not start with https://");
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return bad_address(url, "holds a path, user or query");
  }
  Endpoint ep;
  std::string_view port_text;
  if (rest.starts_with("[")) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad_address(url, "has an unclosed '['");
    ep.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') return bad_address(url, "has junk after ']'");
    if (!rest.empty()) port_text = rest.substr(1);
  } else {
    const auto colon = rest.rfind(':');
    ep.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (ep.host.empty()) return bad_address(url, "names no host");
  ep.port = 443;
  if (!port_text.empty() || rest.ends_with(":")) {
    unsigned value = 0;
    const auto* end = port_text.data() + port_text.size();
    auto [ptr, ec] = std::from_chars(port_text.data(), end, value);
    if (ec != std::errc() || ptr != end || value == 0 || value > 65535) {
      return bad_address(url, "has a bad port");
    }
    ep.port = static_cast<std::uint16_t>(value);
  }
  ep.host_is_ip = is_ip(ep.host);
  if (!ep.host_is_ip && ep.host.find(':') != std::string::npos) {
    return bad_address(url, "has a bad host");
  }
  return ep;
}

std::string percent_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string query_string(std::initializer_list<std::pair<std::string_view, std::string>> pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (value.empty()) continue;
    out += out.empty() ? '?' : '&';
    out += name;
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

}  // namespace baomi::client
