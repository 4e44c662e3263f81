#include "http/api/latency.h"

#include <cstdio>

namespace baomi::http::api {
namespace {

bool starts_with_segment(std::string_view path, std::string_view prefix) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

std::string number(const char* format, double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string_view route_class_name(RouteClass c) {
  switch (c) {
    case RouteClass::kDocuments:
      return "documents";
    case RouteClass::kContent:
      return "content";
    case RouteClass::kRequests:
      return "requests";
    case RouteClass::kCopies:
      return "copies";
    case RouteClass::kAudit:
      return "audit";
    case RouteClass::kCustomers:
      return "customers";
    case RouteClass::kHandovers:
      return "handovers";
    case RouteClass::kSession:
      return "session";
    case RouteClass::kOther:
      return "other";
  }
  return "other";
}

RouteClass route_class_of(std::string_view path) {
  constexpr std::string_view kApi = "/api/v1";
  if (!starts_with_segment(path, kApi)) return RouteClass::kOther;
  const std::string_view rest = path.substr(kApi.size());
  auto under = [rest](std::string_view prefix) { return starts_with_segment(rest, prefix); };
  if (under("/documents")) {
    const bool content = rest.size() > 8 && rest.substr(rest.size() - 8) == "/content";
    return content ? RouteClass::kContent : RouteClass::kDocuments;
  }
  if (under("/requests") || under("/grants")) return RouteClass::kRequests;
  if (under("/copies") || under("/incidents") || under("/alerts")) return RouteClass::kCopies;
  if (under("/audit")) return RouteClass::kAudit;
  if (under("/customers") || under("/reports")) return RouteClass::kCustomers;
  if (under("/handovers")) return RouteClass::kHandovers;
  if (under("/session") || under("/me") || under("/users")) return RouteClass::kSession;
  return RouteClass::kOther;
}

void LatencyHistograms::observe(RouteClass c, std::int64_t duration_us) {
  if (duration_us < 0) duration_us = 0;
  Series& s = series_[static_cast<std::size_t>(c)];
  const double seconds = static_cast<double>(duration_us) / 1e6;
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  s.buckets[i].fetch_add(1, std::memory_order_relaxed);
  s.sum_us.fetch_add(static_cast<std::uint64_t>(duration_us), std::memory_order_relaxed);
}

void LatencyHistograms::write_prometheus(std::string& out) const {
  constexpr const char* kName = "baomi_request_duration_seconds";
  out += std::string("# HELP ") + kName +
         " Request latency from header to end of response, by route class.\n# TYPE " + kName +
         " histogram\n";
  for (std::size_t c = 0; c < kRouteClasses; ++c) {
    const Series& s = series_[c];
    const std::string route =
        "route=\"" + std::string(route_class_name(static_cast<RouteClass>(c))) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= kBounds.size(); ++i) {
      cumulative += s.buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < kBounds.size() ? number("%g", kBounds[i]) : "+Inf";
      out += std::string(kName) + "_bucket{" + route + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    // _count is the +Inf bucket by construction, so the two always agree.
    out += std::string(kName) + "_sum{" + route + "} " +
           number("%.6f", static_cast<double>(s.sum_us.load(std::memory_order_relaxed)) / 1e6) +
           "\n";
    out += std::string(kName) + "_count{" + route + "} " + std::to_string(cumulative) + "\n";
  }
}

}  // namespace baomi::http::api
