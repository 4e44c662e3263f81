#include "http/server/wire.h"

#include <boost/beast/http/status.hpp>
#include <vector>

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

namespace {

// Beast trims optional whitespace around a field value when it stores it.
std::string_view trimmed(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

}  // namespace

std::string whole_response(const Response& res, unsigned version, bool keep_alive) {
  namespace bhttp = boost::beast::http;
  // Beast refuses (throws) a body on these; the server sends none.
  const bool bodiless =
      (res.status >= 100 && res.status < 200) || res.status == 204 || res.status == 304;
  const std::string_view body = bodiless ? std::string_view() : std::string_view(res.body);
  const bool typed = !res.content_type.empty() && res.status != 204 && res.status != 304;
  std::size_t size = 96 + res.content_type.size() + body.size();
  for (const auto& [name, value] : res.headers) size += name.size() + value.size() + 4;
  std::string out;
  out.reserve(size);
  out.append("HTTP/");
  out.push_back(static_cast<char>('0' + version / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
  out.push_back(' ');
  out.append(std::to_string(res.status));
  out.push_back(' ');
  const auto reason =
      bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(res.status)));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  // Beast keeps fields of one name together, in the order they came.
  std::vector<const std::pair<std::string, std::string>*> fields;
  fields.reserve(res.headers.size());
  for (const auto& header : res.headers) {
    // Content-Type is the server's to set when the response has one (as Beast's set() would).
    if (is_framing_header(header.first) || (typed && iequals(header.first, "Content-Type"))) {
      continue;
    }
    auto after = fields.end();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (iequals((*it)->first, header.first)) after = it + 1;
    }
    fields.insert(after, &header);
  }
  for (const auto* field : fields) {
    out.append(field->first).append(": ").append(trimmed(field->second)).append("\r\n");
  }
  if (typed) out.append("Content-Type: ").append(trimmed(res.content_type)).append("\r\n");
  if (version < 11 && keep_alive) out.append("Connection: keep-alive\r\n");
  if (version >= 11 && !keep_alive) out.append("Connection: close\r\n");
  out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  out.append(body);
  return out;
}

}  // namespace baomi::http::detail
