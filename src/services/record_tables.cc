#include "services/record_tables.h"

#include "auth/record_tables.h"
#include "services/documents/document_record.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

std::vector<const storage::Table*> record_tables() {
  auto tables = auth::record_tables();
  tables.push_back(&object_record_type().table());
  tables.push_back(&document_record_type().table());
  tables.push_back(&version_record_type().table());
  return tables;
}

}  // namespace baomi::services
