#include "http/server/access_log.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <mutex>

namespace baomi::http {

std::string access_log_json(const AccessLogRecord& r) {
  boost::json::object o;
  o["time"] = format_rfc3339(r.time);
  o["request_id"] = r.request_id;
  o["remote"] = r.remote_address;
  o["method"] = r.method;
  o["path"] = r.path;
  o["status"] = r.status;
  o["bytes_in"] = r.bytes_in;
  o["bytes_out"] = r.bytes_out;
  o["duration_us"] = r.duration_us;
  if (!r.actor.empty()) o["actor"] = r.actor;
  return boost::json::serialize(o);
}

void log_to_stderr(const AccessLogRecord& record) {
  static std::mutex mu;
  std::string line = access_log_json(record);
  line.push_back('\n');
  std::lock_guard lock(mu);  // whole lines, never interleaved
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace baomi::http
