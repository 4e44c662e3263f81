#include "audit/detail.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace baomi::audit {

namespace json = boost::json;

Detail& Detail::member(std::string_view key, const std::string& json_value) {
  if (!members_.empty()) members_ += ',';
  members_ += json::serialize(json::value(json::string_view(key.data(), key.size())));
  members_ += ':';
  members_ += json_value;
  return *this;
}

Detail& Detail::add(std::string_view key, std::string_view value) {
  return member(key, json::serialize(json::value(json::string_view(value.data(), value.size()))));
}

Detail& Detail::add(std::string_view key, const std::vector<std::string>& values) {
  json::array a;
  for (const auto& v : values) a.emplace_back(json::string_view(v));
  return member(key, json::serialize(a));
}

Detail& Detail::add(std::string_view key, const Detail& nested) {
  return member(key, nested.json());
}

Detail& Detail::add_bool(std::string_view key, bool value) {
  return member(key, value ? "true" : "false");
}

Detail& Detail::add_signed(std::string_view key, std::int64_t value) {
  return member(key, std::to_string(value));
}

Detail& Detail::add_unsigned(std::string_view key, std::uint64_t value) {
  return member(key, std::to_string(value));
}

}  // namespace baomi::audit
