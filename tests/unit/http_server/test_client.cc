#include "unit/http_server/test_client.h"

#include <openssl/evp.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

#include "core/bytes.h"

namespace baomi::http::testing {

TlsClient::TlsClient(std::uint16_t port, TlsOptions opts, std::chrono::seconds timeout)
    : ctx_(net::ssl::context::tls_client),
      stream_(ioc_, ctx_),  // no verification: the test server is self-signed
      port_(port),
      source_address_(opts.source_address),
      timeout_(timeout) {
  buffer_.reserve(64 * 1024);  // Beast reads at most the free capacity at a time
  SSL_CTX* raw = ctx_.native_handle();
  if (opts.lowest_security) SSL_CTX_set_security_level(raw, 0);
  SSL_CTX_set_min_proto_version(raw, opts.min_version);
  if (opts.max_version != 0) SSL_CTX_set_max_proto_version(raw, opts.max_version);
  if (!opts.ciphers.empty()) SSL_CTX_set_cipher_list(raw, opts.ciphers.c_str());
  // The SSL object was created before these settings; apply them to it as well.
  SSL* ssl = stream_.native_handle();
  if (opts.lowest_security) SSL_set_security_level(ssl, 0);
  SSL_set_min_proto_version(ssl, opts.min_version);
  if (opts.max_version != 0) SSL_set_max_proto_version(ssl, opts.max_version);
  if (!opts.ciphers.empty()) SSL_set_cipher_list(ssl, opts.ciphers.c_str());
  SSL_set_tlsext_host_name(ssl, "localhost");
}

beast::error_code TlsClient::connect() {
  net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_);
  if (!source_address_.empty()) {
    auto& socket = beast::get_lowest_layer(stream_).socket();
    beast::error_code ec;
    if (socket.open(net::ip::tcp::v4(), ec) ||
        socket.bind({net::ip::make_address(source_address_), 0}, ec)) {
      return ec;
    }
  }
  auto ec = run([&](auto h) { beast::get_lowest_layer(stream_).async_connect(ep, h); });
  if (ec) return ec;
  return run([&](auto h) { stream_.async_handshake(net::ssl::stream_base::client, h); });
}

beast::error_code TlsClient::write(const void* data, std::size_t n) {
  return run([&](auto h) { net::async_write(stream_, net::buffer(data, n), h); });
}

beast::error_code TlsClient::send(bhttp::request<bhttp::string_body>& req) {
  return run([&](auto h) { bhttp::async_write(stream_, req, h); });
}

beast::error_code TlsClient::read(StringResponse& res, std::uint64_t body_limit) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(body_limit);
  auto ec = run([&](auto h) { bhttp::async_read(stream_, buffer_, parser, h); });
  res = parser.release();
  return ec;
}

StringResponse TlsClient::request(const std::string& method, const std::string& target,
                                  const std::string& body, const Headers& headers) {
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, "localhost");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  if (auto ec = send(req)) throw std::runtime_error("send failed: " + ec.message());
  StringResponse res;
  if (auto ec = read(res)) throw std::runtime_error("read failed: " + ec.message());
  return res;
}

std::pair<beast::error_code, std::string> TlsClient::read_until_closed() {
  std::string got;
  char buf[4096];
  while (true) {
    std::size_t n = 0;
    beast::error_code ec = run([&](auto h) {
      stream_.async_read_some(net::buffer(buf),
                              [&n, h](beast::error_code e, std::size_t k) mutable {
                                n = k;
                                h(e);
                              });
    });
    got.append(buf, n);
    if (ec) return {ec, got};
  }
}

std::string plain_exchange(std::uint16_t port, const std::string& data) {
  net::io_context ioc;
  beast::tcp_stream s(ioc);
  s.expires_after(std::chrono::seconds(5));
  s.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  net::write(s.socket(), net::buffer(data));
  std::string got;
  char buf[4096];
  beast::error_code ec;
  while (!ec) {
    std::size_t n = 0;
    s.expires_after(std::chrono::seconds(5));
    s.async_read_some(net::buffer(buf), [&](beast::error_code e, std::size_t k) {
      ec = e;
      n = k;
    });
    ioc.restart();
    ioc.run();
    got.append(buf, n);
  }
  return got;
}

void fill_pattern(std::uint8_t* buf, std::size_t n, std::uint64_t offset) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t x = (offset + i) * 0x9E3779B97F4A7C15ull;
    buf[i] = static_cast<std::uint8_t>(x >> 56);
  }
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256::update(const void* data, std::size_t n) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data, n);
}
std::string Sha256::hex() {
  unsigned char out[32];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &len);
  return to_hex(out, len);
}

}  // namespace baomi::http::testing
