// The tables the auth layer declares through the sealed-record layer (barrier/record_type.h);
// services::record_tables() adds them to its own.
#pragma once

#include <vector>

#include "barrier/record_type.h"

namespace baomi::auth {

std::vector<const barrier::Table*> record_tables();

}  // namespace baomi::auth
