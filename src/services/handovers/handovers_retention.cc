// Handovers: legal holds, purging after retention (H3), the overdue sweep and its alerts (H2).
#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/handovers/handovers.h"
#include "services/handovers/handovers_internal.h"
#include "services/handovers/slip_rules.h"

namespace baomi::services {

Result<SlipView> Handovers::set_hold(const auth::User& actor, const std::string& id,
                                     const std::string& reason, bool placed) const {
  const auto now = rt_.now();
  const std::string action = placed ? "handover.hold" : "handover.release";
  std::optional<Slip> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(loaded, load(tx, id));
    return {};
  }));
  BAOMI_TRY(enforce(actor, policy::Action::kHoldRecord, *loaded, action));
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid("invalid_field", "field 'reason' must not be empty");
  }
  auto done = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slip, load(tx, id));
    BAOMI_TRY(check_event(slip, placed ? SlipEvent::kHold : SlipEvent::kRelease, now));
    slip.hold = placed;
    slip.progress.holds.push_back({placed, actor.id, now, reason});  // the reason stays sealed
    slip.updated_at = now;
    BAOMI_TRY(slips_.update(tx, slip));
    BAOMI_TRY(rt_.audit.append(
        tx,
        {actor.id, action, handover_target(id), "allow", "H3", audit::Detail{}.add("hold", placed)},
        now));
    return {};
  });
  if (!done.ok()) return refuse(actor, action, id, done.take_error());
  return view_of(id, false);
}

Result<SlipView> Handovers::hold(const auth::User& actor, const std::string& id,
                                 const std::string& reason) const {
  return set_hold(actor, id, reason, true);
}

Result<SlipView> Handovers::release(const auth::User& actor, const std::string& id,
                                    const std::string& reason) const {
  return set_hold(actor, id, reason, false);
}

Result<PurgeReceipt> Handovers::remove(const auth::User& actor, const std::string& id) const {
  const auto now = rt_.now();
  std::optional<Slip> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(loaded, load(tx, id));
    return {};
  }));
  BAOMI_TRY(enforce(actor, policy::Action::kDeleteHandover, *loaded, "handover.delete"));
  PurgeReceipt receipt;
  receipt.id = id;
  receipt.purged_at = now;
  auto done = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slip, load(tx, id));
    BAOMI_TRY(check_event(slip, SlipEvent::kPurge, now));
    BAOMI_ASSIGN_OR_RETURN(auto versions, slips_.versions(tx, slip, false));
    receipt.content_hashes.clear();
    for (const auto& v : versions) receipt.content_hashes.push_back(v.content_hash);
    BAOMI_TRY(slips_.purge(tx, slip, now));
    // H3, I1: the tombstone names what was destroyed; the chain and an explicit signature
    // with the audit key prove it later without the content.
    const auto statement = audit::Detail{}
                               .add("slip", id)
                               .add("purged_at", format_rfc3339(now))
                               .add("content_hashes", receipt.content_hashes);
    receipt.statement = statement.json();
    receipt.signature = rt_.audit.sign_statement("handover-tombstone", receipt.statement);
    auto detail = statement;
    detail.add("tombstone", true).add("signature", receipt.signature);
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "handover.purge", handover_target(id), "allow", "H3", detail}, now));
    return {};
  });
  if (!done.ok()) return refuse(actor, "handover.delete", id, done.take_error());
  return receipt;
}

Result<bool> Handovers::mark_overdue(const std::string& id, TimePoint now) const {
  bool changed = false;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slip, load(tx, id));
    if (effective_state(slip, now) != SlipState::kOverdue || slip.state == SlipState::kOverdue) {
      return {};  // confirmed or stored meanwhile
    }
    slip.state = SlipState::kOverdue;
    slip.updated_at = now;
    if (slip.alert_id.empty()) {
      // H2: one alert per slip, naming no personal data.
      Alert alert;
      alert.id = crypto::random_id();
      alert.type = "handover_overdue";
      alert.raised_by = "system";
      alert.target = handover_target(id);
      alert.detail = "handover slip of shift " + slip.shift_date + " " + slip.shift_name +
                     " not confirmed by its deadline " + format_rfc3339(slip.due_at);
      alert.at = now;
      auto object = to_object(alert);
      BAOMI_TRY(objects_.insert(tx, object));
      slip.alert_id = alert.id;
    }
    BAOMI_TRY(slips_.update(tx, slip));
    BAOMI_TRY(rt_.audit.append(
        tx,
        {"system", "handover.overdue", handover_target(id), "allow", "H2",
         audit::Detail{}.add("alert_id", slip.alert_id).add("due_at", format_rfc3339(slip.due_at))},
        now));
    changed = true;
    return {};
  }));
  return changed;
}

Result<int> Handovers::sweep() const {
  const auto now = rt_.now();
  SlipQuery q;
  q.lapsed_only = true;
  q.overdue_at = now;
  q.limit = 256;
  int changed = 0;
  for (;;) {
    std::vector<Slip> due;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(due, slips_.list(tx, q));
      return {};
    }));
    for (const auto& slip : due) {
      BAOMI_ASSIGN_OR_RETURN(bool marked, mark_overdue(slip.id, now));
      changed += marked ? 1 : 0;
    }
    if (due.size() < q.limit) break;
    q.after_id = due.back().id;
  }
  return changed;
}

Result<std::vector<Alert>> Handovers::overdue_alerts(const auth::User& actor,
                                                     const std::string& cursor,
                                                     std::size_t limit) const {
  const auto now = rt_.now();
  Slip any;
  any.id = "alerts";
  BAOMI_TRY(auth::enforce(
      rt_,
      rt_.policy.decide(subject(actor), policy::Action::kSuperviseHandovers, resource(any), {now}),
      actor.id, "handover.alerts", "handover_alerts"));
  SlipQuery q;
  q.with_alert = true;
  q.after_id = cursor;
  q.limit = limit;
  std::vector<Alert> out;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slips, slips_.list(tx, q));
    for (const auto& slip : slips) {
      BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, "alert", slip.alert_id));
      if (!object) return Error::integrity("an overdue alert is missing");
      BAOMI_ASSIGN_OR_RETURN(auto alert, alert_from_object(*object));
      out.push_back(std::move(alert));
    }
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "handover.alerts", "handover_alerts", "allow", "H2",
                              audit::Detail{}.add("count", out.size())},
                             now));
  return out;
}

}  // namespace baomi::services
