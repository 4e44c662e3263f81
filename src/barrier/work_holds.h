// WorkHolds: which server process is doing a piece of unfinished work kept in the store (an
// upload's pending version), so that another process on the same database never takes it for
// the leftover of a crash (issue 13: several instances). Each process has a node id and keeps a
// liveness lease (storage::Lease on duty "node.<id>", renewed by `baomi serve`); a hold names a
// node and counts while that node's lease runs. A node that dies stops renewing, and its holds
// lapse with its term.
// Holds decide nothing about access: they are plain meta entries. Whoever can write the
// database can make a hold look live (a leftover waits) or lapsed (an upload ends 409), which
// they could do anyway; nothing is revealed or accepted because of a hold.
// Thread-safety: stateless; use inside a store job.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "barrier/transaction.h"
#include "core/result.h"
#include "core/time.h"

namespace baomi::barrier {

struct WorkHold {
  std::string node;
  std::uint64_t item = 0;  // which piece of the work (an upload: the version number)
};

class WorkHolds {
 public:
  // How long a node counts as alive after its last renewal, and how often serve renews.
  static constexpr std::chrono::seconds kNodeTerm{30};
  static constexpr std::chrono::seconds kNodeRenewal{5};
  // The duty name of a node's liveness lease.
  static std::string node_duty(const std::string& node) { return "node." + node; }

  // `work` names one unit of work (e.g. "upload.<document id>"): at most one hold each.
  static Result<void> take(WriteTx& tx, const std::string& work, const WorkHold& hold);
  static Result<void> drop(WriteTx& tx, const std::string& work);
  // The hold on `work` while its node's lease runs at `now`; nullopt when there is none, it was
  // dropped, or its node is gone.
  static Result<std::optional<WorkHold>> live_hold(ReadTx& tx, const std::string& work,
                                                   TimePoint now);
};

}  // namespace baomi::barrier
