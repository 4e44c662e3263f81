// KEK rotation (issue 15; docs/operations.md, "Key rotation"). rotate() stores a new KEK version
// (above the highest any server instance stored) and makes it current here at once: new data
// keys are wrapped under it. Old wrapped keys are rewrapped in the background by rewrap_step(),
// one bounded batch per write job, each batch audited ("keys.rewrap" by "system") in the job
// that rewrites its rows (I1: the entry commits to them). The progress is durable
// (barrier/kek_store.h), so a crash or kill -9 resumes where it stopped. With several instances
// on one database only the holder of the "kek_rewrap" lease runs batches, and each batch checks
// that lease inside its own write job; every instance learns new KEKs within kKekRefresh
// (refresh_keks) or on the first key it cannot open.
// A rewrap is done when a whole pass over the key tables, begun at least kPickupWindow after the
// rotation, found nothing to rewrap: by then every instance wraps new keys under the new KEK.
// Old KEKs stay stored (a data key under one still opens) and are counted by status().
// Decided by the policy (kRotateKeys, kReadKeyStatus: the security administrator).
// Thread-safety: stateless apart from its references; safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "auth/user.h"
#include "barrier/kek_store.h"
#include "barrier/key_tables.h"

namespace baomi::services {

struct KekVersionCount {
  std::uint32_t version = 0;
  std::uint64_t keys = 0;  // data keys this KEK still wraps
};

struct RewrapStatus {
  std::uint32_t target = 0;
  TimePoint started;
  std::uint64_t rewrapped = 0;
  std::uint64_t passes = 0;
  std::string table;  // where the current pass is
};

struct KeyStatus {
  std::uint32_t current = 0;              // the KEK new data keys are wrapped under
  std::vector<KekVersionCount> versions;  // every stored version, ascending
  std::optional<RewrapStatus> rewrap;     // nullopt: no rewrap runs
};

struct RotationStarted {
  std::uint32_t version = 0;
  std::uint32_t previous = 0;
};

enum class RewrapOutcome { kIdle, kNotHolder, kWorked, kFinished };

class KekRotation {
 public:
  static constexpr const char* kRewrapDuty = "kek_rewrap";
  static constexpr std::chrono::seconds kKekRefresh{2};
  static constexpr std::chrono::seconds kPickupWindow{5 * kKekRefresh};
  static constexpr std::size_t kBatch = 256;

  explicit KekRotation(const auth::Runtime& rt);

  // A new KEK version, current at once here and within kKekRefresh on every instance; starts
  // (or restarts from the beginning) the background rewrap. Audited "keys.rotate".
  Result<RotationStarted> rotate(const auth::User& actor) const;
  // Versions, how many keys each wraps (a walk over the key tables), the rewrap's progress.
  // Audited "keys.status".
  Result<KeyStatus> status(const auth::User& actor) const;

  // One batch of the rewrap, if one runs and `holder` holds the kRewrapDuty lease at now.
  // `pickup_window`: how long after the rotation the confirming pass may begin; shorter than
  // kPickupWindow is safe only while a single instance serves the database (serve
  // --rewrap-pickup-window-ms; docs/operations.md).
  Result<RewrapOutcome> rewrap_step(const std::string& holder, std::size_t batch = kBatch,
                                    std::chrono::milliseconds pickup_window = kPickupWindow) const;
  // Whether a rewrap runs (a cheap read: schedulers ask before taking the lease).
  Result<bool> rewrap_pending() const;
  // Learns KEKs another instance stored (and the audit signing key in force); returns how many
  // KEKs.
  Result<std::size_t> refresh_keks() const;

 private:
  // The deciding rule when allowed; refusals are audited (auth::enforce).
  Result<std::string> allowed(const auth::User& actor, policy::Action action,
                              std::string_view audit_action) const;
  std::vector<const barrier::Table*> table_list() const;
  Result<std::map<std::uint32_t, std::uint64_t>> count_keys() const;

  const auth::Runtime& rt_;
  std::vector<std::unique_ptr<barrier::KeyTable>> tables_;
};

}  // namespace baomi::services
