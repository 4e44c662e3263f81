// Handovers: end-of-shift handover slips (工作交接单, RULES.md H1-H3, I1, I2).
//  - H1: a slip is issued sealed, as two bound copies (one per receiving department of the
//    policy), each carrying the content hash that the audit trail also records; neither ever
//    changes. Each department acknowledges its own copy; the author never does (I2).
//  - H2: the receiving side confirms every item by the deadline (end of the local day
//    shift_date + confirm_within_days), item by item across calls; never the author (I2). An
//    open slip past its deadline is overdue on every read; the sweep stores that and raises one
//    "handover_overdue" alert. Late confirmations are accepted and marked late.
//  - I1: corrections are new versions with a reason, chained by the previous content hash;
//    old versions stay readable; the new version's copies need acknowledging again.
//  - H3: kept until confirmation + retention months; deleting earlier is refused, a legal hold
//    blocks it, and deleting afterwards crypto-shreds the slip and leaves a signed tombstone.
// Every decision comes from the policy; every change and refusal is audited in the same
// transaction. Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/user.h"
#include "services/handovers/slip.h"
#include "services/handovers/slip_store.h"
#include "services/incidents/incident.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

struct NewSlip {
  std::string shift;                // a shift name of the policy
  std::optional<std::string> date;  // YYYY-MM-DD local; default: the shift's latest start
  std::vector<SlipItem> items;
  std::optional<std::string> notes;
};

struct Correction {
  std::vector<SlipItem> items;
  std::optional<std::string> notes;
  std::string reason;
};

struct ItemConfirmation {
  int index = 0;
  bool done = false;
  std::optional<std::string> note;
};

// A slip as its reader may see it. `content_visible` is false for metadata-only readers (the
// security administrator and the auditor, who place holds and delete) and once purged.
struct SlipView {
  Slip slip;
  SlipState state = SlipState::kIssued;  // effective at the time of reading
  bool content_visible = false;
  std::vector<SlipVersion> versions;  // all versions (content only when visible)
  std::vector<SlipCopy> copies;       // every version's copies
  std::vector<std::string> carried_to;
  const SlipVersion* current() const { return versions.empty() ? nullptr : &versions.back(); }
};

struct SlipFilter {
  std::optional<std::string> state;
  std::optional<std::string> department;
  std::optional<bool> acknowledged;
  std::optional<std::string> shift;
  std::optional<std::string> date;
  std::optional<std::string> author_id;
  std::string cursor;
  std::size_t limit = 100;
};

struct SlipPage {
  std::vector<SlipView> items;  // metadata and copies; content only through get()
  std::optional<std::string> next_cursor;
};

struct PurgeReceipt {
  std::string id;
  TimePoint purged_at;
  std::vector<std::string> content_hashes;  // every version's, in order
  std::string signature;                    // hex Ed25519 over the tombstone statement
  std::string statement;                    // what was signed
};

class Handovers {
 public:
  explicit Handovers(const auth::Runtime& rt) : rt_(rt), slips_(rt), objects_(rt) {}

  Result<SlipView> create(const auth::User& actor, const NewSlip& spec) const;
  // New slip by the actor with the open items (confirmed not done, or unconfirmed) of `id`.
  Result<SlipView> carry_over(const auth::User& actor, const std::string& id,
                              const NewSlip& spec) const;
  Result<SlipView> get(const auth::User& actor, const std::string& id) const;
  Result<SlipPage> list(const auth::User& actor, const SlipFilter& filter) const;
  Result<SlipView> acknowledge(const auth::User& actor, const std::string& id) const;
  Result<SlipView> confirm(const auth::User& actor, const std::string& id,
                           const std::vector<ItemConfirmation>& items) const;
  Result<SlipView> correct(const auth::User& actor, const std::string& id,
                           const Correction& correction) const;
  Result<SlipView> hold(const auth::User& actor, const std::string& id,
                        const std::string& reason) const;
  Result<SlipView> release(const auth::User& actor, const std::string& id,
                           const std::string& reason) const;
  Result<PurgeReceipt> remove(const auth::User& actor, const std::string& id) const;
  // H2: stores open slips past their deadline as overdue and raises one alert each (audited as
  // "system"); time comes from the Runtime's clock. Returns how many changed.
  Result<int> sweep() const;
  // H2: the overdue alerts, for supervisors (the auditor and the security administrator see
  // them in GET /alerts too).
  Result<std::vector<Alert>> overdue_alerts(const auth::User& actor, const std::string& cursor,
                                            std::size_t limit) const;

 private:
  struct Access;
  policy::Subject subject(const auth::User& actor) const;
  policy::Resource resource(const Slip& slip, int department = -1) const;
  Result<Access> read_access(const auth::User& actor, const Slip& slip,
                             std::string_view action) const;
  Result<Slip> load(barrier::ReadTx& tx, const std::string& id) const;
  Result<SlipView> view(barrier::ReadTx& tx, Slip slip, bool content, TimePoint now) const;
  Result<SlipView> view_of(const std::string& id, bool content) const;
  // Audits a refusal (S9) and returns it (or the audit failure: fail closed).
  Error refuse(const auth::User& actor, std::string_view action, const std::string& id,
               Error error) const;
  Result<SlipContent> validated_content(const auth::User& actor, const NewSlip& spec,
                                        TimePoint now) const;
  Result<SlipView> issue(const auth::User& actor, SlipContent content, TimePoint now,
                         std::string_view action) const;
  Result<void> enforce(const auth::User& actor, policy::Action action, const Slip& slip,
                       std::string_view audit_action, int department = -1) const;
  Result<bool> mark_overdue(const std::string& id, TimePoint now) const;
  Result<SlipView> set_hold(const auth::User& actor, const std::string& id,
                            const std::string& reason, bool placed) const;

  const auth::Runtime& rt_;
  SlipStore slips_;
  SealedObjects objects_;
};

}  // namespace baomi::services
