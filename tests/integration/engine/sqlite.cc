// test_integration: every TestInstance keeps its rows in the embedded SQLite file DATA/baomi.db.
#include "integration/harness.h"

namespace baomi::testing {
Engine test_engine() { return Engine::kSqlite; }
}  // namespace baomi::testing
