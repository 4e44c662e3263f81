#include "cmd/served_instance.h"

#include <algorithm>
#include <iostream>

#include "barrier/work_holds.h"
#include "crypto/random.h"
#include "services/documents/documents.h"
#include "services/watch/alert_sink.h"
#include "storage/lease.h"

namespace baomi::cmd {
namespace {

void renew(storage::Lease& alive) {
  auto renewed = alive.acquire(now_utc());
  if (!renewed.ok()) std::cerr << "baomi: node lease: " << renewed.error().message << "\n";
}

// Pending versions no live upload holds (their process died mid-upload) go with each sweep.
void purge_lost_uploads(const http::api::Api& api) {
  auto purged = api.documents.purge_pending_versions();
  if (!purged.ok()) {
    std::cerr << "baomi: purging lost uploads failed: " << purged.error().message << "\n";
  }
  // H3: the ciphertext of destroyed versions goes after their keys.
  auto compacted = api.documents.compact_destroyed();
  if (!compacted.ok()) {
    std::cerr << "baomi: compacting destroyed versions failed: " << compacted.error().message
              << "\n";
  }
}

// Housekeeping on one thread: signs a checkpoint of the head every `checkpoint_seconds`
// (DESIGN.md: every N entries or T seconds), and every `sweep_seconds` stores the lapse of
// pending requests and grants past their time (each audited as "system") and reclaims free
// pages. Reads never wait for a sweep: requests and grants are judged by their deadlines whenever
// they are used. With several instances on one database only the holder of the "maintenance"
// lease does this, so each sweep and timed checkpoint happens once; the lease outlives two sweep
// intervals, and another instance takes over within that when its holder dies.
// Every process also renews its own liveness lease every few seconds (barrier/work_holds.h).
void maintenance_loop(const Instance& inst, const http::api::Api& api, storage::Lease& alive,
                      const ServeOptions& o, const std::atomic<bool>& stop) {
  using clock = std::chrono::steady_clock;
  const auto term = std::chrono::seconds(2 * std::max(o.sweep_seconds, o.checkpoint_seconds) + 5);
  storage::Lease lease(*inst.store, "maintenance", crypto::random_id(), term);
  const auto holding = [&] {
    auto held = lease.acquire(now_utc());
    if (!held.ok()) std::cerr << "baomi: maintenance lease: " << held.error().message << "\n";
    return held.ok() && *held;
  };
  auto next_checkpoint = clock::now() + std::chrono::seconds(o.checkpoint_seconds);
  auto next_sweep = clock::now() + std::chrono::seconds(o.sweep_seconds);
  auto next_renewal = clock::now() + barrier::WorkHolds::kNodeRenewal;
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto now = clock::now();
    if (now >= next_renewal) {
      next_renewal = now + barrier::WorkHolds::kNodeRenewal;
      renew(alive);
      // Records another process changed or shredded leave this one's memory within max_age.
      inst.runtime->barrier.record_cache().expire(now);
    }
    if (now >= next_checkpoint) {
      next_checkpoint += std::chrono::seconds(o.checkpoint_seconds);
      if (holding()) {
        // I1: a failed checkpoint (a full or failing disk) leaves the trail as it was; the next
        // tick signs the head again. Logged, so that an operator sees the disk failing.
        auto signed_head = inst.store->write(
            [&](storage::WriteTx& tx) { return inst.audit->checkpoint(tx, now_utc()); });
        if (!signed_head.ok()) {
          std::cerr << "baomi: timed checkpoint failed: " << signed_head.error().message << "\n";
        }
      }
    }
    if (now >= next_sweep) {
      next_sweep += std::chrono::seconds(o.sweep_seconds);
      if (!holding()) continue;
      auto swept = api.requests.sweep();
      if (!swept.ok()) std::cerr << "baomi: sweep failed: " << swept.error().message << "\n";
      // H2: open slips past their deadline are stored overdue and raise their one alert.
      auto overdue = api.handovers.sweep();
      if (!overdue.ok()) {
        std::cerr << "baomi: handover sweep failed: " << overdue.error().message << "\n";
      }
      purge_lost_uploads(api);
      reclaim_space(inst);
    }
  }
  (void)lease.release();
}

// Delivers raised alerts to the policy's alerts.sink, about once a second (alert_sink.h). Only
// the holder of the "alert_sink" lease delivers, so each line is written by one process; the
// lease is asked for only when there is something to deliver. Failures are logged with their
// running count and retried; they never touch a request.
void alert_sink_loop(const Instance& inst, const std::atomic<bool>& stop) {
  const auto& target = inst.policy->alerts().sink;
  if (target.empty()) return;
  services::AlertSink sink(*inst.runtime, target);
  storage::Lease lease(*inst.store, "alert_sink", crypto::random_id(), std::chrono::seconds{15});
  auto next = std::chrono::steady_clock::now();
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (std::chrono::steady_clock::now() < next) continue;
    next += std::chrono::seconds{1};
    auto pending = sink.pending();
    if (!pending.ok() || !*pending) continue;
    auto held = lease.acquire(now_utc());
    if (!held.ok() || !*held) continue;
    auto delivered = sink.deliver();
    if (!delivered.ok()) {
      std::cerr << "baomi: alert sink: " << delivered.error().message << " (failure "
                << sink.failures() << ")\n";
    }
  }
  (void)lease.release();
}

