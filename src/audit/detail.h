// An audit entry's details as typed values: built field by field, serialised to the entry's
// JSON object here and nowhere else, so that no value (an id, an address, a reason) can change
// the object's shape, whatever characters it holds.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace baomi::audit {

class Detail {
 public:
  Detail& add(std::string_view key, std::string_view value);
  Detail& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  Detail& add(std::string_view key, const std::vector<std::string>& values);
  // An array of integers (e.g. version numbers), each written exactly.
  template <std::integral T>
  requires(!std::is_same_v<T, bool>) Detail& add(std::string_view key,
                                                 const std::vector<T>& values) {
    std::string array = "[";
    for (const auto v : values) {
      if (array.size() > 1) array += ',';
      array += std::to_string(v);
    }
    return member(key, array + "]");
  }
  template <std::integral T>
  Detail& add(std::string_view key, T value) {
    if constexpr (std::is_same_v<T, bool>) {
      return add_bool(key, value);
    } else if constexpr (std::is_signed_v<T>) {
      return add_signed(key, static_cast<std::int64_t>(value));
    } else {
      return add_unsigned(key, static_cast<std::uint64_t>(value));
    }
  }
  // Another Detail as a nested object.
  Detail& add(std::string_view key, const Detail& nested);

  // The JSON object, "{}" when nothing was added.
  std::string json() const { return "{" + members_ + "}"; }
  operator std::string() const { return json(); }  // NOLINT(google-explicit-constructor)

 private:
  Detail& add_bool(std::string_view key, bool value);
  Detail& add_signed(std::string_view key, std::int64_t value);
  Detail& add_unsigned(std::string_view key, std::uint64_t value);
  Detail& member(std::string_view key, const std::string& json_value);

  std::string members_;  // `"key":value` pairs, comma-separated
};

}  // namespace baomi::audit
