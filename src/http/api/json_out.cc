#include "http/api/json_out.h"

#include <algorithm>
#include <array>

namespace baomi::http::api {
namespace {

boost::json::array strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

// The fields of API.md's objects that hold an account id.
constexpr std::array<std::string_view, 12> kPersonFields = {
    "actor",    "actor_id",    "holder_id",       "author_id",  "opened_by",   "closed_by",
    "added_by", "reporter_id", "acknowledged_by", "handled_by", "approver_id", "by"};

void collect_people(const boost::json::value& v, std::vector<std::string>& ids) {
  if (const auto* arr = v.if_array()) {
    for (const auto& item : *arr) collect_people(item, ids);
    return;
  }
  const auto* obj = v.if_object();
  if (!obj) return;
  for (const auto& [key, value] : *obj) {
    const bool person = std::find(kPersonFields.begin(), kPersonFields.end(),
                                  std::string_view(key)) != kPersonFields.end();
    if (person && value.is_string()) {
      ids.emplace_back(value.get_string());
    } else if (key != "detail") {  // audit details are the entry's own record, not names
      collect_people(value, ids);
    }
  }
}

}  // namespace

Result<void> add_people(const auth::Runtime& rt, boost::json::object& response,
                        const std::vector<std::string>& also) {
  std::vector<std::string> ids = also;
  collect_people(response, ids);
  BAOMI_ASSIGN_OR_RETURN(auto names, auth::load_names(rt, ids));
  boost::json::object people;
  for (const auto& [id, p] : names) {
    people[id] = boost::json::object{
        {"username", p.username}, {"display_name", p.display_name}, {"department", p.department}};
  }
  response["people"] = std::move(people);
  return {};
}

boost::json::value optional_time(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return boost::json::string(format_rfc3339(*t));
}

boost::json::object user_json(const policy::Policy& p, const auth::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"department", u.department},
          {"roles", strings(p.role_names(u.roles))},
          {"clearance", p.level_name(u.clearance)},
          {"categories", strings(p.category_names(u.categories))},
          {"pledge_accepted_at", optional_time(u.pledge_at)},
          {"created_at", format_rfc3339(u.created_at)}};
}

boost::json::object document_json(const policy::Policy& p, const services::DocumentView& v) {
  const auto& d = v.doc;
  boost::json::object out{{"id", d.id},
                          {"title", d.title},
                          {"description", d.description},
                          {"level", p.level_name(d.level)},
                          {"categories", strings(p.category_names(d.categories))},
                          {"marking", v.marking},
                          {"custodian_id", d.custodian_id},
                          {"author_id", d.author_id},
                          {"secret_until", optional_time(d.secret_until)},
                          {"version", d.current_version},
                          {"created_at", format_rfc3339(d.created_at)}};
  // S5, H3: the retention floor in force, a legal hold, and whether the document (or its
  // current version) was destroyed; a destroyed document has no title or description left.
  out["state"] = d.destroyed_at ? "destroyed" : "active";
  out["destroyed_at"] = optional_time(d.destroyed_at);
  out["retain_until"] = format_rfc3339(v.retention_floor);
  out["legal_hold"] = d.legal_hold;
  const bool version_destroyed =
      v.current && v.current->state == services::VersionState::kDestroyed;
  out["version_destroyed"] = version_destroyed;
  if (v.current && !version_destroyed) {
    out["size"] = v.current->size;
    out["content_type"] = v.current->content_type;
    out["sha256"] = v.current_sha256;
  } else {
    out["size"] = nullptr;
    out["content_type"] = nullptr;
    out["sha256"] = nullptr;
  }
  return out;
}

boost::json::object audit_entry_json(const audit::AuditRow& r) {
  boost::json::object out{{"seq", r.seq},
                          {"time", format_rfc3339(from_micros(r.time_us))},
                          {"actor", r.actor},
                          {"action", r.action},
                          {"target", r.target},
                          {"decision", r.decision},
                          {"rule", r.rule},
                          {"policy_version", r.policy_version},
                          {"prev_hash", r.prev_hash},
                          {"hash", r.hash}};
  boost::system::error_code ec;
  auto detail = boost::json::parse(r.detail, ec);
  out["detail"] = ec ? boost::json::value(r.detail) : detail;
  return out;
}

boost::json::object page_json(boost::json::array items, const std::optional<std::string>& next) {
  boost::json::value cursor = nullptr;
  if (next) cursor = boost::json::string(*next);
  return {{"items", std::move(items)}, {"next_cursor", std::move(cursor)}};
}

}  // namespace baomi::http::api
