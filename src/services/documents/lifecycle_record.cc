#include "services/documents/lifecycle_record.h"

namespace baomi::services {
namespace {

std::string lifecycle_owner(const DocumentLifecycle& l) { return "doclife:" + l.document_id; }
std::string lifecycle_seal_id(const DocumentLifecycle& l) { return l.document_id; }

barrier::Value lifecycle_hold_value(const DocumentLifecycle& l) {
  return std::int64_t{l.hold ? 1 : 0};
}

Result<void> set_lifecycle_hold(DocumentLifecycle& l, const barrier::Value& v) {
  const auto* n = std::get_if<std::int64_t>(&v);
  if (!n || (*n != 0 && *n != 1)) return Error::integrity("a stored lifecycle has a bad hold");
  l.hold = *n == 1;
  return {};
}

}  // namespace

const barrier::RecordType<DocumentLifecycle>& lifecycle_record_type() {
  static const auto type =
      barrier::RecordType<DocumentLifecycle>("document_lifecycle")
          .key("document_id", &DocumentLifecycle::document_id)
          .optional_time("retain_until", &DocumentLifecycle::retain_until)
          .custom({"hold", barrier::ColumnType::kInteger, false}, lifecycle_hold_value,
                  set_lifecycle_hold)
          .text("hold_by", &DocumentLifecycle::hold_by)
          .optional_time("hold_at", &DocumentLifecycle::hold_at)
          .optional_time("destroyed_at", &DocumentLifecycle::destroyed_at)
          .text("destroyed_by", &DocumentLifecycle::destroyed_by)
          .text("destroy_request_id", &DocumentLifecycle::destroy_request_id)
          .data_key("wrapped_key", lifecycle_owner, lifecycle_seal_id)
          .sealed("sealed_hold_reason", "hold_reason", &DocumentLifecycle::hold_reason)
          .unset_when_empty()
          .mac("mac")
          // Every read of a document opens its lifecycle, clear columns only (issue 14). Kept,
          // but never with a hold reason in it: the reason is opened only where a hold is
          // placed or lifted, and should not stay in memory. A hold, a release or a destruction
          // by any process changes the row, and the next read opens it afresh (record_cache.h).
          .cached([](const DocumentLifecycle& l) { return l.hold_reason.empty(); });
  return type;
}

}  // namespace baomi::services
