// SealedObjects: how the workflow services (requests, grants, copies, incidents, alerts) keep
// their objects. The clear header holds only what queries and access checks need (kind, id,
// state, document, owner, times); the body is a JSON object sealed under the object's own data
// key ("obj:<kind>:<id>"), and a row MAC binds header and sealed body so a database editor can
// neither read a reason nor move a copy to another holder. Updates are optimistic: a row
// changed meanwhile is a conflict, never a lost update.
// Thread-safety: stateless apart from the Runtime; use from any thread, inside a Tx's job.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "barrier/record_type.h"
#include "barrier/transaction.h"

namespace baomi::services {

struct StoredObject {
  std::string kind;
  std::string id;
  std::string state;
  std::string document_id;
  std::string owner_id;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> due_at;
  std::uint64_t revision = 0;  // 0 until first stored
  boost::json::object body;
};

// How a list of objects is ordered: by id, or by creation time and then id (with a document_id,
// an index walk: a page costs its own rows, whatever the history before it).
enum class ObjectOrder : std::uint8_t { kById, kByCreation };

// Filters on the clear columns; unset fields do not filter. Ordered as `order`, ids > after_id
// (by creation: within the rows the creation bounds select).
struct ObjectQuery {
  std::string kind;
  std::optional<std::string> state;
  std::optional<std::string> document_id;
  std::optional<std::string> owner_id;
  std::optional<std::int64_t> due_before_us;      // due_at set and < this (microseconds)
  std::optional<std::int64_t> created_from_us;    // created_at >= this
  std::optional<std::int64_t> created_before_us;  // created_at < this
  ObjectOrder order = ObjectOrder::kById;
  std::string after_id;
  std::size_t limit = 100;
};

// The one declaration of the `objects` table (barrier/record_type.h).
const barrier::RecordType<StoredObject>& object_record_type();

class SealedObjects {
 public:
  explicit SealedObjects(const auth::Runtime& rt) : rt_(rt) {}

  // Stores a new object (revision becomes 1); conflict when (kind, id) exists.
  Result<void> insert(barrier::WriteTx& tx, StoredObject& object) const;
  // Stores the changed object over the revision it was read at (revision grows by one).
  Result<void> update(barrier::WriteTx& tx, StoredObject& object) const;
  // kIntegrity when the stored row was altered.
  Result<std::optional<StoredObject>> get(barrier::ReadTx& tx, const std::string& kind,
                                          const std::string& id) const;
  Result<std::vector<StoredObject>> list(barrier::ReadTx& tx, const ObjectQuery& query) const;
  // The ids alone, unopened (what an audit-trail lookup needs).
  Result<std::vector<std::string>> list_ids(barrier::ReadTx& tx, const ObjectQuery& query) const;
  // The MAC of the object's latest write as the record ledger names it (Records::latest_write):
  // while it stays the same, what a caller derived from the object it opened is current.
  Result<std::optional<std::string>> latest_write(barrier::ReadTx& tx, const std::string& kind,
                                                  const std::string& id) const;
  // Removes the object and its data key (crypto-shredding).
  Result<void> erase(barrier::WriteTx& tx, const std::string& kind, const std::string& id) const;

 private:
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
