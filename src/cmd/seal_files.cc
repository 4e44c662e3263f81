#include "cmd/seal_files.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <iostream>

#include "crypto/aead.h"
#include "crypto/kdf.h"
#include "crypto/sealed_box.h"

namespace baomi::cmd {
namespace {

namespace json = boost::json;

constexpr int kSealConfigVersion = 1;
constexpr std::uint64_t kSigningSealSubkey = 1;
constexpr std::string_view kSigningSealAd = "baomi-audit-signing-key";

Error bad_config(const std::filesystem::path& file, const std::string& why) {
  return Error::invalid("seal_config", file.string() + ": " + why);
}

}  // namespace

Result<barrier::SealConfig> read_seal_config(const std::filesystem::path& file) {
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(file, 64 * 1024));
  boost::system::error_code ec;
  auto value = json::parse(to_string(bytes), ec);
  if (ec || !value.is_object()) return bad_config(file, "not a JSON object");
  const auto& o = value.as_object();
  const auto* version = o.if_contains("version");
  const auto* id = o.if_contains("seal_id");
  const auto* shares = o.if_contains("shares");
  const auto* threshold = o.if_contains("threshold");
  const auto* digests = o.if_contains("share_digests");
  if (!version || !version->is_int64() || version->as_int64() != kSealConfigVersion) {
    return bad_config(file, "unknown version");
  }
  if (!id || !id->is_string() || !shares || !shares->is_int64() || !threshold ||
      !threshold->is_int64() || !digests || !digests->is_array()) {
    return bad_config(file, "seal_id, shares, threshold and share_digests are required");
  }
  barrier::SealConfig config;
  auto seal_id = from_hex(std::string_view(id->as_string()));
  if (!seal_id || seal_id->size() != barrier::kSealIdSize) return bad_config(file, "bad seal_id");
  std::copy(seal_id->begin(), seal_id->end(), config.seal_id.begin());
  config.shares = static_cast<int>(shares->as_int64());
  config.threshold = static_cast<int>(threshold->as_int64());
  for (const auto& d : digests->as_array()) {
    auto digest = d.is_string() ? from_hex(std::string_view(d.as_string())) : std::nullopt;
    if (!digest || digest->size() != 32) return bad_config(file, "bad share digest");
    config.share_digests.push_back(std::move(*digest));
  }
  if (config.threshold < 1 || config.threshold > config.shares ||
      static_cast<int>(config.share_digests.size()) != config.shares) {
    return bad_config(file, "inconsistent shares, threshold and digests");
  }
  return config;
}

Result<void> write_seal_config(const std::filesystem::path& file,
                               const barrier::SealConfig& config) {
  json::array digests;
  for (const auto& d : config.share_digests) digests.emplace_back(to_hex(d));
  json::object o{{"version", kSealConfigVersion},
                 {"seal_id", to_hex(config.seal_id.data(), config.seal_id.size())},
                 {"shares", config.shares},
                 {"threshold", config.threshold},
                 {"share_digests", std::move(digests)}};
  const auto next = std::filesystem::path(file.string() + ".new");
  std::error_code ec;
  std::filesystem::remove(next, ec);
  BAOMI_TRY(write_public_file(next, json::serialize(o) + "\n"));
  std::filesystem::rename(next, file, ec);
  if (ec) return Error::invalid("write_failed", "cannot replace " + file.string());
  return {};
}

Result<void> write_sealed_signing_key(const std::filesystem::path& file,
                                      const crypto::SecretKey& master,
                                      const crypto::SigningKey& signing) {
  const auto key = crypto::derive_key(master, kSigningSealSubkey, "baomi-sk");
  Bytes seed = signing.seed();
  Bytes sealed = crypto::aead_seal(key, seed, crypto::bytes_of(kSigningSealAd));
  crypto::wipe(seed);
  return write_private_file(file, sealed);
}

