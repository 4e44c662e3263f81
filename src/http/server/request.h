// Request: one parsed HTTP request as a handler sees it: method, decoded path and query, headers,
// path parameters, and the body (whole for JSON routes, streamed via body_reader() for
// stream_body routes). Owned by the connection; a handler gets it by reference and may use it
// only until it returns. Not thread-safe; one thread handles a request at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/server/body_io.h"
#include "http/server/url.h"

namespace baomi::http {

class Request {
 public:
  // Parses the request-target ("/path?query"); fails (code "invalid_request") on a malformed
  // target, bad percent-encoding, invalid UTF-8 or control characters.
  static Result<Request> from_target(std::string method, std::string_view target);

  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;
  Request(Request&&) noexcept = default;
  Request& operator=(Request&&) noexcept = default;

  // Method as sent by the client (standard methods are upper-case: "GET", "PUT", ...).
  const std::string& method() const { return method_; }
  // Percent-decoded path without the query string.
  const std::string& path() const { return path_; }
  const std::vector<std::string>& path_segments() const { return segments_; }

  // First value of a query parameter, percent-decoded ('+' is a space).
  std::optional<std::string> query(std::string_view name) const;
  const QueryMap& query_params() const { return query_; }

  // Case-insensitive; the first occurrence when repeated.
  std::optional<std::string_view> header(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  void add_header(std::string name, std::string value);

  // Path parameter captured by a {name} in the route pattern; empty when there is none.
  const std::string& param(std::string_view name) const;
  void set_params(std::vector<std::pair<std::string, std::string>> params);

  // Whole body of a JSON (non-stream) route.
  const std::string& body() const { return body_; }
  void set_body(std::string body) { body_ = std::move(body); }
  // The streamed body on stream_body routes; on other routes a reader over body().
  BodyReader& body_reader();
  void set_body_reader(BodyReader* reader) { stream_reader_ = reader; }

  std::optional<std::uint64_t> content_length() const { return content_length_; }
  void set_content_length(std::optional<std::uint64_t> n) { content_length_ = n; }

  const std::string& remote_address() const { return remote_address_; }
  void set_remote_address(std::string a) { remote_address_ = std::move(a); }

  // Random hex id, echoed as X-Request-Id and used in logs.
  const std::string& id() const { return id_; }
  void set_id(std::string id) { id_ = std::move(id); }

  // Free-form values for upper layers, e.g. attributes["actor"] = the authenticated user id,
  // which the access log records. Never put secrets here.
  std::map<std::string, std::string, std::less<>> attributes;

 private:
  class StringReader : public BodyReader {
   public:
    Result<std::size_t> read_some(std::uint8_t* buf, std::size_t n) override;
    const std::string* source = nullptr;
    std::size_t offset = 0;
  };

  Request() = default;

  std::string method_;
  std::string path_;
  std::vector<std::string> segments_;
  QueryMap query_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::vector<std::pair<std::string, std::string>> params_;
  std::string body_;
  BodyReader* stream_reader_ = nullptr;
  StringReader string_reader_;
  std::optional<std::uint64_t> content_length_;
  std::string remote_address_;
  std::string id_;
};

// 128 bits from the OpenSSL CSPRNG as 32 hex characters, unique per request.
std::string new_request_id();

}  // namespace baomi::http
