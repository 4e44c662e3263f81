// test_integration_pg: every TestInstance keeps its rows in a fresh database of the scratch
// PostgreSQL server (ctest fixture `postgres`); its keys stay in DATA as on SQLite.
#include "integration/harness.h"

namespace baomi::testing {
Engine test_engine() { return Engine::kPostgres; }
}  // namespace baomi::testing
