#include "http/server/json_input.h"

#include <gtest/gtest.h>

namespace baomi::http {
namespace {

JsonObject parse(std::string_view s) {
  auto r = parse_json_object(s);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : JsonObject{};
}

void expect_error(const Error& e, std::string_view code, std::string_view fragment) {
  EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(e.code, code);
  EXPECT_NE(e.message.find(fragment), std::string::npos) << e.message;
}

TEST(ParseJsonObject, AcceptsObject) {
  auto o = parse(R"( {"title":"季度计划","n":3} )");
  EXPECT_EQ(o.size(), 2u);
}

TEST(ParseJsonObject, RejectsMalformedNonObjectEmptyAndTrailing) {
  expect_error(parse_json_object("{\"a\":").error(), "invalid_json", "not valid JSON");
  expect_error(parse_json_object("[1,2]").error(), "invalid_json", "must be a JSON object");
  expect_error(parse_json_object("  ").error(), "invalid_json", "empty");
  expect_error(parse_json_object("{} {}").error(), "invalid_json", "not valid JSON");
  expect_error(parse_json_object("{\"a\":1,}").error(), "invalid_json", "not valid JSON");
  expect_error(parse_json_object("{/*c*/\"a\":1}").error(), "invalid_json", "not valid JSON");
}

TEST(ParseJsonObject, RejectsInvalidUtf8) {
  expect_error(parse_json_object("{\"a\":\"\xC0\xAF\"}").error(), "invalid_json", "not valid JSON");
  expect_error(parse_json_object("{\"a\":\"\xE4\xBF\"}").error(), "invalid_json", "not valid JSON");
}

TEST(ParseJsonObject, RejectsDuplicateKeysAtAnyDepth) {
  expect_error(parse_json_object(R"({"level":"public","level":"top_secret"})").error(),
               "invalid_json", "duplicate field 'level'");
  expect_error(parse_json_object(R"({"x":{"a":1,"a":2}})").error(), "invalid_json",
               "duplicate field 'a'");
  EXPECT_TRUE(parse_json_object(R"({"x":{"a":1},"y":{"a":2}})").ok());  // same key, other object
}

TEST(ParseJsonObject, RejectsExcessiveNesting) {
  std::string deep(100, '[');
  deep = "{\"a\":" + deep + std::string(100, ']') + "}";
  expect_error(parse_json_object(deep).error(), "invalid_json", "not valid JSON");
}

TEST(JsonFields, ReadsTypedFieldsAndFinishes) {
  auto o = parse(R"({"title":"t","copies":2,"tags":["a","b"],"urgent":true,"note":null})");
  JsonFields f(o);
  EXPECT_EQ(f.required_string("title").value(), "t");
  EXPECT_EQ(f.required_int("copies", 1, 10).value(), 2);
  EXPECT_EQ(f.string_array("tags", true).value(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.optional_bool("urgent").value(), true);
  EXPECT_FALSE(f.optional_string("note").value().has_value());  // null counts as absent
  EXPECT_FALSE(f.optional_int("days", 1, 30).value().has_value());
  EXPECT_TRUE(f.string_array("missing", false).value().empty());
  EXPECT_TRUE(f.finish().ok());
}

TEST(JsonFields, UnknownFieldIsNamed) {
  auto o = parse(R"({"title":"t","clearance":"top_secret"})");
  JsonFields f(o);
  ASSERT_TRUE(f.required_string("title").ok());
  auto r = f.finish();
  ASSERT_FALSE(r.ok());
  expect_error(r.error(), "unknown_field", "'clearance'");
}

TEST(JsonFields, WrongTypesAreNamed) {
  auto o = parse(R"({"level":5,"n":"5","d":1.5,"b":"yes","arr":["a",3],"arr2":"x"})");
  JsonFields f(o);
  expect_error(f.required_string("level").error(), "invalid_field",
               "field 'level' must be a string");
  expect_error(f.required_int("n", 0, 9).error(), "invalid_field", "field 'n' must be an integer");
  expect_error(f.required_int("d", 0, 9).error(), "invalid_field", "field 'd' must be an integer");
  expect_error(f.optional_bool("b").error(), "invalid_field", "field 'b' must be true or false");
  expect_error(f.string_array("arr", true).error(), "invalid_field",
               "field 'arr[1]' must be a string");
  expect_error(f.string_array("arr2", true).error(), "invalid_field", "array");
}

TEST(JsonFields, MissingRequiredIsNamed) {
  auto o = parse(R"({"other":1})");
  JsonFields f(o);
  expect_error(f.required_string("title").error(), "missing_field", "field 'title' is required");
  expect_error(f.required_int("n", 0, 1).error(), "missing_field", "field 'n'");
  expect_error(f.string_array("cats", true).error(), "missing_field", "field 'cats'");
  expect_error(f.required_bool("b").error(), "missing_field", "field 'b'");
}

TEST(JsonFields, LengthCountsCharactersAndRangeIsChecked) {
  auto o = parse(
      R"({"s":"秘密文件","big":11,"neg":-1,"huge":18446744073709551615,"arr":["a","b","c"]})");
  JsonFields f(o);
  EXPECT_TRUE(f.required_string("s", 4).ok());  // 4 characters, 12 bytes
  expect_error(f.required_string("s", 3).error(), "invalid_field", "at most 3 characters");
  expect_error(f.required_int("big", 1, 10).error(), "invalid_field", "from 1 to 10");
  expect_error(f.required_int("neg", 0, 10).error(), "invalid_field", "from 0 to 10");
  expect_error(f.required_int("huge", 0, 10).error(), "invalid_field", "field 'huge'");
  expect_error(f.string_array("arr", true, 2).error(), "invalid_field", "at most 2 items");
}

TEST(JsonFields, RejectsEmbeddedNul) {
  auto o = parse(R"({"name":"a\u0000b"})");
  JsonFields f(o);
  expect_error(f.required_string("name").error(), "invalid_field", "NUL");
}

TEST(JsonFields, NestedObjectsNameTheirPath) {
  auto o = parse(R"({"items":[{"index":0,"done":true},{"index":"x"}],"excerpt":{"from":0}})");
  JsonFields f(o);
  auto items = f.object_array("items", true);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  JsonFields second((*items)[1], "items[1].");
  expect_error(second.required_int("index", 0, 9).error(), "invalid_field",
               "field 'items[1].index' must be an integer");
  auto ex = f.optional_object("excerpt");
  ASSERT_TRUE(ex.ok() && ex->has_value());
  JsonFields ef(**ex, "excerpt.");
  expect_error(ef.required_int("to", 0, 9).error(), "missing_field", "field 'excerpt.to'");
  EXPECT_TRUE(f.finish().ok());
}

}  // namespace
}  // namespace baomi::http
