#include "services/record_tables.h"
#include "support/test_runtime.h"

namespace baomi::testing {

std::vector<const storage::Table*> record_tables_under_test() {
  return services::declared_tables();
}

}  // namespace baomi::testing
