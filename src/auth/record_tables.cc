#include "auth/record_tables.h"

#include "auth/session_record.h"

namespace baomi::auth {

std::vector<const storage::Table*> record_tables() { return {&session_record_type().table()}; }

}  // namespace baomi::auth
