// The HTTPS transport of the `baomi` command line: one TLS connection per request to one
// server, whose certificate is always verified (against the --ca file, else the system trust
// store) and must name the host dialled. There is deliberately no way to skip verification.
// Request bodies are streamed from a file and response bodies to a sink in bounded pieces, so
// memory does not grow with the size of a document. Not thread-safe: one object per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/endpoint.h"
#include "core/result.h"

namespace baomi::client {

struct Header {
  std::string name;  // lower-case in responses
  std::string value;
};

struct HttpRequest {
  std::string method;
  std::string target;  // path and query, already percent-encoded
  std::vector<Header> headers;
  std::string body;                 // sent as is unless body_file is set
  std::filesystem::path body_file;  // streamed (with Expect: 100-continue) when not empty
  // Sees each piece of body_file as it is sent (e.g. to hash exactly the bytes sent).
  std::function<void(const char* data, std::size_t n)> on_body_piece;
};

struct HttpResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;        // the body, unless a 2xx body went to the sink
  std::uint64_t sunk = 0;  // bytes handed to the sink
  std::string header(std::string_view lower_name) const;  // "" when absent
};

// Takes a 2xx response body piece by piece; an error stops the transfer and is returned.
using BodySink = std::function<Result<Ok>(const char* data, std::size_t n)>;

struct TransportOptions {
  std::string ca_file;                      // PEM certificates to trust; empty: the system store
  std::chrono::seconds io_timeout{120};     // per step: connect, handshake, each read or write
  std::size_t max_memory_body = 64u << 20;  // bodies kept in memory (JSON, errors)
};

// Errors (codes prefixed "client.", see errors.h): "unreachable" (cannot resolve or connect),
// "certificate" (untrusted, expired, or not issued for this host), "tls" (the handshake failed
// otherwise), "connection" (broken, timed out or malformed mid-exchange), "ca_file" and
// "local_file" (a local file cannot be read), or the sink's own error.
class HttpsClient {
 public:
  HttpsClient(Endpoint endpoint, TransportOptions options);
  Result<HttpResponse> send(const HttpRequest& request, const BodySink& sink = {}) const;
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Endpoint endpoint_;
  TransportOptions options_;
};

}  // namespace baomi::client
