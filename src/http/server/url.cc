#include "http/server/url.h"

#include <cstdint>

namespace baomi::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool has_control_chars(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Error bad_target(std::string message) {
  return Error::invalid("invalid_request", std::move(message));
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr std::uint32_t kMinForLen[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLen[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += len;
  }
  return true;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Runs of bytes that decode to themselves are copied whole (a path is mostly such a run).
    const auto run = s.find_first_of(plus_is_space ? "%+" : "%", i);
    if (run != i) {
      out.append(s.substr(i, run == std::string_view::npos ? std::string_view::npos : run - i));
      if (run == std::string_view::npos) break;
      i = run;
    }
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!is_valid_utf8(out) || has_control_chars(out)) return std::nullopt;
  return out;
}

Result<std::vector<std::string>> split_path(std::string_view raw_path) {
  if (raw_path.empty() || raw_path.front() != '/') {
    return bad_target("request path must start with '/'");
  }
  std::vector<std::string> segments;
  if (raw_path.size() == 1) return segments;
  std::size_t start = 1;
  while (true) {
    std::size_t slash = raw_path.find('/', start);
    std::string_view raw = raw_path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    auto decoded = percent_decode(raw);
    if (!decoded) return bad_target("request path is not validly encoded");
    segments.push_back(std::move(*decoded));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

Result<QueryMap> parse_query(std::string_view raw_query) {
  QueryMap out;
  std::size_t start = 0;
  while (start <= raw_query.size()) {
    std::size_t amp = raw_query.find('&', start);
    std::size_t end = amp == std::string_view::npos ? raw_query.size() : amp;
    std::string_view pair = raw_query.substr(start, end - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      auto key = percent_decode(pair.substr(0, eq), true);
      auto value = eq == std::string_view::npos ? std::optional<std::string>(std::string())
                                                : percent_decode(pair.substr(eq + 1), true);
      if (!key || !value) return bad_target("query string is not validly encoded");
      out.emplace(std::move(*key), std::move(*value));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

}  // namespace baomi::http
