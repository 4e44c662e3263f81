// Keyring: the key hierarchy below the master key. The master key (32 bytes, from the key
// file) seals versioned key-encryption keys (KEKs); KEKs wrap per-record / per-version data
// keys (DEKs). Rotation adds a KEK version and rewraps DEKs without touching content. Purpose
// keys for blind indexes, audit hashes and token hashes are derived from the master key.
// Const methods may run concurrently; add_kek_version and adopt must not overlap any other call
// (Barrier serialises them).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "barrier/wrapped_key.h"
#include "core/result.h"
#include "crypto/mac_key.h"
#include "crypto/secret_key.h"
#include "crypto/sign.h"

namespace baomi::barrier {

// The meta entry holding the sealed purpose root (Keyring::new_purpose_root).
inline constexpr const char* kPurposeRootMeta = "purpose_root";

struct KekRecord {
  std::uint32_t version = 0;
  Bytes sealed;  // the KEK sealed under the master key; AD binds "baomi-kek" and the version
};

class Keyring {
 public:
  // A fresh KEK sealed under `master`; `version` must be >= 1. Used when creating an instance.
  static KekRecord new_kek(const crypto::SecretKey& master, std::uint32_t version);
  // The root the purpose keys derive from, sealed under the master key (meta kPurposeRootMeta):
  // a fresh random root for a new instance. Rotating the master key reseals the root, so the
  // purpose keys, and every row MAC, blind index and token hash made with them, stay as they are.
  static Bytes new_purpose_root(const crypto::SecretKey& master);
  // kInvalidArgument if `keks` is empty; kIntegrity if any record (or the sealed purpose root)
  // fails to open under `master` (a wrong master key) or the records are inconsistent
  // (duplicate or zero versions). Without `sealed_purpose_root` (an instance from before the
  // root was stored) the purpose keys derive from the master key itself, as they always did:
  // that key is then the root, and seal_purpose_root() stores it without changing anything.
  static Result<Keyring> open(crypto::SecretKey master, const std::vector<KekRecord>& keks,
                              const std::optional<Bytes>& sealed_purpose_root = std::nullopt);
  // This ring's purpose root sealed under its master key, for the meta table.
  Bytes seal_purpose_root() const;

  // Master key rotation (docs/operations.md, "Rotating the master key"): what this ring seals
  // under its master key, sealed under `next` instead. Nothing is generated: every KEK keeps its
  // version and bytes (no data key is rewrapped) and the purpose root stays the same root (every
  // purpose key, row MAC, blind index and token hash stays as it is).
  std::vector<KekRecord> keks_sealed_under(const crypto::SecretKey& next) const;
  Bytes purpose_root_sealed_under(const crypto::SecretKey& next) const;
  // A signing key sealed by seal_signing_key, sealed under `next`; kIntegrity as
  // open_signing_key.
  Result<Bytes> reseal_signing_key(const Bytes& sealed, const crypto::SecretKey& next) const;

  std::uint32_t current_kek_version() const { return current_; }
  // Rotation: makes a new KEK version current and returns its record for the caller to persist.
  Result<KekRecord> add_kek_version();
  // A fresh KEK of `version` sealed under this ring's master key, not yet known to the ring:
  // the caller stores it first and adopts it once stored (so no data key is ever wrapped under
  // a KEK that a crash could lose). `version` must be >= 1.
  KekRecord seal_new_kek(std::uint32_t version) const;
  // Learns a stored KEK (another server instance's rotation, or seal_new_kek's once stored);
  // the highest known version becomes current. False when the version was known already;
  // kIntegrity when the record does not open under the master key.
  Result<bool> adopt(const KekRecord& record);
  bool knows(std::uint32_t version) const { return keks_.contains(version); }
  std::vector<std::uint32_t> versions() const;

  // Wraps `dek` under the current KEK; the AD binds `owner` (e.g. "doc:<id>") so the wrapped
  // key only opens for the record it belongs to.
  WrappedKey wrap(const crypto::SecretKey& dek, std::string_view owner) const;
  // kIntegrity for an unknown KEK version, a different owner or any modified byte.
  Result<crypto::SecretKey> unwrap(const WrappedKey& wrapped, std::string_view owner) const;
  // Opens `wrapped` and wraps the same DEK under the current KEK.
  Result<WrappedKey> rewrap(const WrappedKey& wrapped, std::string_view owner) const;

  // The audit signing key after a rotation (audit/key_transition.h) is stored sealed under the
  // master key, so every instance on the database signs with it and a stolen database alone
  // does not give it. The AD binds the purpose: a sealed KEK never opens as a signing key.
  Bytes seal_signing_key(const crypto::SigningKey& key) const;
  // kIntegrity when `sealed` was altered or sealed under another master key.
  Result<crypto::SigningKey> open_signing_key(const Bytes& sealed) const;

  const crypto::SecretKey& blind_index_key() const { return blind_index_key_; }
  const crypto::SecretKey& audit_hash_key() const { return audit_hash_key_; }
  const crypto::SecretKey& token_hash_key() const { return token_hash_key_; }
  const crypto::SecretKey& row_mac_key() const { return row_mac_key_; }
  // Keys of the invisible text fingerprints (marking/fingerprint.h): one for copies, one for
  // views, so that a decoded payload says which of the two it names.
  const crypto::MacKey& copy_fingerprint_key() const { return copy_fingerprint_key_; }
  const crypto::MacKey& view_fingerprint_key() const { return view_fingerprint_key_; }

 private:
  Keyring(crypto::SecretKey master, std::map<std::uint32_t, crypto::SecretKey> keks,
          crypto::SecretKey purpose_root);

  crypto::SecretKey master_;
  std::map<std::uint32_t, crypto::SecretKey> keks_;
  std::uint32_t current_ = 0;
  crypto::SecretKey purpose_root_;  // declared before the keys derived from it
  crypto::SecretKey blind_index_key_;
  crypto::SecretKey audit_hash_key_;
  crypto::SecretKey token_hash_key_;
  crypto::SecretKey row_mac_key_;
  crypto::MacKey copy_fingerprint_key_;
  crypto::MacKey view_fingerprint_key_;
};

}  // namespace baomi::barrier
