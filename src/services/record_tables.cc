#include "services/record_tables.h"

#include "auth/record_tables.h"
#include "services/handovers/slip_records.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

std::vector<const storage::Table*> record_tables() {
  auto tables = auth::record_tables();
  tables.push_back(&object_record_type().table());
  tables.push_back(&slip_record_type().table());
  tables.push_back(&slip_version_record_type().table());
  tables.push_back(&slip_copy_record_type().table());
  return tables;
}

}  // namespace baomi::services
