// Records<T>: the sealed-record layer. Services hand it plaintext records and get plaintext
// records back; it alone turns them into rows (sealing, blind indexes, the row MAC) and back
// (MAC check, rollback check, opening), inside the caller's storage transaction.
//
// Rollback detection (I1): a row MAC proves Baomi wrote a row, not that it is the latest one.
// Every write is noted in the job's write set (storage::WriteTx::note_record_write); the audit
// entry appended in the same job commits to it (audit_log.h) and the ledger keeps each record's
// latest MAC. A read whose MAC is not the ledger's latest is a replayed old row: kIntegrity.
// Rows written before the ledger existed have no entry and are accepted as they are until the
// start-up baseline (audit/record_baseline.h) has recorded every one of them; from then on a
// row the ledger never saw is refused too.
// Crypto-shredding (RecordType::shreddable): shred() empties a record's data key and sealed
// columns; the tombstone is MACed and noted in the ledger like any other write.
// Cached types (RecordType::cached): get() serves a record opened earlier by this process (with
// the same Opening) when the row it fetched now is byte for byte the one that record was opened
// from, and the ledger still names that row's MAC as the latest (record_cache.h says why that
// is the same check).
// Thread-safety: stateless beyond its references; use from any thread, inside a Tx's job.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "barrier/barrier.h"
#include "barrier/engine_access.h"
#include "barrier/engine_tables.h"
#include "barrier/record_cache.h"
#include "barrier/record_type.h"
#include "barrier/transaction.h"
#include "storage/store.h"

namespace baomi::barrier {

// Non-template parts (records.cc).
namespace record_detail {
// The bytes the MAC covers: the table name, then each covered column of `row` in order.
Bytes mac_fields(const storage::Table& table, const storage::Row& row,
                 const std::vector<bool>& in_mac);
// The ledger's name for a record: its key columns, '/'-joined and escaped.
std::string ledger_key(const storage::Table& table, const storage::Row& row);
// The record cache's name for a record: its table and ledger key.
std::string cache_key(const storage::Table& table, const std::string& ledger_key);
// kIntegrity when the ledger knows a later write of the record than `mac` (or its deletion).
Result<void> check_latest(storage::ReadTx& tx, const storage::Table& table, const std::string& key,
                          const std::string& mac);
// The same, with the ledger's latest write already looked up (get_row_and_latest_write).
Result<void> check_known_latest(storage::ReadTx& tx, const storage::Table& table,
                                const std::optional<std::string>& latest, const std::string& mac);
// kIntegrity when the ledger's latest write of a record that is not there is not its deletion:
// the row was removed from outside Baomi (I1). Reads treat a missing record as absent (a removed
// session or grant only takes access away, and verify_store names it); a caller for whom
// absence means "start again" (a counter) checks this first.
Result<void> check_absent(storage::ReadTx& tx, const storage::Table& table, const std::string& key);
// The ledger's latest MAC of the record under `key`, this job's writes first ("" for a
// deletion; nullopt when the ledger has none).
Result<std::optional<std::string>> latest_mac(storage::ReadTx& tx, const storage::Table& table,
                                              const std::string& key);
}  // namespace record_detail

// How much of a record a read opens: everything, or only its clear columns (still checked by
// MAC and ledger; sealed fields stay empty), for lists that show no content.
enum class Opening { kSealed, kClearOnly };

template <typename T>
class Records {
 public:
  Records(const Barrier& barrier, const RecordType<T>& type) : barrier_(barrier), type_(type) {
    for (const auto& f : type_.fields()) in_mac_.push_back(f.in_mac);
  }

