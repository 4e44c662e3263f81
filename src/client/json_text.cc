#include "client/json_text.h"

#include <cstdio>

namespace baomi::client {

namespace json = boost::json;

std::string text_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "-";
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_:
      return json::serialize(v);
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::array: {
      std::string out;
      for (const auto& item : v.get_array()) {
        if (!out.empty()) out += ',';
        out += item.is_structured() ? json::serialize(item) : text_of(item);
      }
      return out.empty() ? "-" : out;
    }
    case json::kind::object:
      return json::serialize(v);
  }
  return "-";
}

std::string text_of(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v) return "-";
  std::string out = text_of(*v);
  return out.empty() ? "-" : out;
}

std::string time_of(const json::object& object, std::string_view key) {
  std::string t = text_of(object, key);
  const auto dot = t.find('.');
  if (dot != std::string::npos && t.ends_with("Z")) t = t.substr(0, dot) + "Z";
  return t;
}

std::string size_of(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_number()) return "-";
  const double bytes = v->to_number<double>();
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(static_cast<long long>(bytes)) + " B";
  double value = bytes;
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  return buf;
}

const json::object& object_at(const json::object& object, std::string_view key) {
  static const json::object kEmpty;
  const auto* v = object.if_contains(key);
  return v && v->is_object() ? v->get_object() : kEmpty;
}

const json::array& array_at(const json::object& object, std::string_view key) {
  static const json::array kEmpty;
  const auto* v = object.if_contains(key);
  return v && v->is_array() ? v->get_array() : kEmpty;
}

}  // namespace baomi::client
