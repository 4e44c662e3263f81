// The embedded web console: served under "/" with the strict console CSP, the right
// Content-Type, an ETag that answers 304, and nothing for unknown paths.
#include <gtest/gtest.h>

#include <string>

#include "http/api/console_assets.h"
#include "http/api/routes.h"

namespace baomi::http::api {
namespace {

struct Served {
  RouteMatch::Kind kind = RouteMatch::Kind::kNotFound;
  Response res;
};

Served get(const Router& router, const std::string& target,
           std::optional<std::string> if_none_match = std::nullopt) {
  auto req = Request::from_target("GET", target);
  EXPECT_TRUE(req.ok());
  if (if_none_match) req->add_header("If-None-Match", *if_none_match);
  Served out;
  auto m = router.match("GET", req->path_segments());
  out.kind = m.kind;
  if (m.kind == RouteMatch::Kind::kFound) {
    req->set_params(m.params);
    out.res = m.route->handler(*req);
    add_standard_headers(out.res, req->path(), "test");
  }
  return out;
}

class ConsoleRoutes : public ::testing::Test {
 protected:
  void SetUp() override { register_console_routes(router_); }
  Router router_;
};

TEST_F(ConsoleRoutes, RootServesTheIndexWithTheStrictCsp) {
  auto s = get(router_, "/");
  ASSERT_EQ(s.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(s.res.status, 200);
  EXPECT_EQ(s.res.content_type, "text/html; charset=utf-8");
  EXPECT_NE(s.res.body.find("<script type=\"module\" src=\"/js/main.js\">"), std::string::npos);
  const auto csp = std::string(s.res.header("Content-Security-Policy").value_or(""));
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(csp.find("base-uri 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(s.res.header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(s.res.header("X-Frame-Options").value_or(""), "DENY");
  EXPECT_EQ(s.res.header("Referrer-Policy").value_or(""), "no-referrer");
  EXPECT_TRUE(s.res.header("ETag").has_value());
}

TEST_F(ConsoleRoutes, EveryAssetHasItsTypeAndTheCsp) {
  ASSERT_GT(console_assets().size(), 5u);
  for (const auto& asset : console_assets()) {
    auto s = get(router_, std::string(asset.path));
    ASSERT_EQ(s.kind, RouteMatch::Kind::kFound) << asset.path;
    EXPECT_EQ(s.res.body, asset.body) << asset.path;
    if (asset.path.ends_with(".js")) {
      EXPECT_EQ(s.res.content_type, "text/javascript; charset=utf-8");
    } else if (asset.path.ends_with(".css")) {
      EXPECT_EQ(s.res.content_type, "text/css; charset=utf-8");
    }
    EXPECT_NE(
        std::string(s.res.header("Content-Security-Policy").value_or("")).find("script-src 'self'"),
        std::string::npos)
        << asset.path;
    EXPECT_EQ(s.res.header("Cache-Control").value_or(""), "no-cache") << asset.path;
  }
}

TEST_F(ConsoleRoutes, MatchingEtagAnswers304WithoutBody) {
  const auto first = get(router_, "/js/main.js");
  const std::string etag(first.res.header("ETag").value_or(""));
  ASSERT_FALSE(etag.empty());
  auto again = get(router_, "/js/main.js", "\"other\", " + etag);
  EXPECT_EQ(again.res.status, 304);
  EXPECT_TRUE(again.res.body.empty());
  auto stale = get(router_, "/js/main.js", "\"0000\"");
  EXPECT_EQ(stale.res.status, 200);
}

TEST_F(ConsoleRoutes, UnknownPathsAreNotServed) {
  EXPECT_EQ(get(router_, "/documents").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(get(router_, "/js/missing.js").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(get(router_, "/js/../index.html").kind, RouteMatch::Kind::kNotFound);
}

TEST(ApiHeaders, ApiResponsesAreNeverStored) {
  Response res = json_response(200, boost::json::object{{"ok", true}});
  res.headers.emplace_back("Cache-Control", "max-age=3600");
  add_standard_headers(res, "/api/v1/documents", "test");
  EXPECT_EQ(res.header("Cache-Control").value_or(""), "no-store");
}

}  // namespace
}  // namespace baomi::http::api
