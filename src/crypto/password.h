// Password hashing with Argon2id (libsodium crypto_pwhash_str): the stored string carries its own
// salt and cost, so verification needs nothing else. Stateless; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace baomi::crypto {

enum class PwhashCost {
  kInteractive,  // production: OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE
  kMinimum,      // tests only: the smallest cost libsodium accepts
};

// kInternal if the hash cannot be computed (out of memory); the password never appears in errors.
Result<std::string> hash_password(std::string_view pw, PwhashCost cost = PwhashCost::kInteractive);
// False for a wrong password or a malformed stored hash.
bool verify_password(const std::string& stored_hash, std::string_view pw);
// True if the stored hash is weaker than the interactive cost (or unparseable): rehash on login.
bool password_needs_rehash(const std::string& stored_hash);

}  // namespace baomi::crypto
