#include "marking/pdf_hidden_mark.h"

#include <algorithm>
#include <optional>

#include "crypto/compare.h"
#include "crypto/hash.h"
#include "marking/pdf_qpdf.h"

namespace baomi::marking {
namespace {

constexpr std::string_view kHiddenMarkPrefix = "bmk:";
constexpr std::size_t kPayloadHex = 16;
constexpr std::size_t kTagHex = 12;

std::string hex_of(std::uint64_t value, std::size_t digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digits, '0');
  for (std::size_t i = digits; i-- > 0; value >>= 4) out[i] = kHex[value & 0xf];
  return out;
}

std::optional<std::uint64_t> parse_hex(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  return v;
}

std::uint64_t tag_of(std::uint64_t payload, const crypto::MacKey& key) {
  std::string message = "baomi.pdfmark.v1";
  for (int i = 7; i >= 0; --i) message += static_cast<char>((payload >> (8 * i)) & 0xff);
  const Bytes mac = key.keyed_hash32(message);
  std::uint64_t tag = 0;
  for (std::size_t i = 0; i < kTagHex / 2; ++i) tag = tag << 8 | mac[i];
  return tag;
}

}  // namespace

std::string pdf_mark_token(std::uint64_t payload, const crypto::MacKey& key) {
  return std::string(kHiddenMarkPrefix) + hex_of(payload, kPayloadHex) +
         hex_of(tag_of(payload, key), kTagHex);
}

Result<Bytes> add_hidden_mark(crypto::BytesView pdf, std::uint64_t payload,
                              const crypto::MacKey& key) {
  return pdf::write_hidden_token(pdf.data(), pdf.size(), pdf_mark_token(payload, key));
}

std::vector<std::uint64_t> find_pdf_marks(std::string_view text, const crypto::MacKey& key) {
  std::vector<std::uint64_t> out;
  const std::size_t len = kHiddenMarkPrefix.size() + kPayloadHex + kTagHex;
  for (std::size_t at = text.find(kHiddenMarkPrefix);
       at != std::string_view::npos && at + len <= text.size();
       at = text.find(kHiddenMarkPrefix, at + 1)) {
    const auto payload = parse_hex(text.substr(at + kHiddenMarkPrefix.size(), kPayloadHex));
    const auto tag = parse_hex(text.substr(at + kHiddenMarkPrefix.size() + kPayloadHex, kTagHex));
    if (!payload || !tag) continue;
    const auto expected = hex_of(tag_of(*payload, key), kTagHex);
    if (!crypto::constant_time_equal(
            std::string_view(expected),
            text.substr(at + kHiddenMarkPrefix.size() + kPayloadHex, kTagHex))) {
      continue;
    }
    if (std::find(out.begin(), out.end(), *payload) == out.end()) out.push_back(*payload);
  }
  return out;
}

}  // namespace baomi::marking
