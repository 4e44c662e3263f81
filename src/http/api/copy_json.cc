#include "http/api/copy_json.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

json::array seq_array(const std::vector<std::uint64_t>& seqs) {
  json::array out;
  for (const auto seq : seqs) out.push_back(seq);
  return out;
}

json::value optional_string(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

}  // namespace

json::object copy_json(const services::Copy& c) {
  json::array history;
  for (const auto& e : c.history) {
    history.push_back(json::object{{"event", e.event},
                                   {"actor_id", e.actor_id},
                                   {"note", e.note},
                                   {"at", format_rfc3339(e.at)}});
  }
  json::object o{{"serial", c.serial},
                 {"kind", policy::request_type_name(c.kind)},
                 {"document_id", c.document_id},
                 {"version", c.version},
                 {"holder_id", c.holder_id},
                 {"request_id", c.request_id},
                 {"state", services::copy_state_name(c.state)},
                 {"marking", c.marking},
                 {"marked", c.marked},
                 {"issued_at", format_rfc3339(c.issued_at)},
                 {"due_back", format_rfc3339(c.due_back)},
                 {"history", std::move(history)}};
  o["excerpt"] = c.excerpt
                     ? json::value(json::object{{"from", c.excerpt->from}, {"to", c.excerpt->to}})
                     : json::value(nullptr);
  o["scope"] = c.customer_export ? "customers" : "document";
  return o;
}

json::object incident_json(const services::Incident& i) {
  json::array steps;
  for (const auto& s : i.steps) {
    steps.push_back(
        json::object{{"actor_id", s.actor_id}, {"note", s.note}, {"at", format_rfc3339(s.at)}});
  }
  json::object o{{"id", i.id},
                 {"document_id", i.document_id},
                 {"reporter_id", i.reporter_id},
                 {"serial", optional_string(i.serial)},
                 {"description", i.description},
                 {"state", i.open ? "open" : "closed"},
                 {"steps", std::move(steps)},
                 {"opened_at", format_rfc3339(i.opened_at)}};
  o["closed_at"] = i.closed_at ? json::value(format_rfc3339(*i.closed_at)) : json::value(nullptr);
  return o;
}

json::object alert_json(const services::Alert& a) {
  const auto time_or_null = [](const std::optional<TimePoint>& t) {
    return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
  };
  return {{"id", a.id},
          {"type", a.type},
          {"document_id", a.document_id},
          {"custodian_id", a.custodian_id},
          {"raised_by", a.raised_by},
          {"incident_id", optional_string(a.incident_id)},
          {"serial", optional_string(a.serial)},
          {"target", optional_string(a.target)},
          {"detail", optional_string(a.detail)},
          {"audit_seqs", seq_array(a.audit_seqs)},
          {"time", format_rfc3339(a.at)},
          {"state", a.state},
          {"note", optional_string(a.note)},
          {"acknowledged_by", optional_string(a.acknowledged_by)},
          {"acknowledged_at", time_or_null(a.acknowledged_at)},
          {"finding", optional_string(a.finding)},
          {"closed_by", optional_string(a.closed_by)},
          {"closed_at", time_or_null(a.closed_at)}};
}

}  // namespace baomi::http::api
