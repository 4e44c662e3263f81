// The key files of an instance sealed by key shares (`baomi init --key-shares N
// --key-threshold K`): no master key on disk, only
//   KEYDIR/seal.json                  the split's SealConfig (seal id, N, K, share digests;
//                                     no secret), replaced whole by `baomi operator rekey`
//   KEYDIR/audit-signing.key.sealed   the audit signing seed sealed under a key derived from
//                                     the master key, so a stolen disk cannot sign checkpoints
// and the share files `init` wrote for their holders (0600, wherever they were named).
// Stateless functions; safe from any thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "barrier/key_share.h"
#include "cmd/instance.h"
#include "crypto/sign.h"

namespace baomi::cmd {

Result<barrier::SealConfig> read_seal_config(const std::filesystem::path& file);
// Writes a new file next to `file` and renames it over it (a reader sees the old or the new).
Result<void> write_seal_config(const std::filesystem::path& file,
                               const barrier::SealConfig& config);

Result<void> write_sealed_signing_key(const std::filesystem::path& file,
                                      const crypto::SecretKey& master,
                                      const crypto::SigningKey& signing);
// kInvalidArgument "signing_key_mismatch" when the file does not open under `master`.
Result<crypto::SigningKey> read_sealed_signing_key(const std::filesystem::path& file,
                                                   const crypto::SecretKey& master);

// The holders' X25519 public keys (--share-public-key FILE, one per share in share order, hex
// as `baomi operator share-keypair` writes them); none when `files` is empty. kInvalidArgument
// naming the file for a malformed one, or when their count is neither 0 nor `shares`.
Result<std::vector<Bytes>> read_holder_keys(const std::vector<std::string>& files, int shares);

// A key holder's X25519 key pair for shares encrypted to them (`baomi operator share-keypair`):
// the secret key as hex in a new 0600 file, the public key as hex in a new public file.
Result<void> write_box_keypair(const std::filesystem::path& secret_file,
                               const std::filesystem::path& public_file);
// The secret key of such a pair; refuses a file group or others may read, or a malformed one.
Result<Bytes> read_box_secret_key(const std::filesystem::path& file);

// Writes each share to its file (0600, never overwriting), or, without files, prints them once
// on stdout with who holds which. `files` is empty or has one name per share. With holder keys,
// share i is encrypted to holder_keys[i] first (barrier::encrypt_share): only its holder's
// secret key opens it.
Result<void> hand_out_shares(const barrier::Split& split, const std::vector<std::string>& files,
                             const std::vector<Bytes>& holder_keys = {});

}  // namespace baomi::cmd
