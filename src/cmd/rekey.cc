// `baomi operator rekey`: replaces the key shares of an instance sealed by shares. K current
// shares rebuild the master key, which must open the instance; the rekey is recorded in its
// trail; then a new split (new seal id) replaces KEYDIR/seal.json and the new shares go to their
// holders. The master key, and so every stored byte, stays as it is. On an instance with key
// files (the demo set-up) it seals the instance by shares: the master key file is split, the
// signing key sealed, and both key files are overwritten and removed once the shares are out.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "audit/detail.h"
#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/master_rotation.h"
#include "cmd/seal_files.h"
#include "cmd/share_input.h"

namespace baomi::cmd {
namespace {

// Overwrites a key file with zeros, syncs, and removes it (on a journaling or copy-on-write
// file system old blocks may survive: docs/operations.md says to keep such files off those).
Result<void> destroy_key_file(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && !ec) {
    const Bytes zeros(size, 0);
    const bool ok = ::write(fd, zeros.data(), zeros.size()) == static_cast<ssize_t>(size);
    (void)ok;
    (void)::fsync(fd);
  }
  if (fd >= 0) ::close(fd);
  if (!std::filesystem::remove(file, ec) || ec) {
    return Error::invalid("remove_failed",
                          "cannot remove " + file.string() + ": remove it by hand");
  }
  return {};
}

// The demo set-up becomes sealed by shares: nothing is re-encrypted.
Result<void> seal_key_files(const RekeyOptions& o, const InstancePaths& p) {
  BAOMI_ASSIGN_OR_RETURN(auto master_bytes, read_file(p.master_key(), 64));
  auto master = crypto::SecretKey::from_bytes(master_bytes);
  crypto::wipe(master_bytes);
  if (!master.ok()) return master.take_error();
  BAOMI_ASSIGN_OR_RETURN(auto inst, open_instance(p, std::nullopt));  // the key files match
  BAOMI_ASSIGN_OR_RETURN(auto seed, read_file(p.signing_key(), 64));
  auto signing = crypto::SigningKey::from_seed(seed);
  crypto::wipe(seed);
  if (!signing.ok()) return signing.take_error();
  BAOMI_ASSIGN_OR_RETURN(auto split,
                         barrier::split_master_key(*master, o.key_shares, o.key_threshold));
  BAOMI_ASSIGN_OR_RETURN(auto holder_keys, read_holder_keys(o.share_public_keys, o.key_shares));
  const auto detail = audit::Detail{}
                          .add("shares", o.key_shares)
                          .add("threshold", o.key_threshold)
                          .add("previous", "key_file");
  BAOMI_TRY(inst->store->write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(
        inst->audit->append(tx, {"-", "seal.rekey", "instance", "allow", "I1", detail}, now_utc()));
    return inst->audit->checkpoint(tx, now_utc());
  }));
  inst.reset();
  if (!std::filesystem::exists(p.sealed_signing_key())) {
    BAOMI_TRY(write_sealed_signing_key(p.sealed_signing_key(), *master, *signing));
  }
  if (!o.share_files.empty()) BAOMI_TRY(hand_out_shares(split, o.share_files, holder_keys));
  BAOMI_TRY(write_seal_config(p.seal_config(), split.config));
  if (o.share_files.empty()) BAOMI_TRY(hand_out_shares(split, o.share_files, holder_keys));
  BAOMI_TRY(destroy_key_file(p.master_key()));
  BAOMI_TRY(destroy_key_file(p.signing_key()));
  std::cerr << "Sealed by key shares: " << o.key_threshold << " of " << o.key_shares
            << " shares unseal the instance; " << p.master_key().string()
            << " and the signing key file were overwritten and removed.\n";
  return {};
}

Result<void> rekey(const RekeyOptions& o, const InstancePaths& p) {
  // I1: the key files read below are those in force only once a rotation killed half-way is
  // finished or rolled back (as `serve` does at its start).
  BAOMI_TRY(recover_interrupted_rotation(p));
  if (o.key_threshold < 1 || o.key_threshold > o.key_shares || o.key_shares > 255) {
    return Error::invalid("key_shares", "need 1 <= --key-threshold <= --key-shares <= 255");
  }
  if (!o.share_files.empty() && static_cast<int>(o.share_files.size()) != o.key_shares) {
    return Error::invalid("share_file", "give one --share-file per new share, or none");
  }
  for (const auto& f : o.share_files) {
    if (std::filesystem::exists(f)) return Error::conflict("exists", f + " already exists");
  }
  if (!p.sealed_by_shares()) return seal_key_files(o, p);
  BAOMI_ASSIGN_OR_RETURN(auto old_config, read_seal_config(p.seal_config()));
  BAOMI_ASSIGN_OR_RETURN(
      auto master, master_from_shares({o.current_share_files, o.current_secret_keys}, old_config));
  // The rebuilt key must open this instance before its shares are replaced.
  BAOMI_ASSIGN_OR_RETURN(auto inst, open_instance(p, std::nullopt, true, &master));
  BAOMI_ASSIGN_OR_RETURN(auto split,
                         barrier::split_master_key(master, o.key_shares, o.key_threshold));
  BAOMI_ASSIGN_OR_RETURN(auto holder_keys, read_holder_keys(o.share_public_keys, o.key_shares));
  const auto detail = audit::Detail{}
                          .add("shares", o.key_shares)
                          .add("threshold", o.key_threshold)
                          .add("previous_shares", old_config.shares)
                          .add("previous_threshold", old_config.threshold);
  BAOMI_TRY(inst->store->write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(
        inst->audit->append(tx, {"-", "seal.rekey", "instance", "allow", "I1", detail}, now_utc()));
    return inst->audit->checkpoint(tx, now_utc());
  }));
  if (!o.share_files.empty()) BAOMI_TRY(hand_out_shares(split, o.share_files, holder_keys));
  BAOMI_TRY(write_seal_config(p.seal_config(), split.config));
  if (o.share_files.empty()) BAOMI_TRY(hand_out_shares(split, o.share_files, holder_keys));
  std::cerr << "Rekeyed: " << o.key_threshold << " of " << o.key_shares
            << " new key shares unseal the instance; the old shares no longer do. Copy "
            << p.seal_config().string() << " to every server of the instance.\n";
  return {};
}

}  // namespace

int run_rekey(const RekeyOptions& o) {
  auto paths = paths_of(o.data, o.keys, o.database);
  auto r = paths.ok() ? rekey(o, *paths) : Result<void>(paths.error());
  if (!r.ok()) {
    std::cerr << "baomi operator rekey: " << r.error().message << "\n";
    return 1;
  }
  return 0;
}

int run_share_keypair(const std::string& secret_file, const std::string& public_file) {
  auto written = write_box_keypair(secret_file, public_file);
  if (!written.ok()) {
    std::cerr << "baomi operator share-keypair: " << written.error().message << "\n";
    return 1;
  }
  std::cout << "Secret key: " << secret_file << " (0600; keep it yourself, apart from the share)\n"
            << "Public key: " << public_file << " (give it to whoever issues the shares)\n";
  return 0;
}

}  // namespace baomi::cmd
