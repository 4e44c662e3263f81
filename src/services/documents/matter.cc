#include "services/documents/matter.h"

namespace baomi::services {

policy::Resource Matter::resource(std::string_view holder_id) const {
  policy::Resource r;
  if (doc) {
    r = resource_of(*doc);
  } else {
    r.level = level;
    r.categories = categories;
  }
  r.holder_id = holder_id;
  return r;
}

std::string Matter::target() const {
  if (area_id) return "area:" + *area_id;
  return doc ? document_target(doc->id) : std::string(kCustomerRegisterTarget);
}

Matter document_matter(Document doc) {
  Matter m;
  m.level = doc.level;
  m.categories = doc.categories;
  m.custodian_id = doc.custodian_id;
  m.read_action = policy::Action::kReadDocumentContent;
  m.doc = std::move(doc);
  return m;
}

Matter customer_register_matter(policy::Level level, policy::CategorySet categories) {
  Matter m;
  m.level = level;
  m.categories = categories;
  m.read_action = policy::Action::kReadCustomer;
  return m;
}

Matter area_matter(std::string area_id, policy::Level level, std::vector<std::string> keepers) {
  Matter m;
  m.level = level;
  m.read_action = policy::Action::kReadAreaLog;
  m.area_id = std::move(area_id);
  m.keepers = std::move(keepers);
  return m;
}

}  // namespace baomi::services
