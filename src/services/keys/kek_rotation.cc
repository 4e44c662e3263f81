#include "services/keys/kek_rotation.h"

#include <algorithm>

#include "audit/detail.h"
#include "auth/guard.h"
#include "services/record_tables.h"

namespace baomi::services {
namespace {

// What a key lifecycle entry says beside its action (no key material, ever).
struct KeyAuditDetail {
  std::optional<std::uint32_t> version;
  std::optional<std::uint32_t> previous;
  std::optional<std::string> table;
  std::optional<std::uint64_t> keys;
  std::optional<std::uint64_t> rewrapped;
};

std::string key_detail_json(const KeyAuditDetail& d) {
  audit::Detail o;
  if (d.version) o.add("kek_version", *d.version);
  if (d.previous) o.add("previous_version", *d.previous);
  if (d.table) o.add("table", *d.table);
  if (d.keys) o.add("keys", *d.keys);
  if (d.rewrapped) o.add("rewrapped", *d.rewrapped);
  return o;
}

std::string kek_target(std::uint32_t version) { return "kek:" + std::to_string(version); }

}  // namespace

KekRotation::KekRotation(const auth::Runtime& rt) : rt_(rt), tables_(key_tables(rt.barrier)) {}

std::vector<const barrier::Table*> KekRotation::table_list() const {
  std::vector<const barrier::Table*> out;
  for (const auto& t : tables_) out.push_back(&t->table());
  return out;
}

Result<std::string> KekRotation::allowed(const auth::User& actor, policy::Action action,
                                         std::string_view audit_action) const {
  const auto d = rt_.policy.decide(auth::subject_of(actor), action, {}, {rt_.now()});
  BAOMI_TRY(auth::enforce(rt_, d, actor.id, audit_action, "keys"));
  return std::string(d.rule);
}

Result<RotationStarted> KekRotation::rotate(const auth::User& actor) const {
  BAOMI_ASSIGN_OR_RETURN(const auto rule,
                         allowed(actor, policy::Action::kRotateKeys, "keys.rotate"));
  barrier::KekRecord record;
  RotationStarted started;
  const auto tables = table_list();
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    const TimePoint now = rt_.now();
    BAOMI_ASSIGN_OR_RETURN(record, barrier::store_new_kek(tx, rt_.barrier));
    started = {record.version, record.version - 1};
    barrier::KekRewrapProgress progress;
    progress.target = record.version;
    progress.started_us = progress.pass_started_us = to_micros(now);
    progress.passes = 1;
    BAOMI_TRY(barrier::save_rewrap_progress(tx, progress, tables));
    BAOMI_TRY(rt_.audit.append(
        tx,
        {actor.id, "keys.rotate", kek_target(record.version), "allow", rule,
         key_detail_json({.version = record.version, .previous = started.previous})},
        now));
    return {};
  }));
  // Stored and durable: from now on this instance wraps new data keys under it.
  BAOMI_TRY(rt_.barrier.adopt_keks({record}));
  return started;
}

Result<std::map<std::uint32_t, std::uint64_t>> KekRotation::count_keys() const {
  constexpr std::size_t kPage = 1000;
  std::map<std::uint32_t, std::uint64_t> counts;
  for (const auto& table : tables_) {
    std::optional<barrier::Row> after;
    do {
      BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
        BAOMI_ASSIGN_OR_RETURN(after, table->count_page(tx, after, kPage, counts));
        return {};
      }));
    } while (after);
  }
  return counts;
}

Result<KeyStatus> KekRotation::status(const auth::User& actor) const {
  BAOMI_ASSIGN_OR_RETURN(const auto rule,
                         allowed(actor, policy::Action::kReadKeyStatus, "keys.status"));
  BAOMI_TRY(refresh_keks());
  KeyStatus out;
  std::vector<barrier::KekRecord> stored;
  std::optional<barrier::KekRewrapProgress> progress;
  const auto tables = table_list();
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(stored, barrier::stored_keks(tx));
    BAOMI_ASSIGN_OR_RETURN(progress, barrier::load_rewrap_progress(tx, tables));
    return {};
  }));
  BAOMI_ASSIGN_OR_RETURN(auto counts, count_keys());
  out.current = rt_.barrier.current_kek_version();
  for (const auto& k : stored) out.versions.push_back({k.version, counts[k.version]});
  std::sort(out.versions.begin(), out.versions.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  if (progress) {
    out.rewrap = RewrapStatus{
        progress->target, from_micros(progress->started_us), progress->rewrapped, progress->passes,
        progress->table < tables.size() ? tables[progress->table]->name : std::string()};
  }
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "keys.status", "keys", "allow", rule, key_detail_json({.version = out.current})},
      rt_.now()));
  return out;
}

