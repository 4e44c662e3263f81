// Request latency histograms for /metrics: route classes and Prometheus histogram invariants.
#include "http/api/latency.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace baomi::http::api {
namespace {

TEST(LatencyTest, PathsFallIntoTheirRouteClass) {
  EXPECT_EQ(route_class_of("/api/v1/documents"), RouteClass::kDocuments);
  EXPECT_EQ(route_class_of("/api/v1/documents/abc"), RouteClass::kDocuments);
  EXPECT_EQ(route_class_of("/api/v1/documents/abc/content"), RouteClass::kContent);
  EXPECT_EQ(route_class_of("/api/v1/grants"), RouteClass::kRequests);
  EXPECT_EQ(route_class_of("/api/v1/requests/x/approve"), RouteClass::kRequests);
  EXPECT_EQ(route_class_of("/api/v1/copies/BM-000001-7/artifact"), RouteClass::kCopies);
  EXPECT_EQ(route_class_of("/api/v1/alerts"), RouteClass::kCopies);
  EXPECT_EQ(route_class_of("/api/v1/audit/verify"), RouteClass::kAudit);
  EXPECT_EQ(route_class_of("/api/v1/customers/x/contacts"), RouteClass::kCustomers);
  EXPECT_EQ(route_class_of("/api/v1/handovers/alerts"), RouteClass::kHandovers);
  EXPECT_EQ(route_class_of("/api/v1/session"), RouteClass::kSession);
  EXPECT_EQ(route_class_of("/api/v1/me/pledge"), RouteClass::kSession);
  EXPECT_EQ(route_class_of("/api/v1/users"), RouteClass::kSession);
  EXPECT_EQ(route_class_of("/api/v1/documentsx"), RouteClass::kOther);
  EXPECT_EQ(route_class_of("/api/v1"), RouteClass::kOther);
  EXPECT_EQ(route_class_of("/healthz"), RouteClass::kOther);
  EXPECT_EQ(route_class_of("/metrics"), RouteClass::kOther);
  EXPECT_EQ(route_class_of(""), RouteClass::kOther);
}

TEST(LatencyTest, BucketsAreCumulativeAndCountIsTheInfBucket) {
  LatencyHistograms h;
  h.observe(RouteClass::kDocuments, 500);         // 0.5 ms
  h.observe(RouteClass::kDocuments, 1000);        // exactly 1 ms: in le="0.001"
  h.observe(RouteClass::kDocuments, 30'000);      // 30 ms
  h.observe(RouteClass::kDocuments, 60'000'000);  // 60 s: only +Inf
  std::string out;
  h.write_prometheus(out);
  EXPECT_NE(out.find("# TYPE baomi_request_duration_seconds histogram\n"), std::string::npos);
  auto value = [&out](const std::string& series) {
    const auto at = out.find(series + " ");
    EXPECT_NE(at, std::string::npos) << series;
    return at == std::string::npos ? -1.0 : std::stod(out.substr(at + series.size() + 1));
  };
  const std::string doc = "route=\"documents\"";
  EXPECT_EQ(value("baomi_request_duration_seconds_bucket{" + doc + ",le=\"0.001\"}"), 2);
  EXPECT_EQ(value("baomi_request_duration_seconds_bucket{" + doc + ",le=\"0.025\"}"), 2);
  EXPECT_EQ(value("baomi_request_duration_seconds_bucket{" + doc + ",le=\"0.05\"}"), 3);
  EXPECT_EQ(value("baomi_request_duration_seconds_bucket{" + doc + ",le=\"10\"}"), 3);
  EXPECT_EQ(value("baomi_request_duration_seconds_bucket{" + doc + ",le=\"+Inf\"}"), 4);
  EXPECT_EQ(value("baomi_request_duration_seconds_count{" + doc + "}"), 4);
  EXPECT_NEAR(value("baomi_request_duration_seconds_sum{" + doc + "}"), 60.0315, 1e-6);
  EXPECT_EQ(value("baomi_request_duration_seconds_count{route=\"other\"}"), 0);
}

}  // namespace
}  // namespace baomi::http::api
