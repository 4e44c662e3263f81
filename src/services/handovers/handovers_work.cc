// Handovers: acknowledging a department's copy (H1), confirming items (H2, I2), correcting
// with a new version (I1) and carrying open items into a new slip.
#include <algorithm>
#include <set>

#include "audit/detail.h"
#include "crypto/random.h"
#include "services/handovers/handovers.h"
#include "services/handovers/handovers_internal.h"
#include "services/handovers/slip_rules.h"

namespace baomi::services {
namespace {

bool all_acknowledged(const std::vector<SlipCopy>& copies, std::uint64_t version) {
  bool any = false;
  for (const auto& c : copies) {
    if (c.version != version) continue;
    any = true;
    if (!c.acknowledged_at) return false;
  }
  return any;
}

const Confirmation* confirmation_of(const SlipProgress& p, int index) {
  for (const auto& c : p.confirmations) {
    if (c.index == index) return &c;
  }
  return nullptr;
}

Result<void> check_confirmations(const std::vector<ItemConfirmation>& items, std::size_t count,
                                 const SlipProgress& progress) {
  if (items.empty()) return Error::invalid("invalid_field", "field 'items' must not be empty");
  std::set<int> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto label = "field 'items[" + std::to_string(i) + "].index'";
    if (items[i].index < 0 || static_cast<std::size_t>(items[i].index) >= count) {
      return Error::invalid("invalid_field", label + " names no item of the slip");
    }
    if (!seen.insert(items[i].index).second) {
      return Error::invalid("invalid_field", label + " repeats an item");
    }
    // I1: a confirmation is a record; it is never overwritten.
    if (confirmation_of(progress, items[i].index)) {
      return Error::conflict("item_confirmed",
                             "item " + std::to_string(items[i].index) + " is already confirmed",
                             "H2");
    }
  }
  return {};
}

}  // namespace

Result<SlipView> Handovers::acknowledge(const auth::User& actor, const std::string& id) const {
  const auto now = rt_.now();
  std::optional<Slip> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(loaded, load(tx, id));
    return {};
  }));
  const int department = actor.department_id;
  BAOMI_TRY(enforce(actor, policy::Action::kAcknowledgeHandover, *loaded, "handover.acknowledge",
                    department));
  auto done = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slip, load(tx, id));
    BAOMI_TRY(check_event(slip, SlipEvent::kAcknowledge, now));
    BAOMI_ASSIGN_OR_RETURN(auto copies, slips_.copies(tx, id));
    auto it = std::find_if(copies.begin(), copies.end(), [&](const SlipCopy& c) {
      return c.version == slip.current_version && c.department == actor.department;
    });
    if (it == copies.end()) {
      return Error::conflict("no_copy", "the slip has no copy for your department", "H1");
    }
    if (it->acknowledged_at) {
      return Error::conflict("already_acknowledged", "your department's copy is acknowledged",
                             "H1");
    }
    it->acknowledged_by = actor.id;
    it->acknowledged_at = now;
    BAOMI_TRY(slips_.acknowledge(tx, id, *it));
    if (slip.state == SlipState::kIssued && all_acknowledged(copies, slip.current_version)) {
      slip.state = SlipState::kAcknowledged;
      slip.updated_at = now;
      BAOMI_TRY(slips_.update(tx, slip));
    }
    BAOMI_TRY(
        rt_.audit.append(tx,
                         {actor.id, "handover.acknowledge", handover_target(id), "allow", "H1",
                          audit::Detail{}
                              .add("department", actor.department)
                              .add("version", slip.current_version)
                              .add("content_hash", it->content_hash)},
                         now));
    return {};
  });
  if (!done.ok()) return refuse(actor, "handover.acknowledge", id, done.take_error());
  return view_of(id, true);
}

