#include "audit/tree_store.h"

#include <optional>
#include <string>

#include "audit/trail_tables.h"
#include "barrier/engine_access.h"

namespace baomi::audit {
namespace {

std::string node_name(unsigned level, std::uint64_t index) {
  return "audit tree node (level " + std::to_string(level) + ", index " + std::to_string(index) +
         ")";
}

Bytes to_blob(const RawHash& h) { return Bytes(h.begin(), h.end()); }

}  // namespace

NodeReader stored_node_reader(storage::ReadTx& tx) {
  return [&tx](unsigned level, std::uint64_t index) -> Result<RawHash> {
    if (level == 0) {
      BAOMI_ASSIGN_OR_RETURN(auto row, audit::get_audit_entry(tx, index + 1));
      if (!row) return Error::integrity("audit entry " + std::to_string(index + 1) + " is missing");
      const auto hash = parse_hash_hex(row->hash);
      if (!hash)
        return Error::integrity("audit entry " + std::to_string(index + 1) + " is damaged");
      return merkle_leaf_hash(*hash);
    }
    // Read in place, not moved out of the Result: GCC 12 at -O3 reports the moved-from
    // optional<vector> as maybe-uninitialized (a false positive that breaks Release builds).
    const auto blob = audit::get_audit_tree_node(tx, level, index);
    if (!blob.ok()) return blob.error();
    const std::optional<Bytes>& node = blob.value();
    if (!node || node->size() != kHashSize) {
      return Error::integrity(node_name(level, index) + " is missing or damaged");
    }
    RawHash out{};
    std::copy(node->begin(), node->end(), out.begin());
    return out;
  };
}

Result<void> extend_tree(storage::WriteTx& tx, std::uint64_t seq, const RawHash& entry_hash,
                         const RawHash& prev_entry_hash) {
  std::uint64_t index = seq - 1;
  unsigned level = 0;
  RawHash carry = merkle_leaf_hash(entry_hash);
  const auto read = stored_node_reader(tx);
  // Each trailing 1 bit of the leaf index closes a perfect subtree with its left sibling.
  while ((index & 1) != 0) {
    RawHash left;
    if (level == 0) {
      left = merkle_leaf_hash(prev_entry_hash);
    } else {
      BAOMI_ASSIGN_OR_RETURN(left, read(level, index - 1));
    }
    carry = merkle_node_hash(left, carry);
    index >>= 1;
    ++level;
    BAOMI_TRY(audit::insert_audit_tree_node(tx, level, index, to_blob(carry)));
  }
  return {};
}

Result<RawHash> stored_root(storage::ReadTx& tx, std::uint64_t size) {
  return merkle_root(size, stored_node_reader(tx));
}

namespace {

Result<std::uint64_t> trail_size(storage::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
  return last ? last->seq : 0;
}

Error beyond(std::string_view name, std::uint64_t value, std::uint64_t size) {
  return Error::invalid("invalid_field", "'" + std::string(name) + "' (" + std::to_string(value) +
                                             ") is beyond the trail (" + std::to_string(size) +
                                             " entries)");
}

}  // namespace

Result<InclusionProof> prove_inclusion(storage::ReadTx& tx, std::uint64_t seq,
                                       std::uint64_t tree_size) {
  if (seq == 0) return Error::invalid("invalid_field", "'seq' must be at least 1");
  if (tree_size < seq) {
    return Error::invalid("invalid_field",
                          "'tree_size' must be at least 'seq' (" + std::to_string(seq) + ")");
  }
  BAOMI_ASSIGN_OR_RETURN(auto size, trail_size(tx));
  if (tree_size > size) return beyond("tree_size", tree_size, size);
  const auto read = stored_node_reader(tx);
  InclusionProof p{seq, tree_size, {}, {}, {}};
  BAOMI_ASSIGN_OR_RETURN(p.leaf_hash, read(0, seq - 1));
  BAOMI_ASSIGN_OR_RETURN(p.audit_path, inclusion_proof(seq - 1, tree_size, read));
  BAOMI_ASSIGN_OR_RETURN(p.root_hash, merkle_root(tree_size, read));
  return p;
}

Result<ConsistencyProof> prove_consistency(storage::ReadTx& tx, std::uint64_t from,
                                           std::uint64_t to) {
  if (from == 0) return Error::invalid("invalid_field", "'from' must be at least 1");
  if (from > to) return Error::invalid("invalid_field", "'from' must not be greater than 'to'");
  BAOMI_ASSIGN_OR_RETURN(auto size, trail_size(tx));
  if (to > size) return beyond("to", to, size);
  const auto read = stored_node_reader(tx);
  ConsistencyProof p{from, to, {}, {}, {}};
  BAOMI_ASSIGN_OR_RETURN(p.proof, consistency_proof(from, to, read));
  BAOMI_ASSIGN_OR_RETURN(p.from_root, merkle_root(from, read));
  BAOMI_ASSIGN_OR_RETURN(p.to_root, merkle_root(to, read));
  return p;
}

Result<bool> tree_complete(storage::ReadTx& tx, std::uint64_t size) {
  // Nodes are written in leaf order inside the entries' transactions, so the last node of
  // each level is present exactly when the whole level is.
  for (unsigned level = 1; level < 64 && (size >> level) > 0; ++level) {
    BAOMI_ASSIGN_OR_RETURN(auto node, audit::get_audit_tree_node(tx, level, (size >> level) - 1));
    if (!node) return false;
  }
  return true;
}

Result<std::uint64_t> ensure_tree(storage::Store& store) {
  std::uint64_t written = 0;
  BAOMI_TRY(store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
    const std::uint64_t size = last ? last->seq : 0;
    BAOMI_ASSIGN_OR_RETURN(bool complete, tree_complete(tx, size));
    if (complete) return {};
    BAOMI_TRY(audit::clear_audit_tree(tx));
    MerkleFrontier frontier;
    std::optional<Error> failed;
    BAOMI_TRY(audit::scan_audit(tx, [&](const AuditEntryView& row) {
      const auto hash = parse_hash_hex(row.hash);
      if (!hash || row.seq != frontier.size() + 1) {
        // The chain verifier reports where and how; the tree cannot be built over it.
        failed = Error::integrity("audit entry " + std::to_string(frontier.size() + 1) +
                                  " is missing or damaged; run baomi audit verify");
        return false;
      }
      frontier.append(merkle_leaf_hash(*hash),
                      [&](unsigned level, std::uint64_t index, const RawHash& node) {
                        if (failed) return;
                        auto r = audit::insert_audit_tree_node(tx, level, index, to_blob(node));
                        if (!r.ok()) failed = r.error();
                        ++written;
                      });
      return !failed;
    }));
    if (failed) return *failed;
    return {};
  }));
  return written;
}

Result<InclusionProof> prove_inclusion(barrier::ReadTx& tx, std::uint64_t seq,
                                       std::uint64_t tree_size) {
  return prove_inclusion(barrier::EngineAccess::engine(tx), seq, tree_size);
}

Result<ConsistencyProof> prove_consistency(barrier::ReadTx& tx, std::uint64_t from,
                                           std::uint64_t to) {
  return prove_consistency(barrier::EngineAccess::engine(tx), from, to);
}

}  // namespace baomi::audit
