#include "audit/record_ledger.h"

#include <sodium.h>

#include <algorithm>
#include <span>

#include "barrier/engine_tables.h"
#include "core/bytes.h"
#include "storage/meta.h"

namespace baomi::audit {
namespace {

constexpr std::string_view kWritesDomain = "baomi-record-writes-v1";
constexpr std::string_view kWritesKey = "\"writes\":\"";

bool lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

namespace {

// The digest of `writes` as lowercase hex into `hex`; `bytes` is scratch, reused by the caller.
void digest_into(std::span<const storage::RecordWrite> writes, Bytes& bytes, char* hex) {
  bytes.clear();
  append_field(bytes, kWritesDomain);
  append_u64(bytes, writes.size());
  for (const auto& w : writes) {
    append_field(bytes, w.table);
    append_field(bytes, w.key);
    append_field(bytes, w.mac);
  }
  std::uint8_t out[32];
  crypto_generichash(out, sizeof out, bytes.data(), bytes.size(), nullptr, 0);
  constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < sizeof out; ++i) {
    hex[2 * i] = kDigits[out[i] >> 4];
    hex[2 * i + 1] = kDigits[out[i] & 0xf];
  }
}

}  // namespace

std::string writes_digest(const std::vector<storage::RecordWrite>& writes) {
  Bytes bytes;
  std::string hex(64, '0');
  digest_into(writes, bytes, hex.data());
  return hex;
}

std::string detail_with_writes(std::string_view detail, std::string_view digest) {
  // Details are JSON objects serialised by our own code ("{}" when empty).
  std::string out(detail.empty() ? "{}" : detail);
  out.pop_back();  // the closing brace
  if (out.size() > 1) out += ',';
  out.append(kWritesKey).append(digest).append("\"}");
  return out;
}

std::optional<std::string_view> writes_in_detail(std::string_view detail) {
  // Always the last member: ..."writes":"<64 hex>"}
  constexpr std::size_t kTail = kWritesKey.size() + 64 + 2;
  if (detail.size() < kTail + 1 || detail.substr(detail.size() - 2) != "\"}") return std::nullopt;
  const auto tail = detail.substr(detail.size() - kTail);
  if (tail.substr(0, kWritesKey.size()) != kWritesKey) return std::nullopt;
  const char before = detail[detail.size() - kTail - 1];
  if (before != '{' && before != ',') return std::nullopt;
  const auto digest = tail.substr(kWritesKey.size(), 64);
  if (!lower_hex(digest)) return std::nullopt;
  return digest;
}

Result<std::optional<std::string>> commit_record_writes(storage::WriteTx& tx, std::uint64_t seq) {
  auto writes = tx.take_record_writes();
  if (writes.empty()) return std::optional<std::string>();
  std::sort(writes.begin(), writes.end(), [](const auto& a, const auto& b) {
    return a.table != b.table ? a.table < b.table : a.key < b.key;
  });
  BAOMI_TRY(barrier::insert_record_writes(tx, seq, writes));
  return std::optional<std::string>(writes_digest(writes));
}

Result<std::optional<LedgerProblem>> verify_record_ledger(
    storage::ReadTx& tx, const std::vector<CommittedWrites>& committed) {
  std::optional<LedgerProblem> problem;
  std::size_t next = 0;  // into `committed`, which is in seq order
  std::uint64_t seq = 0;
  // The writes of one entry; elements are reused (assigned, not rebuilt) from group to group,
  // so that a ledger of millions of rows is checked without an allocation per row.
  std::vector<storage::RecordWrite> group;
  std::size_t group_size = 0;
  Bytes scratch;
  std::array<char, 64> digest{};
  const auto close_group = [&]() {
    if (group_size == 0) return true;
    if (next < committed.size() && committed[next].seq < seq) {
      problem =
          LedgerProblem{committed[next].seq, "the record writes this entry commits to are missing"};
      return false;
    }
    if (next == committed.size() || committed[next].seq != seq) {
      problem = LedgerProblem{seq, "record writes are listed for an entry that commits to none"};
      return false;
    }
    digest_into(std::span(group.data(), group_size), scratch, digest.data());
    if (digest != committed[next].digest) {
      problem = LedgerProblem{seq, "the record writes differ from those the entry commits to"};
      return false;
    }
    ++next;
    group_size = 0;
    return true;
  };
  BAOMI_TRY(barrier::scan_record_writes(tx, [&](std::uint64_t s, const storage::RecordWrite& w) {
    if (s != seq && !close_group()) return false;
    seq = s;
    if (group_size == group.size()) group.emplace_back();
    auto& slot = group[group_size++];
    slot.table.assign(w.table);
    slot.key.assign(w.key);
    slot.mac.assign(w.mac);
    return true;
  }));
  if (!problem && close_group() && next < committed.size()) {
    problem =
        LedgerProblem{committed[next].seq, "the record writes this entry commits to are missing"};
  }
  return problem;
}

namespace {

// I1: in a baselined table every row has a recorded write; a row without one was put there
// from outside (e.g. a record deleted before the baseline, restored from an old backup).
Result<std::optional<LedgerProblem>> unrecorded_row(storage::ReadTx& tx,
                                                    const storage::Table& table) {
  BAOMI_ASSIGN_OR_RETURN(auto marked,
                         storage::get_meta(tx, storage::record_baseline_meta_key(table.name)));
  if (!marked) return std::optional<LedgerProblem>();
  storage::Scan scan;
  for (std::size_t i = 0; i < table.key_size; ++i) scan.order_by.push_back(table.columns[i].name);
  scan.limit = 1000;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(table, scan));
    for (const auto& row : rows) {
      const auto key = storage::record_key_text(table, row);
      BAOMI_ASSIGN_OR_RETURN(auto latest, barrier::latest_record_write(tx, table.name, key));
      if (!latest) {
        return std::optional<LedgerProblem>(
            LedgerProblem{0, table.name + " " + key + ": a record the ledger never saw"});
      }
    }
    if (rows.size() < scan.limit) return std::optional<LedgerProblem>();
    scan.after_key = storage::Row(
        rows.back().begin(), rows.back().begin() + static_cast<std::ptrdiff_t>(table.key_size));
  }
}

}  // namespace

