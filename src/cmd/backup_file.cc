#include "cmd/backup_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "audit/chain.h"
#include "crypto/sha256.h"
#include "crypto/sign.h"

namespace baomi::cmd {
namespace {

namespace json = boost::json;

constexpr std::size_t kChunk = 1 << 20;

Error damaged(std::string message) { return Error::invalid("backup_damaged", std::move(message)); }
Error unreadable(std::string message) {
  return Error::invalid("backup_unreadable", std::move(message));
}

std::optional<std::uint64_t> u64_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  if (v && v->is_uint64()) return v->get_uint64();
  return std::nullopt;
}

std::optional<std::string> hex_of(const json::object& o, std::string_view key, std::size_t n) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  std::string s(v->get_string());
  Bytes scratch(n);
  if (!audit::decode_lower_hex(s, scratch.data(), n)) return std::nullopt;
  return s;
}

std::optional<std::string> text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string() || v->get_string().empty()) return std::nullopt;
  return std::string(v->get_string());
}

Error bad_member(std::string_view name) {
  return damaged("the manifest's \"" + std::string(name) + "\" is missing or malformed");
}

Result<BackupTrail> parse_trail(const json::object& m) {
  const auto* v = m.if_contains("trail");
  if (!v || !v->is_object()) return bad_member("trail");
  const auto& o = v->as_object();
  BackupTrail t;
  auto entries = u64_of(o, "entries");
  auto head = hex_of(o, "head_hash", audit::kHashSize);
  auto root = hex_of(o, "root_hash", audit::kHashSize);
  auto checkpoints = u64_of(o, "checkpoints");
  auto tree_heads = u64_of(o, "tree_heads");
  if (!entries) return bad_member("trail.entries");
  if (!head) return bad_member("trail.head_hash");
  if (!root) return bad_member("trail.root_hash");
  if (!checkpoints) return bad_member("trail.checkpoints");
  if (!tree_heads) return bad_member("trail.tree_heads");
  return BackupTrail{*entries, *head, *root, *checkpoints, *tree_heads};
}

Result<std::vector<BackupEntry>> parse_files(const json::object& m) {
  const auto* v = m.if_contains("files");
  if (!v || !v->is_array()) return bad_member("files");
  std::vector<BackupEntry> out;
  for (const auto& f : v->as_array()) {
    if (!f.is_object()) return bad_member("files");
    auto name = text_of(f.as_object(), "name");
    auto bytes = u64_of(f.as_object(), "bytes");
    auto sha = hex_of(f.as_object(), "sha256", 32);
    if (!name || !bytes || !sha) return bad_member("files");
    out.push_back({*name, *bytes, *sha});
  }
  // Exactly the database then the policy: a restore never writes a file name it was handed.
  if (out.size() != 2 || out[0].name != kBackupDatabaseName || out[1].name != kBackupPolicyName) {
    return damaged("the manifest must list exactly baomi.db and policy.yaml, in that order");
  }
  return out;
}

std::string read_failure(const std::filesystem::path& file, std::streamsize got,
                         std::uint64_t wanted, std::string_view what) {
  return "truncated: " + file.string() + " ends inside " + std::string(what) + " (" +
         std::to_string(got) + " of " + std::to_string(wanted) + " bytes)";
}

}  // namespace

