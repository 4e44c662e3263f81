#include "http/server/response.h"

#include <gtest/gtest.h>

#include "http/server/access_log.h"
#include "http/server/wire.h"

namespace baomi::http {
namespace {

TEST(ErrorResponse, ExactShapeWithRule) {
  Response r = error_response(403, "need_to_know", "not cleared for this document", "S6");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(
      r.body,
      R"({"error":{"code":"need_to_know","message":"not cleared for this document","rule":"S6"}})");
}

TEST(ErrorResponse, RuleOmittedWhenEmptyAndTextEscaped) {
  Response r = error_response(400, "invalid_field", "field \"x\" bad");
  EXPECT_EQ(r.body, R"({"error":{"code":"invalid_field","message":"field \"x\" bad"}})");
}

TEST(NoContent, Is204WithoutBody) {
  Response r = no_content();
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.content_type.empty());
}

TEST(StandardHeaders, SecurityHeadersAndNoStoreUnderApi) {
  Response r = json_response(200, {{"a", 1}});
  add_standard_headers(r, "/api/v1/me", "abc123");
  EXPECT_EQ(r.header("strict-transport-security"), "max-age=63072000; includeSubDomains");
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r.header("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_EQ(r.header("X-Request-Id"), "abc123");
}

TEST(StandardHeaders, NoStoreWhenClassifiedEvenIfHandlerAskedToCache) {
  Response r = json_response(200, {{"a", 1}});
  r.classified = true;
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  add_standard_headers(r, "/export", "id");
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  int count = 0;
  for (const auto& h : r.headers) count += h.first == "Cache-Control";
  EXPECT_EQ(count, 1);
}

TEST(StandardHeaders, PlainPathNotClassifiedHasNoCacheControl) {
  Response r = json_response(200, {{"status", "ok"}});
  add_standard_headers(r, "/healthz", "id");
  EXPECT_FALSE(r.header("Cache-Control").has_value());
  EXPECT_TRUE(r.header("Strict-Transport-Security").has_value());
}

TEST(StandardHeaders, RequestIdCannotBeForgedByHandler) {
  Response r;
  r.headers.emplace_back("x-request-id", "forged");
  add_standard_headers(r, "/x", "real");
  EXPECT_EQ(r.header("X-Request-Id"), "real");
}

TEST(Wire, RejectsHeaderInjection) {
  Response ok;
  ok.headers.emplace_back("X-Baomi-Marking", "秘密★2027-12-31");
  EXPECT_TRUE(detail::headers_are_safe(ok));
  Response bad;
  bad.headers.emplace_back("X-A", "v\r\nSet-Cookie: x=1");
  EXPECT_FALSE(detail::headers_are_safe(bad));
  Response bad_name;
  bad_name.headers.emplace_back("X A", "v");
  EXPECT_FALSE(detail::headers_are_safe(bad_name));
}

TEST(AccessLog, JsonLineHasNoQueryAndNamesActor) {
  AccessLogRecord r;
  r.request_id = "rid";
  r.method = "GET";
  r.path = "/api/v1/customers";
  r.status = 200;
  r.actor = "u-1";
  std::string line = access_log_json(r);
  EXPECT_NE(line.find(R"("path":"/api/v1/customers")"), std::string::npos);
  EXPECT_NE(line.find(R"("actor":"u-1")"), std::string::npos);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace baomi::http
