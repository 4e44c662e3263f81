// Barrier: the single point of encryption between services and storage (cf. Vault's
// SecurityBarrier). Services hand it plaintext and get sealed bytes, wrapped keys and keyed
// hashes to store; storage never sees a key or a secret in clear. It knows nothing of storage:
// every input arrives as a value.
// Thread-safe for concurrent use after construction; rotate_kek and adopt_keks may run
// concurrently with the rest (they take an exclusive lock).
// KEK rotation across server instances: the KEK records live in the store, which the barrier
// never reads itself. The opener gives it a KekSource; a data key wrapped under a KEK this
// process has not seen yet (another instance rotated) makes it read the source and adopt the
// new KEKs, so no instance needs a restart (docs/operations.md, "Key rotation").
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

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
  // Rotation as the server does it: a fresh KEK record of `version` to store first
  // (Keyring::seal_new_kek), adopted once it is durable.
  KekRecord new_kek_record(std::uint32_t version) const;
  // Learns the stored KEKs not known yet (the highest becomes current); returns how many.
  // kIntegrity when a record does not open under the master key. Const: it fills a cache of
  // the store's KEKs and changes the meaning of no stored byte.
  Result<std::size_t> adopt_keks(const std::vector<KekRecord>& records) const;
  using KekSource = std::function<Result<std::vector<KekRecord>>()>;
  // Set once by the opener, before concurrent use.
  void set_kek_source(KekSource source) { kek_source_ = std::move(source); }
  // Reads the KEK source (if any) and adopts what it holds; returns how many were new.
  Result<std::size_t> refresh_keks() const;
  std::vector<std::uint32_t> kek_versions() const;
  // Re-seals a DEK under the current KEK without touching what it encrypts.
  Result<WrappedKey> rewrap(const WrappedKey& wrapped, std::string_view owner) const;
  std::uint32_t current_kek_version() const;
  // The rotated audit signing key sealed under the master key, and its opening (Keyring).
  Bytes seal_signing_key(const crypto::SigningKey& key) const;
  Result<crypto::SigningKey> open_signing_key(const Bytes& sealed) const;

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
  bool knows_kek(std::uint32_t version) const;

  mutable std::shared_mutex mu_;  // guards the KEK set against rotate_kek and adopt_keks
  mutable Keyring keyring_;
  KekSource kek_source_;
  mutable std::mutex refresh_mu_;  // one source read at a time
  std::unique_ptr<RecordCache> record_cache_;
};

}  // namespace baomi::barrier