Result<bool> KekRotation::rewrap_pending() const {
  bool pending = false;
  const auto tables = table_list();
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto progress, barrier::load_rewrap_progress(tx, tables));
    pending = progress.has_value();
    return {};
  }));
  return pending;
}

Result<std::size_t> KekRotation::refresh_keks() const {
  // I1: an audit signing key another instance rotated to signs here too (statements, bundles)
  // from the same tick on, not only from this instance's next checkpoint.
  BAOMI_TRY(rt_.store.read(
      [&](barrier::ReadTx& tx) -> Result<void> { return rt_.audit.refresh_signing_key(tx); }));
  return rt_.barrier.refresh_keks();
}

Result<RewrapOutcome> KekRotation::rewrap_step(const std::string& holder, std::size_t batch,
                                               std::chrono::milliseconds pickup_window) const {
  RewrapOutcome outcome = RewrapOutcome::kIdle;
  const auto tables = table_list();
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    const TimePoint now = rt_.now();
    outcome = RewrapOutcome::kIdle;
    BAOMI_ASSIGN_OR_RETURN(auto progress, barrier::load_rewrap_progress(tx, tables));
    if (!progress) return {};
    BAOMI_ASSIGN_OR_RETURN(const bool ours, barrier::holds_duty(tx, kRewrapDuty, holder, now));
    if (!ours) {
      outcome = RewrapOutcome::kNotHolder;
      return {};
    }
    // Keys are rewrapped under the newest stored KEK, whichever instance made it.
    BAOMI_ASSIGN_OR_RETURN(auto stored, barrier::stored_keks(tx));
    BAOMI_TRY(rt_.barrier.adopt_keks(stored));
    auto& p = *progress;
    if (p.table >= tables_.size()) {
      const auto window = std::chrono::duration_cast<std::chrono::microseconds>(pickup_window);
      const bool settled =
          p.pass_rewrapped == 0 && p.pass_started_us >= p.started_us + window.count();
      if (p.pass_rewrapped == 0 && !settled && to_micros(now) < p.started_us + window.count()) {
        return {};  // nothing left; the confirming pass waits for the pickup window
      }
      if (settled) {
        outcome = RewrapOutcome::kFinished;
        BAOMI_TRY(barrier::save_rewrap_progress(tx, std::nullopt, tables));
        BAOMI_TRY(
            rt_.audit.append(tx,
                             {"system", "keys.rewrap_done", kek_target(p.target), "allow", "",
                              key_detail_json({.version = p.target, .rewrapped = p.rewrapped})},
                             now));
        return {};
      }
      // Another pass: keys written meanwhile by an instance that had not yet learnt the KEK.
      p.table = 0;
      p.after.reset();
      p.pass_rewrapped = 0;
      p.pass_started_us = to_micros(now);
      ++p.passes;
    }
    outcome = RewrapOutcome::kWorked;
    const auto& table = *tables_[p.table];
    BAOMI_ASSIGN_OR_RETURN(auto page, table.rewrap_page(tx, p.after, batch));
    p.rewrapped += page.rewrapped;
    p.pass_rewrapped += page.rewrapped;
    if (page.table_done) {
      ++p.table;
      p.after.reset();
    } else {
      p.after = std::move(page.last_key);
    }
    BAOMI_TRY(barrier::save_rewrap_progress(tx, p, tables));
    if (page.rewrapped == 0) return {};
    BAOMI_TRY(rt_.audit.append(
        tx,
        {"system", "keys.rewrap", kek_target(rt_.barrier.current_kek_version()), "allow", "",
         key_detail_json({.table = table.table().name, .keys = page.rewrapped})},
        now));
    return {};
  }));
  return outcome;
}

}  // namespace baomi::services
