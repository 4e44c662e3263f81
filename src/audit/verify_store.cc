// verify_store (audit_log.h): the stored trail checked in two threads (issue 14). The thread
// that owns the read transaction steps the rows and copies each entry's fields, and the stored
// Merkle nodes that entry completes, into a batch; a second thread feeds the batches, in seq
// order, to one ChainVerifier (hashes, links, signatures, tree). Every check is the
// ChainVerifier's, made in the same order on the same values as on one thread, so the verdict
// and the first bad seq are the same. Memory is bounded: kBatchesInFlight batches of
// `batch_entries` entries each. While the checking thread catches up, this one checks the
// record ledger (only used when the chain verifies, as before).
#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "audit/audit_log.h"
#include "audit/checkpoint.h"
#include "audit/record_ledger.h"
#include "audit/stored_nodes.h"
#include "audit/trail_tables.h"
#include "audit/tree_head.h"
#include "barrier/engine_access.h"

namespace baomi::audit {
namespace {

// One being filled, one being checked, one ready: reading never waits for a whole batch to be
// checked unless the checker is the slower side.
constexpr std::size_t kBatchesInFlight = 3;
constexpr std::size_t kTextFields = 9;  // actor .. hash, in AuditEntryView order

// A stored node the entries of a batch complete, as StoredNodesInOrder found it.
struct NodeSlot {
  unsigned level = 0;
  std::uint64_t index = 0;
  bool found = false;
  // The lookup that did not find it had failed to read (or one before it had): the verdict is
  // then unknown, not "tampered" (as on one thread: the first failed read's error).
  bool read_failed = false;
  std::uint32_t offset = 0;  // into Batch::node_bytes
  std::uint32_t size = 0;
};

struct EntrySlot {
  std::uint64_t seq = 0;
  std::int64_t time_us = 0;
  std::size_t begin = 0;                          // into Batch::text
  std::array<std::uint32_t, kTextFields> ends{};  // field ends, relative to begin
};

// Entries copied out of the engine's row buffer: their text fields back to back, reused from
// batch to batch (no allocation per entry once the buffers have grown).
struct Batch {
  std::vector<EntrySlot> entries;
  std::string text;
  std::vector<NodeSlot> nodes;  // in the order the verifier asks for them
  Bytes node_bytes;

  // Room for a whole batch of typical entries (about 450 bytes of text each) at once: growing
  // by doubling would touch fresh pages again and again (page faults showed in the profile).
  void reserve(std::size_t batch_entries) {
    entries.reserve(batch_entries);
    text.reserve(batch_entries * 512);
    nodes.reserve(batch_entries + 64);
    node_bytes.reserve((batch_entries + 64) * 32);
  }
  void clear() {
    entries.clear();
    text.clear();
    nodes.clear();
    node_bytes.clear();
  }
  void add(const AuditEntryView& e) {
    EntrySlot slot{e.seq, e.time_us, text.size(), {}};
    const std::string_view fields[kTextFields] = {e.actor,    e.action,    e.target,
                                                  e.decision, e.rule,      e.policy_version,
                                                  e.detail,   e.prev_hash, e.hash};
    for (std::size_t i = 0; i < kTextFields; ++i) {
      text.append(fields[i]);
      slot.ends[i] = static_cast<std::uint32_t>(text.size() - slot.begin);
    }
    entries.push_back(slot);
  }
  AuditEntryView view(std::size_t i) const {
    const EntrySlot& slot = entries[i];
    std::string_view all(text.data() + slot.begin, slot.ends[kTextFields - 1]);
    std::string_view f[kTextFields];
    std::uint32_t from = 0;
    for (std::size_t k = 0; k < kTextFields; ++k) {
      f[k] = all.substr(from, slot.ends[k] - from);
      from = slot.ends[k];
    }
    return {slot.seq, slot.time_us, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]};
  }
};

// Batches pass from the reader to the checker through `full` and back through `free`; a null
// batch ends the stream. The checker stops checking at the first problem but keeps handing
// batches back, so the reader never waits for ever.
class BatchQueue {
 public:
  BatchQueue(std::size_t batches, std::size_t batch_entries) : store_(batches) {
    for (auto& b : store_) {
      b.reserve(batch_entries);
      free_.push_back(&b);
    }
  }
  Batch* take_free() {
    std::unique_lock lock(mu_);
    free_cv_.wait(lock, [&] { return !free_.empty(); });
    Batch* b = free_.front();
    free_.pop_front();
    b->clear();
    return b;
  }
  void give_free(Batch* b) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(b);
    }
    free_cv_.notify_one();
  }
  void push_full(Batch* b) {  // nullptr: the end
    {
      std::lock_guard lock(mu_);
      full_.push_back(b);
    }
    full_cv_.notify_one();
  }
  Batch* take_full() {
    std::unique_lock lock(mu_);
    full_cv_.wait(lock, [&] { return !full_.empty(); });
    Batch* b = full_.front();
    full_.pop_front();
    return b;
  }

 private:
  std::vector<Batch> store_;
  std::mutex mu_;
  std::condition_variable free_cv_, full_cv_;
  std::deque<Batch*> free_, full_;
};

