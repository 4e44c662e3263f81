#include "services/documents/view_record.h"

#include "services/workflow/json_fields.h"

namespace baomi::services {

std::string view_id_of(std::uint64_t number) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, number >>= 4) out[static_cast<std::size_t>(i)] = kHex[number & 0xf];
  return out;
}

StoredObject to_object(const ViewRecord& v) {
  StoredObject o;
  o.kind = std::string(kViewKind);
  o.id = v.view_id;
  o.state = "viewed";
  o.document_id = v.document_id;
  o.owner_id = v.reader_id;
  o.created_at = o.updated_at = v.viewed_at;
  o.body["version"] = v.version;
  o.body["audit_seq"] = v.audit_seq;
  return o;
}

Result<ViewRecord> view_record_from_object(const StoredObject& o) {
  ViewRecord v;
  v.view_id = o.id;
  v.document_id = o.document_id;
  v.reader_id = o.owner_id;
  v.viewed_at = o.created_at;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(v.version, r.unsigned_integer("version"));
  BAOMI_ASSIGN_OR_RETURN(v.audit_seq, r.unsigned_integer("audit_seq"));
  return v;
}

}  // namespace baomi::services
