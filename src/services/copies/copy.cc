#include "services/copies/copy.h"

#include <array>

#include "core/enum_names.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, kCopyStateCount> kCopyStateNames = {
    "issued", "returned", "destroyed", "lost", "revoked"};
constexpr std::array<std::string_view, kCopyEventCount> kCopyEventNames = {"return", "destroy",
                                                                           "report_lost", "revoke"};

}  // namespace

std::string_view copy_state_name(CopyState state) { return enum_name(kCopyStateNames, state); }

std::optional<CopyState> copy_state_from_name(std::string_view name) {
  return enum_from_name<CopyState>(kCopyStateNames, name);
}

std::string_view copy_event_name(CopyEvent event) { return enum_name(kCopyEventNames, event); }

Result<CopyState> next_copy_state(CopyState from, CopyEvent event) {
  if (from != CopyState::kIssued) {
    return Error::conflict("copy_closed",
                           "the copy is already " + std::string(copy_state_name(from)));
  }
  switch (event) {
    case CopyEvent::kReturn:
      return CopyState::kReturned;
    case CopyEvent::kDestroy:
      return CopyState::kDestroyed;
    case CopyEvent::kReportLost:
      return CopyState::kLost;
    case CopyEvent::kRevoke:
      return CopyState::kRevoked;
  }
  return Error::internal("unknown copy event");
}

StoredObject to_object(const Copy& c) {
  StoredObject o;
  o.kind = std::string(kCopyKind);
  o.id = c.serial;
  o.state = std::string(copy_state_name(c.state));
  o.document_id = c.document_id;
  o.owner_id = c.holder_id;
  o.created_at = c.issued_at;
  o.updated_at = c.history.empty() ? c.issued_at : c.history.back().at;
  if (c.state == CopyState::kIssued) o.due_at = c.due_back;
  o.revision = c.revision;
  auto& b = o.body;
  b["number"] = c.number;
  b["kind"] = std::string(policy::request_type_name(c.kind));
  b["version"] = c.version;
  b["holder_name"] = c.holder_name;
  b["request_id"] = c.request_id;
  b["marking"] = c.marking;
  b["content_type"] = c.content_type;
  b["marked"] = c.marked;
  b["due_back"] = to_micros(c.due_back);
  if (c.text_variants.any()) b["text_variants"] = c.text_variants.bits();
  if (c.excerpt) b["excerpt"] = json::object{{"from", c.excerpt->from}, {"to", c.excerpt->to}};
  if (c.customer_export) b["customer_export"] = customer_export_body(*c.customer_export);
  json::array history;
  for (const auto& e : c.history) {
    history.push_back(json::object{
        {"event", e.event}, {"actor_id", e.actor_id}, {"note", e.note}, {"at", to_micros(e.at)}});
  }
  b["history"] = std::move(history);
  return o;
}

Result<Copy> copy_from_object(const StoredObject& o) {
  Copy c;
  c.serial = o.id;
  c.document_id = o.document_id;
  c.holder_id = o.owner_id;
  c.issued_at = o.created_at;
  c.revision = o.revision;
  auto state = copy_state_from_name(o.state);
  if (!state) return Error::integrity("a stored copy has an unknown state");
  c.state = *state;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(c.number, r.unsigned_integer("number"));
  BAOMI_ASSIGN_OR_RETURN(auto kind, r.string("kind"));
  auto type = policy::request_type_from_name(kind);
  if (!type) return Error::integrity("a stored copy has an unknown kind");
  c.kind = *type;
  BAOMI_ASSIGN_OR_RETURN(c.version, r.unsigned_integer("version"));
  BAOMI_ASSIGN_OR_RETURN(c.holder_name, r.string("holder_name"));
  BAOMI_ASSIGN_OR_RETURN(c.request_id, r.string("request_id"));
  BAOMI_ASSIGN_OR_RETURN(c.marking, r.string("marking"));
  BAOMI_ASSIGN_OR_RETURN(c.content_type, r.string("content_type"));
  BAOMI_ASSIGN_OR_RETURN(c.marked, r.boolean("marked"));
  BAOMI_ASSIGN_OR_RETURN(c.due_back, r.time("due_back"));
  if (r.find("text_variants") != nullptr) {
    BAOMI_ASSIGN_OR_RETURN(const auto bits, r.unsigned_integer("text_variants"));
    if (bits >= 32) return Error::integrity("a stored copy has unknown text variants");
    c.text_variants = marking::TextVariantClasses::from_bits(static_cast<std::uint32_t>(bits));
  }
  if (const auto* e = r.find("excerpt")) {
    BodyReader er(*e);
    ExcerptRange range;
    BAOMI_ASSIGN_OR_RETURN(range.from, er.unsigned_integer("from"));
    BAOMI_ASSIGN_OR_RETURN(range.to, er.unsigned_integer("to"));
    c.excerpt = range;
  }
  if (const auto* e = r.find("customer_export")) {
    BAOMI_ASSIGN_OR_RETURN(auto ce, customer_export_from_body(*e));
    c.customer_export = ce;
  }
  const auto* history = r.find("history");
  if (!history || !history->is_array()) return Error::integrity("a stored copy is malformed");
  for (const auto& v : history->as_array()) {
    BodyReader hr(v);
    CopyEventRecord e;
    BAOMI_ASSIGN_OR_RETURN(e.event, hr.string("event"));
    BAOMI_ASSIGN_OR_RETURN(e.actor_id, hr.string("actor_id"));
    BAOMI_ASSIGN_OR_RETURN(e.note, hr.string("note"));
    BAOMI_ASSIGN_OR_RETURN(e.at, hr.time("at"));
    c.history.push_back(std::move(e));
  }
  return c;
}

}  // namespace baomi::services
