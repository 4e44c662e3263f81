// Conversion of a Response into a Beast message header. Internal to http/server; pure
// functions, thread-safe.
#pragma once

#include <boost/beast/http/message.hpp>

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

}  // namespace baomi::http::detail
