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

Result<crypto::SecretKey> Barrier::unwrap(const WrappedKey& wrapped, std::string_view owner) const {
  std::shared_lock lock(mu_);
  return keyring_.unwrap(wrapped, owner);
}

Result<KekRecord> Barrier::rotate_kek() {
  std::unique_lock lock(mu_);
  record_cache_->clear();
  return keyring_.add_kek_version();
}

Result<WrappedKey> Barrier::rewrap(const WrappedKey& wrapped, std::string_view owner) const {
  std::shared_lock lock(mu_);
  return keyring_.rewrap(wrapped, owner);
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
