#include "http/server/refusal_log.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "core/time.h"

namespace baomi::http {

std::string_view refusal_name(Refusal r) {
  switch (r) {
    case Refusal::kPerAddressCap:
      return "per_address_cap";
    case Refusal::kServerFull:
      return "server_full";
    case Refusal::kHandshakeTimeout:
      return "handshake_timeout";
    case Refusal::kHeaderTimeout:
      return "header_timeout";
    case Refusal::kSlowBody:
      return "slow_body";
  }
  return "unknown";
}

namespace {
constexpr const char* kOtherSources = "*";
}  // namespace

bool RefusalLog::Entry::has_pending() const {
  for (auto n : pending) {
    if (n > 0) return true;
  }
  return false;
}

std::string RefusalLog::line_for(const std::string& source, const RefusalCounts& counts) {
  boost::json::object refused;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] > 0) refused[refusal_name(static_cast<Refusal>(i))] = counts[i];
  }
  boost::json::object o;
  o["time"] = format_rfc3339(now_utc());
  o["event"] = "connections_refused";
  o["remote"] = source;
  o["refused"] = std::move(refused);
  return boost::json::serialize(o);
}

void RefusalLog::note(const std::string& source, Refusal why, Clock::time_point now) {
  std::string line;
  {
    std::lock_guard lock(mu_);
    auto it = sources_.find(source);
    if (it == sources_.end()) {
      const bool room = sources_.size() < max_sources_;
      it = sources_.try_emplace(room ? source : kOtherSources).first;
      if (room) it->second.last_line = now - interval_;  // a new source's first line is due now
    }
    Entry& e = it->second;
    e.pending[static_cast<std::size_t>(why)]++;
    if (now - e.last_line < interval_) return;
    line = line_for(it->first, e.pending);
    e.pending = {};
    e.last_line = now;
  }
  sink_(line);
}

void RefusalLog::flush(Clock::time_point now, bool everything) {
  std::vector<std::string> lines;
  {
    std::lock_guard lock(mu_);
    for (auto it = sources_.begin(); it != sources_.end();) {
      Entry& e = it->second;
      const bool due = everything || now - e.last_line >= interval_;
      if (due && e.has_pending()) {
        lines.push_back(line_for(it->first, e.pending));
        e.pending = {};
        e.last_line = now;
      } else if (due) {
        it = sources_.erase(it);  // quiet for a whole interval: its next refusal logs at once
        continue;
      }
      ++it;
    }
  }
  for (const auto& line : lines) sink_(line);
}

std::size_t RefusalLog::tracked() const {
  std::lock_guard lock(mu_);
  return sources_.size();
}

void log_line_to_stderr(const std::string& line) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace baomi::http
