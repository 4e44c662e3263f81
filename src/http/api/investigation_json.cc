#include "http/api/investigation_json.h"

#include "http/api/json_out.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

json::value position_json(const services::LeakMatch& m) {
  if (m.page) return json::object{{"page", *m.page}};
  if (m.from && m.to) return json::object{{"from", *m.from}, {"to", *m.to}};
  return nullptr;
}

}  // namespace

json::object investigation_json(const services::Investigation& i) {
  json::array docs;
  for (const auto& d : i.document_ids) docs.emplace_back(d);
  json::object o{{"id", i.id},
                 {"state", i.open ? "open" : "closed"},
                 {"title", i.title},
                 {"reason", i.reason},
                 {"document_ids", std::move(docs)},
                 {"opened_by", i.opened_by},
                 {"opened_at", format_rfc3339(i.opened_at)},
                 {"finding", nullptr},
                 {"closed_by", nullptr},
                 {"closed_at", optional_time(i.closed_at)}};
  if (i.finding) o["finding"] = *i.finding;
  if (i.closed_by) o["closed_by"] = *i.closed_by;
  return o;
}

json::object match_json(const services::LeakMatch& m) {
  const bool view = m.kind == services::TraceKind::kView;
  json::object o{{"method", services::trace_method_name(m.method)},
                 {"kind", services::trace_kind_name(m.kind)}};
  if (view) {
    o["view_id"] = m.view_id;
  } else {
    o["serial"] = m.serial;
  }
  o["document_id"] = m.document_id.empty() ? json::value(nullptr) : json::value(m.document_id);
  o["version"] = m.version;
  o["holder_id"] = m.holder_id.empty() ? json::value(nullptr) : json::value(m.holder_id);
  const bool known = !(view && m.holder_id.empty());
  o[view ? "viewed_at" : "issued_at"] =
      known ? json::value(format_rfc3339(m.at)) : json::value(nullptr);
  if (view) o["audit_seq"] = m.audit_seq ? json::value(*m.audit_seq) : json::value(nullptr);
  o["evidence"] = m.evidence;
  o["position"] = position_json(m);
  return o;
}

json::array matches_json(const std::vector<services::LeakMatch>& matches) {
  json::array out;
  for (const auto& m : matches) out.push_back(match_json(m));
  return out;
}

json::object evidence_json(const services::Evidence& e) {
  return json::object{{"evidence_id", e.id},
                      {"sha256", e.sha256},
                      {"size", e.size},
                      {"content_type", e.content_type},
                      {"note", e.note},
                      {"added_by", e.added_by},
                      {"added_at", format_rfc3339(e.added_at)},
                      {"matches", matches_json(e.matches)}};
}

json::object timeline_event_json(const services::TimelineEvent& e) {
  boost::system::error_code ec;
  auto detail = json::parse(e.detail, ec);
  if (ec) detail = e.detail;  // entries are written as JSON; show anything else as text
  return json::object{{"seq", e.seq},       {"time", format_rfc3339(e.time)},
                      {"actor", e.actor},   {"action", e.action},
                      {"target", e.target}, {"decision", e.decision},
                      {"rule", e.rule},     {"detail", std::move(detail)},
                      {"hash", e.hash}};
}

json::object copy_holder_json(const services::CopyHolder& h) {
  return json::object{
      {"serial", h.serial},
      {"kind", h.kind},
      {"document_id", h.document_id.empty() ? json::value(nullptr) : json::value(h.document_id)},
      {"version", h.version},
      {"holder_id", h.holder_id},
      {"state", h.state},
      {"issued_at", format_rfc3339(h.issued_at)}};
}

json::object case_manifest_json(const services::CaseRecord& record) {
  json::array evidence, holders, timeline;
  for (const auto& e : record.evidence) evidence.push_back(evidence_json(e));
  for (const auto& h : record.copy_holders) holders.push_back(copy_holder_json(h));
  for (const auto& t : record.timeline) timeline.push_back(timeline_event_json(t));
  return json::object{{"kind", "investigation"},
                      {"case", investigation_json(record.investigation)},
                      {"evidence", std::move(evidence)},
                      {"copy_holders", std::move(holders)},
                      {"timeline", std::move(timeline)}};
}

}  // namespace baomi::http::api
