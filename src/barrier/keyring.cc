#include "barrier/keyring.h"

#include <limits>
#include <stdexcept>
#include <utility>

#include "crypto/aead.h"
#include "crypto/kdf.h"
#include "crypto/secure_buffer.h"

namespace baomi::barrier {

namespace {

using crypto::SecretKey;

// Purpose-key derivation: distinct ids and contexts keep the three keys unrelated.
constexpr std::uint64_t kBlindIndexSubkey = 1;
constexpr std::uint64_t kAuditHashSubkey = 2;
constexpr std::uint64_t kTokenHashSubkey = 3;
constexpr std::uint64_t kRowMacSubkey = 4;
constexpr std::uint64_t kCopyFingerprintSubkey = 5;
constexpr std::uint64_t kViewFingerprintSubkey = 6;

Bytes kek_ad(std::uint32_t version) {
  Bytes ad;
  append_field(ad, "baomi-kek");
  append_u64(ad, version);
  return ad;
}

Bytes dek_ad(std::string_view owner, std::uint32_t kek_version) {
  Bytes ad;
  append_field(ad, "baomi-dek");
  append_field(ad, owner);
  append_u64(ad, kek_version);
  return ad;
}

KekRecord seal_kek(const SecretKey& master, std::uint32_t version, const SecretKey& kek) {
  return {version, crypto::aead_seal(master, kek.view(), kek_ad(version))};
}

// Turns opened key bytes into a SecretKey and wipes the temporary copy.
Result<SecretKey> to_key(Bytes&& raw) {
  auto key = SecretKey::from_bytes(raw);
  crypto::wipe(raw);
  if (!key.ok()) return Error::integrity("sealed key has the wrong size");
  return std::move(key).value();
}

}  // namespace

KekRecord Keyring::new_kek(const SecretKey& master, std::uint32_t version) {
  if (version == 0) throw std::invalid_argument("KEK versions start at 1");
  return seal_kek(master, version, SecretKey::generate());
}

namespace {
constexpr std::string_view kPurposeRootAd = "baomi-purpose-root";
}  // namespace

Bytes Keyring::new_purpose_root(const SecretKey& master) {
  const SecretKey root = SecretKey::generate();
  return crypto::aead_seal(master, root.view(), crypto::bytes_of(kPurposeRootAd));
}

Bytes Keyring::seal_purpose_root() const { return purpose_root_sealed_under(master_); }

Bytes Keyring::purpose_root_sealed_under(const SecretKey& next) const {
  return crypto::aead_seal(next, purpose_root_.view(), crypto::bytes_of(kPurposeRootAd));
}

std::vector<KekRecord> Keyring::keks_sealed_under(const SecretKey& next) const {
  std::vector<KekRecord> out;
  out.reserve(keks_.size());
  for (const auto& [version, kek] : keks_) out.push_back(seal_kek(next, version, kek));
  return out;
}

Result<Keyring> Keyring::open(SecretKey master, const std::vector<KekRecord>& keks,
                              const std::optional<Bytes>& sealed_purpose_root) {
  if (keks.empty()) return Error::invalid("keks", "no key-encryption keys to open");
  std::map<std::uint32_t, SecretKey> opened;
  for (const KekRecord& record : keks) {
    if (record.version == 0 || opened.contains(record.version)) {
      return Error::integrity("KEK records are inconsistent");
    }
    auto raw = crypto::aead_open(master, record.sealed, kek_ad(record.version));
    if (!raw.ok()) return Error::integrity("master key does not match this instance");
    BAOMI_ASSIGN_OR_RETURN(SecretKey kek, to_key(std::move(raw).value()));
    opened.emplace(record.version, std::move(kek));
  }
  if (!sealed_purpose_root) {
    SecretKey root = master.clone();
    return Keyring(std::move(master), std::move(opened), std::move(root));
  }
  auto raw = crypto::aead_open(master, *sealed_purpose_root, crypto::bytes_of(kPurposeRootAd));
  if (!raw.ok())
    return Error::integrity("the stored purpose root does not open under the master key");
  BAOMI_ASSIGN_OR_RETURN(SecretKey root, to_key(std::move(raw).value()));
  return Keyring(std::move(master), std::move(opened), std::move(root));
}

Keyring::Keyring(SecretKey master, std::map<std::uint32_t, SecretKey> keks, SecretKey purpose_root)
    : master_(std::move(master)),
      keks_(std::move(keks)),
      current_(keks_.rbegin()->first),
      purpose_root_(std::move(purpose_root)),
      blind_index_key_(crypto::derive_key(purpose_root_, kBlindIndexSubkey, "baomi-bi")),
      audit_hash_key_(crypto::derive_key(purpose_root_, kAuditHashSubkey, "baomi-au")),
      token_hash_key_(crypto::derive_key(purpose_root_, kTokenHashSubkey, "baomi-tk")),
      row_mac_key_(crypto::derive_key(purpose_root_, kRowMacSubkey, "baomi-rm")),
      copy_fingerprint_key_(crypto::derive_key(purpose_root_, kCopyFingerprintSubkey, "baomi-fc")),
      view_fingerprint_key_(crypto::derive_key(purpose_root_, kViewFingerprintSubkey, "baomi-fv")) {
}

Result<KekRecord> Keyring::add_kek_version() {
  if (current_ == std::numeric_limits<std::uint32_t>::max()) {
    return Error::conflict("kek_versions_exhausted", "no further KEK version is available");
  }
  const std::uint32_t version = current_ + 1;
  SecretKey kek = SecretKey::generate();
  KekRecord record = seal_kek(master_, version, kek);
  keks_.emplace(version, std::move(kek));
  current_ = version;
  return record;
}

namespace {
constexpr std::string_view kSigningKeyAd = "baomi-audit-signing-key-v1";
}  // namespace

namespace {
Bytes seal_signing_seed(const SecretKey& master, const crypto::SigningKey& key) {
  Bytes seed = key.seed();
  Bytes sealed = crypto::aead_seal(master, seed, crypto::bytes_of(kSigningKeyAd));
  crypto::wipe(seed);
  return sealed;
}
}  // namespace

Bytes Keyring::seal_signing_key(const crypto::SigningKey& key) const {
  return seal_signing_seed(master_, key);
}

Result<Bytes> Keyring::reseal_signing_key(const Bytes& sealed, const SecretKey& next) const {
  BAOMI_ASSIGN_OR_RETURN(auto key, open_signing_key(sealed));
  return seal_signing_seed(next, key);
}

Result<crypto::SigningKey> Keyring::open_signing_key(const Bytes& sealed) const {
  auto seed = crypto::aead_open(master_, sealed, crypto::bytes_of(kSigningKeyAd));
  if (!seed.ok()) {
    return Error::integrity("the stored audit signing key does not open under the master key");
  }
  auto key = crypto::SigningKey::from_seed(*seed);
  crypto::wipe(*seed);
  return key;
}

KekRecord Keyring::seal_new_kek(std::uint32_t version) const { return new_kek(master_, version); }

Result<bool> Keyring::adopt(const KekRecord& record) {
  if (record.version == 0) return Error::integrity("KEK records are inconsistent");
  if (keks_.contains(record.version)) return false;
  auto raw = crypto::aead_open(master_, record.sealed, kek_ad(record.version));
  if (!raw.ok()) return Error::integrity("a stored KEK does not open under the master key");
  BAOMI_ASSIGN_OR_RETURN(SecretKey kek, to_key(std::move(raw).value()));
  keks_.emplace(record.version, std::move(kek));
  current_ = keks_.rbegin()->first;
  return true;
}

std::vector<std::uint32_t> Keyring::versions() const {
  std::vector<std::uint32_t> out;
  for (const auto& [version, kek] : keks_) out.push_back(version);
  return out;
}

WrappedKey Keyring::wrap(const SecretKey& dek, std::string_view owner) const {
  const SecretKey& kek = keks_.at(current_);
  return {current_, crypto::aead_seal(kek, dek.view(), dek_ad(owner, current_))};
}

Result<SecretKey> Keyring::unwrap(const WrappedKey& wrapped, std::string_view owner) const {
  auto kek = keks_.find(wrapped.kek_version);
  if (kek == keks_.end()) return Error::integrity("data key names an unknown key version");
  auto raw = crypto::aead_open(kek->second, wrapped.sealed, dek_ad(owner, wrapped.kek_version));
  if (!raw.ok()) return Error::integrity("data key failed authentication");
  return to_key(std::move(raw).value());
}

Result<WrappedKey> Keyring::rewrap(const WrappedKey& wrapped, std::string_view owner) const {
  BAOMI_ASSIGN_OR_RETURN(SecretKey dek, unwrap(wrapped, owner));
  return wrap(dek, owner);
}

}  // namespace baomi::barrier
