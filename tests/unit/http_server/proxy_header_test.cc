// The PROXY protocol v2 header a balancer sends first (http/server/proxy_header.h): the
// client's IPv4 or IPv6 address is read, a LOCAL health check names none, and anything that is
// not a well-formed v2 header is refused (the connection is then closed unanswered).
#include "http/server/proxy_header.h"

#include <gtest/gtest.h>

#include <vector>

namespace baomi::http {
namespace {

std::vector<std::uint8_t> header(std::uint8_t ver_cmd, std::uint8_t family,
                                 const std::vector<std::uint8_t>& rest) {
  std::vector<std::uint8_t> h = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,    0x0A,
                                 0x51, 0x55, 0x49, 0x54, 0x0A, ver_cmd, family};
  h.push_back(static_cast<std::uint8_t>(rest.size() >> 8));
  h.push_back(static_cast<std::uint8_t>(rest.size() & 0xFF));
  h.insert(h.end(), rest.begin(), rest.end());
  return h;
}

Result<std::optional<std::string>> parse_forwarded(const std::vector<std::uint8_t>& h) {
  const std::span<const std::uint8_t, kProxyHeaderFixed> fixed(h.data(), kProxyHeaderFixed);
  auto n = proxy_header_rest_length(fixed);
  if (!n.ok()) return n.take_error();
  EXPECT_EQ(*n, h.size() - kProxyHeaderFixed);
  return proxy_header_source(fixed,
                             std::span<const std::uint8_t>(h.data() + kProxyHeaderFixed, *n));
}

TEST(ProxyHeader, ReadsTheClientsIpv4AndIpv6Address) {
  auto v4 =
      parse_forwarded(header(0x21, 0x11, {203, 0, 113, 7, 10, 0, 0, 1, 0x1F, 0x90, 0x20, 0xFB}));
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->value_or(""), "203.0.113.7");
  std::vector<std::uint8_t> six(36, 0);
  six[0] = 0x20;
  six[1] = 0x01;
  six[2] = 0x0d;
  six[3] = 0xb8;
  six[15] = 0x01;
  auto v6 = parse_forwarded(header(0x21, 0x21, six));
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->value_or(""), "2001:db8::1");
  // TLVs after the addresses are skipped.
  auto tlv = parse_forwarded(
      header(0x21, 0x11, {192, 0, 2, 9, 10, 0, 0, 1, 0, 1, 0, 2, 0x04, 0x00, 0x01, 0x00}));
  ASSERT_TRUE(tlv.ok());
  EXPECT_EQ(tlv->value_or(""), "192.0.2.9");
}

TEST(ProxyHeader, ALocalHealthCheckOrUnspecifiedFamilyNamesNoClient) {
  auto local = parse_forwarded(header(0x20, 0x00, {}));
  ASSERT_TRUE(local.ok());
  EXPECT_FALSE(local->has_value());
  auto unspec = parse_forwarded(header(0x21, 0x00, {}));
  ASSERT_TRUE(unspec.ok());
  EXPECT_FALSE(unspec->has_value());
}

TEST(ProxyHeader, AnythingElseIsRefused) {
  // A TLS ClientHello where the header should be (a client posing as the balancer).
  std::vector<std::uint8_t> hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01,
                                     0xFC, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_FALSE(proxy_header_rest_length(std::span<const std::uint8_t, kProxyHeaderFixed>(
                                            hello.data(), kProxyHeaderFixed))
                   .ok());
  EXPECT_FALSE(parse_forwarded(header(0x11, 0x11, std::vector<std::uint8_t>(12))).ok())
      << "version 1";
  EXPECT_FALSE(parse_forwarded(header(0x2F, 0x11, std::vector<std::uint8_t>(12))).ok())
      << "command";
  EXPECT_FALSE(parse_forwarded(header(0x21, 0x11, std::vector<std::uint8_t>(8))).ok())
      << "cut short";
  EXPECT_FALSE(parse_forwarded(header(0x21, 0x21, std::vector<std::uint8_t>(20))).ok())
      << "cut short";
  EXPECT_FALSE(
      parse_forwarded(header(0x21, 0x11, std::vector<std::uint8_t>(kProxyHeaderMaxRest + 1))).ok())
      << "too long";
}

}  // namespace
}  // namespace baomi::http
