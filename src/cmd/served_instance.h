// ServedInstance: an opened instance while a server serves it: its Api, the API's router and
// the housekeeping thread (checkpoints, sweeps). A sealed server has none; unsealing opens one,
// sealing stops its housekeeping and drops it, and the keys leave memory when the requests
// still holding it (through RouteMatch::keep_alive) are done. Members are declared in
// dependency order (destroyed in reverse). start()/stop() from one thread at a time.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "cmd/commands.h"
#include "cmd/instance.h"
#include "cmd/node_identity.h"
#include "http/api/api.h"
#include "storage/lease.h"

namespace baomi::cmd {

struct ServedInstance {
  std::unique_ptr<Instance> instance;
  // Which server process this is among those sharing the store, and its liveness lease
  // (barrier/work_holds.h): uploads it holds are never cleared by another process.
  std::unique_ptr<NodeIdentity> node;
  std::unique_ptr<storage::Lease> alive;
  std::unique_ptr<http::api::Api> api;
  http::Router router;
  std::atomic<bool> stopping{false};
  std::thread housekeeping;
  std::thread alert_delivery;
  std::thread key_rewrap;

  ~ServedInstance();
  // Stops the housekeeping, alert and rewrap threads (waits for them), signs a last checkpoint of
  // the trail and gives up the liveness lease (what this process held is free at once).
  void stop();
};

// Opens the instance (with `master` rebuilt from key shares, or its key file when null), purges
// unacknowledged uploads, registers the API's routes and starts the housekeeping thread.
Result<std::shared_ptr<ServedInstance>> serve_instance(const InstancePaths& paths,
                                                       const ServeOptions& options,
                                                       const crypto::SecretKey* master);

// Gives the pages of deleted rows back to the file system, a bounded number per call, and
// removes content chunk files no committed version names (SQLite, storage/sqlite/chunk_files.h).
void reclaim_space(const Instance& inst);

}  // namespace baomi::cmd
