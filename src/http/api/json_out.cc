#include "http/api/json_out.h"

namespace baomi::http::api {
namespace {

boost::json::array strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

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
  if (v.current) {
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

boost::json::object audit_entry_json(const storage::AuditRow& r) {
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
