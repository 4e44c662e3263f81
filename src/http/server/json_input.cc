#include "http/server/json_input.h"

#include <limits>

#include "http/server/url.h"

namespace baomi::http {
namespace {

namespace json = boost::json;

std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Error missing(const std::string& what) {
  return Error::invalid("missing_field", what + " is required");
}
Error invalid(const std::string& what, std::string_view must) {
  return Error::invalid("invalid_field", what + " must " + std::string(must));
}

}  // namespace

JsonFields::JsonFields(const JsonObject& obj, std::string prefix)
    : obj_(obj), prefix_(std::move(prefix)) {}

std::string JsonFields::label(std::string_view name) const {
  return "field '" + prefix_ + std::string(name) + "'";
}

const json::value* JsonFields::take(std::string_view name, bool null_is_value) {
  consumed_.emplace(name);
  const json::value* v = obj_.if_contains(name);
  if (v != nullptr && v->is_null() && !null_is_value) return nullptr;
  return v;
}

Result<std::string> JsonFields::check_string(const json::value& v, const std::string& what,
                                             std::size_t max_len) const {
  if (!v.is_string()) return invalid(what, "be a string");
  std::string_view s = v.get_string();
  // Boost.JSON already rejects invalid UTF-8; checked again because this is the last line.
  if (!is_valid_utf8(s)) return invalid(what, "be valid UTF-8");
  if (s.find('\0') != std::string_view::npos) return invalid(what, "not contain NUL characters");
  if (count_code_points(s) > max_len) {
    return invalid(what, "be at most " + std::to_string(max_len) + " characters");
  }
  return std::string(s);
}

Result<std::string> JsonFields::required_string(std::string_view name, std::size_t max_len) {
  const json::value* v = take(name, true);
  if (v == nullptr) return missing(label(name));
  return check_string(*v, label(name), max_len);
}

Result<std::optional<std::string>> JsonFields::optional_string(std::string_view name,
                                                               std::size_t max_len) {
  const json::value* v = take(name, false);
  if (v == nullptr) return std::optional<std::string>();
  BAOMI_ASSIGN_OR_RETURN(std::string s, check_string(*v, label(name), max_len));
  return std::optional<std::string>(std::move(s));
}

Result<void> JsonFields::check_visible(const std::string& text, std::string_view name,
                                       TextShape shape) const {
  const auto hidden = first_hidden_char(text, shape);
  if (!hidden) return {};
  return invalid(label(name), "not contain invisible, bidirectional or control characters (" +
                                  code_point_label(*hidden) + ")");
}

Result<std::string> JsonFields::required_text(std::string_view name, std::size_t max_len,
                                              TextShape shape) {
  BAOMI_ASSIGN_OR_RETURN(auto text, required_string(name, max_len));
  BAOMI_TRY(check_visible(text, name, shape));
  return text;
}

Result<std::optional<std::string>> JsonFields::optional_text(std::string_view name,
                                                             std::size_t max_len, TextShape shape) {
  BAOMI_ASSIGN_OR_RETURN(auto text, optional_string(name, max_len));
  if (text) BAOMI_TRY(check_visible(*text, name, shape));
  return text;
}

Result<std::int64_t> JsonFields::required_int(std::string_view name, std::int64_t min,
                                              std::int64_t max) {
  BAOMI_ASSIGN_OR_RETURN(auto v, optional_int(name, min, max));
  if (!v) return missing(label(name));
  return *v;
}

Result<std::optional<std::int64_t>> JsonFields::optional_int(std::string_view name,
                                                             std::int64_t min, std::int64_t max) {
  const json::value* v = take(name, false);
  if (v == nullptr) return std::optional<std::int64_t>();
  std::string range = "be an integer from " + std::to_string(min) + " to " + std::to_string(max);
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64()) {
    // Only reachable above INT64_MAX, which no range here admits.
    return invalid(label(name), range);
  } else {
    return invalid(label(name), "be an integer");
  }
  if (n < min || n > max) return invalid(label(name), range);
  return std::optional<std::int64_t>(n);
}

Result<std::vector<std::string>> JsonFields::string_array(std::string_view name, bool required,
                                                          std::size_t max_items,
                                                          std::size_t max_len) {
  const json::value* v = take(name, false);
  std::vector<std::string> out;
  if (v == nullptr) {
    if (required) return missing(label(name));
    return out;
  }
  if (!v->is_array()) return invalid(label(name), "be an array of strings");
  const json::array& arr = v->get_array();
  if (arr.size() > max_items) {
    return invalid(label(name), "have at most " + std::to_string(max_items) + " items");
  }
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string item_label =
        "field '" + prefix_ + std::string(name) + "[" + std::to_string(i) + "]'";
    BAOMI_ASSIGN_OR_RETURN(std::string s, check_string(arr[i], item_label, max_len));
    out.push_back(std::move(s));
  }
  return out;
}

Result<bool> JsonFields::required_bool(std::string_view name) {
  BAOMI_ASSIGN_OR_RETURN(auto v, optional_bool(name));
  if (!v) return missing(label(name));
  return *v;
}

Result<std::optional<bool>> JsonFields::optional_bool(std::string_view name) {
  const json::value* v = take(name, false);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) return invalid(label(name), "be true or false");
  return std::optional<bool>(v->get_bool());
}

Result<std::optional<JsonObject>> JsonFields::optional_object(std::string_view name) {
  const json::value* v = take(name, false);
  if (v == nullptr) return std::optional<JsonObject>();
  if (!v->is_object()) return invalid(label(name), "be an object");
  return std::optional<JsonObject>(v->get_object());
}

Result<std::vector<JsonObject>> JsonFields::object_array(std::string_view name, bool required,
                                                         std::size_t max_items) {
  const json::value* v = take(name, false);
  std::vector<JsonObject> out;
  if (v == nullptr) {
    if (required) return missing(label(name));
    return out;
  }
  if (!v->is_array()) return invalid(label(name), "be an array of objects");
  const json::array& arr = v->get_array();
  if (arr.size() > max_items) {
    return invalid(label(name), "have at most " + std::to_string(max_items) + " items");
  }
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) {
      return invalid("field '" + prefix_ + std::string(name) + "[" + std::to_string(i) + "]'",
                     "be an object");
    }
    out.push_back(arr[i].get_object());
  }
  return out;
}

Result<void> JsonFields::finish() const {
  for (const auto& kv : obj_) {
    std::string_view key = kv.key();
    if (consumed_.find(key) == consumed_.end()) {
      // Echo at most 64 bytes of a client-chosen name (cut on a UTF-8 boundary).
      std::size_t cut = std::min<std::size_t>(key.size(), 64);
      while (cut > 0 && cut < key.size() && (key[cut] & 0xC0) == 0x80) --cut;
      return Error::invalid("unknown_field",
                            "unknown field '" + prefix_ + std::string(key.substr(0, cut)) + "'");
    }
  }
  return {};
}

}  // namespace baomi::http