// KEK rotation (services/keys/kek_rotation.h): every process learns KEKs other instances
// stored every kKekRefresh, so it wraps new data keys under the newest one; while a rewrap runs,
// the holder of the "kek_rewrap" lease rewraps one batch after another, pausing between them
// so that requests' writes interleave. A holder that dies stops renewing, and another process
// (or this one restarted) resumes from the stored progress once its term has passed.
void rewrap_loop(const Instance& inst, const http::api::Api& api, const ServeOptions& o,
                 const std::atomic<bool>& stop) {
  using clock = std::chrono::steady_clock;
  using services::KekRotation;
  storage::Lease lease(*inst.store, KekRotation::kRewrapDuty, crypto::random_id(),
                       std::chrono::seconds{10});
  const auto batch = static_cast<std::size_t>(std::max(1, o.rewrap_batch));
  const auto pause = std::chrono::milliseconds(std::max(0, o.rewrap_pause_ms));
  const auto pickup_window = std::chrono::milliseconds(std::max(0, o.rewrap_pickup_window_ms));
  auto next_refresh = clock::now();
  auto next_renewal = clock::now();
  bool held = false;
  while (!stop.load()) {
    const auto now = clock::now();
    if (now >= next_refresh) {
      next_refresh = now + KekRotation::kKekRefresh;
      auto learnt = api.keys.refresh_keks();
      if (!learnt.ok()) std::cerr << "baomi: KEK refresh: " << learnt.error().message << "\n";
    }
    auto pending = api.keys.rewrap_pending();
    if (!pending.ok() || !*pending) {
      if (held) (void)lease.release();
      held = false;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    if (!held || now >= next_renewal) {
      auto got = lease.acquire(now_utc());
      held = got.ok() && *got;
      next_renewal = now + std::chrono::seconds{2};
    }
    auto step = held ? api.keys.rewrap_step(lease.holder(), batch, pickup_window)
                     : Result<services::RewrapOutcome>(services::RewrapOutcome::kNotHolder);
    if (!step.ok()) std::cerr << "baomi: KEK rewrap: " << step.error().message << "\n";
    const bool worked = step.ok() && *step == services::RewrapOutcome::kWorked;
    std::this_thread::sleep_for(worked ? pause : std::chrono::milliseconds(500));
  }
  if (held) (void)lease.release();
}

}  // namespace

void reclaim_space(const Instance& inst) {
  constexpr std::size_t kPagesPerSweep = 16384;  // 64 MiB at SQLite's 4 KiB pages
  auto reclaimed = inst.store->write([](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.reclaim_free_pages(kPagesPerSweep));
    return {};
  });
  if (!reclaimed.ok()) {
    std::cerr << "baomi: reclaiming free pages failed: " << reclaimed.error().message << "\n";
  }
  // SQLite: chunk files no committed version names (a crash mid-upload, a removal while a backup
  // copied) go too. Only files untouched for a minute: another process (a `baomi demo load`
  // beside the server) may be between creating one and committing its index.
  auto swept = inst.store->sweep_chunk_files(std::chrono::seconds(60));
  if (!swept.ok()) {
    std::cerr << "baomi: sweeping content chunk files failed: " << swept.error().message << "\n";
  }
}

ServedInstance::~ServedInstance() {
  stopping = true;
  if (housekeeping.joinable()) housekeeping.join();
  if (alert_delivery.joinable()) alert_delivery.join();
  if (key_rewrap.joinable()) key_rewrap.join();
}

void ServedInstance::stop() {
  stopping = true;
  if (housekeeping.joinable()) housekeeping.join();
  if (alert_delivery.joinable()) alert_delivery.join();
  if (key_rewrap.joinable()) key_rewrap.join();
  (void)instance->store->write(
      [&](storage::WriteTx& tx) { return instance->audit->checkpoint(tx, now_utc()); });
  if (alive) (void)alive->release();
}

Result<std::shared_ptr<ServedInstance>> serve_instance(const InstancePaths& paths,
                                                       const ServeOptions& o,
                                                       const crypto::SecretKey* master) {
  auto served = std::make_shared<ServedInstance>();
  BAOMI_ASSIGN_OR_RETURN(
      served->instance,
      open_instance(
          paths, o.policy_dir ? std::optional<std::filesystem::path>(*o.policy_dir) : std::nullopt,
          true, master));
  auto& inst = *served->instance;
  served->node = std::make_unique<NodeIdentity>(NodeIdentity::claim(paths.data));
  inst.runtime->node = served->node->id();
  // Alive before anything this process writes can name it.
  served->alive = std::make_unique<storage::Lease>(
      *inst.store, barrier::WorkHolds::node_duty(inst.runtime->node), inst.runtime->node,
      barrier::WorkHolds::kNodeTerm);
  renew(*served->alive);
  // Uploads that were never acknowledged (a crash mid-upload) leave nothing visible behind.
  BAOMI_ASSIGN_OR_RETURN(auto purged, services::Documents(*inst.runtime).purge_pending_versions());
  if (purged.left > 0) {
    std::cerr << "baomi serve: " << purged.left
              << " pending upload(s) fail their integrity check and were left in place; "
                 "`baomi audit verify` names them\n";
  }
  // H3: ciphertext of destroyed versions left by an earlier run goes now.
  if (auto compacted = services::Documents(*inst.runtime).compact_destroyed(); !compacted.ok()) {
    std::cerr << "baomi serve: compacting destroyed versions failed: " << compacted.error().message
              << "\n";
  }
  reclaim_space(inst);
  served->api = std::make_unique<http::api::Api>(*inst.runtime);
  http::api::register_routes(served->router, *served->api);
  served->housekeeping = std::thread([s = served.get(), &o] {
    maintenance_loop(*s->instance, *s->api, *s->alive, o, s->stopping);
  });
  served->alert_delivery =
      std::thread([s = served.get()] { alert_sink_loop(*s->instance, s->stopping); });
  served->key_rewrap =
      std::thread([s = served.get(), &o] { rewrap_loop(*s->instance, *s->api, o, s->stopping); });
  return served;
}

}  // namespace baomi::cmd
