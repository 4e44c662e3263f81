#include "barrier/barrier.h"

#include <mutex>
#include <utility>

#include "barrier/record_cache.h"
#include "crypto/aead.h"
#include "crypto/compare.h"
#include "crypto/hash.h"
#include "crypto/secure_buffer.h"

namespace baomi::barrier {

namespace {

Bytes field_ad(std::string_view record_id, std::string_view field_name) {
  Bytes ad;
  append_field(ad, "baomi-field");
  append_field(ad, record_id);
  append_field(ad, field_name);
  return ad;
}

}  // namespace

Barrier::Barrier(Keyring keyring)
    : keyring_(std::move(keyring)), record_cache_(std::make_unique<RecordCache>()) {}

Barrier::~Barrier() = default;

DataKey Barrier::new_data_key(std::string_view owner) const {
  crypto::SecretKey key = crypto::SecretKey::generate();
  std::shared_lock lock(mu_);
  WrappedKey wrapped = keyring_.wrap(key, owner);
  return {std::move(key), std::move(wrapped)};
}

bool Barrier::knows_kek(std::uint32_t version) const {
  std::shared_lock lock(mu_);
  return keyring_.knows(version);
}

Result<crypto::SecretKey> Barrier::unwrap(const WrappedKey& wrapped, std::string_view owner) const {
  // A KEK another instance created after this one opened the store: learn it, then open.
  if (kek_source_ && !knows_kek(wrapped.kek_version)) (void)refresh_keks();
  std::shared_lock lock(mu_);
  return keyring_.unwrap(wrapped, owner);
}

Bytes Barrier::seal_signing_key(const crypto::SigningKey& key) const {
  std::shared_lock lock(mu_);
  return keyring_.seal_signing_key(key);
}

Result<crypto::SigningKey> Barrier::open_signing_key(const Bytes& sealed) const {
  std::shared_lock lock(mu_);
  return keyring_.open_signing_key(sealed);
}

KekRecord Barrier::new_kek_record(std::uint32_t version) const {
  std::shared_lock lock(mu_);
  return keyring_.seal_new_kek(version);
}

Result<std::size_t> Barrier::adopt_keks(const std::vector<KekRecord>& records) const {
  std::size_t adopted = 0;
  for (const auto& record : records) {
    if (knows_kek(record.version)) continue;
    std::unique_lock lock(mu_);
    BAOMI_ASSIGN_OR_RETURN(const bool fresh, keyring_.adopt(record));
    if (fresh) ++adopted;
  }
  return adopted;
}

Result<std::size_t> Barrier::refresh_keks() const {
  if (!kek_source_) return std::size_t{0};
  std::lock_guard refreshing(refresh_mu_);
  BAOMI_ASSIGN_OR_RETURN(auto records, kek_source_());
  return adopt_keks(records);
}

std::vector<std::uint32_t> Barrier::kek_versions() const {
  std::shared_lock lock(mu_);
  return keyring_.versions();
}

Result<KekRecord> Barrier::rotate_kek() {
  std::unique_lock lock(mu_);
  record_cache_->clear();
  return keyring_.add_kek_version();
}

Result<WrappedKey> Barrier::rewrap(const WrappedKey& wrapped, std::string_view owner) const {
  BAOMI_ASSIGN_OR_RETURN(auto dek, unwrap(wrapped, owner));
  std::shared_lock lock(mu_);
  return keyring_.wrap(dek, owner);
}

std::uint32_t Barrier::current_kek_version() const {
  std::shared_lock lock(mu_);
  return keyring_.current_kek_version();
}

Sealed Barrier::seal_field(const crypto::SecretKey& dek, std::string_view record_id,
                           std::string_view field_name, std::string_view plaintext) const {
  return Sealed(
      crypto::aead_seal(dek, crypto::bytes_of(plaintext), field_ad(record_id, field_name)));
}

Result<std::string> Barrier::open_field(const crypto::SecretKey& dek, std::string_view record_id,
                                        std::string_view field_name, const Sealed& sealed) const {
  auto opened = crypto::aead_open(dek, sealed.bytes(), field_ad(record_id, field_name));
  if (!opened.ok()) return Error::integrity("encrypted field failed authentication");
  Bytes& raw = opened.value();
  std::string text(raw.begin(), raw.end());
  crypto::wipe(raw);
  return text;
}

// The purpose keys are derived once at construction and never change (rotation replaces KEKs
// only), so reading them needs no lock.
std::string Barrier::blind_index(std::string_view kind, std::string_view normalised_value) const {
  Bytes input;
  append_field(input, kind);  // binds the kind: equal values of different kinds never match
  append_field(input, normalised_value);
  const std::string hex = to_hex(crypto::keyed_hash32(keyring_.blind_index_key(), input));
  crypto::wipe(input);
  return hex;
}

std::string Barrier::audit_hash(std::string_view value) const {
  return to_hex(crypto::keyed_hash32(keyring_.audit_hash_key(), value));
}

std::string Barrier::token_hash(std::string_view token) const {
  return to_hex(crypto::keyed_hash32(keyring_.token_hash_key(), token));
}

std::string Barrier::row_mac(const Bytes& fields) const {
  return to_hex(crypto::keyed_hash32(keyring_.row_mac_key(), fields));
}

Result<void> Barrier::check_row_mac(const Bytes& fields, std::string_view mac) const {
  if (!crypto::constant_time_equal(std::string_view(row_mac(fields)), mac)) {
    return Error::integrity("stored record failed its integrity check");
  }
  return {};
}

}  // namespace baomi::barrier
