// Loading and validating a policy file (policies/*.yaml; format in docs/policy.md).
// Everything is checked before a Policy exists: unknown keys, types, ranges, level order,
// markings, the org chart (parents first) and the approval rules (one per type and level). Every
// error is Error::invalid("invalid_policy", "<file>:<line>: <what>") with a 1-based line. Stateless
// functions; safe to call from any thread.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.h"
#include "policy/policy.h"

namespace baomi::policy {

// Reads the file (at most 1 MiB) and parses it; the version is the SHA-256 of its bytes.
Result<Policy> load_policy(const std::filesystem::path& file);
// Parses policy text; `file_label` is the name used in error messages.
Result<Policy> parse_policy(std::string_view yaml_text, std::string_view file_label);

}  // namespace baomi::policy
