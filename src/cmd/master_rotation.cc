#include "cmd/master_rotation.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <iostream>

#include "cmd/test_hooks.h"
#include "storage/engine.h"
#include "storage/meta.h"

namespace baomi::cmd {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr int kJournalVersion = 1;

Error write_failed(const fs::path& file, const std::string& what) {
  return Error::invalid("write_failed", "cannot " + what + " " + file.string());
}

Result<void> sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return write_failed(path, "open");
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return write_failed(path, "sync");
  return {};
}

Result<void> sync_dir(const fs::path& dir) { return sync_path(dir, O_RDONLY | O_DIRECTORY); }

// Overwrites a key file with zeros and syncs it (on a journaling or copy-on-write file system
// old blocks may survive: docs/operations.md says to keep key directories off those).
void overwrite_with_zeros(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  const Bytes zeros(size, 0);
  (void)!::write(fd, zeros.data(), zeros.size());
  (void)::fsync(fd);
  ::close(fd);
}

Result<void> remove_file(const fs::path& file, bool secret) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return {};
  if (secret) overwrite_with_zeros(file);
  if (!fs::remove(file, ec) || ec) {
    return Error::invalid("remove_failed",
                          "cannot remove " + file.string() + ": remove it by hand");
  }
  return {};
}

Result<RotationJournal> read_journal(const fs::path& file) {
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_file(file, 64 * 1024));
  boost::system::error_code ec;
  const auto value = json::parse(to_string(bytes), ec);
  const auto bad = [&] {
    return Error::invalid("rotation_journal",
                          file.string() + " is damaged: restore the key directory from its copy");
  };
  if (ec || !value.is_object()) return bad();
  const auto& o = value.as_object();
  const auto* version = o.if_contains("version");
  const auto* id = o.if_contains("rotation_id");
  const auto* files = o.if_contains("share_files");
  if (!version || !version->is_int64() || version->as_int64() != kJournalVersion || !id ||
      !id->is_string() || !files || !files->is_array()) {
    return bad();
  }
  RotationJournal journal{std::string(id->as_string()), {}};
  for (const auto& f : files->as_array()) {
    if (!f.is_string()) return bad();
    journal.share_files.emplace_back(f.as_string());
  }
  return journal;
}

// The id of the rotation the database last committed ("" when none ever did).
Result<std::string> committed_rotation(const InstancePaths& p) {
  BAOMI_ASSIGN_OR_RETURN(auto store, storage::open_store(p.database_target(), false));
  std::optional<Bytes> stored;
  BAOMI_TRY(store->read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(stored, storage::get_meta(tx, kRotationMeta));
    return {};
  }));
  return stored ? to_string(*stored) : std::string();
}

// A rotation that did not commit: its new files and the shares it handed out are void.
Result<void> roll_back(const InstancePaths& p, const RotationJournal& journal) {
  for (const auto& live : rotated_key_files(p)) BAOMI_TRY(remove_file(rotating_file(live), true));
  for (const auto& share : journal.share_files) BAOMI_TRY(remove_file(share, true));
  BAOMI_TRY(sync_dir(p.keys));
  BAOMI_TRY(remove_file(rotation_journal_file(p), false));
  return sync_dir(p.keys);
}

}  // namespace

fs::path rotation_journal_file(const InstancePaths& p) { return p.keys / "master-rotation.json"; }

fs::path rotating_file(const fs::path& live) { return fs::path(live.string() + ".rotating"); }

std::vector<fs::path> rotated_key_files(const InstancePaths& p) {
  // The sealed audit key before seal.json: whichever is switched first, the recovery switches
  // the rest, and nothing opens the instance in between (the journal is still there).
  return {p.master_key(), p.sealed_signing_key(), p.seal_config()};
}

Result<void> write_rotation_journal(const InstancePaths& p, const RotationJournal& journal) {
  json::array files;
  for (const auto& f : journal.share_files) files.emplace_back(f);
  const json::object o{{"version", kJournalVersion},
                       {"rotation_id", journal.rotation_id},
                       {"share_files", std::move(files)}};
  const auto text = json::serialize(o) + "\n";
  const fs::path file = rotation_journal_file(p);
  const fs::path next = fs::path(file.string() + ".new");
  BAOMI_TRY(remove_file(next, false));
  BAOMI_TRY(write_private_file(next, Bytes(text.begin(), text.end())));
  std::error_code ec;
  fs::rename(next, file, ec);
  if (ec) return write_failed(file, "write");
  return sync_dir(p.keys);
}

Result<void> sync_rotating_files(const InstancePaths& p) {
  for (const auto& live : rotated_key_files(p)) {
    const auto file = rotating_file(live);
    if (fs::exists(file)) BAOMI_TRY(sync_path(file, O_RDONLY));
  }
  return sync_dir(p.keys);
}

Result<void> switch_key_files(const InstancePaths& p) {
  bool switched_one = false;
  for (const auto& live : rotated_key_files(p)) {
    const auto next = rotating_file(live);
    if (!fs::exists(next)) continue;
    if (switched_one) rotation_crash_point("switching");
    // The old master key opens nothing any more, but a copy of the database taken earlier.
    if (live == p.master_key()) overwrite_with_zeros(live);
    std::error_code ec;
    fs::rename(next, live, ec);
    if (ec) return write_failed(live, "replace");
    switched_one = true;
  }
  BAOMI_TRY(sync_dir(p.keys));
  rotation_crash_point("switched");
  BAOMI_TRY(remove_file(rotation_journal_file(p), false));
  return sync_dir(p.keys);
}

Result<RotationRecovery> recover_rotation_locked(const InstancePaths& p) {
  const fs::path journal_file = rotation_journal_file(p);
  if (!fs::exists(journal_file)) {
    // A crash before the journal existed leaves at most a half-written journal: nothing else of
    // that rotation was written. (New key files without a journal cannot be in force: the
    // journal goes only after they replaced the old ones.)
    BAOMI_TRY(remove_file(fs::path(journal_file.string() + ".new"), false));
    for (const auto& live : rotated_key_files(p)) BAOMI_TRY(remove_file(rotating_file(live), true));
    return RotationRecovery::kNone;
  }
  BAOMI_ASSIGN_OR_RETURN(auto journal, read_journal(journal_file));
  BAOMI_ASSIGN_OR_RETURN(auto committed, committed_rotation(p));
  if (committed == journal.rotation_id) {
    BAOMI_TRY(switch_key_files(p));
    return RotationRecovery::kFinished;
  }
  BAOMI_TRY(roll_back(p, journal));
  return RotationRecovery::kRolledBack;
}

Result<RotationRecovery> recover_interrupted_rotation(const InstancePaths& p) {
  if (!fs::exists(rotation_journal_file(p))) return RotationRecovery::kNone;
  BAOMI_ASSIGN_OR_RETURN(
      auto lock, InstanceLock::acquire(p.data, InstanceLock::Mode::kExclusive, !p.on_postgres()));
  BAOMI_ASSIGN_OR_RETURN(auto recovery, recover_rotation_locked(p));
  if (recovery == RotationRecovery::kFinished) {
    std::cerr << "baomi: an interrupted master key rotation had committed: it was finished, the "
                 "new key material is in force\n";
  } else if (recovery == RotationRecovery::kRolledBack) {
    std::cerr << "baomi: an interrupted master key rotation had not committed: it was rolled "
                 "back, the old key material is in force\n";
  }
  return recovery;
}

void rotation_crash_point(std::string_view step) {
  test_hooks::crash_point("master-rotation:" + std::string(step));
}

}  // namespace baomi::cmd
