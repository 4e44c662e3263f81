// RecordType<T>: an entity declared once. Each column says what it is (part of the key, a clear
// query column, the revision, a keyed blind index, the wrapped data key, a sealed field, the
// MAC) and how it maps to a member of T; from that one declaration come the table (schema),
// the sealing, the MAC's coverage and the row mapping (barrier/records.h). Nothing else in the
// code base lists an entity's columns.
// Built once (a function-local static) and then only read: thread-safe for concurrent readers.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "crypto/secret_key.h"
#include "storage/table.h"

namespace baomi::storage {
class ReadTx;
}  // namespace baomi::storage

namespace baomi::barrier {

// The value types of declarations, keys and scans, as services name them: a table is declared
// through the barrier (RecordType), and a record is found by key or scan through it.
using storage::Column;
using storage::ColumnType;
using storage::Compare;
using storage::Condition;
using storage::Index;
using storage::Row;
using storage::Scan;
using storage::Table;
using storage::Value;

class Barrier;
template <typename T>
class Records;

enum class ColumnRole { kKey, kClear, kRevision, kBlindIndex, kDataKey, kSealed, kMac };

template <typename T>
struct FieldSpec {
  storage::Column column;
  ColumnRole role = ColumnRole::kClear;
  bool in_mac = true;  // the MAC covers every column but itself unless declared otherwise
  bool unset_when_empty = false;  // kSealed: "" is stored as an empty column, not sealed
  // kKey, kClear, kRevision: the column's value, and back. kDataKey (optional): the wrapped
  // key's bytes, and back.
  std::function<storage::Value(const T&)> get;
  std::function<Result<void>(T&, const storage::Value&)> set;
  // kSealed: the field name in the AEAD's associated data, and the plaintext, and back.
  // kBlindIndex: the index kind, and the normalised value to index.
  std::string field;
  std::function<std::string(const T&)> plain;
  std::function<Result<void>(T&, std::string)> set_plain;
};

template <typename T>
class RecordType {
 public:
  using Strings = std::vector<std::string>;

  explicit RecordType(std::string table) { table_.table.name = std::move(table); }

