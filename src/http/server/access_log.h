// AccessLogRecord: one structured line per request. It deliberately has no query string, no
// headers and no bodies (queries may hold search terms; headers hold tokens). The default sink
// writes one JSON line to stderr and is thread-safe; custom sinks must be thread-safe too
// (they are called from every I/O thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/time.h"

namespace baomi::http {

struct AccessLogRecord {
  TimePoint time;  // when the request header arrived
  std::string request_id;
  std::string remote_address;
  std::string method;
  std::string path;  // decoded, WITHOUT the query string
  int status = 0;
  std::uint64_t bytes_in = 0;   // header + body bytes read
  std::uint64_t bytes_out = 0;  // header + body bytes written
  std::int64_t duration_us = 0;
  std::string actor;  // Request::attributes["actor"], empty when unauthenticated
};

using AccessLogSink = std::function<void(const AccessLogRecord&)>;

std::string access_log_json(const AccessLogRecord& record);
void log_to_stderr(const AccessLogRecord& record);

}  // namespace baomi::http
