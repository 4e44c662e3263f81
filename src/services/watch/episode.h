// One alert per episode (issue 11): the watches' shared rule for raising or updating an alert.
// While the account's alert of a kind is still open (neither acknowledged nor closed) and its
// episode has not ended, a further crossing updates that alert (its sentence, and the audit seqs
// that fed it, the newest kept within bounds) instead of raising another. Once the alert is
// acknowledged or closed, or the episode has ended (its window passed with no crossing), the
// next crossing raises a new alert. The episode (alert id and end) lives in the caller's sealed
// count record, so it shares that record's fate (same write job as the feeding audit entry).
// Thread-safety: stateless; use inside a write job.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/runtime.h"
#include "services/incidents/incident.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services::watch {

// How many audit seqs an alert names at most: the first ones and the newest ones of the episode.
inline constexpr std::size_t kMaxAlertSeqs = 100;

struct Episode {
  std::string alert_id;       // the alert this episode raised; empty before one was
  std::int64_t until_us = 0;  // the episode goes on while crossings come before this
};

// What the crossing says: the alert as it would be raised, and the counts the alert.raise
// entry and the alert sink carry.
struct Crossing {
  std::string type;     // e.g. "bulk_read_documents"
  std::string rule;     // e.g. "C4"
  std::string account;  // the account whose acts crossed
  std::string detail;   // counts, window, ids: never a title or personal data
  std::vector<std::uint64_t> seqs;
  std::uint64_t count = 0;
  std::chrono::seconds window{0};  // 0: the kind has no sliding window (first_category, off_hours)
  std::string target;              // what the alert is about; empty: "account:<account>"
};

// Raises a new alert for `crossing` or updates the open one of `episode`; the episode now lasts
// until `until`. Returns the alert.raise event to append after the feeding entry, or nothing
// when an open alert was updated.
Result<std::optional<audit::AuditEvent>> raise_or_update(barrier::WriteTx& tx,
                                                         const SealedObjects& objects,
                                                         Episode& episode, const Crossing& crossing,
                                                         TimePoint now, TimePoint until);

// The episode as a count record keeps it ({"alert_id","until"}), and back.
boost::json::object to_json(const Episode& e);
Result<Episode> episode_from(const boost::json::value* stored);
// Several episodes by alert type ({"<type>":{"alert_id","until"}}), and back; none when absent.
boost::json::object to_json(const std::map<std::string, Episode>& episodes);
Result<std::map<std::string, Episode>> episodes_from(const boost::json::value* stored);

// An account's count record of `kind` (id = the account): `stored` as loaded, made when the
// account has none yet; its time of change set to `now`. The caller then sets its body.
StoredObject& count_record(std::optional<StoredObject>& stored, std::string_view kind,
                           const std::string& account, TimePoint now);
// Writes a count record made or changed by count_record (insert when new).
Result<void> put_count(barrier::WriteTx& tx, const SealedObjects& objects, StoredObject& record);

}  // namespace baomi::services::watch
