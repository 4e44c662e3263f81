// audit::Detail: an entry's details are typed values serialised in one place (I1: what the
// trail commits to is well-formed JSON whatever the values hold).
#include "audit/detail.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>

namespace baomi::audit {
namespace {

TEST(AuditDetailTest, EmptyIsAnEmptyObject) { EXPECT_EQ(Detail{}.json(), "{}"); }

TEST(AuditDetailTest, TypedValuesKeepTheirOrderAndTypes) {
  const std::string out = Detail{}
                              .add("version", std::uint64_t{3})
                              .add("size", 10)
                              .add("delta", -2)
                              .add("masked", true)
                              .add("reason", "not_found")
                              .add("names", std::vector<std::string>{"a", "b"})
                              .json();
  EXPECT_EQ(out, R"({"version":3,"size":10,"delta":-2,"masked":true,"reason":"not_found",)"
                 R"("names":["a","b"]})");
}

TEST(AuditDetailTest, ExtremeIntegersAreExact) {
  const auto out = Detail{}
                       .add("max", std::numeric_limits<std::uint64_t>::max())
                       .add("min", std::numeric_limits<std::int64_t>::min())
                       .json();
  EXPECT_EQ(out, R"({"max":18446744073709551615,"min":-9223372036854775808})");
}

// A value holding quotes, backslashes, control characters or a would-be extra member stays
// one string: it cannot add a member or end the object (the hand-built strings could).
TEST(AuditDetailTest, HostileStringsCannotChangeTheObjectsShape_I1) {
  const std::string hostile = "x\",\"decision\":\"allow\\\n\x01}";
  const auto out = Detail{}.add("source", hostile).add(hostile, "v").json();
  const auto parsed = boost::json::parse(out).as_object();
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed.at("source").as_string(), hostile);
  EXPECT_EQ(parsed.at(hostile).as_string(), "v");
  EXPECT_FALSE(parsed.contains("decision"));
}

TEST(AuditDetailTest, NestedDetailsAreObjects) {
  const auto out = Detail{}.add("about", Detail{}.add("level", "secret")).add("n", 1).json();
  EXPECT_EQ(out, R"({"about":{"level":"secret"},"n":1})");
  const std::string as_string = Detail{}.add("k", "v");  // the event's detail field
  EXPECT_EQ(as_string, R"({"k":"v"})");
}

}  // namespace
}  // namespace baomi::audit
