#include "http/server/url.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "http/server/request.h"

namespace baomi::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndUtf8) {
  EXPECT_EQ(percent_decode("a%20b"), "a b");
  EXPECT_EQ(percent_decode("%E4%BF%9D%E5%AF%86"), "保密");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
}

TEST(PercentDecode, RejectsBadEscapesNulControlAndInvalidUtf8) {
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("%4"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_FALSE(percent_decode("a%00b"));
  EXPECT_FALSE(percent_decode("a%0Ab"));
  EXPECT_FALSE(percent_decode("%C0%AF"));     // overlong '/'
  EXPECT_FALSE(percent_decode("%ED%A0%80"));  // surrogate
  EXPECT_FALSE(percent_decode("%FF"));
}

TEST(Utf8, ValidatesSequences) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("秘密★"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xE4\xBF"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));
}

TEST(SplitPath, DecodesSegmentsSeparately) {
  auto segs = split_path("/api/v1/documents/a%2Fb/content");
  ASSERT_TRUE(segs.ok());
  ASSERT_EQ(segs->size(), 5u);
  EXPECT_EQ((*segs)[3], "a/b");  // an encoded slash stays inside its segment
  EXPECT_TRUE(split_path("/")->empty());
  EXPECT_EQ(split_path("/a/")->size(), 2u);
  EXPECT_FALSE(split_path("relative").ok());
  EXPECT_FALSE(split_path("/a/%00").ok());
}

TEST(ParseQuery, RepeatedKeysEmptyValuesAndPlus) {
  auto q = parse_query("a=1&b=x%20y&a=2&c=&d&&e=%E4%BF%9D+%E5%AF%86");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->count("a"), 2u);
  auto [lo, hi] = q->equal_range("a");
  EXPECT_EQ(lo->second, "1");
  EXPECT_EQ(std::next(lo)->second, "2");
  EXPECT_EQ(q->find("b")->second, "x y");
  EXPECT_EQ(q->find("c")->second, "");
  EXPECT_EQ(q->find("d")->second, "");
  EXPECT_EQ(q->find("e")->second, "保 密");
  EXPECT_EQ(q->size(), 6u);
  EXPECT_FALSE(parse_query("a=%G1").ok());
}

TEST(RequestTarget, SplitsPathAndQuery) {
  auto req = Request::from_target("GET", "/api/v1/search?q=%E5%AE%A2%E6%88%B7&limit=10&q=two");
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->path(), "/api/v1/search");
  EXPECT_EQ(req->query("q"), "客户");
  EXPECT_EQ(req->query("limit"), "10");
  EXPECT_FALSE(req->query("missing").has_value());
  EXPECT_EQ(req->query_params().count("q"), 2u);
  auto bad = Request::from_target("GET", "/x?y=%ZZ");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_request");
}

TEST(RequestTarget, HeadersAreCaseInsensitiveAndBodyReaderReadsBody) {
  auto req = Request::from_target("POST", "/x");
  ASSERT_TRUE(req.ok());
  req->add_header("Content-Type", "application/json");
  EXPECT_EQ(req->header("content-type"), "application/json");
  EXPECT_FALSE(req->header("Authorization").has_value());
  req->set_body("hello");
  Request moved = std::move(req).value();
  std::uint8_t buf[3];
  auto n = moved.body_reader().read_some(buf, sizeof buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3u);
  EXPECT_EQ(*moved.body_reader().read_some(buf, sizeof buf), 2u);
  EXPECT_EQ(*moved.body_reader().read_some(buf, sizeof buf), 0u);
}

TEST(RequestId, IsRandomHex) {
  std::string a = new_request_id();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, new_request_id());
}

// Ids are drawn in batches per thread: across batch boundaries and threads none repeats.
TEST(RequestId, NoneRepeatsAcrossBatchesAndThreads) {
  std::vector<std::string> ids;
  std::thread other([&ids] {
    for (int i = 0; i < 500; ++i) ids.push_back(new_request_id());
  });
  other.join();
  for (int i = 0; i < 500; ++i) ids.push_back(new_request_id());
  std::set<std::string> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), ids.size());
  for (const auto& id : ids) ASSERT_EQ(id.size(), 32u);
}

}  // namespace
}  // namespace baomi::http
