// K current key shares from their holders, for offline commands that need the master key of an
// instance sealed by shares (`baomi operator rekey`, `baomi backup`): from files
// (--current-share-file, first line each) or standard input (one a line), each possibly
// encrypted to its holder (opened with the first --current-secret-key that opens it), then
// combined into the master key as the server's unseal does. Single-threaded.
#pragma once

#include <string>
#include <vector>

#include "barrier/key_share.h"
#include "core/result.h"
#include "crypto/secret_key.h"

namespace baomi::cmd {

struct ShareInput {
  std::vector<std::string> share_files;  // empty: read standard input
  std::vector<std::string> secret_keys;  // holders' X25519 secret key files
};

// kInvalidArgument naming the problem: too few, malformed, wrong or foreign shares, or an
// encrypted share no given secret key opens.
Result<crypto::SecretKey> master_from_shares(const ShareInput& input,
                                             const barrier::SealConfig& config);

}  // namespace baomi::cmd