Bytes manifest_bytes(const BackupManifest& m) {
  json::object trail{{"entries", m.trail.entries},         {"head_hash", m.trail.head_hash},
                     {"root_hash", m.trail.root_hash},     {"tree_size", m.trail.entries},
                     {"checkpoints", m.trail.checkpoints}, {"tree_heads", m.trail.tree_heads}};
  json::array files;
  for (const auto& f : m.files) {
    files.push_back(json::object{{"name", f.name}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  json::object o{{"format", kBackupFormat},
                 {"instance_id", m.instance_id},
                 {"created_at", m.created_at},
                 {"schema_version", m.schema_version},
                 {"audit_public_key", m.audit_public_key},
                 {"trail", std::move(trail)},
                 {"files", std::move(files)}};
  return to_bytes(json::serialize(o));
}

Result<BackupManifest> parse_manifest(const Bytes& data) {
  json::error_code ec;
  auto v =
      json::parse(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), ec);
  if (ec || !v.is_object()) return damaged("the manifest is not a JSON object");
  const auto& o = v.as_object();
  auto format = text_of(o, "format");
  if (format != std::string(kBackupFormat)) {
    return damaged("the manifest's format is not " + std::string(kBackupFormat));
  }
  BackupManifest m;
  auto id = text_of(o, "instance_id");
  auto created = text_of(o, "created_at");
  auto schema = u64_of(o, "schema_version");
  auto key = hex_of(o, "audit_public_key", 32);
  if (!id) return bad_member("instance_id");
  if (!created) return bad_member("created_at");
  if (!schema) return bad_member("schema_version");
  if (!key) return bad_member("audit_public_key");
  m.instance_id = *id;
  m.created_at = *created;
  m.schema_version = static_cast<std::int64_t>(*schema);
  m.audit_public_key = *key;
  BAOMI_ASSIGN_OR_RETURN(m.trail, parse_trail(o));
  BAOMI_ASSIGN_OR_RETURN(m.files, parse_files(o));
  return m;
}

Bytes backup_signed_message(const Bytes& manifest) {
  Bytes out;
  append_field(out, kBackupFormat);
  append_field(out,
               std::string_view(reinterpret_cast<const char*>(manifest.data()), manifest.size()));
  return out;
}

Bytes backup_header(const Bytes& manifest, const Bytes& signature) {
  Bytes out(kBackupMagic.begin(), kBackupMagic.end());
  const auto n = static_cast<std::uint32_t>(manifest.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(n >> shift));
  out.insert(out.end(), manifest.begin(), manifest.end());
  out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

BackupReader::BackupReader(const std::filesystem::path& file) : file_(file) {
  in_.open(file, std::ios::binary);
}

Result<BackupManifest> BackupReader::read_header(const Bytes& public_key32) {
  if (!in_) return unreadable("cannot read " + file_.string());
  std::array<char, 12> head{};
  in_.read(head.data(), head.size());
  if (in_.gcount() < static_cast<std::streamsize>(kBackupMagic.size()) ||
      !std::equal(kBackupMagic.begin(), kBackupMagic.end(), head.begin())) {
    return damaged(file_.string() + " is not a Baomi backup (no BAOMIBK1 header)");
  }
  if (in_.gcount() < static_cast<std::streamsize>(head.size())) {
    return damaged(read_failure(file_, in_.gcount(), head.size(), "the header"));
  }
  std::uint32_t length = 0;
  for (std::size_t i = 8; i < 12; ++i) length = length << 8 | static_cast<std::uint8_t>(head[i]);
  if (length == 0 || length > kBackupMaxManifest) {
    return damaged("the manifest length (" + std::to_string(length) + " bytes) is out of range");
  }
  Bytes manifest(length), signature(kBackupSignatureSize);
  in_.read(reinterpret_cast<char*>(manifest.data()), length);
  if (in_.gcount() != static_cast<std::streamsize>(length)) {
    return damaged(read_failure(file_, in_.gcount(), length, "the manifest"));
  }
  in_.read(reinterpret_cast<char*>(signature.data()), kBackupSignatureSize);
  if (in_.gcount() != static_cast<std::streamsize>(kBackupSignatureSize)) {
    return damaged(read_failure(file_, in_.gcount(), kBackupSignatureSize, "the signature"));
  }
  if (!crypto::verify_signature(public_key32, backup_signed_message(manifest), signature)) {
    return damaged(
        "the manifest signature is invalid: the manifest was altered, or the backup was not "
        "signed by the supplied audit key");
  }
  return parse_manifest(manifest);
}

Result<void> BackupReader::extract(const BackupEntry& entry, const std::filesystem::path& dest) {
  const int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return unreadable("cannot create " + dest.string());
  crypto::Sha256 digest;
  std::vector<char> buf(kChunk);
  std::uint64_t left = entry.bytes;
  bool written = true;
  while (left > 0 && written) {
    const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, kChunk));
    in_.read(buf.data(), want);
    const auto got = in_.gcount();
    digest.update(crypto::BytesView(reinterpret_cast<const std::uint8_t*>(buf.data()),
                                    static_cast<std::size_t>(got)));
    written = ::write(fd, buf.data(), static_cast<std::size_t>(got)) == got;
    left -= static_cast<std::uint64_t>(got);
    if (got < want) break;
  }
  written = written && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return unreadable("cannot write " + dest.string());
  if (left > 0) {
    return damaged("truncated: " + entry.name + " holds " + std::to_string(entry.bytes - left) +
                   " of the " + std::to_string(entry.bytes) +
                   " bytes the manifest names (the backup file was cut short)");
  }
  if (digest.hex_digest() != entry.sha256) {
    return damaged(entry.name +
                   ": SHA-256 does not match the signed manifest (the backup was altered or "
                   "damaged)");
  }
  return {};
}

Result<void> BackupReader::expect_end() {
  char c = 0;
  if (in_.read(&c, 1) && in_.gcount() == 1) {
    return damaged("unexpected bytes after the last file the manifest lists");
  }
  return {};
}

Result<std::string> file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error::unavailable("cannot read " + file.string());
  crypto::Sha256 digest;
  std::vector<char> buf(kChunk);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    digest.update(crypto::BytesView(reinterpret_cast<const std::uint8_t*>(buf.data()),
                                    static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return Error::unavailable("cannot read " + file.string());
  return digest.hex_digest();
}

}  // namespace baomi::cmd
