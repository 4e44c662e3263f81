// The stored half of a master key rotation (docs/operations.md, "Rotating the master key"):
// everything the database keeps sealed under the master key (every KEK, the purpose root, the
// rotated audit signing key) opened under the old master key and stored sealed under the new
// one, in the caller's write transaction, so that the database switches masters at its commit
// and at no other moment. No key is generated and no data key or content is touched: KEKs keep
// their versions and bytes, the purpose root (and so every row MAC, blind index and token hash)
// stays the same. The key files beside the database are the command's (cmd/master_rotation.h).
// Stateless; single-threaded use inside a write job.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/result.h"
#include "crypto/secret_key.h"
#include "storage/store.h"

namespace baomi::barrier {

struct ResealedKeys {
  std::size_t keks = 0;          // KEK versions resealed
  std::size_t signing_keys = 0;  // signing keys resealed (meta entries present)
};

// `signing_key_metas`: meta entries holding a signing key sealed by Keyring::seal_signing_key
// (the audit layer names its own; an absent or empty entry is skipped). kIntegrity when anything
// does not open under `old_master` (nothing is written then: the caller's job fails whole);
// kInvalidArgument when `new_master` equals `old_master`.
Result<ResealedKeys> reseal_stored_keys(storage::WriteTx& tx, const crypto::SecretKey& old_master,
                                        const crypto::SecretKey& new_master,
                                        const std::vector<std::string>& signing_key_metas);

}  // namespace baomi::barrier
