// ReadWatch (C4: anomalous reading is alerted; S6; S7): watches each account's document reads
// and copy requests as the trail records them. Four kinds, each off when its policy count is 0
// (watch.*; docs/alerts.md):
// - bulk_read_documents: more than `bulk_read.documents` distinct documents read (metadata or
//   content) within `bulk_read.window`;
// - first_category: with `first_category.enabled`, a read of a document in a category the
//   account never read before, once it has read `first_category.after_reads` documents;
// - off_hours: reads during a shift the policy names as off hours, one alert per shift;
// - request_volume: more copy, print and excerpt requests than `request_volume.per_day` in one
//   local day.
// The counts of an account are one sealed object in the store (kind "read_watch", id = the
// account), written in the job of the read's own audit entry, so a restart or a second server
// process neither forgets nor doubles a count. Alerts name counts, windows and ids (documents,
// requests, categories by their policy name), never a title or personal data; one per episode
// (episode.h).
// Each account's decoded counts are kept in memory under the MAC of the write they were decoded
// from, and used only while the record ledger names that write as the record's latest (one
// indexed lookup per read; issue 11: the watch must cost under 5% of an audited read). A read
// that changes no count (a re-read within the window) writes nothing and takes no audit seq.
// Thread-safety: the store's writer serialises the counts; the kept counts have their own lock.
#pragma once

#include <memory>

#include "audit/audit_log.h"
#include "auth/runtime.h"

namespace baomi::services {

class KeptCounts;  // read_watch.cc

// How often an act found its account's counts kept (current by the ledger) and how often they
// were decoded from the store (first act, another process's write, a failed job).
struct ReadWatchStats {
  std::uint64_t kept = 0;
  std::uint64_t decoded = 0;
};

class ReadWatch final : public audit::AuditObserver {
 public:
  explicit ReadWatch(const auth::Runtime& rt);
  ~ReadWatch() override;

  Result<std::vector<audit::AuditEvent>> observe(barrier::WriteTx& tx,
                                                 const audit::AuditEvent& event,
                                                 TimePoint now) const override;

  ReadWatchStats stats() const;

 private:
  const auth::Runtime& rt_;
  std::unique_ptr<KeptCounts> kept_;
};

// Both watches on one audit log (it takes one observer): probing first, then reads.
class Watches final : public audit::AuditObserver {
 public:
  Watches(const audit::AuditObserver& first, const audit::AuditObserver& second)
      : first_(first), second_(second) {}

  Result<std::vector<audit::AuditEvent>> observe(barrier::WriteTx& tx,
                                                 const audit::AuditEvent& event,
                                                 TimePoint now) const override;

 private:
  const audit::AuditObserver& first_;
  const audit::AuditObserver& second_;
};

}  // namespace baomi::services
