#include "http/server/response.h"

#include <gtest/gtest.h>

#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <sstream>
#include <vector>

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

TEST(AccessLog, JsonLineIsWhatBoostJsonWritesForAwkwardText) {
  AccessLogRecord r;
  r.time = from_micros(1765000000123456);
  r.request_id = "r\"1\\";
  r.remote_address = "127.0.0.1";
  r.method = "GET";
  r.path = "/a\tb\nc\x01\x1f\x7f/\xe4\xbf\x9d\xe5\xaf\x86\b\f\r";
  r.status = 404;
  r.bytes_in = 18446744073709551615ull;
  r.bytes_out = 0;
  r.duration_us = -3;
  r.actor = "u-\"x\"";
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
  o["actor"] = r.actor;
  const auto line = access_log_json(r);
  EXPECT_EQ(line, boost::json::serialize(o));
  EXPECT_EQ(boost::json::parse(line).as_object(), o);
  r.actor.clear();
  EXPECT_EQ(access_log_json(r).find("actor"), std::string::npos);
}

// What Beast writes for the same response (the server's old path): the header from
// to_beast_header, the body, prepare_payload().
std::string beast_bytes(const Response& res, unsigned version, bool keep_alive) {
  auto msg = detail::to_beast_header<boost::beast::http::string_body>(res, version, keep_alive);
  msg.body() = res.body;
  msg.prepare_payload();
  std::ostringstream os;
  os << msg;
  return os.str();
}

TEST(WholeResponse, IsByteForByteWhatBeastWrites) {
  std::vector<Response> cases;
  cases.push_back(
      json_response(200, boost::json::object{{"id", "d-1"}, {"title", "\u4fdd\u5bc6"}}));
  cases.push_back(error_response(403, "need_to_know", "not cleared", "S6"));
  cases.push_back(no_content());
  Response handler_headers;
  handler_headers.status = 201;
  handler_headers.body = "x";
  handler_headers.content_type = "text/plain; charset=utf-8";
  handler_headers.headers = {{"Location", " /api/v1/documents/d-2\t"},
                             {"Content-Length", "999"},
                             {"X-A", "1"},
                             {"connection", "upgrade"},
                             {"content-type", "text/html"},
                             {"x-a", "2"},
                             {"Transfer-Encoding", "chunked"},
                             {"X-B", ""}};
  cases.push_back(handler_headers);
  Response untyped = handler_headers;
  untyped.status = 304;
  untyped.body.clear();
  cases.push_back(untyped);
  Response empty_type;
  empty_type.status = 599;
  empty_type.content_type.clear();
  empty_type.headers = {{"Content-Type", "application/octet-stream"}};
  empty_type.body = std::string("\0\x01", 2);
  cases.push_back(empty_type);
  for (auto res : cases) {
    add_standard_headers(res, "/api/v1/documents/d-1", "req-1");
    for (const unsigned version : {10u, 11u}) {
      for (const bool keep_alive : {true, false}) {
        EXPECT_EQ(detail::whole_response(res, version, keep_alive),
                  beast_bytes(res, version, keep_alive))
            << res.status << " HTTP/" << version << " keep-alive " << keep_alive;
      }
    }
  }
}

TEST(WholeResponse, DropsABodyOnNoContent) {
  Response res = no_content();
  res.body = "not sent";
  const auto wire = detail::whole_response(res, 11, true);
  EXPECT_EQ(wire.find("not sent"), std::string::npos);
  EXPECT_NE(wire.find("Content-Length: 0\r\n\r\n"), std::string::npos);
}

}  // namespace
}  // namespace baomi::http
