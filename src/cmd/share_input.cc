#include "cmd/share_input.h"

#include <iostream>

#include "barrier/unseal_progress.h"
#include "cmd/instance.h"
#include "cmd/seal_files.h"

namespace baomi::cmd {
namespace {

Result<std::vector<std::string>> given_shares(const ShareInput& in, int threshold) {
  std::vector<std::string> out;
  for (const auto& file : in.share_files) {
    BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(file, 4096));
    out.push_back(to_string(bytes));
    crypto::wipe(bytes);
  }
  if (!out.empty()) return out;
  std::cerr << "Give " << threshold << " current key shares, one a line:\n";
  std::string line;
  while (static_cast<int>(out.size()) < threshold && std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    out.push_back(line);
  }
  return out;
}

// A share given encrypted to its holder is opened with the first of the holders' secret keys
// that opens it.
Result<std::string> opened_share(const ShareInput& in, std::string text) {
  if (!barrier::is_encrypted_share(text)) return text;
  for (const auto& file : in.secret_keys) {
    BAOMI_ASSIGN_OR_RETURN(auto secret, read_box_secret_key(file));
    auto opened = barrier::decrypt_share(text, secret);
    crypto::wipe(secret);
    if (opened.ok()) {
      std::fill(text.begin(), text.end(), '\0');
      return opened;
    }
  }
  return Error::invalid("wrong_secret_key",
                        "a current share is encrypted to a holder's key and no "
                        "--current-secret-key opens it");
}

}  // namespace

Result<crypto::SecretKey> master_from_shares(const ShareInput& in,
                                             const barrier::SealConfig& config) {
  BAOMI_ASSIGN_OR_RETURN(auto given, given_shares(in, config.threshold));
  barrier::UnsealProgress progress(config);
  for (auto& text : given) {
    BAOMI_ASSIGN_OR_RETURN(auto share, opened_share(in, std::move(text)));
    auto accepted = progress.give(share, "local", now_utc());
    std::fill(share.begin(), share.end(), '\0');
    if (!accepted.ok()) return accepted.take_error();
    if (accepted->has_value()) return std::move(**accepted);
  }
  return Error::invalid("key_shares", std::to_string(config.threshold) +
                                          " current key shares are needed, " +
                                          std::to_string(progress.progress()) + " were given");
}

}  // namespace baomi::cmd
