// audit::Detail: an entry's details are typed values serialised in one place (I1: what the
// trail commits to is well-formed JSON whatever the values hold).
#include "audit/detail.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
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

TEST(AuditDetailTest, IntegerArraysAreExactNumbers) {
  const auto out = Detail{}
                       .add("versions", std::vector<std::uint64_t>{1, 18446744073709551615u})
                       .add("deltas", std::vector<int>{-3, 0})
                       .add("none", std::vector<std::uint64_t>{})
                       .json();
  EXPECT_EQ(out, R"({"versions":[1,18446744073709551615],"deltas":[-3,0],"none":[]})");
  const auto parsed = boost::json::parse(out).as_object();
  EXPECT_EQ(parsed.at("versions").as_array().at(1).as_uint64(), 18446744073709551615u);
  EXPECT_EQ(parsed.at("deltas").as_array().at(0).as_int64(), -3);
}

// A copy of a Detail extended with more members leaves the original as it was (a signed
// statement and the entry detail that repeats it and adds to it).
TEST(AuditDetailTest, ACopyExtendsWithoutChangingTheOriginal) {
  const Detail statement = Detail{}.add("slip", "s1").add("hashes", std::vector<std::string>{"h"});
  Detail entry = statement;
  entry.add("tombstone", true);
  EXPECT_EQ(statement.json(), R"({"slip":"s1","hashes":["h"]})");
  EXPECT_EQ(entry.json(), R"({"slip":"s1","hashes":["h"],"tombstone":true})");
}

// The members the services built as boost::json objects before come out byte for byte the
// same: entries written before and after the change read alike to an auditor's tools.
TEST(AuditDetailTest, SameTextAsTheBoostJsonObjectItReplaces) {
  const std::string odd = "caf\xc3\xa9 \"q\" \\ \t\x7f </script>";
  boost::json::object before;
  before["s"] = odd;
  before["n"] = std::size_t{42};
  before["i"] = -7;
  before["b"] = false;
  before["a"] = boost::json::array{"x", odd};
  before["o"] = boost::json::object{{"old", ""}, {"new", "h"}};
  const std::string after = Detail{}
                                .add("s", odd)
                                .add("n", std::size_t{42})
                                .add("i", -7)
                                .add("b", false)
                                .add("a", std::vector<std::string>{"x", odd})
                                .add("o", Detail{}.add("old", "").add("new", "h"))
                                .json();
  EXPECT_EQ(after, boost::json::serialize(before));
}

}  // namespace
}  // namespace baomi::audit
