#include "crypto/encoding.h"

#include <sodium.h>

#include "crypto/init.h"

namespace baomi::crypto {

namespace {
constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}  // namespace

std::string base64url_encode(BytesView data) {
  detail::ensure_init();
  std::string out(sodium_base64_encoded_len(data.size(), kBase64Variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), kBase64Variant);
  out.resize(out.size() - 1);  // drop the terminating NUL libsodium writes
  return out;
}

std::optional<Bytes> base64url_decode(std::string_view text) {
  detail::ensure_init();
  Bytes out(text.size() * 3 / 4 + 1);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        kBase64Variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string base32_lower(BytesView data) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  out.reserve((data.size() * 8 + 4) / 5);
  unsigned buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

}  // namespace baomi::crypto
