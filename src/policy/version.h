// The policy version recorded with every audit entry: the hex SHA-256 of the policy file's
// exact bytes, so an auditor can tell which rules decided and check them against the file.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace baomi::policy {

// 64 lowercase hex characters (OpenSSL EVP SHA-256).
std::string policy_version_of(std::string_view bytes);

}  // namespace baomi::policy