Result<crypto::SigningKey> read_sealed_signing_key(const std::filesystem::path& file,
                                                   const crypto::SecretKey& master) {
  BAOMI_TRY(check_private_key_file(file));
  BAOMI_ASSIGN_OR_RETURN(auto sealed, read_file(file, 256));
  const auto key = crypto::derive_key(master, kSigningSealSubkey, "baomi-sk");
  auto seed = crypto::aead_open(key, sealed, crypto::bytes_of(kSigningSealAd));
  if (!seed.ok()) {
    return Error::invalid("signing_key_mismatch", "the sealed audit signing key in " +
                                                      file.string() +
                                                      " does not open under this master key");
  }
  auto signing = crypto::SigningKey::from_seed(*seed);
  crypto::wipe(*seed);
  return signing;
}

Result<void> write_box_keypair(const std::filesystem::path& secret_file,
                               const std::filesystem::path& public_file) {
  if (std::filesystem::exists(public_file)) {
    return Error::conflict("exists", public_file.string() + " already exists (never overwritten)");
  }
  const auto pair = crypto::box_keypair();
  std::string secret_hex = to_hex(pair.secret_key.data(), pair.secret_key.size()) + "\n";
  Bytes secret_text(secret_hex.begin(), secret_hex.end());
  std::fill(secret_hex.begin(), secret_hex.end(), '\0');
  auto written = write_private_file(secret_file, secret_text);
  crypto::wipe(secret_text);
  BAOMI_TRY(written);
  return write_public_file(public_file, to_hex(pair.public_key) + "\n");
}

Result<Bytes> read_box_secret_key(const std::filesystem::path& file) {
  BAOMI_TRY(check_private_key_file(file));
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(file, 256));
  std::string text = to_string(bytes);
  crypto::wipe(bytes);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  auto key = from_hex(text);
  std::fill(text.begin(), text.end(), '\0');
  if (!key || key->size() != crypto::kBoxSecretKeySize) {
    if (key) crypto::wipe(*key);
    return Error::invalid("secret_key", file.string() +
                                            " is not a holder's secret key (as `baomi operator "
                                            "share-keypair` writes it)");
  }
  return *key;
}

Result<std::vector<Bytes>> read_holder_keys(const std::vector<std::string>& files, int shares) {
  if (files.empty()) return std::vector<Bytes>();
  if (static_cast<int>(files.size()) != shares) {
    return Error::invalid("share_public_key", "give one --share-public-key per share (" +
                                                  std::to_string(shares) + "), or none");
  }
  std::vector<Bytes> keys;
  for (const auto& f : files) {
    auto key = read_public_key_file(f);
    if (!key.ok()) {
      return Error::invalid("share_public_key",
                            f + " is not a holder's public key (hex of 32 bytes, as `baomi "
                                "operator share-keypair` writes it)");
    }
    keys.push_back(std::move(key).value());
  }
  return keys;
}

Result<void> hand_out_shares(const barrier::Split& split, const std::vector<std::string>& files,
                             const std::vector<Bytes>& holder_keys) {
  std::vector<std::string> texts;
  // The copies of the shares made here are wiped however this returns.
  struct WipeTexts {
    std::vector<std::string>& texts;
    ~WipeTexts() {
      for (auto& t : texts) std::fill(t.begin(), t.end(), '\0');
    }
  } wipe_texts{texts};
  for (std::size_t i = 0; i < split.share_texts.size(); ++i) {
    if (holder_keys.empty()) {
      texts.push_back(split.share_texts[i]);
    } else {
      BAOMI_ASSIGN_OR_RETURN(auto sealed,
                             barrier::encrypt_share(split.share_texts[i], holder_keys[i]));
      texts.push_back(std::move(sealed));
    }
  }
  if (!files.empty()) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      BAOMI_TRY(write_private_file(files[i], Bytes(texts[i].begin(), texts[i].end())));
    }
    return {};
  }
  std::cout << "Key shares (shown once; give each to a different holder, " << split.config.threshold
            << " of " << split.config.shares << " unseal the server"
            << (holder_keys.empty() ? "" : "; each encrypted to its holder's public key") << "):\n";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::cout << "  share " << (i + 1) << ": " << texts[i] << "\n";
  }
  return {};
}

}  // namespace baomi::cmd
