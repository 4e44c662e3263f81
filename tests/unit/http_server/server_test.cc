// Routing, headers, errors and the access log, over real TLS on loopback.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "unit/http_server/test_client.h"
#include "unit/http_server/test_server.h"

namespace baomi::http::testing {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server = new TestServer(); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  void SetUp() override { ASSERT_FALSE(client.connect()) << "TLS connect failed"; }

  static boost::json::value json(const StringResponse& r) { return boost::json::parse(r.body()); }

  static TestServer* server;
  TlsClient client{server->port()};
};
TestServer* ServerTest::server = nullptr;

TEST_F(ServerTest, RoutesWithPathParamsOnOneKeepAliveConnection) {
  auto a = client.request("GET", "/api/v1/documents/doc-1/content");
  EXPECT_EQ(a.result_int(), 200);
  EXPECT_EQ(json(a).at("id"), "doc-1");
  EXPECT_EQ(json(a).at("route"), "content");
  auto b = client.request("GET", "/api/v1/documents/%E4%BF%9D%E5%AF%86");
  EXPECT_EQ(json(b).at("id"), "保密");  // decoded path parameter
  auto c = client.request("GET", "/api/v1/documents/mine");
  EXPECT_EQ(json(c).at("route"), "mine");
  EXPECT_TRUE(a.keep_alive() && b.keep_alive());
}

TEST_F(ServerTest, UnknownPathIs404) {
  auto r = client.request("GET", "/api/v1/nope");
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(json(r).at("error").at("code"), "not_found");
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  auto r = client.request("DELETE", "/api/v1/documents/x/content");
  EXPECT_EQ(r.result_int(), 405);
  EXPECT_EQ(r["Allow"], "PUT, GET");
  EXPECT_EQ(json(r).at("error").at("code"), "method_not_allowed");
}

