// The record ledger (I1, rollback detection): the audit entry appended in a write job commits
// to every sealed record the job wrote. The entry's detail gains "writes": the hex BLAKE2b-256
// of the job's writes (table, key, MAC; sorted), and the ledger table keeps the writes
// themselves under the entry's seq, so the latest MAC of any record can be looked up on read
// (barrier/records.h) and every ledger row is proven by the hash chain (verify_record_ledger).
// The exact bytes are in docs/audit-format.md. Stateless functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::audit {

// Hex BLAKE2b-256 over "baomi-record-writes-v1" and each write's table, key and MAC
// (length-prefixed), in the order given (callers sort by table, then key).
std::string writes_digest(const std::vector<storage::RecordWrite>& writes);
// `detail` (a JSON object) with "writes":"<digest>" as its last member.
std::string detail_with_writes(std::string_view detail, std::string_view digest);
// The digest a detail commits to, when it has one (a view into `detail`).
std::optional<std::string_view> writes_in_detail(std::string_view detail);

// Moves the job's pending writes into the ledger under `seq` and returns the digest to put
// into the entry's detail (nullopt when the job wrote no record).
Result<std::optional<std::string>> commit_record_writes(storage::WriteTx& tx, std::uint64_t seq);

// Checks that the ledger holds exactly the writes the chained entries commit to. `committed`
// holds each seq whose detail names a digest, with that digest, in seq order (collected while
// the chain is verified). Returns the first problem as a sentence, or "" when the ledger agrees.
struct LedgerProblem {
  std::uint64_t seq = 0;
  std::string problem;
};
struct CommittedWrites {
  std::uint64_t seq = 0;
  std::array<char, 64> digest{};  // lowercase hex, as in the detail
};
Result<std::optional<LedgerProblem>> verify_record_ledger(
    storage::ReadTx& tx, const std::vector<CommittedWrites>& committed);

// Checks that every record the ledger knows is stored as its latest write (`tables` are the
// declared tables; their MAC column is named "mac"): a replayed old row, a deleted row put
// back or a live row removed outside Baomi is reported, and in tables the baseline has walked
// (record_baseline.h) so is a row the ledger never saw. Rows of tables not yet baselined that
// no write was ever recorded for (written before the ledger existed) are not judged. Constant
// memory.
Result<std::optional<LedgerProblem>> verify_current_records(
    storage::ReadTx& tx, const std::vector<const storage::Table*>& tables);

}  // namespace baomi::audit
