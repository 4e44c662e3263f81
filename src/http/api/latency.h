// LatencyHistograms: request latency per route class, for /metrics as a Prometheus histogram
// (baomi_request_duration_seconds). Route classes group endpoints an operator watches together;
// a fixed set keeps the number of series small whatever the paths requested. Thread-safe:
// observe() is lock-free (atomics), write_prometheus() reads a near-consistent snapshot.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace baomi::http::api {

enum class RouteClass {
  kDocuments,  // /api/v1/documents… except content
  kContent,    // /api/v1/documents/{id}/content
  kRequests,   // /api/v1/requests…, /api/v1/grants…
  kCopies,     // /api/v1/copies…, /api/v1/incidents…, /api/v1/alerts
  kAudit,      // /api/v1/audit…
  kCustomers,  // /api/v1/customers…, /api/v1/reports…
  kHandovers,  // /api/v1/handovers…
  kSession,    // /api/v1/session, /api/v1/me…, /api/v1/users…
  kOther,      // everything else (health, metrics, unknown paths)
};
inline constexpr std::size_t kRouteClasses = 9;

std::string_view route_class_name(RouteClass c);
// The class of a decoded request path (no query string).
RouteClass route_class_of(std::string_view path);

class LatencyHistograms {
 public:
  // Upper bounds of the buckets, in seconds (the +Inf bucket is implied).
  static constexpr std::array<double, 13> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                     0.25,  0.5,    1,     2.5,  5,     10};

  void observe(RouteClass c, std::int64_t duration_us);
  // Appends HELP, TYPE and every series: cumulative buckets ending in +Inf, _sum and _count.
  void write_prometheus(std::string& out) const;

 private:
  struct Series {
    std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets{};  // not cumulative
    std::atomic<std::uint64_t> sum_us{0};
  };
  std::array<Series, kRouteClasses> series_;
};

}  // namespace baomi::http::api
