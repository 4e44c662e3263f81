#include "services/investigations/investigation.h"

#include <array>

#include "core/enum_names.h"
#include "crypto/encoding.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 4> kMethodNames = {"fingerprint", "visible_serial", "canary",
                                                          "export_row"};
constexpr std::array<std::string_view, 3> kEvidenceKindNames = {"copy", "view", "export"};

Error damaged() { return Error::integrity("a stored investigation is malformed"); }

json::object match_body(const LeakMatch& m) {
  json::object o{{"method", trace_method_name(m.method)},
                 {"kind", trace_kind_name(m.kind)},
                 {"serial", m.serial},
                 {"view_id", m.view_id},
                 {"document_id", m.document_id},
                 {"version", m.version},
                 {"holder_id", m.holder_id},
                 {"at", to_micros(m.at)},
                 {"evidence", m.evidence}};
  if (m.audit_seq) o["audit_seq"] = *m.audit_seq;
  if (m.from) o["from"] = *m.from;
  if (m.to) o["to"] = *m.to;
  if (m.page) o["page"] = *m.page;
  return o;
}

Result<std::optional<std::uint64_t>> optional_u64(const BodyReader& r, std::string_view key) {
  if (!r.find(key)) return std::optional<std::uint64_t>();
  BAOMI_ASSIGN_OR_RETURN(auto v, r.unsigned_integer(key));
  return std::optional<std::uint64_t>(v);
}

Result<LeakMatch> match_from_body(const json::value& v) {
  BodyReader r(v);
  LeakMatch m;
  BAOMI_ASSIGN_OR_RETURN(auto method, r.string("method"));
  BAOMI_ASSIGN_OR_RETURN(auto kind, r.string("kind"));
  const auto mm = enum_from_name<TraceMethod>(kMethodNames, method);
  const auto mk = enum_from_name<TraceKind>(kEvidenceKindNames, kind);
  if (!mm || !mk) return damaged();
  m.method = *mm;
  m.kind = *mk;
  BAOMI_ASSIGN_OR_RETURN(m.serial, r.string("serial"));
  BAOMI_ASSIGN_OR_RETURN(m.view_id, r.string("view_id"));
  BAOMI_ASSIGN_OR_RETURN(m.document_id, r.string("document_id"));
  BAOMI_ASSIGN_OR_RETURN(m.version, r.unsigned_integer("version"));
  BAOMI_ASSIGN_OR_RETURN(m.holder_id, r.string("holder_id"));
  BAOMI_ASSIGN_OR_RETURN(m.at, r.time("at"));
  BAOMI_ASSIGN_OR_RETURN(m.evidence, r.string("evidence"));
  BAOMI_ASSIGN_OR_RETURN(m.audit_seq, optional_u64(r, "audit_seq"));
  BAOMI_ASSIGN_OR_RETURN(auto from, optional_u64(r, "from"));
  BAOMI_ASSIGN_OR_RETURN(auto to, optional_u64(r, "to"));
  BAOMI_ASSIGN_OR_RETURN(auto page, optional_u64(r, "page"));
  if (from) m.from = static_cast<std::size_t>(*from);
  if (to) m.to = static_cast<std::size_t>(*to);
  if (page) m.page = static_cast<std::size_t>(*page);
  return m;
}

}  // namespace

std::string_view trace_method_name(TraceMethod method) { return enum_name(kMethodNames, method); }
std::string_view trace_kind_name(TraceKind kind) { return enum_name(kEvidenceKindNames, kind); }

StoredObject to_object(const Investigation& i) {
  StoredObject o;
  o.kind = std::string(kInvestigationKind);
  o.id = i.id;
  o.state = i.open ? "open" : "closed";
  o.owner_id = i.opened_by;
  o.created_at = i.opened_at;
  o.updated_at = i.closed_at.value_or(i.opened_at);
  o.revision = i.revision;
  o.body["title"] = i.title;
  o.body["reason"] = i.reason;
  json::array docs;
  for (const auto& d : i.document_ids) docs.emplace_back(d);
  o.body["document_ids"] = std::move(docs);
  if (i.finding) o.body["finding"] = *i.finding;
  if (i.closed_by) o.body["closed_by"] = *i.closed_by;
  if (i.closed_at) o.body["closed_at"] = to_micros(*i.closed_at);
  return o;
}

Result<Investigation> investigation_from_object(const StoredObject& o) {
  Investigation i;
  i.id = o.id;
  i.opened_by = o.owner_id;
  i.opened_at = o.created_at;
  i.revision = o.revision;
  if (o.state != "open" && o.state != "closed") return damaged();
  i.open = o.state == "open";
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(i.title, r.string("title"));
  BAOMI_ASSIGN_OR_RETURN(i.reason, r.string("reason"));
  BAOMI_ASSIGN_OR_RETURN(i.finding, r.optional_string("finding"));
  BAOMI_ASSIGN_OR_RETURN(i.closed_by, r.optional_string("closed_by"));
  BAOMI_ASSIGN_OR_RETURN(i.closed_at, r.optional_time("closed_at"));
  const auto* docs = r.find("document_ids");
  if (!docs || !docs->is_array()) return damaged();
  for (const auto& d : docs->as_array()) {
    if (!d.is_string()) return damaged();
    i.document_ids.emplace_back(d.as_string());
  }
  return i;
}

StoredObject to_object(const Evidence& e) {
  StoredObject o;
  o.kind = std::string(kEvidenceKind);
  o.id = e.id;
  o.state = "kept";
  o.owner_id = e.investigation_id;
  o.created_at = o.updated_at = e.added_at;
  o.body["content_type"] = e.content_type;
  o.body["note"] = e.note;
  o.body["size"] = e.size;
  o.body["sha256"] = e.sha256;
  o.body["chunk_count"] = e.chunk_count;
  o.body["wrapped_key"] = crypto::base64url_encode(e.wrapped_key);
  o.body["added_by"] = e.added_by;
  json::array matches;
  for (const auto& m : e.matches) matches.push_back(match_body(m));
  o.body["matches"] = std::move(matches);
  return o;
}

Result<Evidence> evidence_from_object(const StoredObject& o) {
  Evidence e;
  e.id = o.id;
  e.investigation_id = o.owner_id;
  e.added_at = o.created_at;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(e.content_type, r.string("content_type"));
  BAOMI_ASSIGN_OR_RETURN(e.note, r.string("note"));
  BAOMI_ASSIGN_OR_RETURN(e.size, r.unsigned_integer("size"));
  BAOMI_ASSIGN_OR_RETURN(e.sha256, r.string("sha256"));
  BAOMI_ASSIGN_OR_RETURN(e.chunk_count, r.unsigned_integer("chunk_count"));
  BAOMI_ASSIGN_OR_RETURN(auto key, r.string("wrapped_key"));
  auto decoded = crypto::base64url_decode(key);
  if (!decoded) return damaged();
  e.wrapped_key = std::move(*decoded);
  BAOMI_ASSIGN_OR_RETURN(e.added_by, r.string("added_by"));
  const auto* matches = r.find("matches");
  if (!matches || !matches->is_array()) return damaged();
  for (const auto& m : matches->as_array()) {
    BAOMI_ASSIGN_OR_RETURN(auto match, match_from_body(m));
    e.matches.push_back(std::move(match));
  }
  return e;
}

}  // namespace baomi::services