  // The row and the ledger's latest write of it come in one statement where the engine can
  // (issue 14); the checks are those of any other read.
  Result<std::optional<T>> get(storage::ReadTx& tx, const storage::Row& key,
                               Opening opening = Opening::kSealed) const {
    const auto& table = type_.table();
    auto ledger = record_detail::ledger_key(table, key);
    BAOMI_ASSIGN_OR_RETURN(auto fetched, get_row_and_latest_write(tx, table, key, ledger));
    if (!fetched) return std::optional<T>();
    // The ledger entry looked up is the fetched row's only if the row is under exactly `key`;
    // otherwise the row's own entry is looked up as before.
    const std::optional<std::string>* latest = &fetched->latest;
    for (std::size_t i = 0; i < table.key_size; ++i) {
      if (!(fetched->row[i] == key[i])) latest = nullptr;
    }
    if (!latest) ledger = record_detail::ledger_key(table, fetched->row);
    if (type_.is_cached()) {
      return open_cached(tx, std::move(fetched->row), ledger, opening, latest);
    }
    ParentKeys parent_keys;
    BAOMI_ASSIGN_OR_RETURN(auto record, open(tx, fetched->row, parent_keys, opening, latest));
    return std::optional<T>(std::move(record));
  }

  Result<std::vector<T>> scan(storage::ReadTx& tx, const storage::Scan& scan,
                              Opening opening = Opening::kSealed) const {
    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(type_.table(), scan));
    std::vector<T> out;
    out.reserve(rows.size());
    ParentKeys parent_keys;  // each parent's data key is opened once per scan
    for (const auto& row : rows) {
      BAOMI_ASSIGN_OR_RETURN(auto record, open(tx, row, parent_keys, opening));
      out.push_back(std::move(record));
    }
    return out;
  }

  // get(), except that a record removed from outside Baomi is kIntegrity, not absent.
  Result<std::optional<T>> get_unless_removed(storage::ReadTx& tx, const storage::Row& key,
                                              Opening opening = Opening::kSealed) const {
    BAOMI_ASSIGN_OR_RETURN(auto record, get(tx, key, opening));
    if (!record) {
      BAOMI_TRY(record_detail::check_absent(tx, type_.table(),
                                            record_detail::ledger_key(type_.table(), key)));
    }
    return record;
  }

  // Which write of the record under `key` is its latest, by the record ledger alone (I1), without
  // fetching the row: that write's MAC, "" when it was the record's deletion, nullopt when the
  // ledger has none (never written, or written before the ledger and not yet baselined). This
  // job's own writes count at once. A get() in the same transaction opens exactly the write
  // named here (its ledger check compares the row's MAC with the same entry), so a caller that
  // keeps what it derived from that record, under this MAC, may use it again while the ledger
  // still names the same MAC: one indexed lookup instead of fetching and opening the row. A
  // write by another process, or a job that failed after a write, names another MAC.
  Result<std::optional<std::string>> latest_write(storage::ReadTx& tx,
                                                  const storage::Row& key) const {
    return record_detail::latest_mac(tx, type_.table(),
                                     record_detail::ledger_key(type_.table(), key));
  }

