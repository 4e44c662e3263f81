// The audit trail's tables: the entries, the signed checkpoints, the stored nodes of the audit
// Merkle tree and the signed tree heads (I1, S10). Declared here as rows of storage/table.h and
// read and written only through these helpers (each row type converted in one place), so an
// engine needs nothing but rows and scans. The engines' versioned schemas
// (storage/sqlite/schema.cc, storage/postgres/pg_schema.cc) create the tables; these
// declarations match them column for column (never pass them to ensure_tables).
// Plain functions; thread-compatible (each call works inside the caller's transaction).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/entry.h"
#include "core/result.h"
#include "storage/store.h"

namespace baomi::audit {

// One stored entry (audit/chain.h hashes it).
struct AuditRow {
  std::uint64_t seq = 0;
  std::int64_t time_us = 0;
  std::string actor;
  std::string action;
  std::string target;
  std::string decision;
  std::string rule;
  std::string policy_version;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

struct CheckpointRow {
  std::uint64_t seq = 0;
  std::string head;
  std::int64_t time_us = 0;
  std::string signature;
};

// A signed tree head of the audit Merkle tree (audit/tree_head.h).
struct TreeHeadRow {
  std::uint64_t tree_size = 0;
  std::string root_hash;
  std::string head;
  std::int64_t time_us = 0;
  std::string signature;
};

struct AuditQuery {
  std::optional<std::string> actor;
  std::optional<std::string> target;  // exact target, e.g. "document:<id>"
  std::optional<std::string> action;
  std::optional<std::int64_t> from_us;
  std::optional<std::int64_t> to_us;
  std::uint64_t after_seq = 0;  // cursor
  std::size_t limit = 100;
};

// audit(seq, time, actor, action, target, decision, rule, policy_version, detail, prev_hash,
// hash) and its indexes audit_actor, audit_target, audit_time.
const storage::Table& audit_table();
Result<std::optional<AuditRow>> last_audit_entry(storage::ReadTx& tx);
Result<std::optional<AuditRow>> get_audit_entry(storage::ReadTx& tx, std::uint64_t seq);
// Entries matching `q`, in seq order.
Result<std::vector<AuditRow>> query_audit(storage::ReadTx& tx, const AuditQuery& q);
// Calls fn for every entry in seq order, streamed as views into the engine's buffer (valid
// during fn: no field is copied); stops early (and returns ok) when fn returns false. fn may
// run statements of its own on tx.
Result<void> scan_audit(storage::ReadTx& tx, const std::function<bool(const AuditEntryView&)>& fn);
// The last entry's seq and hash (seq 0 when the trail is empty) as this write transaction sees
// it: read from the store at the first call in a transaction, then kept (WriteTx::trail_head).
Result<storage::WriteTx::TrailHead> audit_head(storage::WriteTx& tx);
// The trail is the single point of recording: a failed write is kUnavailable (nothing happens).
// Keeps the transaction's head (audit_head) up to date.
Result<void> insert_audit(storage::WriteTx& tx, const AuditRow& row);

// audit_checkpoints(seq, head, time, signature).
const storage::Table& checkpoint_table();
Result<std::vector<CheckpointRow>> list_checkpoints(storage::ReadTx& tx);  // by seq
Result<std::optional<CheckpointRow>> latest_checkpoint(storage::ReadTx& tx);
Result<void> insert_checkpoint(storage::WriteTx& tx, const CheckpointRow& row);

// audit_tree(level, idx, hash): the hash of the perfect subtree at `level` >= 1 and `index`
// (leaves are derived from the entries' hashes, not stored).
const storage::Table& tree_node_table();
Result<std::optional<Bytes>> get_audit_tree_node(storage::ReadTx& tx, unsigned level,
                                                 std::uint64_t index);
// The stored nodes of `level` from index `from` on, in index order, at most `limit` of them:
// fn gets each one's index and hash (a view, valid during fn). One range read where `audit
// verify` would otherwise read every node point by point.
Result<void> scan_audit_tree_level(storage::ReadTx& tx, unsigned level, std::uint64_t from,
                                   std::size_t limit,
                                   const std::function<void(std::uint64_t, storage::ByteView)>& fn);
// Written with the entry that completes the subtree: a failure is kUnavailable (fail closed).
Result<void> insert_audit_tree_node(storage::WriteTx& tx, unsigned level, std::uint64_t index,
                                    const Bytes& hash);
// Removes every stored node (before a rebuild of the derived tree).
Result<void> clear_audit_tree(storage::WriteTx& tx);

// audit_tree_heads(tree_size, root_hash, head, time, signature).
const storage::Table& tree_head_table();
Result<std::vector<TreeHeadRow>> list_tree_heads(storage::ReadTx& tx);  // by tree_size
Result<std::optional<TreeHeadRow>> latest_tree_head(storage::ReadTx& tx);
// The smallest signed tree head whose tree_size is at least `min_size`.
Result<std::optional<TreeHeadRow>> first_tree_head_from(storage::ReadTx& tx,
                                                        std::uint64_t min_size);
Result<void> insert_tree_head(storage::WriteTx& tx, const TreeHeadRow& row);

// Every table the engines' versioned schemas create, as declared by its owner (storage/meta.h,
// barrier/engine_tables.h, the trail's above): for copying an instance between engines
// (cmd/migrate_copy.cc) and for checking the declarations against both engines.
std::vector<const storage::Table*> fixed_tables();

}  // namespace baomi::audit
