// The Baomi API as the `baomi` client sees it: /api/v1 calls with a bearer token, JSON in and
// out, uploads streamed from files and downloads streamed to files. A server refusal becomes an
// Error carrying the server's code, rule and message (exit status 1); a problem on this side
// (address, certificate, connection, local file, usage) an Error whose code starts with
// "client." (exit status 2). Not thread-safe.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "client/errors.h"
#include "client/files.h"
#include "client/https_client.h"
#include "core/result.h"

namespace baomi::client {

// Lists: at most `limit` items in all (0: every page), starting after `cursor`.
struct PageRequest {
  std::size_t limit = 0;
  std::string cursor;
};
struct Page {
  boost::json::array items;
  std::optional<std::string> next_cursor;  // set when more items remain
  boost::json::value as_json() const;      // {"items":[...],"next_cursor":...}
};

class ApiClient {
 public:
  ApiClient(Endpoint endpoint, std::string token, TransportOptions options);

  // `path` is below /api/v1 (e.g. "/documents?limit=5"). 2xx JSON answers are parsed.
  Result<boost::json::value> get_json(const std::string& path) const;
  Result<boost::json::value> send_json(std::string_view method, const std::string& path,
                                       const boost::json::value& body) const;
  // A call without a body (DELETE /session, POST .../cancel).
  Result<boost::json::value> send_empty(std::string_view method, const std::string& path) const;
  // Every page of a list endpoint (`path` may hold a query already), following next_cursor.
  Result<Page> list(const std::string& path, const PageRequest& request) const;
  // Streams `file` as the body with `content_type`; answers the JSON of a 2xx. Sets
  // `sha256_hex` (when given) to the SHA-256 of exactly the bytes sent.
  Result<boost::json::value> upload(std::string_view method, const std::string& path,
                                    const std::filesystem::path& file,
                                    const std::string& content_type,
                                    std::string* sha256_hex = nullptr) const;
  // Streams a 2xx body into `into`; answers the response with its headers (empty body). The
  // caller commits `into` (a failed or short transfer is an error and leaves it uncommitted).
  Result<HttpResponse> download(const std::string& path, DownloadFile& into) const;

  // A 2xx body in memory (at most TransportOptions::max_memory_body), with its headers.
  Result<HttpResponse> get_bytes(const std::string& path) const;
  // A call without the token (login).
  Result<boost::json::value> send_json_anonymous(std::string_view method, const std::string& path,
                                                 const boost::json::value& body) const;
  const Endpoint& endpoint() const { return http_.endpoint(); }

 private:
  Result<HttpResponse> call(HttpRequest request, const BodySink& sink = {},
                            bool with_token = true) const;
  std::string token_;
  HttpsClient http_;
};

// The Error for a non-2xx answer: the server's {"error":{code,message,rule}} with the status,
// and for 401 how to get a new token.
Error server_error(const HttpResponse& response);

}  // namespace baomi::client
