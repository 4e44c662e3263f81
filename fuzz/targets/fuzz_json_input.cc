// JSON request bodies (http/server json_input): one object, valid UTF-8, no duplicate keys,
// bounded nesting; then the typed field readers every handler uses, driven by the input's first
// bytes. Properties: no crash, no leak; strings read are valid UTF-8 within their limits.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "http/server/json_input.h"
#include "http/server/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baomi;
  fuzz::FuzzInput in(data, size);
  const std::uint8_t plan = in.byte();
  auto obj = http::parse_json_object(in.rest());
  if (!obj) return 0;
  http::JsonFields fields(*obj);
  static const char* kNames[] = {"title", "reason", "level", "items", "count", "flag", "meta"};
  for (int i = 0; i < 7; ++i) {
    const char* name = kNames[i];
    switch ((plan >> (i % 4)) % 7) {
      case 0:
        if (auto s = fields.required_string(name, 16)) {
          fuzz::check(http::is_valid_utf8(*s), "string field is not UTF-8");
        }
        break;
      case 1:
        (void)fields.optional_string(name, 8);
        break;
      case 2:
        (void)fields.required_int(name, -5, 1000);
        break;
      case 3:
        (void)fields.string_array(name, false, 4, 8);
        break;
      case 4:
        (void)fields.optional_bool(name);
        break;
      case 5:
        if (auto sub = fields.optional_object(name); sub && *sub) {
          http::JsonFields inner(**sub, std::string(name) + ".");
          (void)inner.optional_string("x");
          (void)inner.finish();
        }
        break;
      default:
        (void)fields.object_array(name, false, 3);
        break;
    }
  }
  (void)fields.finish();
  return 0;
}