TEST_F(ServerTest, SecurityHeadersOnEveryResponse) {
  for (const char* target : {"/api/v1/documents/x", "/api/v1/nope", "/healthz"}) {
    auto r = client.request("GET", target);
    EXPECT_EQ(r["Strict-Transport-Security"], "max-age=63072000; includeSubDomains") << target;
    EXPECT_EQ(r["X-Content-Type-Options"], "nosniff") << target;
    EXPECT_EQ(r["X-Frame-Options"], "DENY") << target;
    EXPECT_EQ(r["Referrer-Policy"], "no-referrer") << target;
    EXPECT_EQ(r["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(r["X-Request-Id"].size(), 32u) << target;
  }
}

TEST_F(ServerTest, NoStoreUnderApiAndForClassifiedOnly) {
  EXPECT_EQ(client.request("GET", "/api/v1/documents/x")["Cache-Control"], "no-store");
  EXPECT_EQ(client.request("GET", "/classified")["Cache-Control"], "no-store");
  EXPECT_EQ(client.request("GET", "/healthz")["Cache-Control"], "");
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutDetails) {
  auto r = client.request("GET", "/throw");
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(r.body(), R"({"error":{"code":"internal","message":"internal error"}})");
  EXPECT_EQ(r.body().find("hunter2"), std::string::npos);
  // The connection survives a handler failure.
  EXPECT_EQ(client.request("GET", "/healthz").result_int(), 200);
}

TEST_F(ServerTest, HeaderInjectionByHandlerBecomes500) {
  auto r = client.request("GET", "/bad-header");
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(r["Set-Cookie"], "");
}

TEST_F(ServerTest, QueryParametersArePercentDecoded) {
  auto r = client.request("GET", "/api/v1/search?q=%E5%AE%A2%E6%88%B7+a&tag=x&tag=y&empty=");
  ASSERT_EQ(r.result_int(), 200);
  auto v = json(r);
  EXPECT_EQ(v.at("q"), "客户 a");
  EXPECT_EQ(v.at("all").as_array().size(), 4u);
  auto bad = client.request("GET", "/api/v1/search?q=%ZZ");
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_EQ(json(bad).at("error").at("code"), "invalid_request");
}

TEST_F(ServerTest, AccessLogOmitsQueryAndRecordsActor) {
  auto r = client.request("GET", "/api/v1/search?q=top-secret-term");
  ASSERT_EQ(r.result_int(), 200);
  std::string id(r["X-Request-Id"]);
  // The record is written once the server sees its write complete, which may be just after
  // the client has the response.
  AccessLogRecord rec;
  for (int tries = 0; tries < 200 && rec.request_id.empty(); ++tries) {
    for (const auto& x : server->log().records()) {
      if (x.request_id == id) rec = x;
    }
    if (rec.request_id.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(rec.request_id, id);
  EXPECT_EQ(rec.method, "GET");
  EXPECT_EQ(rec.path, "/api/v1/search");
  EXPECT_EQ(rec.status, 200);
  EXPECT_EQ(rec.actor, "user-7");
  EXPECT_EQ(rec.remote_address, "127.0.0.1");
  EXPECT_GT(rec.bytes_in, 0u);
  EXPECT_GT(rec.bytes_out, r.body().size());
  EXPECT_EQ(access_log_json(rec).find("top-secret-term"), std::string::npos);
}

TEST_F(ServerTest, JsonBodyIsDelivered) {
  auto r = client.request("POST", "/api/v1/echo", R"({"a":1,"b":"x"})",
                          {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.result_int(), 200);
  EXPECT_EQ(json(r).at("keys"), 2);
}

TEST_F(ServerTest, JsonBodyOverOneMebibyteIs413) {
  std::string big = "{\"a\":\"" + std::string((1 << 20) + 10, 'x') + "\"}";
  auto r = client.request("POST", "/api/v1/echo", big);
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(json(r).at("error").at("code"), "body_too_large");
  EXPECT_FALSE(r.keep_alive());  // the unread body makes the connection unusable
}

TEST_F(ServerTest, ChunkedJsonBodyOverLimitIs413) {
  bhttp::request<bhttp::empty_body> req(bhttp::verb::post, "/api/v1/echo", 11);
  req.set(bhttp::field::host, "localhost");
  req.chunked(true);
  bhttp::request_serializer<bhttp::empty_body> sr(req);
  ASSERT_FALSE(client.run([&](auto h) { bhttp::async_write_header(client.stream(), sr, h); }));
  std::string piece(64 * 1024, 'x');
  beast::error_code ec;
  for (int i = 0; i < 20 && !ec; ++i) {  // 1.25 MiB; the server may stop reading early
    ec = client.run([&](auto h) {
      net::async_write(client.stream(), bhttp::make_chunk(net::buffer(piece)), h);
    });
  }
  if (!ec)
    client.run([&](auto h) { net::async_write(client.stream(), bhttp::make_chunk_last(), h); });
  StringResponse r;
  ASSERT_FALSE(client.read(r));
  EXPECT_EQ(r.result_int(), 413);
}

TEST_F(ServerTest, MalformedRequestIs400AndClosed) {
  ASSERT_FALSE(client.write("GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"));
  StringResponse r;
  ASSERT_FALSE(client.read(r));
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_FALSE(r.keep_alive());
}

TEST_F(ServerTest, ConflictingFramingIsRejected) {
  // Content-Length together with chunked is a request-smuggling vector.
  ASSERT_FALSE(
      client.write("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  StringResponse r;
  ASSERT_FALSE(client.read(r));
  EXPECT_EQ(r.result_int(), 400);
}

TEST_F(ServerTest, UnreadStreamBodyClosesConnectionAfterResponse) {
  bhttp::request<bhttp::string_body> req(bhttp::verb::post, "/api/v1/ignore-body", 11);
  req.set(bhttp::field::host, "localhost");
  req.body() = std::string(200 * 1024, 'z');
  req.prepare_payload();
  ASSERT_FALSE(client.send(req));
  StringResponse r;
  ASSERT_FALSE(client.read(r));
  EXPECT_EQ(r.result_int(), 403);
  EXPECT_FALSE(r.keep_alive());
  auto [ec, rest] = client.read_until_closed();
  EXPECT_TRUE(ec);  // closed: the unread body is never parsed as a request
}

TEST_F(ServerTest, RequestIdsAreUnique) {
  auto a = client.request("GET", "/healthz");
  auto b = client.request("GET", "/healthz");
  EXPECT_NE(a["X-Request-Id"], b["X-Request-Id"]);
}

}  // namespace
}  // namespace baomi::http::testing
