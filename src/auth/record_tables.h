// The tables the auth layer declares through the sealed-record layer (barrier/record_type.h);
// services::record_tables() adds them to its own.
#pragma once

#include <vector>

#include "storage/table.h"

namespace baomi::auth {

std::vector<const storage::Table*> record_tables();

}  // namespace baomi::auth
