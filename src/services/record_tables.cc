#include "services/record_tables.h"

#include "auth/record_tables.h"
#include "auth/user_record.h"
#include "barrier/counters.h"
#include "services/customers/customer_record.h"
#include "services/documents/document_record.h"
#include "services/documents/lifecycle_record.h"
#include "services/handovers/slip_records.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

std::vector<const barrier::Table*> record_tables() {
  auto tables = auth::record_tables();
  tables.push_back(&object_record_type().table());
  tables.push_back(&customer_record_type().table());
  tables.push_back(&contact_record_type().table());
  tables.push_back(&slip_record_type().table());
  tables.push_back(&slip_version_record_type().table());
  tables.push_back(&slip_copy_record_type().table());
  tables.push_back(&document_record_type().table());
  tables.push_back(&version_record_type().table());
  tables.push_back(&lifecycle_record_type().table());
  tables.push_back(&barrier::counter_record_type().table());
  return tables;
}

std::vector<const barrier::Table*> declared_tables() {
  auto tables = record_tables();
  tables.push_back(&customer_index_table());
  return tables;
}

std::vector<std::unique_ptr<barrier::KeyTable>> key_tables(const barrier::Barrier& barrier) {
  using barrier::KeyTableOf;
  std::vector<std::unique_ptr<barrier::KeyTable>> out;
  out.push_back(std::make_unique<KeyTableOf<auth::UserRecord>>(barrier, auth::user_record_type()));
  out.push_back(std::make_unique<KeyTableOf<StoredObject>>(barrier, object_record_type()));
  out.push_back(std::make_unique<KeyTableOf<CustomerRecord>>(barrier, customer_record_type()));
  out.push_back(std::make_unique<KeyTableOf<Slip>>(barrier, slip_record_type()));
  out.push_back(std::make_unique<KeyTableOf<DocumentRecord>>(barrier, document_record_type()));
  out.push_back(std::make_unique<KeyTableOf<DocumentVersion>>(barrier, version_record_type()));
  return out;
}

}  // namespace baomi::services
