#include "barrier/key_share.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "crypto/compare.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/sealed_box.h"
#include "crypto/secure_buffer.h"

namespace baomi::barrier {

using crypto::BytesView;
namespace {

constexpr std::string_view kPrefix = "baomi-share-";
constexpr std::size_t kCheckSize = 4;
constexpr std::size_t kBodySize = 1 + kSealIdSize + 1 + 1 + crypto::SecretKey::kSize;
constexpr std::size_t kPayloadSize = kBodySize + kCheckSize;

Bytes check_of(const Bytes& body) {
  crypto::Hasher h;
  h.update(std::string_view("baomi-share-check"));
  h.update(BytesView(body.data(), kBodySize));
  Bytes digest = h.finish();
  digest.resize(kCheckSize);
  return digest;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

Error malformed(std::string why) { return Error::invalid("malformed_share", std::move(why)); }

}  // namespace

Bytes share_digest(const SealId& seal_id, const crypto::KeyShare& share) {
  crypto::Hasher h;
  h.update(std::string_view("baomi-share-digest"));
  h.update(BytesView(seal_id.data(), seal_id.size()));
  h.update(BytesView(&share.index, 1));
  h.update(BytesView(share.value.data(), share.value.size()));
  return h.finish();
}

Result<Split> split_master_key(const crypto::SecretKey& master, int shares, int threshold) {
  BAOMI_ASSIGN_OR_RETURN(auto parts, crypto::split_key(master, shares, threshold));
  Split out;
  const Bytes id = crypto::random_bytes(kSealIdSize);
  std::copy(id.begin(), id.end(), out.config.seal_id.begin());
  out.config.shares = shares;
  out.config.threshold = threshold;
  for (const auto& part : parts) {
    out.config.share_digests.push_back(share_digest(out.config.seal_id, part));
    out.share_texts.push_back(share_text(out.config.seal_id, threshold, part));
  }
  return out;
}

std::string share_text(const SealId& seal_id, int threshold, const crypto::KeyShare& share) {
  Bytes body;
  body.reserve(kPayloadSize);
  body.push_back(kShareFormatVersion);
  body.insert(body.end(), seal_id.begin(), seal_id.end());
  body.push_back(static_cast<std::uint8_t>(threshold));
  body.push_back(share.index);
  body.insert(body.end(), share.value.data(), share.value.data() + share.value.size());
  const Bytes check = check_of(body);
  body.insert(body.end(), check.begin(), check.end());
  std::string text = std::string(kPrefix) + to_hex(body);
  crypto::wipe(body);
  return text;
}

Result<ParsedShare> parse_share(std::string_view text) {
  text = trimmed(text);
  if (text.substr(0, kPrefix.size()) != kPrefix) {
    return malformed("the share is not a Baomi key share (it starts with baomi-share-)");
  }
  auto payload = from_hex(text.substr(kPrefix.size()));
  if (!payload || payload->empty()) {
    return malformed("the share is not a Baomi key share (hexadecimal after baomi-share-)");
  }
  if ((*payload)[0] != kShareFormatVersion) {
    crypto::wipe(*payload);
    return malformed("the share's format version is not supported");
  }
  if (payload->size() != kPayloadSize) {
    crypto::wipe(*payload);
    return Error::invalid("corrupt_share",
                          "the share has the wrong length: it was mistyped or cut short");
  }
  const Bytes check = check_of(*payload);
  if (!crypto::constant_time_equal(BytesView(check),
                                   BytesView(payload->data() + kBodySize, kCheckSize))) {
    crypto::wipe(*payload);
    return Error::invalid("corrupt_share",
                          "the share's check value does not match: it was mistyped or damaged");
  }
  ParsedShare out;
  std::copy_n(payload->begin() + 1, kSealIdSize, out.seal_id.begin());
  out.threshold = (*payload)[1 + kSealIdSize];
  out.share.index = (*payload)[2 + kSealIdSize];
  std::memcpy(out.share.value.data(), payload->data() + 3 + kSealIdSize, out.share.value.size());
  crypto::wipe(*payload);
  return out;
}

Result<void> check_share(const SealConfig& config, const ParsedShare& share) {
  if (share.seal_id != config.seal_id) {
    return Error::invalid("foreign_share",
                          "the share does not belong to this instance's current master key: it "
                          "is another instance's, or of a set of shares that was replaced "
                          "(baomi operator rekey, baomi keys rotate-master)");
  }
  const int index = share.share.index;
  const bool known = index >= 1 && index <= static_cast<int>(config.share_digests.size()) &&
                     share.threshold == config.threshold;
  if (!known || !crypto::constant_time_equal(
                    BytesView(share_digest(share.seal_id, share.share)),
                    BytesView(config.share_digests[static_cast<std::size_t>(index - 1)]))) {
    return Error::invalid("wrong_share", "the share is not one of this instance's shares");
  }
  return {};
}

Result<std::string> encrypt_share(std::string_view share_text, crypto::BytesView public_key) {
  BAOMI_ASSIGN_OR_RETURN(auto sealed, crypto::seal_to(public_key, crypto::bytes_of(share_text)));
  return std::string(kSealedSharePrefix) + to_hex(sealed);
}

bool is_encrypted_share(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text.substr(first).starts_with(kSealedSharePrefix);
}

Result<std::string> decrypt_share(std::string_view text, crypto::BytesView secret_key) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return Error::invalid("malformed_share", "the share is empty");
  text = text.substr(first, last - first + 1);
  if (!text.starts_with(kSealedSharePrefix)) {
    return Error::invalid("malformed_share", "not a key share encrypted to a holder's key");
  }
  auto sealed = from_hex(text.substr(kSealedSharePrefix.size()));
  if (!sealed) return Error::invalid("malformed_share", "the encrypted key share is not hex");
  BAOMI_ASSIGN_OR_RETURN(auto public_key, crypto::box_public_key_of(secret_key));
  auto opened = crypto::open_sealed(public_key, secret_key, *sealed);
  if (!opened.ok()) {
    return Error::invalid("wrong_secret_key",
                          "the key share was not encrypted to this secret key, or was altered");
  }
  return std::string(opened->data(), opened->data() + opened->size());
}

}  // namespace baomi::barrier
