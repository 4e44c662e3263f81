// Request framing checks that Beast's parser leaves to the application (RFC 9112 §6.1, §6.3).
// A request is framed either by one Content-Length or by a Transfer-Encoding of exactly
// `chunked`; anything else is ambiguous between this server and a proxy in front of it, which
// is how requests are smuggled, so it is refused and the connection closed. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baomi::http {

// Why the framing is refused, or nullopt when it is sound. `transfer_encodings` holds the value
// of every Transfer-Encoding field in order; `has_content_length` says whether any
// Content-Length field is present (Beast itself refuses malformed and disagreeing ones).
std::optional<std::string> framing_problem(unsigned version,
                                           const std::vector<std::string_view>& transfer_encodings,
                                           bool has_content_length);

}  // namespace baomi::http