Result<std::optional<LedgerProblem>> verify_current_records(
    storage::ReadTx& tx, const std::vector<const storage::Table*>& tables) {
  std::optional<LedgerProblem> problem;
  Result<void> failed;
  const auto judge = [&](const storage::RecordWrite& w) -> Result<std::optional<std::string>> {
    const storage::Table* table = nullptr;
    for (const auto* t : tables) {
      if (t->name == w.table) table = t;
    }
    if (!table) return std::optional<std::string>();  // a table this build does not declare
    auto key = storage::record_key_row(*table, w.key);
    if (!key) return std::optional<std::string>("a ledger key is malformed");
    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(*table, *key));
    if (w.mac.empty()) {
      if (row) return std::optional<std::string>("a deleted record is back");
      return std::optional<std::string>();
    }
    if (!row) return std::optional<std::string>("a record was removed without a trace");
    const auto* mac = std::get_if<std::string>(&(*row)[table->position("mac")]);
    if (!mac || *mac != w.mac) {
      return std::optional<std::string>("a record is not its latest version (replayed)");
    }
    return std::optional<std::string>();
  };
  BAOMI_TRY(barrier::scan_latest_record_writes(tx, [&](const storage::RecordWrite& w) {
    auto verdict = judge(w);
    if (!verdict.ok()) {
      failed = verdict.take_error();
      return false;
    }
    if (*verdict) problem = LedgerProblem{0, w.table + " " + w.key + ": " + **verdict};
    return !problem;
  }));
  BAOMI_TRY(failed);
  for (const auto* table : tables) {
    if (problem) break;
    BAOMI_ASSIGN_OR_RETURN(problem, unrecorded_row(tx, *table));
  }
  return problem;
}

}  // namespace baomi::audit