// The checking side: one ChainVerifier fed every entry of every batch, in order.
class Checker {
 public:
  Checker(ChainVerifier& verifier, bool check_nodes) : verifier_(verifier) {
    if (!check_nodes) return;
    verifier_.check_stored_nodes([this](unsigned level, std::uint64_t index, Bytes& node) {
      // Batches hold the nodes in the order the entries complete them (reader_slots below):
      // anything else is a bug here, not evidence about the trail.
      if (next_node_ >= batch_->nodes.size()) throw std::logic_error("stored node not read ahead");
      const NodeSlot& n = batch_->nodes[next_node_++];
      if (n.level != level || n.index != index) {
        throw std::logic_error("stored nodes read ahead in another order");
      }
      if (!n.found) {
        stopped_on_read_failure_ = n.read_failed;
        return false;
      }
      const auto begin = batch_->node_bytes.begin() + static_cast<std::ptrdiff_t>(n.offset);
      node.assign(begin, begin + static_cast<std::ptrdiff_t>(n.size));
      return true;
    });
  }
  // False once a problem is found (then nothing more is checked).
  bool check(const Batch& batch) {
    if (failed_) return false;
    batch_ = &batch;
    next_node_ = 0;
    for (std::size_t i = 0; i < batch.entries.size(); ++i) {
      if (!verifier_.feed(batch.view(i))) {
        failed_ = true;
        break;
      }
    }
    batch_ = nullptr;
    return !failed_;
  }
  bool failed() const { return failed_; }
  bool stopped_on_read_failure() const { return stopped_on_read_failure_; }

 private:
  ChainVerifier& verifier_;
  const Batch* batch_ = nullptr;
  std::size_t next_node_ = 0;
  bool failed_ = false;
  bool stopped_on_read_failure_ = false;
};

// Looks up, in the order the verifier will ask for them, the stored nodes that leaf `leaf`
// (0-based) completes: as MerkleFrontier::append, one per trailing 1 bit of the leaf index.
void read_nodes_ahead(StoredNodesInOrder& nodes, std::uint64_t leaf, Batch& batch, Bytes& node) {
  std::uint64_t index = leaf;
  unsigned level = 0;
  while ((index & 1) != 0) {
    index >>= 1;
    ++level;
    NodeSlot slot{level, index};
    slot.found = nodes.get(level, index, node);
    if (slot.found) {
      slot.offset = static_cast<std::uint32_t>(batch.node_bytes.size());
      slot.size = static_cast<std::uint32_t>(node.size());
      batch.node_bytes.insert(batch.node_bytes.end(), node.begin(), node.end());
    } else {
      slot.read_failed = nodes.error().has_value();
    }
    batch.nodes.push_back(slot);
  }
}

// What the record ledger checks found, kept until the chain's verdict says whether they count.
struct LedgerVerdict {
  Result<std::optional<LedgerProblem>> ledger = std::optional<LedgerProblem>();
  Result<std::optional<LedgerProblem>> current = std::optional<LedgerProblem>();
};

LedgerVerdict check_ledger(storage::ReadTx& tx, const std::vector<CommittedWrites>& committed,
                           const std::vector<const storage::Table*>& record_tables) {
  LedgerVerdict v;
  v.ledger = verify_record_ledger(tx, committed);
  // As before: a database without a ledger (no entry commits to one) ends the check here, and
  // so does any finding; the stored records are judged only against an intact ledger.
  if (!v.ledger.ok() || *v.ledger) return v;
  v.current = verify_current_records(tx, record_tables);
  return v;
}

Result<VerifyReport> with_ledger(VerifyReport report, LedgerVerdict v,
                                 const std::vector<CommittedWrites>& committed) {
  // I1: the ledger of record writes must be exactly what the chained entries commit to, or a
  // replayed old record could hide behind an edited ledger.
  // A database no server of this version has opened has no ledger, and no entry commits to one.
  if (!v.ledger.ok() && committed.empty()) return report;
  BAOMI_ASSIGN_OR_RETURN(auto problem, std::move(v.ledger));
  if (problem) {
    report.ok = false;
    report.first_bad_seq = problem->seq;
    report.problem =
        "record ledger at seq " + std::to_string(problem->seq) + ": " + problem->problem;
    return report;
  }
  BAOMI_ASSIGN_OR_RETURN(auto stale, std::move(v.current));
  if (stale) {
    report.ok = false;
    report.problem = "stored record " + stale->problem;
  }
  return report;
}

}  // namespace

