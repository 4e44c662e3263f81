#include "crypto/hash.h"

#include <stdexcept>

#include "crypto/init.h"

namespace baomi::crypto {

Bytes hash32(BytesView data) {
  detail::ensure_init();
  Bytes out(kHashSize);
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

Bytes hash32(std::string_view data) { return hash32(bytes_of(data)); }

Bytes keyed_hash32(const SecretKey& key, BytesView data) {
  detail::ensure_init();
  Bytes out(kHashSize);
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), key.data(),
                     SecretKey::kSize);
  return out;
}

Bytes keyed_hash32(const SecretKey& key, std::string_view data) {
  return keyed_hash32(key, bytes_of(data));
}

Hasher::Hasher() {
  detail::ensure_init();
  crypto_generichash_init(&state_, nullptr, 0, kHashSize);
}

void Hasher::update(BytesView data) {
  if (finished_) throw std::logic_error("Hasher::update after finish");
  crypto_generichash_update(&state_, data.data(), data.size());
}

Bytes Hasher::finish() {
  if (finished_) throw std::logic_error("Hasher::finish called twice");
  finished_ = true;
  Bytes out(kHashSize);
  crypto_generichash_final(&state_, out.data(), out.size());
  return out;
}

}  // namespace baomi::crypto
