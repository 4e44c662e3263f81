#include "services/workflow/json_fields.h"

#include <limits>

namespace baomi::services {

Error BodyReader::damaged(std::string_view key) {
  return Error::integrity("a stored object is malformed at '" + std::string(key) + "'");
}

const boost::json::value* BodyReader::find(std::string_view key) const {
  if (!obj_) return nullptr;
  return obj_->if_contains(key);
}

Result<std::string> BodyReader::string(std::string_view key) const {
  const auto* v = find(key);
  if (!v || !v->is_string()) return damaged(key);
  return std::string(v->as_string());
}

Result<std::optional<std::string>> BodyReader::optional_string(std::string_view key) const {
  if (!find(key)) return std::optional<std::string>();
  BAOMI_ASSIGN_OR_RETURN(auto s, string(key));
  return std::optional<std::string>(std::move(s));
}

Result<int> BodyReader::integer(std::string_view key) const {
  const auto* v = find(key);
  if (!v || !v->is_int64()) return damaged(key);
  const auto n = v->as_int64();
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) {
    return damaged(key);
  }
  return static_cast<int>(n);
}

Result<std::optional<int>> BodyReader::optional_integer(std::string_view key) const {
  if (!find(key)) return std::optional<int>();
  BAOMI_ASSIGN_OR_RETURN(auto n, integer(key));
  return std::optional<int>(n);
}

Result<std::uint64_t> BodyReader::unsigned_integer(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return damaged(key);
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
  return damaged(key);
}

Result<std::vector<std::uint64_t>> BodyReader::unsigned_list(std::string_view key) const {
  std::vector<std::uint64_t> out;
  const auto* v = find(key);
  if (!v) return out;
  if (!v->is_array()) return damaged(key);
  for (const auto& item : v->as_array()) {
    if (item.is_uint64()) {
      out.push_back(item.as_uint64());
    } else if (item.is_int64() && item.as_int64() >= 0) {
      out.push_back(static_cast<std::uint64_t>(item.as_int64()));
    } else {
      return damaged(key);
    }
  }
  return out;
}

Result<bool> BodyReader::boolean(std::string_view key) const {
  const auto* v = find(key);
  if (!v || !v->is_bool()) return damaged(key);
  return v->as_bool();
}

Result<TimePoint> BodyReader::time(std::string_view key) const {
  const auto* v = find(key);
  if (!v || !v->is_int64()) return damaged(key);
  return from_micros(v->as_int64());
}

Result<std::optional<TimePoint>> BodyReader::optional_time(std::string_view key) const {
  if (!find(key)) return std::optional<TimePoint>();
  BAOMI_ASSIGN_OR_RETURN(auto t, time(key));
  return std::optional<TimePoint>(t);
}

}  // namespace baomi::services
