// Reading fields of the server's JSON answers as text for tables. Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace baomi::client {

// The field as text: strings as they are, numbers and booleans spelled out, arrays of scalars
// joined with ",", objects as compact JSON, absent or null as "-".
std::string text_of(const boost::json::object& object, std::string_view key);
std::string text_of(const boost::json::value& value);
// An RFC 3339 time without its fraction of a second ("2026-12-06T11:47:15Z"); "-" when absent.
std::string time_of(const boost::json::object& object, std::string_view key);
// 1536 -> "1.5 KiB"; null or absent -> "-".
std::string size_of(const boost::json::object& object, std::string_view key);
// The object at `key`, or an empty object.
const boost::json::object& object_at(const boost::json::object& object, std::string_view key);
// The array at `key`, or an empty array.
const boost::json::array& array_at(const boost::json::object& object, std::string_view key);

}  // namespace baomi::client
