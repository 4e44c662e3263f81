// The files of a master key rotation (`baomi keys rotate-master`, docs/operations.md "Rotating
// the master key") and how an interrupted one is finished or rolled back. The database switches
// masters in one transaction (barrier/master_reseal.h); the key files beside it cannot switch in
// that same instant, so the new ones are written beside the old ones first:
//   KEYDIR/master-rotation.json                 the journal: the rotation's id and the share
//                                               files it handed out (no secret)
//   KEYDIR/master.key.rotating                  the new master key (instances with a key file)
//   KEYDIR/seal.json.rotating                   the new split (instances sealed by shares)
//   KEYDIR/audit-signing.key.sealed.rotating    the audit key sealed under the new master key
// and the database's meta entry kRotationMeta holds the id of the last rotation it committed.
// After a crash, the journal and that entry alone (no key) say which side is in force: the
// committed rotation is finished (each .rotating file renamed over its old file), one that did
// not commit is rolled back (the new files and the shares handed out removed): the instance
// opens with the old key material or with the new, never with neither.
// Single-threaded; the caller holds DATA/baomi.lock exclusive (or recover_interrupted_rotation
// takes it).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cmd/instance.h"

namespace baomi::cmd {

// The database's meta entry naming the last committed rotation.
inline constexpr const char* kRotationMeta = "master_rotation";

struct RotationJournal {
  std::string rotation_id;               // hex of 16 random bytes
  std::vector<std::string> share_files;  // the new shares' files (absolute), if written to files
};

enum class RotationRecovery { kNone, kFinished, kRolledBack };

std::filesystem::path rotation_journal_file(const InstancePaths& p);
// Where the new version of `live` (a file in KEYDIR) waits for the switch.
std::filesystem::path rotating_file(const std::filesystem::path& live);
// The key files a rotation replaces, in the order they are switched.
std::vector<std::filesystem::path> rotated_key_files(const InstancePaths& p);

// Written (and its directory synced) before anything else of the rotation.
Result<void> write_rotation_journal(const InstancePaths& p, const RotationJournal& journal);
// Syncs each .rotating file and KEYDIR, so that no commit is ever ahead of the new files.
Result<void> sync_rotating_files(const InstancePaths& p);
// After the commit: each .rotating file replaces its old file (an old master key file is
// overwritten with zeros first), KEYDIR is synced, the journal removed.
Result<void> switch_key_files(const InstancePaths& p);

// With DATA/baomi.lock held exclusive: finishes a committed rotation or rolls back one that did
// not commit; kNone when there is no journal (leftovers of a crash before the journal existed are
// removed). Fails (touching nothing) only when the database cannot be read.
Result<RotationRecovery> recover_rotation_locked(const InstancePaths& p);
// The same for `baomi serve` at its start: nothing (not even the lock) unless a journal exists.
Result<RotationRecovery> recover_interrupted_rotation(const InstancePaths& p);

// Tests only (cmd/test_hooks.h, builds with BAOMI_TEST_HOOKS): BAOMI_TEST_CRASH_AT=
// master-rotation:<step> kills this process with SIGKILL at that step.
void rotation_crash_point(std::string_view step);

}  // namespace baomi::cmd
