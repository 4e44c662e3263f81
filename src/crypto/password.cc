#include "crypto/password.h"

#include <sodium.h>

#include "crypto/init.h"

namespace baomi::crypto {

namespace {

struct Limits {
  unsigned long long ops;
  std::size_t mem;
};

Limits limits(PwhashCost cost) {
  if (cost == PwhashCost::kMinimum) {
    return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
  }
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

}  // namespace

Result<std::string> hash_password(std::string_view pw, PwhashCost cost) {
  detail::ensure_init();
  const Limits l = limits(cost);
  char out[crypto_pwhash_argon2id_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, pw.data(), pw.size(), l.ops, l.mem) != 0) {
    return Error::internal("password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool verify_password(const std::string& stored_hash, std::string_view pw) {
  detail::ensure_init();
  // crypto_pwhash_str_verify dispatches on the "$argon2id$" prefix and rejects anything else.
  return crypto_pwhash_str_verify(stored_hash.c_str(), pw.data(), pw.size()) == 0;
}

bool password_needs_rehash(const std::string& stored_hash) {
  detail::ensure_init();
  const Limits l = limits(PwhashCost::kInteractive);
  // Returns 0 only for a well-formed Argon2id hash at exactly the interactive parameters.
  return crypto_pwhash_argon2id_str_needs_rehash(stored_hash.c_str(), l.ops, l.mem) != 0;
}

}  // namespace baomi::crypto
