// /api/v1/investigations: the audit administrator's leak investigations (S10): cases, leaked
// artifacts traced to their source, copy holders and the timeline. Everyone else gets 404 (the
// policy decides; S9 records the refusal).
#include "http/api/investigation_json.h"
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;

// JSON bodies of POST /investigations may carry a leaked text of some size.
constexpr std::size_t kMaxJsonReport = 8u << 20;
constexpr std::size_t kTimelineFirstPage = 100;
constexpr std::string_view kDefaultReason = "leak investigation (S10)";

// A classified answer that names the people it mentions (the auditor sees who, not ids).
Result<Response> with_case_people(Api& api, int status, json::object body) {
  BAOMI_TRY(add_people(api.rt, body));
  return classified(json_response(status, std::move(body)));
}

Result<std::string> read_small_body(Request& req, std::size_t limit) {
  if (auto len = req.content_length(); len && *len > limit) {
    return Error{ErrorKind::kTooLarge, "body_too_large", "request body is too large", {}};
  }
  std::string body;
  char buf[16 * 1024];
  BodyReader& reader = req.body_reader();
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto n,
                           reader.read_some(reinterpret_cast<std::uint8_t*>(buf), sizeof buf));
    if (n == 0) return body;
    if (body.size() + n > limit) {
      return Error{ErrorKind::kTooLarge, "body_too_large", "request body is too large", {}};
    }
    body.append(buf, n);
  }
}

bool is_json(const Request& req) {
  const auto ct = req.header("Content-Type");
  if (!ct || ct->empty()) return true;
  const auto type = ct->substr(0, ct->find(';'));
  return type == "application/json";
}

Result<std::optional<bool>> state_filter(const Request& req) {
  auto state = req.query("state");
  if (!state) return std::optional<bool>();
  if (*state != "open" && *state != "closed") {
    return Error::invalid("invalid_field", "query parameter 'state' must be open or closed");
  }
  return std::optional<bool>(*state == "open");
}

std::string evidence_content_type(const Request& req) {
  const auto ct = req.header("Content-Type");
  return ct ? std::string(*ct) : std::string();
}

// What POST /investigations was asked: a plain case, or a report on a document or a leak.
struct OpenRequest {
  std::string title;
  std::string reason;
  std::vector<std::string> document_ids;
  bool report = false;
  std::optional<std::string> leaked_text;
};

Result<OpenRequest> parse_open_json(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  OpenRequest r;
  BAOMI_ASSIGN_OR_RETURN(auto title, f.optional_text("title", 4000, TextShape::kLine));
  BAOMI_ASSIGN_OR_RETURN(auto reason, f.optional_text("reason", 4000, TextShape::kParagraphs));
  BAOMI_ASSIGN_OR_RETURN(r.document_ids, f.string_array("document_ids", false, 64, 64));
  BAOMI_ASSIGN_OR_RETURN(auto document_id, f.optional_string("document_id", 64));
  BAOMI_ASSIGN_OR_RETURN(r.leaked_text, f.optional_string("leaked_text", kMaxJsonReport));
  BAOMI_TRY(f.finish());
  r.report = document_id.has_value() || r.leaked_text.has_value();
  if (document_id) r.document_ids.insert(r.document_ids.begin(), *document_id);
  if (!r.report && !title) return Error::invalid("missing_field", "field 'title' is required");
  if (!r.report && !reason) return Error::invalid("missing_field", "field 'reason' is required");
  if (r.leaked_text && r.leaked_text->empty()) {
    return Error::invalid("invalid_field", "field 'leaked_text' must not be empty");
  }
  if (title) {
    r.title = *title;
  } else {
    r.title = r.leaked_text ? "Leaked text" : "Leak of document " + r.document_ids.front();
  }
  r.reason = reason.value_or(std::string(kDefaultReason));
  return r;
}

