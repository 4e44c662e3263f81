// Conversion of a Response into a Beast message header. Internal to http/server; pure
// functions, thread-safe.
#pragma once

#include <boost/beast/http/message.hpp>
#include <string>

#include "http/server/response.h"

namespace baomi::http::detail {

// False when a header name or value could split the response (CR, LF, NUL) or a name is
// empty: a handler bug, answered with 500 rather than sent.
bool headers_are_safe(const Response& res);

// Content-Length, Transfer-Encoding and Connection belong to the server, never to handlers.
bool is_framing_header(std::string_view name);

// Status, handler headers, Content-Type and Connection; the body and its framing headers
// (Content-Length / Transfer-Encoding) are the caller's business.
template <typename Body>
boost::beast::http::response<Body> to_beast_header(const Response& res, unsigned version,
                                                   bool keep_alive) {
  boost::beast::http::response<Body> msg;
  msg.version(version);
  msg.result(static_cast<unsigned>(res.status));
  for (const auto& [name, value] : res.headers) {
    if (!is_framing_header(name)) msg.insert(name, value);
  }
  if (!res.content_type.empty() && res.status != 204 && res.status != 304) {
    msg.set(boost::beast::http::field::content_type, res.content_type);
  }
  msg.keep_alive(keep_alive);
  return msg;
}

// The whole response as it goes on the wire (status line, handler headers, Content-Type,
// Connection, Content-Length, body): byte for byte what Beast writes for
// to_beast_header<string_body>() with prepare_payload() (tests/unit/http_server/wire_test.cc
// compares them), built in one string so that it leaves in one write without Beast's field
// list and serializer (issue 14: a few percent of an audited small read). A body on a 1xx,
// 204 or 304 (which Beast refuses by throwing) is not sent.
std::string whole_response(const Response& res, unsigned version, bool keep_alive);

}  // namespace baomi::http::detail
