#include "barrier/kek_store.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "barrier/engine_access.h"
#include "barrier/engine_tables.h"
#include "storage/meta.h"
#include "storage/lease.h"
#include "storage/table.h"

namespace baomi::barrier {
namespace {

constexpr const char* kProgressKey = "kek_rewrap";

// "kek-rewrap-v1" then one number a line (target, started, pass started, passes, table,
// rewrapped, pass rewrapped), then the cursor's ledger key text (may be empty: from the start).
Bytes encode_progress(const KekRewrapProgress& p,
                      const std::vector<const storage::Table*>& tables) {
  std::string text = "kek-rewrap-v1\n";
  for (const std::int64_t n :
       {static_cast<std::int64_t>(p.target), p.started_us, p.pass_started_us,
        static_cast<std::int64_t>(p.passes), static_cast<std::int64_t>(p.table),
        static_cast<std::int64_t>(p.rewrapped), static_cast<std::int64_t>(p.pass_rewrapped)}) {
    text += std::to_string(n) + "\n";
  }
  if (p.after && p.table < tables.size())
    text += storage::record_key_text(*tables[p.table], *p.after);
  return Bytes(text.begin(), text.end());
}

Result<KekRewrapProgress> decode_progress(const Bytes& bytes,
                                          const std::vector<const storage::Table*>& tables) {
  const std::string text(bytes.begin(), bytes.end());
  const auto bad = [] { return Error::integrity("the stored KEK rewrap progress is malformed"); };
  std::size_t at = text.find('\n');
  if (at == std::string::npos || text.substr(0, at) != "kek-rewrap-v1") return bad();
  std::int64_t n[7] = {};
  for (auto& value : n) {
    const std::size_t from = at + 1;
    at = text.find('\n', from);
    if (at == std::string::npos) return bad();
    const auto [end, ec] = std::from_chars(text.data() + from, text.data() + at, value);
    if (ec != std::errc() || end != text.data() + at || value < 0) return bad();
  }
  KekRewrapProgress p;
  p.target = static_cast<std::uint32_t>(n[0]);
  p.started_us = n[1];
  p.pass_started_us = n[2];
  p.passes = static_cast<std::uint64_t>(n[3]);
  p.table = static_cast<std::size_t>(n[4]);
  p.rewrapped = static_cast<std::uint64_t>(n[5]);
  p.pass_rewrapped = static_cast<std::uint64_t>(n[6]);
  const std::string cursor = text.substr(at + 1);
  if (!cursor.empty()) {
    if (p.table >= tables.size()) return bad();
    p.after = storage::record_key_row(*tables[p.table], cursor);
    if (!p.after) return bad();
  }
  return p;
}

}  // namespace

Result<std::vector<KekRecord>> stored_keks(storage::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto rows, list_keks(tx));
  std::vector<KekRecord> out;
  out.reserve(rows.size());
  for (auto& row : rows) out.push_back({row.version, std::move(row.sealed)});
  return out;
}

Result<std::vector<KekRecord>> stored_keks(ReadTx& tx) {
  return stored_keks(EngineAccess::engine(tx));
}

Result<KekRecord> store_new_kek(WriteTx& tx, const Barrier& barrier) {
  auto& engine = EngineAccess::engine(tx);
  BAOMI_ASSIGN_OR_RETURN(auto keks, stored_keks(engine));
  std::uint32_t highest = 0;
  for (const auto& k : keks) highest = std::max(highest, k.version);
  if (highest == std::numeric_limits<std::uint32_t>::max()) {
    return Error::conflict("kek_versions_exhausted", "no further KEK version is available");
  }
  KekRecord record = barrier.new_kek_record(highest + 1);
  BAOMI_TRY(insert_kek(engine, {record.version, record.sealed}));
  return record;
}

Result<std::optional<KekRewrapProgress>> load_rewrap_progress(
    ReadTx& tx, const std::vector<const storage::Table*>& tables) {
  BAOMI_ASSIGN_OR_RETURN(auto stored, storage::get_meta(EngineAccess::engine(tx), kProgressKey));
  if (!stored || stored->empty()) return std::optional<KekRewrapProgress>();
  BAOMI_ASSIGN_OR_RETURN(auto progress, decode_progress(*stored, tables));
  return std::optional<KekRewrapProgress>(std::move(progress));
}

Result<void> save_rewrap_progress(WriteTx& tx, const std::optional<KekRewrapProgress>& progress,
                                  const std::vector<const storage::Table*>& tables) {
  // The meta table has no delete: an empty entry says no rewrap runs.
  return storage::put_meta(EngineAccess::engine(tx), kProgressKey,
                           progress ? encode_progress(*progress, tables) : Bytes());
}

Result<bool> holds_duty(ReadTx& tx, const std::string& duty, const std::string& holder,
                        TimePoint now) {
  return storage::Lease::runs(EngineAccess::engine(tx), duty, holder, now);
}

}  // namespace baomi::barrier
