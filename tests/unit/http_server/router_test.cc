#include "http/server/router.h"

#include <gtest/gtest.h>

namespace baomi::http {
namespace {

Handler tag(std::string name) {
  return [name](Request&) { return json_response(200, {{"h", name}}); };
}

std::vector<std::string> segs(std::string_view path) { return split_path(path).value(); }

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    r.add("GET", "/api/v1/documents", tag("list"));
    r.add("POST", "/api/v1/documents", tag("create"));
    r.add("GET", "/api/v1/documents/{id}", tag("get"));
    r.add("GET", "/api/v1/documents/{id}/content", tag("content"));
    r.add("PUT", "/api/v1/documents/{id}/content", tag("upload"), {.stream_body = true});
    r.add("POST", "/api/v1/documents/new", tag("new"));
    r.add("GET", "/api/v1/users/{uid}/grants/{gid}", tag("grant"));
  }
  Router r;
};

TEST_F(RouterTest, MatchesLiteralAndCapturesParams) {
  auto m = r.match("GET", segs("/api/v1/documents/d-42/content"));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/documents/{id}/content");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"id", "d-42"}));
  auto g = r.match("GET", segs("/api/v1/users/u1/grants/g2"));
  ASSERT_EQ(g.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(g.params[0].second, "u1");
  EXPECT_EQ(g.params[1].first, "gid");
  EXPECT_TRUE(r.match("PUT", segs("/api/v1/documents/x/content")).route->options.stream_body);
}

TEST_F(RouterTest, LiteralWinsButFallsBackToPlaceholderForOtherMethods) {
  EXPECT_EQ(r.match("POST", segs("/api/v1/documents/new")).route->pattern, "/api/v1/documents/new");
  auto m = r.match("GET", segs("/api/v1/documents/new"));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/documents/{id}");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(r.match("GET", segs("/api/v1/nothing")).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(r.match("GET", segs("/api/v1/documents/x/content/extra")).kind,
            RouteMatch::Kind::kNotFound);
  // {id} needs a non-empty segment; a trailing slash is a different path.
  EXPECT_EQ(r.match("GET", segs("/api/v1/documents//content")).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(r.match("GET", segs("/api/v1/documents/")).kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodListsAllowed) {
  auto m = r.match("DELETE", segs("/api/v1/documents/x/content"));
  EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, PUT");
  EXPECT_EQ(m.route, nullptr);
}

TEST_F(RouterTest, RejectsDuplicateAndMalformedPatterns) {
  EXPECT_THROW(r.add("GET", "/api/v1/documents", tag("again")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "no-slash", tag("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a//b", tag("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{x", tag("x")), std::invalid_argument);
}

TEST(Router, RootPath) {
  Router r;
  r.add("GET", "/", tag("root"));
  EXPECT_EQ(r.match("GET", segs("/")).kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(r.match("GET", segs("/x")).kind, RouteMatch::Kind::kNotFound);
}

// A sealed server's seal routes stay its own; only unknown paths go to the fallback (the API
// router of the unsealed instance), whose match keeps what it belongs to alive.
TEST_F(RouterTest, OnlyUnknownPathsGoToTheFallbackWhichKeepsItsOwnerAlive) {
  auto inner = std::make_shared<Router>();
  inner->add("GET", "/api/v1/me", tag("me"));
  std::weak_ptr<Router> watch = inner;
  r.set_fallback([&inner](std::string_view method, const std::vector<std::string>& segments) {
    auto m = inner->match(method, segments);
    m.keep_alive = inner;
    return m;
  });
  EXPECT_EQ(r.match("GET", segs("/api/v1/documents")).route->pattern, "/api/v1/documents");
  EXPECT_EQ(r.match("DELETE", segs("/api/v1/documents")).kind, RouteMatch::Kind::kMethodNotAllowed);
  auto m = r.match("GET", segs("/api/v1/me"));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/me");
  inner.reset();  // sealed while the request runs
  EXPECT_FALSE(watch.expired());
  m.keep_alive.reset();
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace baomi::http
