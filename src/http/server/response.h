// Response: what a handler returns. Either a whole body (string) or a `stream` callback that
// writes the body in chunks through a BodyWriter, with a known content_length when possible.
// A plain value; build it on any thread.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/server/body_io.h"

namespace baomi::http {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
  // When set, the body is produced by this callback instead of `body`. Returning an error (or
  // writing a different number of bytes than content_length) closes the connection, so the
  // client never mistakes a truncated body for a whole one.
  std::function<Result<void>(BodyWriter&)> stream;
  std::optional<std::uint64_t> content_length;  // for `stream`; chunked encoding when unset
  bool classified = false;                      // adds Cache-Control: no-store

  // Case-insensitive lookup among `headers`.
  std::optional<std::string_view> header(std::string_view name) const;
};

Response json_response(int status, const boost::json::value& body);
// {"error":{"code":"...","message":"...","rule":"S7"}}; "rule" omitted when empty.
Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view rule = "");
Response no_content();  // 204

// Adds the headers every response carries (HSTS, nosniff, frame denial, referrer policy, CSP,
// X-Request-Id) and Cache-Control: no-store under /api/ or when `classified`. Headers the
// handler already set are kept, except X-Request-Id, which is always the server's.
void add_standard_headers(Response& res, std::string_view path, std::string_view request_id);

}  // namespace baomi::http
