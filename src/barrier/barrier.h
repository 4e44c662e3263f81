// Barrier: the single point of encryption between services and storage (cf. Vault's
// SecurityBarrier). Services hand it plaintext and get sealed bytes, wrapped keys and keyed
// hashes to store; storage never sees a key or a secret in clear. It knows nothing of storage:
// every input arrives as a value.
// Thread-safe for concurrent use after construction; rotate_kek may run concurrently with the
// rest (it takes an exclusive lock).
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "barrier/keyring.h"
#include "barrier/sealed.h"
#include "barrier/wrapped_key.h"
#include "core/result.h"
#include "crypto/secret_key.h"

namespace baomi::barrier {

struct DataKey {
  crypto::SecretKey key;  // use for fields or one content stream, then let it go
  WrappedKey wrapped;     // store this beside the record
};

class RecordCache;

class Barrier {
 public:
  explicit Barrier(Keyring keyring);
  ~Barrier();

  // A fresh DEK wrapped under the current KEK, bound to `owner` ("doc:<id>",
  // "docver:<id>:<version>", "user:<id>", ...). Destroying every copy of `wrapped` shreds
  // whatever the DEK encrypted.
  DataKey new_data_key(std::string_view owner) const;
  // kIntegrity if `wrapped` was altered, belongs to another owner or names an unknown KEK.
  Result<crypto::SecretKey> unwrap(const WrappedKey& wrapped, std::string_view owner) const;
  // Rotation: makes a new KEK current and returns its record to persist. Whatever changes the
  // KEK set also clears the record cache, so no record is served that would not open now.
  Result<KekRecord> rotate_kek();
  // Re-seals a DEK under the current KEK without touching what it encrypts.
  Result<WrappedKey> rewrap(const WrappedKey& wrapped, std::string_view owner) const;
  std::uint32_t current_kek_version() const;

  // One AEAD box per field; AD = ("baomi-field", record_id, field_name), so a box copied to
  // another record or field fails to open.
  Sealed seal_field(const crypto::SecretKey& dek, std::string_view record_id,
                    std::string_view field_name, std::string_view plaintext) const;
  // kIntegrity on any mismatch or modification.
  Result<std::string> open_field(const crypto::SecretKey& dek, std::string_view record_id,
                                 std::string_view field_name, const Sealed& sealed) const;

  // Hex keyed BLAKE2b of (kind, value) for exact-match search on encrypted fields (C3); the
  // caller normalises the value first (e.g. digits only for phone numbers).
  std::string blind_index(std::string_view kind, std::string_view normalised_value) const;
  // Hex keyed BLAKE2b for sensitive values in audit entries (never stored in clear).
  std::string audit_hash(std::string_view value) const;
  // Hex keyed BLAKE2b of a bearer token: what the sessions table stores.
  std::string token_hash(std::string_view token) const;

  // Row authentication: the clear columns that decide access (clearance, roles, levels,
  // custodians, session owners, version states) are not secret but must not be editable by
  // whoever can write the database. `fields` is the canonical encoding of such a row (with
  // its table name and id); the MAC is stored beside it and checked on every read.
  std::string row_mac(const Bytes& fields) const;
  const crypto::MacKey& copy_fingerprint_key() const { return keyring_.copy_fingerprint_key(); }
  const crypto::MacKey& view_fingerprint_key() const { return keyring_.view_fingerprint_key(); }
  // kIntegrity when `mac` is not the MAC of `fields` (constant-time comparison).
  Result<void> check_row_mac(const Bytes& fields, std::string_view mac) const;

  // Records opened and verified by this process (record_cache.h): Records<T> consults it, and
  // only ever together with a check of the row as stored now.
  RecordCache& record_cache() const { return *record_cache_; }

 private:
  mutable std::shared_mutex mu_;  // guards the KEK set against rotate_kek
  Keyring keyring_;
  std::unique_ptr<RecordCache> record_cache_;
};

}  // namespace baomi::barrier
