// The policy loader (policy/loader): YAML text as an administrator could write it, with
// file:line errors. Properties: no crash, no leak, no hang, whatever the text; a policy that
// loads answers decide() without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = baomi::policy::parse_policy(text, "fuzz.yaml");
  if (!policy) {
    (void)policy.error().message.size();  // every refusal carries a message
  }
  return 0;
}
