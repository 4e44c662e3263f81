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
#include "http/api/api.h"

namespace baomi::cmd {

struct ServedInstance {
  std::unique_ptr<Instance> instance;
  std::unique_ptr<http::api::Api> api;
  http::Router router;
  std::atomic<bool> stopping{false};
  std::thread housekeeping;

  ~ServedInstance();
  // Stops the housekeeping thread (waits for it) and signs a last checkpoint of the trail.
  void stop();
};

// Opens the instance (with `master` rebuilt from key shares, or its key file when null), purges
// unacknowledged uploads, registers the API's routes and starts the housekeeping thread.
Result<std::shared_ptr<ServedInstance>> serve_instance(const InstancePaths& paths,
                                                       const ServeOptions& options,
                                                       const crypto::SecretKey* master);

// Gives the pages of deleted rows back to the file system, a bounded number per call.
void reclaim_space(const Instance& inst);

}  // namespace baomi::cmd
