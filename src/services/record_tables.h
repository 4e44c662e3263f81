// Every table declared through the sealed-record layer (barrier/record_type.h), for the
// engine to create at start-up (storage::Store::ensure_tables) and for verifiers to walk.
#pragma once

#include <memory>
#include <vector>

#include "barrier/key_tables.h"
#include "barrier/record_type.h"

namespace baomi::services {

// The tables of sealed records (each with a MAC, every write in the record ledger).
std::vector<const barrier::Table*> record_tables();
// Every table the engine creates: the record tables and plain declared rows that are not
// records (blind indexes: keyed hashes that decide nothing, services/customers/customer_record.h).
std::vector<const barrier::Table*> declared_tables();
// The record tables whose records hold their own data key (the rest are sealed under a
// parent's key, or hold none): what KEK rotation rewraps and counts, in a fixed order (a
// rewrap's stored cursor names its table by position).
std::vector<std::unique_ptr<barrier::KeyTable>> key_tables(const barrier::Barrier& barrier);

}  // namespace baomi::services
