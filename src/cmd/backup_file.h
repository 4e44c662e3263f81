// The backup file of `baomi backup` / `baomi restore` (docs/operations.md#backup-file-format):
//   offset 0      8 bytes   magic "BAOMIBK1"
//   8             4 bytes   manifest length L, big-endian (1..65536)
//   12            L bytes   manifest.json (UTF-8)
//   12+L          64 bytes  Ed25519 signature by the audit key over
//                           field("baomi-backup-v1") || field(manifest.json)
//                           (field = 4-byte big-endian length || bytes, as in the audit chain)
//   76+L          payload   the files the manifest lists, in its order, each exactly "bytes" long
//   end           nothing after the last file
// The manifest names the instance, the schema version, the audit trail the database holds
// (entries, head hash, Merkle root) and each file's size and SHA-256, so the signature covers
// every byte. The database is the store as it is on disk: sealed values stay sealed, and no key
// is in the file. Reading is streaming (constant memory); every problem is named.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace baomi::cmd {

inline constexpr std::array<char, 8> kBackupMagic = {'B', 'A', 'O', 'M', 'I', 'B', 'K', '1'};
inline constexpr std::string_view kBackupFormat = "baomi-backup-v1";
inline constexpr std::size_t kBackupMaxManifest = 64 * 1024;
inline constexpr std::size_t kBackupSignatureSize = 64;
inline constexpr const char* kBackupDatabaseName = "baomi.db";
inline constexpr const char* kBackupPolicyName = "policy.yaml";

struct BackupTrail {
  std::uint64_t entries = 0;  // entries 1..entries; the head is entry `entries`
  std::string head_hash;      // chain hash of the head (genesis hash for an empty trail)
  std::string root_hash;      // Merkle root of the `entries` entries (tree size = entries)
  std::uint64_t checkpoints = 0;
  std::uint64_t tree_heads = 0;
};

struct BackupEntry {
  std::string name;  // kBackupDatabaseName or kBackupPolicyName
  std::uint64_t bytes = 0;
  std::string sha256;  // lowercase hex
};

struct BackupManifest {
  std::string instance_id;
  std::string created_at;  // RFC 3339, UTC
  std::int64_t schema_version = 0;
  std::string audit_public_key;  // lowercase hex, 32 bytes
  BackupTrail trail;
  std::vector<BackupEntry> files;
};

Bytes manifest_bytes(const BackupManifest& m);
// invalid_argument naming the first missing or malformed member.
Result<BackupManifest> parse_manifest(const Bytes& json);
// field("baomi-backup-v1") || field(manifest): the bytes the signature covers.
Bytes backup_signed_message(const Bytes& manifest);
// The header: magic, length, manifest, signature.
Bytes backup_header(const Bytes& manifest, const Bytes& signature);

// Reads a backup file front to back. Every failure is an error whose message names the problem
// (code "backup_damaged" for a damaged or unauthentic file, "backup_unreadable" for I/O).
class BackupReader {
 public:
  explicit BackupReader(const std::filesystem::path& file);
  // Magic, manifest and its signature under `public_key32`.
  Result<BackupManifest> read_header(const Bytes& public_key32);
  // Copies the next listed file to `dest` (created 0600, O_EXCL, fsynced), checking its size
  // and digest; on failure `dest` may hold a partial copy (the caller discards its staging).
  Result<void> extract(const BackupEntry& entry, const std::filesystem::path& dest);
  // Nothing may follow the last file.
  Result<void> expect_end();

 private:
  std::filesystem::path file_;
  std::ifstream in_;
};

// Lowercase hex SHA-256 of a whole file, streamed.
Result<std::string> file_sha256(const std::filesystem::path& file);

}  // namespace baomi::cmd
