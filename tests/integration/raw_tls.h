// RawTls: one TLS connection over a plain socket, for tests that send bytes no well-behaved client
// would (ambiguous framing, trickled bodies) and must see exactly what comes back and whether the
// server closed. It can bind to a chosen loopback source address first (all of 127/8 is loopback
// on Linux), so one test plays several clients from different addresses. Verifies nothing (the
// server's certificate is self-signed). One object per thread.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace baomi::testing {

class RawTls {
 public:
  // Connects to 127.0.0.1:port from `source` and completes the TLS handshake; `timeout` bounds
  // every later read. ok() is false when the server refused (closed before or during the
  // handshake) or the connection failed.
  explicit RawTls(std::uint16_t port, const std::string& source = "127.0.0.1",
                  std::chrono::seconds timeout = std::chrono::seconds(20));
  ~RawTls();
  RawTls(const RawTls&) = delete;
  RawTls& operator=(const RawTls&) = delete;

  bool ok() const { return ssl_ != nullptr; }
  // Writes all of `bytes`; false once the connection is gone.
  bool send(std::string_view bytes);

  struct Received {
    std::string bytes;
    bool closed = false;  // the server ended the connection (false: the read timed out)
  };
  // Reads until the server closes the connection or a read times out.
  Received read_until_closed();

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace baomi::testing
