#include "cmd/seal_files.h"

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "crypto/aead.h"
#include "crypto/kdf.h"

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

Result<void> hand_out_shares(const barrier::Split& split, const std::vector<std::string>& files) {
  if (!files.empty()) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string& text = split.share_texts[i];
      BAOMI_TRY(write_private_file(files[i], Bytes(text.begin(), text.end())));
    }
    return {};
  }
  std::cout << "Key shares (shown once; give each to a different holder, " << split.config.threshold
            << " of " << split.config.shares << " unseal the server):\n";
  for (std::size_t i = 0; i < split.share_texts.size(); ++i) {
    std::cout << "  share " << (i + 1) << ": " << split.share_texts[i] << "\n";
  }
  return {};
}

}  // namespace baomi::cmd