// The 201 answer of the report form: the case, what the leak traced to, every copy of the
// documents with its holder and state, and the first page of the timeline.
Result<Response> report(Api& api, const auth::User& user, const services::Investigation& inv,
                        const std::optional<services::Evidence>& evidence) {
  BAOMI_ASSIGN_OR_RETURN(auto holders, api.investigations.copy_holders(user, inv.id));
  BAOMI_ASSIGN_OR_RETURN(auto timeline,
                         api.investigations.timeline(user, inv.id, "", kTimelineFirstPage));
  auto out = investigation_json(inv);
  out["evidence_id"] = evidence ? json::value(evidence->id) : json::value(nullptr);
  out["matches"] = evidence ? matches_json(evidence->matches) : json::array();
  json::array holder_items;
  for (const auto& h : holders) holder_items.push_back(copy_holder_json(h));
  out["copy_holders"] = std::move(holder_items);
  json::array events;
  for (const auto& e : timeline.items) events.push_back(timeline_event_json(e));
  out["timeline"] = page_json(std::move(events), timeline.next_cursor);
  return with_case_people(api, 201, std::move(out));
}

Result<services::Evidence> add_from_string(Api& api, const auth::User& user, const std::string& id,
                                           const std::string& text) {
  std::size_t offset = 0;
  services::NewEvidence in;
  in.content_type = "text/plain; charset=utf-8";
  in.max_bytes = api.rt.policy.limits().max_upload_bytes;
  in.source = [&text, &offset](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
    const std::size_t k = std::min(n, text.size() - offset);
    std::copy_n(text.data() + offset, k, buf);
    offset += k;
    return k;
  };
  return api.investigations.add_evidence(user, id, in);
}

services::NewEvidence streamed_evidence(Api& api, Request& req) {
  services::NewEvidence in;
  in.content_type = evidence_content_type(req);
  in.note = req.query("note").value_or("");
  in.max_bytes = api.rt.policy.limits().max_upload_bytes;
  BodyReader& body = req.body_reader();
  in.source = [&body](std::uint8_t* buf, std::size_t n) { return body.read_some(buf, n); };
  return in;
}

Result<Response> open_case(Api& api, Request& req, const auth::User& user) {
  if (!is_json(req)) {
    // A leaked file as the body: a case about it, traced at once.
    if (auto len = req.content_length(); len && *len > api.rt.policy.limits().max_upload_bytes) {
      return Error{
          ErrorKind::kTooLarge, "content_too_large", "content exceeds the configured limit", {}};
    }
    // Refused before the case is opened, so bad input leaves nothing behind.
    BAOMI_TRY(api.investigations.check_investigator(user, "investigation.open"));
    if (!services::artifact_format(evidence_content_type(req))) {
      return Error{ErrorKind::kUnsupportedMedia,
                   "unsupported_media_type",
                   "send JSON, or the leaked file as text/plain, text/csv or application/pdf",
                   {}};
    }
    std::vector<std::string> docs;
    if (auto d = req.query("document_id")) docs.push_back(*d);
    BAOMI_ASSIGN_OR_RETURN(
        auto inv,
        api.investigations.open(user, req.query("title").value_or("Leaked file"),
                                req.query("reason").value_or(std::string(kDefaultReason)), docs));
    BAOMI_ASSIGN_OR_RETURN(
        auto evidence, api.investigations.add_evidence(user, inv.id, streamed_evidence(api, req)));
    return report(api, user, inv, evidence);
  }
  BAOMI_ASSIGN_OR_RETURN(auto body, read_small_body(req, kMaxJsonReport + 64 * 1024));
  BAOMI_ASSIGN_OR_RETURN(auto r, parse_open_json(body));
  BAOMI_ASSIGN_OR_RETURN(auto inv,
                         api.investigations.open(user, r.title, r.reason, r.document_ids));
  if (!r.report) return with_case_people(api, 201, investigation_json(inv));
  std::optional<services::Evidence> evidence;
  if (r.leaked_text) {
    BAOMI_ASSIGN_OR_RETURN(evidence, add_from_string(api, user, inv.id, *r.leaked_text));
  }
  return report(api, user, inv, evidence);
}

}  // namespace

