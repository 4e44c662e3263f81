#include "http/server/wire.h"

#include "http/server/ascii.h"

namespace baomi::http::detail {
namespace {

bool is_safe(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace

bool is_framing_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection");
}

bool headers_are_safe(const Response& res) {
  for (const auto& [name, value] : res.headers) {
    if (name.empty() || !is_safe(name) || !is_safe(value) ||
        name.find_first_of(" \t:") != std::string::npos) {
      return false;
    }
  }
  return is_safe(res.content_type);
}

}  // namespace baomi::http::detail
