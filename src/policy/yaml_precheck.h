// precheck_yaml: a policy file is first read by libyaml (an event parser fuzzed for years on
// OSS-Fuzz) and only handed to yaml-cpp once it is well-formed, shallow and free of anchors,
// aliases and tags. Fuzzing found that yaml-cpp 0.7 never returns on some malformed texts (for example
// "&a,a", or a tag holding '&'), which would hang `baomi init` and `baomi serve` on a mistyped
// policy. Policy files need no anchors, aliases or tags: every rule is spelled out where it applies, so what a reader
// sees is what the server enforces. Pure function; thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"
#include "policy/yaml_section.h"

namespace baomi::policy {

// Nesting deeper than this is refused (the default policy nests four levels).
inline constexpr int kMaxPolicyNesting = 16;

// Ok, or a file:line error naming the first problem: a YAML syntax error (libyaml's own words),
// an anchor, alias or tag, nesting beyond kMaxPolicyNesting.
Status precheck_yaml(std::string_view text, const SourceFile& src);

}  // namespace baomi::policy
