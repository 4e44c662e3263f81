// Every table declared through the sealed-record layer (barrier/record_type.h), for the
// engine to create at start-up (storage::Store::ensure_tables) and for verifiers to walk.
#pragma once

#include <vector>

#include "storage/table.h"

namespace baomi::services {

std::vector<const storage::Table*> record_tables();

}  // namespace baomi::services
