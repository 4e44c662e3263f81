// Strict JSON input for request bodies: parse_json_object() accepts exactly one JSON object
// (valid UTF-8, no duplicate keys, bounded nesting), and JsonFields reads its fields with type,
// range and length checks, then finish() rejects any field the handler did not read. Every
// error is Error::invalid with code invalid_json / missing_field / invalid_field /
// unknown_field and a message naming the field. Not thread-safe; use one per request.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/visible_text.h"

namespace baomi::http {

using JsonObject = boost::json::object;

Result<JsonObject> parse_json_object(std::string_view body);

class JsonFields {
 public:
  // `prefix` names nested objects in messages, e.g. "items[0]." gives "field 'items[0].index'".
  explicit JsonFields(const JsonObject& obj, std::string prefix = {});

  // Strings must be valid UTF-8 without NUL; lengths count Unicode code points. An explicit
  // JSON null counts as absent for the optional_* readers.
  Result<std::string> required_string(std::string_view name, std::size_t max_len = 4096);
  Result<std::optional<std::string>> optional_string(std::string_view name,
                                                     std::size_t max_len = 4096);
  // Human-facing text (titles, names, reasons): as the string readers, and without characters
  // that hide or reorder what is shown (core/visible_text.h); 400 invalid_field naming the field
  // and the character.
  Result<std::string> required_text(std::string_view name, std::size_t max_len, TextShape shape);
  Result<std::optional<std::string>> optional_text(std::string_view name, std::size_t max_len,
                                                   TextShape shape);
  Result<std::int64_t> required_int(std::string_view name, std::int64_t min, std::int64_t max);
  Result<std::optional<std::int64_t>> optional_int(std::string_view name, std::int64_t min,
                                                   std::int64_t max);
  // An absent optional array yields an empty vector.
  Result<std::vector<std::string>> string_array(std::string_view name, bool required,
                                                std::size_t max_items = 64,
                                                std::size_t max_len = 4096);
  Result<bool> required_bool(std::string_view name);
  Result<std::optional<bool>> optional_bool(std::string_view name);
  Result<std::optional<JsonObject>> optional_object(std::string_view name);
  Result<std::vector<JsonObject>> object_array(std::string_view name, bool required,
                                               std::size_t max_items = 64);

  // Error naming the first field present in the object but never read (code unknown_field).
  Result<void> finish() const;

  // "field 'prefix+name'" for use in messages of checks done by the caller.
  std::string label(std::string_view name) const;

 private:
  // Marks `name` as read and returns it, or nullptr when absent (or null and !null_is_value).
  const boost::json::value* take(std::string_view name, bool null_is_value);
  Result<std::string> check_string(const boost::json::value& v, const std::string& what,
                                   std::size_t max_len) const;
  Result<void> check_visible(const std::string& text, std::string_view name, TextShape shape) const;

  const JsonObject& obj_;
  std::string prefix_;
  std::set<std::string, std::less<>> consumed_;
};

}  // namespace baomi::http
