// ProbingWatch (S9: staff without access must not inquire or pry): counts each account's
// refusals as the trail records them and raises one "probing" alert when more than the policy's
// `watch.probing.refusals` fall within `watch.probing.window`. The count is a sealed object in
// the store, written in the job of the refusal's own audit entry (audit::AuditObserver), so a
// restart or a second instance neither forgets nor doubles it. One alert per episode
// (episode.h): while the account keeps crossing the threshold and its alert is still open, the
// alert is updated instead of a new one raised; a new one follows once it is acknowledged or a
// whole window passed without a crossing. The alert names the account, the count, the window, the
// targets tried (as ids, never titles or personal data) and the audit seqs of the refusals.
// Thread-safety: stateless beyond its references; the store's writer serialises the counts.
#pragma once

#include "audit/audit_log.h"
#include "auth/runtime.h"

namespace baomi::services {

class ProbingWatch final : public audit::AuditObserver {
 public:
  explicit ProbingWatch(const auth::Runtime& rt) : rt_(rt) {}

  Result<std::vector<audit::AuditEvent>> observe(barrier::WriteTx& tx,
                                                 const audit::AuditEvent& event,
                                                 TimePoint now) const override;

 private:
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