void register_investigation_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/investigations",
             authed(api,
                    [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
                      return open_case(api, req, who.user);
                    }),
             RouteOptions{.stream_body = true});
  router.add("GET", "/api/v1/investigations",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto state, state_filter(req));
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req, CursorKind::kId));
               BAOMI_ASSIGN_OR_RETURN(auto page,
                                      api.investigations.list(who.user, state, cursor, limit));
               json::array items;
               for (const auto& i : page.items) items.push_back(investigation_json(i));
               return with_case_people(api, 200, page_json(std::move(items), page.next_cursor));
             }));
  router.add("GET", "/api/v1/investigations/{id}",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto inv, api.investigations.get(who.user, req.param("id")));
               return with_case_people(api, 200, investigation_json(inv));
             }));
  router.add("POST", "/api/v1/investigations/{id}/close",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(req.body()));
               JsonFields f(obj);
               BAOMI_ASSIGN_OR_RETURN(auto finding,
                                      f.required_text("finding", 4000, TextShape::kParagraphs));
               BAOMI_TRY(f.finish());
               BAOMI_ASSIGN_OR_RETURN(auto inv,
                                      api.investigations.close(who.user, req.param("id"), finding));
               return with_case_people(api, 200, investigation_json(inv));
             }));
  router.add("POST", "/api/v1/investigations/{id}/evidence",
             authed(api,
                    [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
                      if (auto len = req.content_length();
                          len && *len > api.rt.policy.limits().max_upload_bytes) {
                        return Error{ErrorKind::kTooLarge,
                                     "content_too_large",
                                     "content exceeds the configured limit",
                                     {}};
                      }
                      BAOMI_ASSIGN_OR_RETURN(auto evidence, api.investigations.add_evidence(
                                                                who.user, req.param("id"),
                                                                streamed_evidence(api, req)));
                      return with_case_people(api, 201, evidence_json(evidence));
                    }),
             RouteOptions{.stream_body = true});
  router.add("GET", "/api/v1/investigations/{id}/evidence",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto all,
                                      api.investigations.evidence(who.user, req.param("id")));
               json::array items;
               for (const auto& e : all) items.push_back(evidence_json(e));
               return with_case_people(api, 200, json::object{{"items", std::move(items)}});
             }));
  router.add("GET", "/api/v1/investigations/{id}/evidence/{evidence_id}/artifact",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto bytes,
                                      api.investigations.artifact(who.user, req.param("id"),
                                                                  req.param("evidence_id")));
               Response res;
               res.classified = true;
               res.content_type = "application/octet-stream";
               res.body.assign(bytes.begin(), bytes.end());
               return res;
             }));
  router.add("GET", "/api/v1/investigations/{id}/copy-holders",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto holders,
                                      api.investigations.copy_holders(who.user, req.param("id")));
               json::array items;
               for (const auto& h : holders) items.push_back(copy_holder_json(h));
               return with_case_people(api, 200, json::object{{"items", std::move(items)}});
             }));
  router.add("GET", "/api/v1/investigations/{id}/bundle",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               const std::string id = req.param("id");
               BAOMI_ASSIGN_OR_RETURN(auto since, since_tree_size_param(req));
               BAOMI_ASSIGN_OR_RETURN(
                   auto bytes, api.investigations.bundle(who.user, id, case_manifest_json, since));
               Response res;
               res.classified = true;
               res.content_type = "application/x-tar";
               res.body.assign(bytes.begin(), bytes.end());
               res.headers.emplace_back(
                   "Content-Disposition",
                   "attachment; filename=\"baomi-investigation-" + id + ".tar\"");
               return res;
             }));
  router.add("GET", "/api/v1/investigations/{id}/timeline",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
               BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req, CursorKind::kSequence));
               BAOMI_ASSIGN_OR_RETURN(auto page, api.investigations.timeline(
                                                     who.user, req.param("id"), cursor, limit));
               json::array items;
               for (const auto& e : page.items) items.push_back(timeline_event_json(e));
               return with_case_people(api, 200, page_json(std::move(items), page.next_cursor));
             }));
}

}  // namespace baomi::http::api
