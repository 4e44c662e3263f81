// Test-only HTTPS client over Beast: each call runs one asynchronous operation to completion
// with a deadline, so a misbehaving server fails a test instead of hanging it. One client per
// thread.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace baomi::http::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

struct TlsOptions {
  int min_version = TLS1_2_VERSION;
  int max_version = 0;           // 0: highest supported
  std::string ciphers;           // TLS 1.2 cipher list; empty: OpenSSL default
  bool lowest_security = false;  // SECLEVEL=0, to let the client *offer* obsolete things
  std::string source_address;    // bind to this (e.g. 127.0.0.2) before connecting; empty: any
};

using Headers = std::vector<std::pair<std::string, std::string>>;
using StringResponse = bhttp::response<bhttp::string_body>;

class TlsClient {
 public:
  explicit TlsClient(std::uint16_t port, TlsOptions opts = {},
                     std::chrono::seconds timeout = std::chrono::seconds(30));

  beast::error_code connect();  // TCP connect + TLS handshake
  beast::error_code write(const void* data, std::size_t n);
  beast::error_code write(std::string_view s) { return write(s.data(), s.size()); }
  beast::error_code send(bhttp::request<bhttp::string_body>& req);
  beast::error_code read(StringResponse& res, std::uint64_t body_limit = 64ull << 20);
  // Sends and reads; throws std::runtime_error on a transport error.
  StringResponse request(const std::string& method, const std::string& target,
                         const std::string& body = {}, const Headers& headers = {});
  // Reads until the server closes or an error; returns the error and the bytes that arrived.
  std::pair<beast::error_code, std::string> read_until_closed();

  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  void set_timeout(std::chrono::seconds t) { timeout_ = t; }

  // Starts one async operation with `start(handler)` and runs it to completion.
  template <typename Start>
  beast::error_code run(Start start) {
    beast::error_code result = net::error::timed_out;
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

 private:
  net::io_context ioc_;
  net::ssl::context ctx_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::uint16_t port_;
  std::string source_address_;
  std::chrono::seconds timeout_;
};

// Plain TCP: sends `data` and collects everything until the server closes (or 5 s pass).
std::string plain_exchange(std::uint16_t port, const std::string& data);

// Deterministic test content: byte i of an endless pattern.
void fill_pattern(std::uint8_t* buf, std::size_t n, std::uint64_t offset);

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  void update(const void* data, std::size_t n);
  std::string hex();

 private:
  void* ctx_;
};

}  // namespace baomi::http::testing