Result<SlipView> Handovers::confirm(const auth::User& actor, const std::string& id,
                                    const std::vector<ItemConfirmation>& items) const {
  const auto now = rt_.now();
  std::optional<Slip> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(loaded, load(tx, id));
    return {};
  }));
  // H2, I2: the receiving side confirms; the author never does (403 own_slip, rule I2).
  BAOMI_TRY(enforce(actor, policy::Action::kConfirmHandover, *loaded, "handover.confirm"));
  auto done = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slip, load(tx, id));
    BAOMI_TRY(check_event(slip, SlipEvent::kConfirm, now));
    BAOMI_ASSIGN_OR_RETURN(auto versions, slips_.versions(tx, slip, true));
    const auto count = versions.back().content->items.size();
    BAOMI_TRY(check_confirmations(items, count, slip.progress));
    const bool late = now >= slip.due_at;
    for (const auto& item : items) {
      slip.progress.confirmations.push_back(
          {item.index, item.done, item.note, actor.id, now, late});
    }
    const bool complete = slip.progress.confirmations.size() == count;
    if (complete) {
      slip.state = SlipState::kConfirmed;
      slip.confirmed_at = now;
      // H3: the retention period runs from confirmation.
      slip.retain_until = retention_end(now, rt_.policy.handovers().retention_months,
                                        rt_.policy.centre().utc_offset);
    }
    slip.updated_at = now;
    BAOMI_TRY(slips_.update(tx, slip));
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "handover.confirm", handover_target(id), "allow", "H2",
                                audit::Detail{}
                                    .add("version", slip.current_version)
                                    .add("confirmed_items", items.size())
                                    .add("complete", complete)
                                    .add("late", late)},
                               now));
    return {};
  });
  if (!done.ok()) return refuse(actor, "handover.confirm", id, done.take_error());
  return view_of(id, true);
}

Result<SlipView> Handovers::correct(const auth::User& actor, const std::string& id,
                                    const Correction& correction) const {
  const auto now = rt_.now();
  std::optional<Slip> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(loaded, load(tx, id));
    return {};
  }));
  BAOMI_TRY(enforce(actor, policy::Action::kCorrectHandover, *loaded, "handover.correct"));
  BAOMI_TRY(check_slip_items(correction.items));
  if (correction.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid("invalid_field", "field 'reason' must not be empty");
  }
  auto done = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slip, load(tx, id));
    BAOMI_TRY(check_event(slip, SlipEvent::kCorrect, now));
    BAOMI_ASSIGN_OR_RETURN(auto versions, slips_.versions(tx, slip, true));
    const auto& previous = versions.back();
    // I1: a new version chained to the previous one by its content hash.
    SlipContent c = *previous.content;
    c.version = previous.version + 1;
    c.author_id = actor.id;
    c.created_at = now;
    c.items = correction.items;
    c.notes = correction.notes;
    c.reason = correction.reason;
    c.prev_hash = previous.content_hash;
    c.salt = to_hex(crypto::random_bytes(16));
    const auto hash = content_hash(c);
    slip.current_version = c.version;
    slip.progress.version = c.version;
    slip.progress.confirmations.clear();  // H2: the new items are confirmed afresh
    if (slip.state == SlipState::kAcknowledged) slip.state = SlipState::kIssued;
    slip.updated_at = now;
    BAOMI_TRY(slips_.add_version(tx, slip, c, hash, rt_.policy.handovers().receiving_departments));
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "handover.correct", handover_target(id), "allow", "I1",
                                audit::Detail{}
                                    .add("version", c.version)
                                    .add("content_hash", hash)
                                    .add("prev_hash", c.prev_hash)},
                               now));
    return {};
  });
  if (!done.ok()) return refuse(actor, "handover.correct", id, done.take_error());
  return view_of(id, true);
}

Result<SlipView> Handovers::carry_over(const auth::User& actor, const std::string& id,
                                       const NewSlip& spec) const {
  const auto now = rt_.now();
  std::optional<Slip> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(loaded, load(tx, id));
    return {};
  }));
  BAOMI_TRY(enforce(actor, policy::Action::kReadHandover, *loaded, "handover.carry_over"));
  Slip mine;
  mine.author_id = actor.id;
  mine.id = id;
  BAOMI_TRY(enforce(actor, policy::Action::kCreateHandover, mine, "handover.carry_over"));
  if (auto state = check_event(*loaded, SlipEvent::kCarryOver, now); !state.ok()) {
    return refuse(actor, "handover.carry_over", id, state.take_error());
  }
  BAOMI_ASSIGN_OR_RETURN(auto old, view_of(id, true));
  NewSlip next = spec;
  next.items.clear();
  const auto& items = old.current()->content->items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto* c = confirmation_of(old.slip.progress, static_cast<int>(i));
    if (c && c->done) continue;  // only work not done moves on
    auto item = items[i];
    item.carried_from = ItemOrigin{id, static_cast<int>(i)};
    next.items.push_back(std::move(item));
  }
  if (next.items.empty()) {
    return refuse(actor, "handover.carry_over", id,
                  Error::conflict("nothing_to_carry", "every item of the slip is done", "H2"));
  }
  BAOMI_ASSIGN_OR_RETURN(auto content, validated_content(actor, next, now));
  content.carried_from = id;
  return issue(actor, std::move(content), now, "handover.carry_over");
}

}  // namespace baomi::services