Result<VerifyReport> verify_store(storage::ReadTx& tx, const Bytes& public_key,
                                  const std::vector<const storage::Table*>& record_tables,
                                  const VerifyStoreOptions& options) {
  ChainVerifier verifier(public_key);
  StoredNodesInOrder nodes(tx);
  BAOMI_ASSIGN_OR_RETURN(auto checkpoints, audit::list_checkpoints(tx));
  std::vector<Checkpoint> cps;
  cps.reserve(checkpoints.size());
  for (const auto& c : checkpoints) cps.push_back({c.seq, c.head, c.time_us, c.signature});
  verifier.add_checkpoints(std::move(cps));
  // A database no server of this version has opened yet has no tree tables: its chain and
  // checkpoints are still checked, and it gets its tree when a server next opens it.
  auto tree_heads = audit::list_tree_heads(tx);
  const bool check_nodes = tree_heads.ok();
  if (check_nodes) {
    std::vector<TreeHead> ths;
    ths.reserve(tree_heads->size());
    for (const auto& t : *tree_heads) {
      ths.push_back({t.tree_size, t.root_hash, t.head, t.time_us, t.signature});
    }
    verifier.add_tree_heads(std::move(ths));
  }
  // The stored nodes serve every proof: a damaged one is reported here, not by a client.
  Checker checker(verifier, check_nodes);
  const std::size_t batch_entries = std::max<std::size_t>(options.batch_entries, 1);

  BatchQueue queue(options.checking_thread ? kBatchesInFlight : 1, batch_entries);
  std::atomic<bool> stop{false};  // the checker found a problem: reading further is pointless
  std::exception_ptr checker_threw;
  std::thread checking;
  if (options.checking_thread) {
    checking = std::thread([&] {
      while (Batch* b = queue.take_full()) {
        try {
          if (!checker.check(*b)) stop.store(true, std::memory_order_relaxed);
        } catch (...) {
          if (!checker_threw) checker_threw = std::current_exception();
          stop.store(true, std::memory_order_relaxed);
        }
        queue.give_free(b);
      }
    });
  }
  // Ends the stream and waits for the checker, also when this thread leaves by an exception.
  struct Join {
    BatchQueue& queue;
    std::thread& thread;
    ~Join() {
      if (!thread.joinable()) return;
      queue.push_full(nullptr);
      thread.join();
    }
  } join{queue, checking};
  const auto hand_over = [&](Batch* b) {
    if (options.checking_thread) {
      queue.push_full(b);
    } else {
      if (!checker.check(*b)) stop.store(true, std::memory_order_relaxed);
      queue.give_free(b);
    }
  };

  Batch* filling = queue.take_free();
  std::uint64_t position = 0;  // entries read so far
  Bytes node;
  // Entries arrive as views into the engine's buffer and are copied once, into the batch; the
  // digests of the record writes they commit to are kept for the ledger check.
  std::vector<CommittedWrites> committed;
  auto scanned = audit::scan_audit(tx, [&](const AuditEntryView& entry) {
    if (stop.load(std::memory_order_relaxed)) return false;
    if (auto digest = writes_in_detail(entry.detail)) {
      committed.push_back({entry.seq, {}});
      std::copy(digest->begin(), digest->end(), committed.back().digest.begin());
    }
    filling->add(entry);
    if (check_nodes) read_nodes_ahead(nodes, position, *filling, node);
    ++position;
    if (filling->entries.size() == batch_entries) {
      hand_over(filling);
      filling = queue.take_free();
    }
    return true;
  });
  if (!filling->entries.empty()) {
    hand_over(filling);
  } else {
    queue.give_free(filling);
  }
  filling = nullptr;
  if (options.checking_thread) queue.push_full(nullptr);
  // The ledger is read while the checker finishes; its findings count only for a chain that
  // verifies, as on one thread.
  std::optional<LedgerVerdict> ledger;
  if (scanned.ok() && !stop.load(std::memory_order_relaxed)) {
    ledger = check_ledger(tx, committed, record_tables);
  }
  if (checking.joinable()) checking.join();
  if (checker_threw) std::rethrow_exception(checker_threw);

  // The verdict as one thread reading and checking in turn would give: a read that failed
  // before the first problem is an error; a node that could not be read is not evidence of
  // tampering (the verdict is unknown); otherwise the first problem found.
  if (!checker.failed() && !scanned.ok()) return scanned.take_error();
  if (checker.stopped_on_read_failure()) return *nodes.error();
  auto report = verifier.finish();
  if (!report.ok) return report;
  if (!ledger) ledger = check_ledger(tx, committed, record_tables);  // not reached: see above
  return with_ledger(std::move(report), std::move(*ledger), committed);
}

Result<VerifyReport> verify_store(barrier::ReadTx& tx, const Bytes& public_key,
                                  const std::vector<const storage::Table*>& record_tables,
                                  const VerifyStoreOptions& options) {
  return verify_store(barrier::EngineAccess::engine(tx), public_key, record_tables, options);
}

}  // namespace baomi::audit
