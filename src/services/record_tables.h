// Every table declared through the sealed-record layer (barrier/record_type.h), for the
// engine to create at start-up (storage::Store::ensure_tables) and for verifiers to walk.
#pragma once

#include <vector>

#include "barrier/record_type.h"

namespace baomi::services {

// The tables of sealed records (each with a MAC, every write in the record ledger).
std::vector<const barrier::Table*> record_tables();
// Every table the engine creates: the record tables and plain declared rows that are not
// records (blind indexes: keyed hashes that decide nothing, services/customers/customer_record.h).
std::vector<const barrier::Table*> declared_tables();

}  // namespace baomi::services