  // Key columns come first, in key order.
  RecordType& key(std::string column, std::string T::*member) {
    if (fields_.size() != table_.key_size_declared) {
      throw std::logic_error("key columns must be declared first: " + column);
    }
    ++table_.key_size_declared;
    add(text_field(std::move(column), member, ColumnRole::kKey));
    return *this;
  }
  // An integer key column (e.g. a version number).
  RecordType& key(std::string column, std::uint64_t T::*member) {
    if (fields_.size() != table_.key_size_declared) {
      throw std::logic_error("key columns must be declared first: " + column);
    }
    ++table_.key_size_declared;
    add(number_field(std::move(column), member, ColumnRole::kKey));
    return *this;
  }
  RecordType& text(std::string column, std::string T::*member) {
    add(text_field(std::move(column), member, ColumnRole::kClear));
    return *this;
  }
  RecordType& time(std::string column, TimePoint T::*member) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kInteger, false};
    f.get = [member](const T& r) { return storage::Value(to_micros(r.*member)); };
    f.set = [member](T& r, const storage::Value& v) -> Result<void> {
      const auto* n = std::get_if<std::int64_t>(&v);
      if (!n) return Error::integrity("a stored record has a malformed time");
      r.*member = from_micros(*n);
      return {};
    };
    add(std::move(f));
    return *this;
  }
  RecordType& optional_time(std::string column, std::optional<TimePoint> T::*member) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kInteger, true};
    f.get = [member](const T& r) {
      return (r.*member) ? storage::Value(to_micros(*(r.*member))) : storage::Value();
    };
    f.set = [member](T& r, const storage::Value& v) -> Result<void> {
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        r.*member = from_micros(*n);
      } else {
        r.*member = std::nullopt;
      }
      return {};
    };
    add(std::move(f));
    return *this;
  }
  // A clear count (not negative).
  RecordType& number(std::string column, std::uint64_t T::*member) {
    add(number_field(std::move(column), member, ColumnRole::kClear));
    return *this;
  }
  // Grows by one with every update; updates are refused (conflict) when it moved meanwhile.
  RecordType& revision(std::string column, std::uint64_t T::*member) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kInteger, false};
    f.role = ColumnRole::kRevision;
    f.get = [member](const T& r) { return storage::Value(static_cast<std::int64_t>(r.*member)); };
    f.set = [member](T& r, const storage::Value& v) -> Result<void> {
      const auto* n = std::get_if<std::int64_t>(&v);
      if (!n || *n < 0) return Error::integrity("a stored record has a malformed revision");
      r.*member = static_cast<std::uint64_t>(*n);
      return {};
    };
    add(std::move(f));
    return *this;
  }
  // A clear column with its own conversion (e.g. a set of roles as names).
  RecordType& custom(storage::Column column, std::function<storage::Value(const T&)> get,
                     std::function<Result<void>(T&, const storage::Value&)> set) {
    FieldSpec<T> f;
    f.column = std::move(column);
    f.get = std::move(get);
    f.set = std::move(set);
    add(std::move(f));
    return *this;
  }
  // A keyed hash (Barrier::blind_index) of `normalised(record)` under `kind`, for exact-match
  // lookup and uniqueness on a sealed value.
  RecordType& blind_index(std::string column, std::string kind,
                          std::function<std::string(const T&)> normalised) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kText, false};
    f.role = ColumnRole::kBlindIndex;
    f.field = std::move(kind);
    f.plain = std::move(normalised);
    add(std::move(f));
    return *this;
  }
  // The record's own data key, wrapped under the KEK and bound to owner(record) (e.g.
  // "user:<id>"); sealed fields use seal_id(record) in their associated data.
  RecordType& data_key(std::string column, std::function<std::string(const T&)> owner,
                       std::function<std::string(const T&)> seal_id) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kBlob, false};
    f.role = ColumnRole::kDataKey;
    owner_ = std::move(owner);
    seal_id_ = std::move(seal_id);
    add(std::move(f));
    return *this;
  }
  // The same, and the wrapped key's bytes are the record's `wrapped` member: set when read, and
  // when set before an insert they are the key used (for a key the caller also seals other data
  // with, e.g. a document version's content). An update keeps the stored key.
  RecordType& data_key(std::string column, std::function<std::string(const T&)> owner,
                       std::function<std::string(const T&)> seal_id, Bytes T::*wrapped) {
    data_key(std::move(column), std::move(owner), std::move(seal_id));
    auto& f = fields_.back();
    f.get = [wrapped](const T& r) { return storage::Value(r.*wrapped); };
    f.set = [wrapped](T& r, const storage::Value& v) -> Result<void> {
      const auto* bytes = std::get_if<Bytes>(&v);
      if (!bytes) return Error::integrity("a stored data key is damaged");
      r.*wrapped = *bytes;
      return {};
    };
    return *this;
  }
  RecordType& sealed(std::string column, std::string field, std::string T::*member) {
    return sealed(
        std::move(column), std::move(field), [member](const T& r) { return r.*member; },
        [member](T& r, std::string v) -> Result<void> {
          r.*member = std::move(v);
          return {};
        });
  }
  RecordType& sealed(std::string column, std::string field,
                     std::function<std::string(const T&)> plain,
                     std::function<Result<void>(T&, std::string)> set_plain) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kBlob, false};
    f.role = ColumnRole::kSealed;
    f.field = std::move(field);
    f.plain = std::move(plain);
    f.set_plain = std::move(set_plain);
    add(std::move(f));
    return *this;
  }
  // Sealed fields under another record's data key instead of one of their own (e.g. a contact
  // entry under its customer's): parent_key(record) is that record's key in `parent`, whose
  // row is checked (MAC, ledger) before its key is unwrapped; sealed fields use seal_id(record)
  // in their associated data. Declare the columns parent_key reads before the sealed fields;
  // the declaring file includes barrier/records.h (the parent is opened through Records<P>).
  template <typename P>
  RecordType& parent_data_key(const RecordType<P>& parent,
                              std::function<storage::Row(const T&)> parent_key,
                              std::function<std::string(const T&)> seal_id) {
    bool has_key = false, has_mac = false;
    for (const auto& f : parent.fields()) {
      has_key = has_key || f.role == ColumnRole::kDataKey;
      has_mac = has_mac || f.role == ColumnRole::kMac;
    }
    if (!has_key || !has_mac) {
      throw std::logic_error("a parent record type needs a data key and a MAC: " +
                             parent.table().name);
    }
    if (cached_)
      throw std::logic_error("a cached record needs its own data key: " + table_.table.name);
    parent_table_ = &parent.table();
    parent_key_ = std::move(parent_key);
    parent_data_key_ = [&parent](const Barrier& barrier, storage::ReadTx& tx,
                                 const storage::Row& key) {
      return Records<P>(barrier, parent).data_key(tx, key);
    };
    seal_id_ = std::move(seal_id);
    return *this;
  }
  RecordType& mac(std::string column) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kText, false};
    f.role = ColumnRole::kMac;
    f.in_mac = false;
    add(std::move(f));
    return *this;
  }
  // Layouts that predate the record layer: this column is stored but not covered by the MAC.
  RecordType& outside_mac() {
    fields_.back().in_mac = false;
    return *this;
  }
  // Layouts that predate the record layer: an unset (empty) sealed field is an empty column, so
  // which fields are set shows (the MAC binds it), never their values.
  RecordType& unset_when_empty() {
    fields_.back().unset_when_empty = true;
    return *this;
  }
  // The engine refuses to update or delete rows (storage::Table::append_only).
  RecordType& append_only() {
    table_.table.append_only = true;
    return *this;
  }
  // Crypto-shredding (e.g. H3 purges): Records<T>::shred empties the data key and every sealed
  // column and keeps the clear columns as a tombstone, which opens with its sealed fields
  // empty. Declared last: the MAC must cover what is emptied, or emptying would go unnoticed.
  RecordType& shreddable() {
    if (cached_)
      throw std::logic_error("a shreddable record is never cached: " + table_.table.name);
    for (const auto& f : fields_) {
      if ((f.role == ColumnRole::kSealed || f.role == ColumnRole::kDataKey) && !f.in_mac) {
        throw std::logic_error("a shreddable record's MAC must cover its sealed columns: " +
                               table_.table.name);
      }
    }
    shreddable_ = true;
    return *this;
  }
  // Crypto-shredding of a record type whose sealed columns predate shreddable(): `shredded`
  // reads MAC-covered clear columns (e.g. a state "destroyed") and says the record's data key
  // was erased (Records<T>::erase_data_key), so it opens with its sealed fields empty.
  RecordType& shredded_when(std::function<bool(const T&)> shredded) {
    shredded_when_ = std::move(shredded);
    return *this;
  }
  // Opened records of this type may be kept in the barrier's RecordCache (record_cache.h) and
  // served again while their stored row is unchanged byte for byte (and still the ledger's
  // latest); `when`, if given, picks which records are kept. For records read on every request
  // (sessions, accounts, documents, their lifecycles). Reads of clear columns only
  // (Opening::kClearOnly) are kept too, apart from whole ones (cache_identity). Not for shreddable
  // records (a shred must leave no plaintext behind) nor those sealed under a parent's key (the
  // parent's row is not compared).
  RecordType& cached(std::function<bool(const T&)> when = {}) {
    if (shreddable_ || parent_data_key_) {
      throw std::logic_error("this record type cannot be cached: " + table_.table.name);
    }
    cached_ = true;
    cache_when_ = std::move(when);
    return *this;
  }
  RecordType& index(std::string name, Strings columns, bool unique = false,
                    std::string partial_not_null = {}) {
    table_.table.indexes.push_back(
        {std::move(name), std::move(columns), unique, std::move(partial_not_null)});
    return *this;
  }

  const storage::Table& table() const { return table_.table; }
  const std::vector<FieldSpec<T>>& fields() const { return fields_; }
  std::string owner(const T& r) const { return owner_ ? owner_(r) : std::string(); }
  std::string seal_id(const T& r) const { return seal_id_ ? seal_id_(r) : std::string(); }
  bool has_parent_data_key() const { return static_cast<bool>(parent_data_key_); }
  const storage::Table& parent_table() const { return *parent_table_; }
  storage::Row parent_key(const T& r) const { return parent_key_(r); }
  Result<crypto::SecretKey> parent_data_key(const Barrier& barrier, storage::ReadTx& tx,
                                            const storage::Row& key) const {
    return parent_data_key_(barrier, tx, key);
  }
  bool is_shreddable() const { return shreddable_; }
  bool says_shredded(const T& r) const { return shredded_when_ && shredded_when_(r); }
  bool is_cached() const { return cached_; }
  // Whether an opened record may be kept (RecordType::cached).
  bool keeps(const T& r) const { return cached_ && (!cache_when_ || cache_when_(r)); }
  // The record cache's name for what opened a kept record: this type opening records whole, or
  // opening only their clear columns (Opening::kClearOnly: sealed fields empty, nothing sealed
  // decrypted, so no sealed plaintext is kept). Two names, so that neither is handed out for the
  // other.
  const void* cache_identity(bool clear_only) const {
    return clear_only ? static_cast<const void*>(&clear_only_identity_)
                      : static_cast<const void*>(this);
  }

 private:
  static FieldSpec<T> number_field(std::string column, std::uint64_t T::*member, ColumnRole role) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kInteger, false};
    f.role = role;
    f.get = [member](const T& r) { return storage::Value(static_cast<std::int64_t>(r.*member)); };
    f.set = [member](T& r, const storage::Value& v) -> Result<void> {
      const auto* n = std::get_if<std::int64_t>(&v);
      if (!n || *n < 0) return Error::integrity("a stored record has a malformed number");
      r.*member = static_cast<std::uint64_t>(*n);
      return {};
    };
    return f;
  }
  static FieldSpec<T> text_field(std::string column, std::string T::*member, ColumnRole role) {
    FieldSpec<T> f;
    f.column = {std::move(column), storage::ColumnType::kText, false};
    f.role = role;
    f.get = [member](const T& r) { return storage::Value(r.*member); };
    f.set = [member](T& r, const storage::Value& v) -> Result<void> {
      const auto* s = std::get_if<std::string>(&v);
      if (!s) return Error::integrity("a stored record has a malformed text column");
      r.*member = *s;
      return {};
    };
    return f;
  }
  void add(FieldSpec<T> f) {
    table_.table.columns.push_back(f.column);
    table_.table.key_size = table_.key_size_declared;
    fields_.push_back(std::move(f));
  }

  struct DeclaredTable {
    storage::Table table;
    std::size_t key_size_declared = 0;
  };
  DeclaredTable table_;
  std::vector<FieldSpec<T>> fields_;
  std::function<std::string(const T&)> owner_;
  std::function<std::string(const T&)> seal_id_;
  const storage::Table* parent_table_ = nullptr;
  std::function<storage::Row(const T&)> parent_key_;
  std::function<Result<crypto::SecretKey>(const Barrier&, storage::ReadTx&, const storage::Row&)>
      parent_data_key_;
  bool shreddable_ = false;
  std::function<bool(const T&)> shredded_when_;
  bool cached_ = false;
  std::function<bool(const T&)> cache_when_;
  char clear_only_identity_ = 0;  // only its address is used (cache_identity)
};

}  // namespace baomi::barrier
