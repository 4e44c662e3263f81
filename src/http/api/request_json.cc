#include "http/api/request_json.h"

#include <algorithm>

#include "policy/approvals.h"
#include "services/customers/masking.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

std::string any_of_names(const policy::ApprovalStep& step) {
  std::string out;
  for (const auto& kind : step.any_of) {
    if (!out.empty()) out += '|';
    out += policy::approver_kind_name(kind);
  }
  return out;
}

json::array required_json(const services::RequestView& view) {
  json::array out;
  for (std::size_t i = 0; i < view.rule.steps.size(); ++i) {
    const auto& step = view.rule.steps[i];
    json::array any_of;
    for (const auto& kind : step.any_of) any_of.emplace_back(policy::approver_kind_name(kind));
    json::object o{{"role", any_of_names(step)},
                   {"count", step.count},
                   {"any_of", std::move(any_of)},
                   {"reporting_line", step.reporting_line}};
    if (i < view.progress.steps.size()) o["have"] = view.progress.steps[i].have;
    out.push_back(std::move(o));
  }
  return out;
}

json::object person_json(const services::PersonName& p) {
  return {{"username", p.username}, {"display_name", p.display_name}, {"department", p.department}};
}

json::object approval_json(const services::RequestView& view, const services::Approval& a) {
  json::object o{
      {"approver_id", a.approver_id}, {"comment", a.comment}, {"at", format_rfc3339(a.at)}};
  const auto who = view.people.find(a.approver_id);
  o["approver"] = who != view.people.end() ? json::value(person_json(who->second)) : nullptr;
  return o;
}

}  // namespace

json::object customer_export_json(const policy::Policy& policy, const services::CustomerExport& e) {
  json::array categories;
  for (const auto& name : policy.category_names(e.categories))
    categories.push_back(json::value(name));
  json::array fields;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto field = static_cast<policy::CustomerField>(i);
    if (e.fields & policy::field_bit(field)) {
      fields.push_back(json::value(policy::customer_field_api_name(field)));
    }
  }
  return {{"level", policy.level_name(e.level)},
          {"categories", std::move(categories)},
          {"fields", std::move(fields)}};
}

namespace {

// S11: the visitor's name and id number are personal data, shown masked like a customer's (C3),
// unless this reader unmasked them (Requests::unmask_visitor: policy, reason, audit).
json::object visit_json(const services::Visit& v, const std::vector<std::string>& unmasked) {
  using policy::CustomerField;
  using services::customers::mask_field;
  const auto clear = [&](std::string_view f) {
    return std::find(unmasked.begin(), unmasked.end(), f) != unmasked.end();
  };
  json::array shown;
  for (const auto& f : unmasked) shown.emplace_back(f);
  json::object visitor{
      {"name", clear("name") ? v.visitor.name : mask_field(CustomerField::kName, v.visitor.name)},
      {"organisation", v.visitor.organisation},
      {"id_number", nullptr},
      {"unmasked", std::move(shown)}};
  if (v.visitor.id_number) {
    visitor["id_number"] = clear("id_number")
                               ? *v.visitor.id_number
                               : mask_field(CustomerField::kIdNumber, *v.visitor.id_number);
  }
  return {{"area_id", v.area_id},
          {"visitor", std::move(visitor)},
          {"escort_id", v.escort_id},
          {"window", json::object{{"from", format_rfc3339(v.from)}, {"to", format_rfc3339(v.to)}}}};
}

}  // namespace

json::object request_json(const policy::Policy& policy, const services::RequestView& view) {
  const auto& q = view.request;
  json::array approvals;
  for (const auto& a : q.approvals) approvals.push_back(approval_json(view, a));
  json::object o{{"id", q.id},
                 {"type", policy::request_type_name(q.type)},
                 {"document_id", q.document_id},
                 {"requester_id", q.requester_id},
                 {"requester", person_json(view.requester)},
                 {"reason", q.reason},
                 {"status", services::request_state_name(q.state)},
                 {"required", required_json(view)},
                 {"approvals", std::move(approvals)},
                 {"satisfied", view.progress.satisfied},
                 {"can_decide", view.can_decide},
                 {"copies", q.copies},
                 {"copies_issued", q.copies_issued},
                 {"days", q.days},
                 {"created_at", format_rfc3339(q.created_at)},
                 {"expires_at", format_rfc3339(q.expires_at)}};
  o["uses"] = q.uses ? json::value(*q.uses) : json::value(nullptr);
  o["decided_at"] = q.decided_at ? json::value(format_rfc3339(*q.decided_at)) : nullptr;
  o["closed_by"] = q.closed_by ? json::value(approval_json(view, *q.closed_by)) : nullptr;
  o["grant_id"] = q.grant_id ? json::value(*q.grant_id) : nullptr;
  // Approvers judge the exact excerpt (the range here; the text through the document). For a
  // destroy request: the version to destroy, 0 for the whole document (S5, H3).
  o["version"] = q.version;
  o["excerpt_text"] = view.excerpt_text ? json::value(*view.excerpt_text) : json::value(nullptr);
  o["excerpt"] = q.excerpt
                     ? json::value(json::object{{"from", q.excerpt->from}, {"to", q.excerpt->to}})
                     : json::value(nullptr);
  if (q.visit) {
    o["scope"] = "area";
    o["visit"] = visit_json(*q.visit, view.visitor_unmasked);
  } else if (q.customer_export) {
    o["scope"] = "customers";
    o["customers"] = customer_export_json(policy, *q.customer_export);
  } else {
    o["scope"] = "document";
  }
  if (q.declassify) {
    json::object d{{"end_term", q.declassify->end_term}};
    d["level"] = q.declassify->level ? json::value(policy.level_name(*q.declassify->level))
                                     : json::value(nullptr);
    o["declassify"] = std::move(d);
  } else {
    o["declassify"] = nullptr;
  }
  return o;
}

json::object grant_json(const services::Grant& g, TimePoint now) {
  json::object o{{"id", g.id},
                 {"request_id", g.request_id},
                 {"document_id", g.document_id},
                 {"holder_id", g.holder_id},
                 {"state", services::grant_state_name(g.effective_state(now))},
                 {"created_at", format_rfc3339(g.created_at)},
                 {"expires_at", format_rfc3339(g.expires_at)}};
  o["uses_left"] = g.uses_left ? json::value(*g.uses_left) : json::value(nullptr);
  return o;
}

}  // namespace baomi::http::api
