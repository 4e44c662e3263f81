// BodyReader: typed reads from the JSON body of a stored object. The body was written by this
// server and authenticated on the way back, so a missing or mistyped field means damaged or
// foreign data: every failure is kIntegrity, never a client error.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace baomi::services {

class BodyReader {
 public:
  explicit BodyReader(const boost::json::value& v) : obj_(v.if_object()) {}
  explicit BodyReader(const boost::json::object& o) : obj_(&o) {}

  const boost::json::value* find(std::string_view key) const;
  Result<std::string> string(std::string_view key) const;
  Result<std::optional<std::string>> optional_string(std::string_view key) const;
  Result<int> integer(std::string_view key) const;
  Result<std::optional<int>> optional_integer(std::string_view key) const;
  Result<std::uint64_t> unsigned_integer(std::string_view key) const;
  Result<bool> boolean(std::string_view key) const;
  Result<TimePoint> time(std::string_view key) const;  // stored as microseconds since 1970
  Result<std::optional<TimePoint>> optional_time(std::string_view key) const;
  // An array of unsigned integers; empty when the key is absent.
  Result<std::vector<std::uint64_t>> unsigned_list(std::string_view key) const;

 private:
  static Error damaged(std::string_view key);
  const boost::json::object* obj_;
};

}  // namespace baomi::services