  // The key columns of the rows `scan` selects, unopened and unchecked: for choosing which
  // records to open or erase next (housekeeping, id lists), never for deciding access.
  Result<std::vector<storage::Row>> scan_keys(storage::ReadTx& tx,
                                              const storage::Scan& scan) const {
    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(type_.table(), scan));
    const auto key_size = static_cast<std::ptrdiff_t>(type_.table().key_size);
    for (auto& row : rows) row.erase(row.begin() + key_size, row.end());
    return rows;
  }

  // Stores a new record (a declared revision becomes 1); conflict when the key is taken.
  Result<void> insert(storage::WriteTx& tx, T& record) const {
    set_revision(record, 1);
    BAOMI_ASSIGN_OR_RETURN(auto parent_dek, parent_key_of(tx, record));
    BAOMI_ASSIGN_OR_RETURN(auto row, seal(record, {}, parent_dek, false));
    BAOMI_TRY(tx.insert_row(type_.table(), row));
    note(tx, row);
    forget(record_detail::ledger_key(type_.table(), row));
    const auto& fields = type_.fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].role == ColumnRole::kDataKey && fields[i].set) {
        BAOMI_TRY(fields[i].set(record, row[i]));
      }
    }
    return {};
  }

  // Stores the changed record over the one it was read as: with a declared revision, conflict
  // when the stored revision moved meanwhile (the record's revision then grows by one). A
  // shredded record stays shredded.
  Result<void> update(storage::WriteTx& tx, T& record) const {
    if (type_.table().append_only) throw std::logic_error("update of an append-only record");
    return write_over(tx, record, false);
  }

  // Crypto-shredding (a shreddable type): stores the changed record as update() does, but with
  // its data key and sealed columns emptied: nothing sealed under that key opens again.
  Result<void> shred(storage::WriteTx& tx, T& record) const {
    if (!type_.is_shreddable()) {
      throw std::logic_error("record type is not shreddable: " + type_.table().name);
    }
    return write_over(tx, record, true);
  }

  // Crypto-shredding of one record (e.g. a destroyed document version, whose data key is its
  // content key): stores the record's clear columns as given, with its wrapped data key and
  // every sealed column emptied, so nothing sealed under that key ever opens again. What says
  // the record is shredded must be MAC-covered: RecordType::shredded_when on the record
  // itself, or another record the caller keeps (the wrapped key of an older layout may lie
  // outside the MAC). KEK rotation never rewraps an emptied key.
  Result<void> erase_data_key(storage::WriteTx& tx, T& record) const {
    return write_over(tx, record, true);
  }

  // Removes the record (and with it its wrapped data key: what it sealed is unreadable).
  Result<void> erase(storage::WriteTx& tx, const storage::Row& key) const {
    if (type_.table().append_only) throw std::logic_error("erase of an append-only record");
    BAOMI_TRY(tx.delete_row(type_.table(), key));
    const auto ledger = record_detail::ledger_key(type_.table(), key);
    tx.note_record_write({type_.table().name, ledger, ""});
    forget(ledger);
    return {};
  }

  // The data key of the record stored under `key`, for records sealed under it
  // (RecordType::parent_data_key): its row must be one Baomi wrote and the latest (I1).
  Result<crypto::SecretKey> data_key(storage::ReadTx& tx, const storage::Row& key) const {
    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(type_.table(), key));
    if (!row) {
      return Error::integrity("a record sealed under a " + type_.table().name +
                              " record names a missing one");
    }
    BAOMI_TRY(verify(tx, *row));
    const auto& fields = type_.fields();
    T r{};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      if (f.role == ColumnRole::kKey || f.role == ColumnRole::kClear ||
          f.role == ColumnRole::kRevision) {
        BAOMI_TRY(f.set(r, (*row)[i]));
      } else if (f.role == ColumnRole::kDataKey) {
        return unwrap_column(r, (*row)[i]);
      }
    }
    throw std::logic_error(type_.table().name + " declares no data key");
  }

  // KEK rotation (barrier/key_tables.h): the KEK version wrapping the data key of `row` as
  // scanned, unchecked (for counting and choosing); nullopt when it has none (shredded).
  std::optional<std::uint32_t> kek_version_of(const storage::Row& row) const {
    const auto at = position_of(ColumnRole::kDataKey);
    const auto* bytes = at < row.size() ? std::get_if<Bytes>(&row[at]) : nullptr;
    if (!bytes || bytes->empty()) return std::nullopt;
    auto decoded = decode_wrapped_key(*bytes);
    if (!decoded.ok()) return std::nullopt;
    return decoded->kek_version;
  }

  // Re-seals the data key of `row` under the current KEK when another KEK wraps it. The row is
  // checked first (MAC, ledger: I1), then stored with the new wrapped key and a fresh MAC and
  // noted in the job's write set (the caller's audit entry commits to it). What the key seals
  // is untouched, and the revision stays, so a writer that read the record meanwhile does not
  // conflict. False when there was nothing to do.
  Result<bool> rewrap(storage::WriteTx& tx, storage::Row row) const {
    const auto at = position_of(ColumnRole::kDataKey);
    const auto version = kek_version_of(row);
    if (!version || *version == barrier_.current_kek_version()) return false;
    BAOMI_TRY(verify(tx, row));
    const auto& fields = type_.fields();
    T r{};  // the clear columns name the key's owner
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto role = fields[i].role;
      if (role == ColumnRole::kKey || role == ColumnRole::kClear || role == ColumnRole::kRevision) {
        BAOMI_TRY(fields[i].set(r, row[i]));
      }
    }
    BAOMI_ASSIGN_OR_RETURN(auto decoded, decode_wrapped_key(std::get<Bytes>(row[at])));
    BAOMI_ASSIGN_OR_RETURN(auto rewrapped, barrier_.rewrap(decoded, type_.owner(r)));
    row[at] = encode(rewrapped);
    const auto mac_at = position_of(ColumnRole::kMac);
    row[mac_at] = barrier_.row_mac(record_detail::mac_fields(type_.table(), row, in_mac_));
    BAOMI_TRY(tx.update_row(type_.table(), row, std::nullopt));
    note(tx, row);
    return true;
  }

  // The same, in a service's transaction (barrier/transaction.h). The overloads above take the
  // engine's transaction: only the barrier, the audit log and cmd tools hold one.
  Result<std::optional<T>> get(ReadTx& tx, const storage::Row& key,
                               Opening opening = Opening::kSealed) const {
    return get(EngineAccess::engine(tx), key, opening);
  }
  Result<std::vector<T>> scan(ReadTx& tx, const storage::Scan& scan,
                              Opening opening = Opening::kSealed) const {
    return this->scan(EngineAccess::engine(tx), scan, opening);
  }
  Result<std::optional<T>> get_unless_removed(ReadTx& tx, const storage::Row& key,
                                              Opening opening = Opening::kSealed) const {
    return get_unless_removed(EngineAccess::engine(tx), key, opening);
  }
  Result<std::vector<storage::Row>> scan_keys(ReadTx& tx, const storage::Scan& scan) const {
    return scan_keys(EngineAccess::engine(tx), scan);
  }
  Result<std::optional<std::string>> latest_write(ReadTx& tx, const storage::Row& key) const {
    return latest_write(EngineAccess::engine(tx), key);
  }
  Result<void> insert(WriteTx& tx, T& record) const {
    return insert(EngineAccess::engine(tx), record);
  }
  Result<void> update(WriteTx& tx, T& record) const {
    return update(EngineAccess::engine(tx), record);
  }
  Result<void> shred(WriteTx& tx, T& record) const {
    return shred(EngineAccess::engine(tx), record);
  }
  Result<void> erase_data_key(WriteTx& tx, T& record) const {
    return erase_data_key(EngineAccess::engine(tx), record);
  }
  Result<void> erase(WriteTx& tx, const storage::Row& key) const {
    return erase(EngineAccess::engine(tx), key);
  }
  Result<crypto::SecretKey> data_key(ReadTx& tx, const storage::Row& key) const {
    return data_key(EngineAccess::engine(tx), key);
  }

  const storage::Table& table() const { return type_.table(); }

 private:
  // Parents' data keys opened so far, by ledger key.
  using ParentKeys = std::map<std::string, crypto::SecretKey>;

  Result<void> write_over(storage::WriteTx& tx, T& record, bool shred) const {
    BAOMI_ASSIGN_OR_RETURN(auto key, key_of(record));
    BAOMI_ASSIGN_OR_RETURN(auto current, tx.get_row(type_.table(), key));
    if (!current) return Error::not_found("record not found");
    BAOMI_TRY(verify(tx, *current));
    std::optional<storage::Condition> expect;
    if (const auto* rev = field_of(ColumnRole::kRevision)) {
      const auto& was = (*current)[type_.table().position(rev->column.name)];
      if (was != rev->get(record)) {
        return Error::conflict("concurrent_update", "the record was changed meanwhile");
      }
      expect = storage::Condition{rev->column.name, storage::Compare::kEqual, was};
      set_revision(record, revision_of(record) + 1);
    }
    const bool shredded = shred || is_shredded(*current);
    auto parent_dek =
        shredded ? Result<std::optional<crypto::SecretKey>>(std::optional<crypto::SecretKey>())
                 : parent_key_of(tx, record);
    auto row = parent_dek.ok() ? seal(record, wrapped_key_of(*current), *parent_dek, shredded)
                               : Result<storage::Row>(parent_dek.error());
    if (row.ok()) {
      auto updated = tx.update_row(type_.table(), *row, expect);
      if (updated.ok()) {
        note(tx, *row);
        forget(record_detail::ledger_key(type_.table(), *row));
        return {};
      }
      row = updated.error();
    }
    if (expect) set_revision(record, revision_of(record) - 1);
    return row.error();
  }

  // A shreddable row whose data key and sealed columns are all empty.
  bool is_shredded(const storage::Row& row) const {
    if (!type_.is_shreddable()) return false;
    const auto& fields = type_.fields();
    for (std::size_t i = 0; i < fields.size() && i < row.size(); ++i) {
      if (fields[i].role != ColumnRole::kSealed && fields[i].role != ColumnRole::kDataKey) continue;
      const auto* bytes = std::get_if<Bytes>(&row[i]);
      if (!bytes || !bytes->empty()) return false;
    }
    return true;
  }

  Result<std::optional<crypto::SecretKey>> parent_key_of(storage::ReadTx& tx, const T& r) const {
    if (!type_.has_parent_data_key()) return std::optional<crypto::SecretKey>();
    BAOMI_ASSIGN_OR_RETURN(auto key, type_.parent_data_key(barrier_, tx, type_.parent_key(r)));
    return std::optional<crypto::SecretKey>(std::move(key));
  }
  Result<const crypto::SecretKey*> cached_parent_key(storage::ReadTx& tx, const T& r,
                                                     ParentKeys& keys) const {
    const auto key = type_.parent_key(r);
    const auto name = record_detail::ledger_key(type_.parent_table(), key);
    if (auto it = keys.find(name); it != keys.end()) return &it->second;
    BAOMI_ASSIGN_OR_RETURN(auto dek, type_.parent_data_key(barrier_, tx, key));
    return &keys.emplace(name, std::move(dek)).first->second;
  }
  Result<crypto::SecretKey> unwrap_column(const T& r, const storage::Value& column) const {
    const auto* bytes = std::get_if<Bytes>(&column);
    if (!bytes) return Error::integrity("a stored data key is damaged");
    auto decoded = decode_wrapped_key(*bytes);
    if (!decoded.ok()) return Error::integrity("a stored data key is damaged");
    // The key columns are set by now (they come first), so the owner is known.
    return barrier_.unwrap(*decoded, type_.owner(r));
  }

  // The column of the first field in `role`; fields().size() when there is none.
  std::size_t position_of(ColumnRole role) const {
    const auto& fields = type_.fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].role == role) return i;
    }
    return fields.size();
  }
  const FieldSpec<T>* field_of(ColumnRole role) const {
    for (const auto& f : type_.fields()) {
      if (f.role == role) return &f;
    }
    return nullptr;
  }
  std::uint64_t revision_of(const T& r) const {
    const auto v = field_of(ColumnRole::kRevision)->get(r);
    return static_cast<std::uint64_t>(std::get<std::int64_t>(v));
  }
  void set_revision(T& r, std::uint64_t revision) const {
    if (const auto* f = field_of(ColumnRole::kRevision)) {
      (void)f->set(r, storage::Value(static_cast<std::int64_t>(revision)));
    }
  }
  Result<storage::Row> key_of(const T& r) const {
    storage::Row key;
    for (std::size_t i = 0; i < type_.table().key_size; ++i)
      key.push_back(type_.fields()[i].get(r));
    return key;
  }
  Bytes wrapped_key_of(const storage::Row& row) const {
    const auto& fields = type_.fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].role == ColumnRole::kDataKey) return std::get<Bytes>(row[i]);
    }
    return {};
  }

  Result<storage::Row> seal(const T& r, Bytes wrapped, std::optional<crypto::SecretKey>& parent_dek,
                            bool shredded) const {
    std::optional<crypto::SecretKey> dek = std::move(parent_dek);
    const auto& fields = type_.fields();
    storage::Row row(fields.size());
    std::size_t mac_at = fields.size();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      switch (f.role) {
        case ColumnRole::kKey:
        case ColumnRole::kClear:
        case ColumnRole::kRevision:
          row[i] = f.get(r);
          break;
        case ColumnRole::kBlindIndex:
          row[i] = barrier_.blind_index(f.field, f.plain(r));
          break;
        case ColumnRole::kDataKey: {
          if (shredded) {
            row[i] = Bytes();
            break;
          }
          if (wrapped.empty() && f.get) wrapped = std::get<Bytes>(f.get(r));  // caller's key
          if (wrapped.empty()) {
            auto fresh = barrier_.new_data_key(type_.owner(r));
            wrapped = encode(fresh.wrapped);
            dek.emplace(std::move(fresh.key));
          } else {
            BAOMI_ASSIGN_OR_RETURN(auto decoded, decode_wrapped_key(wrapped));
            BAOMI_ASSIGN_OR_RETURN(auto key, barrier_.unwrap(decoded, type_.owner(r)));
            dek.emplace(std::move(key));
          }
          row[i] = wrapped;
          break;
        }
        case ColumnRole::kSealed: {
          if (shredded) {
            row[i] = Bytes();
            break;
          }
          if (!dek) throw std::logic_error("declare the data key before sealed fields");
          const auto plain = f.plain(r);
          if (f.unset_when_empty && plain.empty()) {
            row[i] = Bytes();
          } else {
            row[i] = barrier_.seal_field(*dek, type_.seal_id(r), f.field, plain).bytes();
          }
          break;
        }
        case ColumnRole::kMac:
          mac_at = i;
          break;
      }
    }
    if (mac_at == fields.size()) throw std::logic_error("a record type needs a MAC column");
    row[mac_at] = barrier_.row_mac(record_detail::mac_fields(type_.table(), row, in_mac_));
    return row;
  }

  // The row's MAC column; kIntegrity when the row is malformed or has none.
  Result<const std::string*> mac_of(const storage::Row& row) const {
    const auto& fields = type_.fields();
    if (row.size() != fields.size()) return Error::integrity("a stored record is malformed");
    const std::string* mac = nullptr;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].role != ColumnRole::kMac) continue;
      mac = std::get_if<std::string>(&row[i]);
      if (!mac) return Error::integrity("a stored record has no MAC");
    }
    if (!mac) return Error::integrity("a stored record has no MAC");
    return mac;
  }

  // The row is one Baomi wrote (MAC) and the latest it wrote for its key (ledger; `latest`, when
  // given, is the ledger's entry for the row as fetched with it).
  Result<void> verify(storage::ReadTx& tx, const storage::Row& row,
                      const std::optional<std::string>* latest = nullptr) const {
    BAOMI_ASSIGN_OR_RETURN(const std::string* mac, mac_of(row));
    BAOMI_TRY(barrier_.check_row_mac(record_detail::mac_fields(type_.table(), row, in_mac_), *mac));
    return check_ledger(tx, row, *mac, latest);
  }
  Result<void> check_ledger(storage::ReadTx& tx, const storage::Row& row, const std::string& mac,
                            const std::optional<std::string>* latest) const {
    if (latest) return record_detail::check_known_latest(tx, type_.table(), *latest, mac);
    return record_detail::check_latest(tx, type_.table(),
                                       record_detail::ledger_key(type_.table(), row), mac);
  }

  // get() of a cached type: the kept record when `row` is the very row it was opened from, with
  // the same opening (those bytes passed their MAC check then, so they would now) and the
  // ledger still names it the latest write (I1, checked against the store on every read); else
  // opened and verified as any other, and kept. A record opened clear-only is kept under its
  // own name (RecordType::cache_identity): its sealed fields are empty.
  Result<std::optional<T>> open_cached(storage::ReadTx& tx, storage::Row row,
                                       const std::string& ledger, Opening opening,
                                       const std::optional<std::string>* latest) const {
    auto& cache = barrier_.record_cache();
    const void* identity = type_.cache_identity(opening == Opening::kClearOnly);
    const auto name = record_detail::cache_key(type_.table(), ledger);
    if (auto kept = cache.find(identity, name, row)) {
      BAOMI_ASSIGN_OR_RETURN(const std::string* mac, mac_of(row));
      BAOMI_TRY(check_ledger(tx, row, *mac, latest));
      return std::optional<T>(*static_cast<const T*>(kept->record.get()));
    }
    ParentKeys parent_keys;
    BAOMI_ASSIGN_OR_RETURN(auto record, open(tx, row, parent_keys, opening, latest));
    if (type_.keeps(record) && !is_shredded(row)) {
      cache.keep(identity, name, std::move(row), std::make_shared<const T>(record));
    }
    return std::optional<T>(std::move(record));
  }

  // A write of the record: what this process kept of it goes at once (the stored row changed,
  // so it would miss anyway; this way its plaintext does not linger).
  void forget(const std::string& ledger) const {
    if (type_.is_cached()) {
      barrier_.record_cache().forget(record_detail::cache_key(type_.table(), ledger));
    }
  }

  Result<T> open(storage::ReadTx& tx, const storage::Row& row, ParentKeys& parent_keys,
                 Opening opening, const std::optional<std::string>* latest = nullptr) const {
    BAOMI_TRY(verify(tx, row, latest));
    const auto& fields = type_.fields();
    T r{};
    // The clear columns first: the owner and the parent are known from them.
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto role = fields[i].role;
      if (role == ColumnRole::kKey || role == ColumnRole::kClear || role == ColumnRole::kRevision) {
        BAOMI_TRY(fields[i].set(r, row[i]));
      }
    }
    if (opening == Opening::kClearOnly || is_shredded(row) || type_.says_shredded(r)) return r;
    std::optional<crypto::SecretKey> own_dek;
    const crypto::SecretKey* dek = nullptr;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      switch (f.role) {
        case ColumnRole::kKey:
        case ColumnRole::kClear:
        case ColumnRole::kRevision:
          break;
        case ColumnRole::kDataKey: {
          BAOMI_ASSIGN_OR_RETURN(auto key, unwrap_column(r, row[i]));
          own_dek.emplace(std::move(key));
          dek = &*own_dek;
          if (f.set) BAOMI_TRY(f.set(r, row[i]));
          break;
        }
        case ColumnRole::kSealed: {
          const auto* bytes = std::get_if<Bytes>(&row[i]);
          if (bytes && bytes->empty() && f.unset_when_empty) {
            BAOMI_TRY(f.set_plain(r, std::string()));
            break;
          }
          if (!dek && type_.has_parent_data_key()) {
            BAOMI_ASSIGN_OR_RETURN(dek, cached_parent_key(tx, r, parent_keys));
          }
          if (!bytes || !dek) return Error::integrity("a stored sealed field is damaged");
          BAOMI_ASSIGN_OR_RETURN(auto plain, barrier_.open_field(*dek, type_.seal_id(r), f.field,
                                                                 Sealed::from_storage(*bytes)));
          BAOMI_TRY(f.set_plain(r, std::move(plain)));
          break;
        }
        case ColumnRole::kBlindIndex:
        case ColumnRole::kMac:
          break;
      }
    }
    return r;
  }

  void note(storage::WriteTx& tx, const storage::Row& row) const {
    const auto& fields = type_.fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].role == ColumnRole::kMac) {
        tx.note_record_write({type_.table().name, record_detail::ledger_key(type_.table(), row),
                              std::get<std::string>(row[i])});
      }
    }
  }

  const Barrier& barrier_;
  const RecordType<T>& type_;
  std::vector<bool> in_mac_;
};

}  // namespace baomi::barrier
