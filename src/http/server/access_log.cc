#include "http/server/access_log.h"

#include <cstdio>
#include <mutex>
#include <string_view>

namespace baomi::http {

namespace {

// A JSON string as boost::json::serialize writes one: '"' and '\\' escaped, control characters
// as their short escape or \u00XX, every other byte as it is.
void append_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet appended, all written as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0xf]);
    }
  }
  out.append(text.substr(run));
  out.push_back('"');
}

void append_member(std::string& out, std::string_view name, std::string_view text) {
  out.append(",\"").append(name).append("\":");
  append_string(out, text);
}

template <typename Number>
void append_number(std::string& out, std::string_view name, Number n) {
  out.append(",\"").append(name).append("\":").append(std::to_string(n));
}

}  // namespace

// Written by hand rather than through a boost::json::object: one line per request, and the
// object with its allocations and hashing was about 3% of an audited small read (issue 14).
std::string access_log_json(const AccessLogRecord& r) {
  std::string out;
  out.reserve(256 + r.path.size());
  out.append("{\"time\":");
  append_string(out, format_rfc3339(r.time));
  append_member(out, "request_id", r.request_id);
  append_member(out, "remote", r.remote_address);
  append_member(out, "method", r.method);
  append_member(out, "path", r.path);
  append_number(out, "status", r.status);
  append_number(out, "bytes_in", r.bytes_in);
  append_number(out, "bytes_out", r.bytes_out);
  append_number(out, "duration_us", r.duration_us);
  if (!r.actor.empty()) append_member(out, "actor", r.actor);
  out.push_back('}');
  return out;
}

void log_to_stderr(const AccessLogRecord& record) {
  static std::mutex mu;
  std::string line = access_log_json(record);
  line.push_back('\n');
  std::lock_guard lock(mu);  // whole lines, never interleaved
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace baomi::http
