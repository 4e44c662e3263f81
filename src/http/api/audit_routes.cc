// /api/v1/audit: the auditor's queries, verification and signed checkpoints.
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

Result<std::optional<std::int64_t>> time_param(const Request& req, std::string_view name) {
  auto text = req.query(name);
  if (!text) return std::optional<std::int64_t>();
  auto t = parse_rfc3339(*text);
  if (!t) {
    return Error::invalid("invalid_field",
                          "query parameter '" + std::string(name) + "' must be an RFC 3339 time");
  }
  return std::optional<std::int64_t>(to_micros(*t));
}

Result<storage::AuditQuery> parse_query(const Request& req) {
  storage::AuditQuery q;
  q.actor = req.query("actor");
  q.action = req.query("action");
  if (auto doc = req.query("document_id")) q.target = "document:" + *doc;
  if (auto target = req.query("target")) q.target = *target;
  BAOMI_ASSIGN_OR_RETURN(q.from_us, time_param(req, "from"));
  BAOMI_ASSIGN_OR_RETURN(q.to_us, time_param(req, "to"));
  BAOMI_ASSIGN_OR_RETURN(q.limit, page_limit(req));
  BAOMI_ASSIGN_OR_RETURN(const auto cursor, page_cursor(req, CursorKind::kSequence));
  if (!cursor.empty()) q.after_seq = std::stoull(cursor);  // checked: canonical decimal
  return q;
}

}  // namespace

void register_audit_routes(Router& router, Api& api) {
  router.add("GET", "/api/v1/audit",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto q, parse_query(req));
               BAOMI_ASSIGN_OR_RETURN(auto page, api.audit_trail.query(who.user, q));
               boost::json::array items;
               for (const auto& row : page.items) items.push_back(audit_entry_json(row));
               boost::json::value next = nullptr;
               if (page.next_cursor) next = boost::json::string(std::to_string(*page.next_cursor));
               return json_response(
                   200, boost::json::object{{"items", std::move(items)}, {"next_cursor", next}});
             }));
  router.add("GET", "/api/v1/audit/verify",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto report, api.audit_trail.verify(who.user));
               boost::json::object out{{"ok", report.ok},
                                       {"entries", report.entries},
                                       {"head", report.head},
                                       {"checkpoints_verified", report.checkpoints_verified}};
               if (report.first_bad_seq) {
                 out["first_bad_seq"] = *report.first_bad_seq;
                 out["problem"] = report.problem;
               }
               return json_response(200, out);
             }));
  router.add("GET", "/api/v1/audit/checkpoint",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto cp, api.audit_trail.checkpoint(who.user));
               return json_response(
                   200,
                   boost::json::object{{"seq", cp.checkpoint.seq},
                                       {"head", cp.checkpoint.head},
                                       {"time", format_rfc3339(from_micros(cp.checkpoint.time_us))},
                                       {"time_us", cp.checkpoint.time_us},
                                       {"signature", cp.checkpoint.signature},
                                       {"public_key", cp.public_key_hex}});
             }));
}

}  // namespace baomi::http::api
