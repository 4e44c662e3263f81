#include "auth/record_tables.h"

namespace baomi::auth {

std::vector<const storage::Table*> record_tables() { return {}; }

}  // namespace baomi::auth
