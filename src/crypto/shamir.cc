#include "crypto/shamir.h"

#include <sodium.h>

#include <array>
#include <cstring>
#include <memory>
#include <mutex>

extern "C" {
#include <libgfshare.h>
}

namespace baomi::crypto {
namespace {

// libgfshare draws its polynomial coefficients from this hook, and scrubs its buffers with it
// when a context is freed (it is null until set: every use of the library sets it first). Its
// own fallback is random(3), which is not a CSPRNG; libsodium's is used instead.
void fill_random(unsigned char* buffer, unsigned int size) { randombytes_buf(buffer, size); }

void use_sodium_randomness() {
  static std::once_flag once;
  std::call_once(once, [] { gfshare_fill_rand = fill_random; });
}

struct ContextFree {
  void operator()(gfshare_ctx* ctx) const { gfshare_ctx_free(ctx); }  // wipes its buffers
};
using Context = std::unique_ptr<gfshare_ctx, ContextFree>;

}  // namespace

Result<std::vector<KeyShare>> split_key(const SecretKey& key, int shares, int threshold) {
  if (threshold < 1 || shares < threshold || shares > kMaxKeyShares) {
    return Error::invalid("key_shares", "need 1 <= key threshold <= key shares <= 255 (got " +
                                            std::to_string(threshold) + " of " +
                                            std::to_string(shares) + ")");
  }
  use_sodium_randomness();
  std::array<unsigned char, kMaxKeyShares> indexes{};
  for (int i = 0; i < shares; ++i) indexes[i] = static_cast<unsigned char>(i + 1);
  Context ctx(gfshare_ctx_init_enc(indexes.data(), static_cast<unsigned>(shares),
                                   static_cast<unsigned char>(threshold), SecretKey::kSize));
  if (!ctx) return Error::internal("libgfshare could not set up the split");
  SecureBuffer secret(SecretKey::kSize);
  std::memcpy(secret.data(), key.data(), SecretKey::kSize);
  gfshare_ctx_enc_setsecret(ctx.get(), secret.data());
  std::vector<KeyShare> out(static_cast<std::size_t>(shares));
  for (int i = 0; i < shares; ++i) {
    out[i].index = indexes[i];
    gfshare_ctx_enc_getshare(ctx.get(), static_cast<unsigned char>(i), out[i].value.data());
  }
  return out;
}

Result<SecretKey> combine_key(const std::vector<const KeyShare*>& shares) {
  if (shares.empty() || shares.size() > kMaxKeyShares) {
    return Error::invalid("key_shares", "between 1 and 255 shares are needed");
  }
  use_sodium_randomness();
  std::array<unsigned char, kMaxKeyShares> indexes{};
  std::array<bool, 256> seen{};
  for (std::size_t i = 0; i < shares.size(); ++i) {
    const std::uint8_t x = shares[i]->index;
    if (x == 0 || seen[x]) return Error::invalid("key_shares", "share indexes must be distinct");
    seen[x] = true;
    indexes[i] = x;
  }
  Context ctx(
      gfshare_ctx_init_dec(indexes.data(), static_cast<unsigned>(shares.size()), SecretKey::kSize));
  if (!ctx) return Error::internal("libgfshare could not set up the combination");
  for (std::size_t i = 0; i < shares.size(); ++i) {
    // libgfshare takes a non-const pointer but only reads the share.
    gfshare_ctx_dec_giveshare(ctx.get(), static_cast<unsigned char>(i),
                              const_cast<std::uint8_t*>(shares[i]->value.data()));
  }
  SecureBuffer secret(SecretKey::kSize);
  gfshare_ctx_dec_extract(ctx.get(), secret.data());
  return SecretKey::from_bytes(BytesView(secret.data(), SecretKey::kSize));
}

}  // namespace baomi::crypto
