#include "http/server/framing.h"

#include "http/server/ascii.h"

namespace baomi::http {
namespace {

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> framing_problem(unsigned version,
                                           const std::vector<std::string_view>& transfer_encodings,
                                           bool has_content_length) {
  if (transfer_encodings.empty()) return std::nullopt;
  // §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
  if (version < 11) return "Transfer-Encoding is not allowed in HTTP/1.0";
  // Only the single coding `chunked` is understood; `chunked, identity`, `identity`, `xchunked`
  // or a coding in a second field would leave the body length to guesswork (§6.3).
  if (transfer_encodings.size() != 1 || !iequals(trim_ows(transfer_encodings[0]), "chunked")) {
    return "Transfer-Encoding must be exactly 'chunked'";
  }
  if (has_content_length) return "Transfer-Encoding and Content-Length are both present";
  return std::nullopt;
}

}  // namespace baomi::http
