// /api/v1/documents: create, list, describe, upload (streamed) and read (streamed) documents.
#include <charconv>

#include "http/api/copy_json.h"
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

Result<services::DocumentSpec> parse_spec(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::DocumentSpec spec;
  BAOMI_ASSIGN_OR_RETURN(spec.title, f.required_text("title", 512, TextShape::kLine));
  BAOMI_ASSIGN_OR_RETURN(spec.level, f.required_string("level", 32));
  BAOMI_ASSIGN_OR_RETURN(spec.categories, f.string_array("categories", false, 32, 64));
  BAOMI_ASSIGN_OR_RETURN(spec.custodian_id, f.optional_string("custodian_id", 64));
  BAOMI_ASSIGN_OR_RETURN(spec.secret_until, f.optional_string("secret_until", 64));
  BAOMI_ASSIGN_OR_RETURN(spec.retain_until, f.optional_string("retain_until", 64));
  BAOMI_ASSIGN_OR_RETURN(auto description,
                         f.optional_text("description", 65536, TextShape::kParagraphs));
  spec.description = description.value_or("");
  BAOMI_TRY(f.finish());
  return spec;
}

// A content type is recorded and echoed back, so it must be a plain token/token form.
Result<std::string> document_content_type(const Request& req) {
  auto ct = req.header("Content-Type");
  if (!ct || ct->empty()) return std::string("application/octet-stream");
  if (ct->size() > 255)
    return Error::invalid("invalid_header", "header 'Content-Type' is too long");
  for (char c : *ct) {
    if (c < 0x20 || c > 0x7e) {
      return Error::invalid("invalid_header", "header 'Content-Type' must be printable ASCII");
    }
  }
  return std::string(*ct);
}

Result<std::uint64_t> version_param(const Request& req) {
  auto text = req.query("version");
  if (!text) return std::uint64_t{0};
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v == 0) {
    return Error::invalid("invalid_field", "query parameter 'version' must be a positive integer");
  }
  return v;
}

Response content_response(std::unique_ptr<services::ContentView> view) {
  Response res;
  res.status = 200;
  res.classified = true;
  res.content_type = view->version().content_type;
  // A text view grows by its invisible fingerprint (S7): chunked, not the stored size.
  if (!view->fingerprinted()) res.content_length = view->version().size;
  // S5: the view carries its marking; API.md: the view id ties it to its audit entry.
  res.headers.emplace_back("X-Baomi-Marking", view->document().marking);
  res.headers.emplace_back("X-Baomi-View-Id", view->view_id());
  res.headers.emplace_back("X-Baomi-Version", std::to_string(view->version().version));
  res.headers.emplace_back("Content-Disposition", "inline");
  std::shared_ptr<services::ContentView> shared(std::move(view));
  res.stream = [shared](BodyWriter& out) -> Result<void> {
    return shared->stream([&out](Bytes& piece) { return out.write_owned(piece); });
  };
  return res;
}

// {"version"?, "request_id"?} (an empty body destroys the whole document).
Result<services::DestroySpec> parse_destroy(const std::string& body) {
  services::DestroySpec spec;
  if (body.empty()) return spec;
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto version, f.optional_int("version", 1, std::int64_t{1} << 40));
  if (version) spec.version = static_cast<std::uint64_t>(*version);
  BAOMI_ASSIGN_OR_RETURN(spec.request_id, f.optional_string("request_id", 64));
  BAOMI_TRY(f.finish());
  return spec;
}

// {"reason"} for placing or lifting a legal hold.
Result<std::string> parse_reason(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto reason, f.required_text("reason", 2000, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  return reason;
}

boost::json::object tombstone_json(const services::Tombstone& t) {
  boost::json::array approvers;
  for (const auto& a : t.approved_by) approvers.emplace_back(a);
  boost::json::array versions;
  for (const auto& v : t.versions) {
    versions.push_back(boost::json::object{{"version", v.version}, {"sha256", v.sha256}});
  }
  return {{"id", t.id},
          {"document_id", t.document_id},
          {"version", t.version == 0 ? boost::json::value(nullptr) : boost::json::value(t.version)},
          {"destroyed_at", format_rfc3339(t.destroyed_at)},
          {"destroyed_by", t.destroyed_by},
          {"request_id", t.request_id},
          {"approved_by", std::move(approvers)},
          {"versions", std::move(versions)},
          {"statement", t.statement},
          {"signature", t.signature}};
}

boost::json::object hold_json(const services::HoldState& h) {
  return {{"document_id", h.document_id},
          {"legal_hold", h.hold},
          {"by", h.by},
          {"at", format_rfc3339(h.at)}};
}

}  // namespace

void register_document_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/documents",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto spec, parse_spec(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto view, api.documents.create(who.user, spec));
               auto res = json_response(201, document_json(api.rt.policy, view));
               res.classified = true;
               return res;
             }));
  router.add(
      "GET", "/api/v1/documents",
      authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
        BAOMI_ASSIGN_OR_RETURN(auto limit, page_limit(req));
        // S4: ?review=term_expired lists the caller's documents whose term has passed.
        bool review = false;
        if (auto r = req.query("review")) {
          if (*r != "term_expired") {
            return Error::invalid("invalid_field", "query parameter 'review' must be term_expired");
          }
          review = true;
        }
        BAOMI_ASSIGN_OR_RETURN(auto cursor, page_cursor(req));
        BAOMI_ASSIGN_OR_RETURN(auto page, api.documents.list(who.user, cursor, limit, review));
        boost::json::array items;
        for (const auto& v : page.items) items.push_back(document_json(api.rt.policy, v));
        auto res = json_response(200, page_json(std::move(items), page.next_cursor));
        res.classified = true;
        return res;
      }));
  router.add("GET", "/api/v1/documents/{id}/history",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(
                   auto changes, api.documents.classification_history(who.user, req.param("id")));
               boost::json::array items;
               for (const auto& c : changes) {
                 items.push_back(
                     boost::json::object{{"from_level", c.from_level},
                                         {"to_level", c.to_level},
                                         {"from_secret_until", optional_time(c.from_secret_until)},
                                         {"to_secret_until", optional_time(c.to_secret_until)},
                                         {"request_id", c.request_id},
                                         {"changed_by", c.changed_by},
                                         {"at", format_rfc3339(c.at)}});
               }
               auto res = json_response(200, boost::json::object{{"items", std::move(items)}});
               res.classified = true;
               return res;
             }));
  // The small read (issue 14): the document is read in the token check's read transaction, then
  // decided, audited and answered exactly as Documents::get does on its own.
  router.add("GET", "/api/v1/documents/{id}", [&api](Request& req) -> Response {
    const std::string& id = req.param("id");
    services::Documents::ReadAhead ahead;
    auto who = authenticate(api, req, [&](barrier::ReadTx& tx, const auth::Authenticated&) {
      ahead = api.documents.read_ahead(tx, id);
    });
    if (auto* refused = std::get_if<Response>(&who)) return std::move(*refused);
    const auto& user = std::get<auth::Authenticated>(who).user;
    return finish(req, [&]() -> Result<Response> {
      BAOMI_ASSIGN_OR_RETURN(auto view, api.documents.get(user, id, std::move(ahead)));
      auto res = json_response(200, document_json(api.rt.policy, view));
      res.classified = true;
      return res;
    }());
  });
  router.add(
      "PUT", "/api/v1/documents/{id}/content",
      authed(api,
             [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto content_type, document_content_type(req));
               if (auto len = req.content_length();
                   len && *len > api.rt.policy.limits().max_upload_bytes) {
                 return Error{ErrorKind::kTooLarge,
                              "content_too_large",
                              "content exceeds the configured limit",
                              {}};
               }
               BodyReader& body = req.body_reader();
               auto source = [&body](std::uint8_t* buf, std::size_t n) {
                 return body.read_some(buf, n);
               };
               BAOMI_ASSIGN_OR_RETURN(
                   auto up, api.documents.upload(who.user, req.param("id"), content_type, source));
               return json_response(
                   200, boost::json::object{
                            {"version", up.version}, {"size", up.size}, {"sha256", up.sha256}});
             }),
      RouteOptions{.stream_body = true});
  // S5, H3: crypto-shredding by the custodian under an approved destroy request; the answer is
  // the signed tombstone and the copies to recall.
  router.add("POST", "/api/v1/documents/{id}/destroy",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto spec, parse_destroy(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto receipt,
                                      api.retention.destroy(who.user, req.param("id"), spec));
               boost::json::array recall;
               for (const auto& c : receipt.recall) recall.push_back(copy_json(c));
               auto res = json_response(
                   200, boost::json::object{{"tombstone", tombstone_json(receipt.tombstone)},
                                            {"recall", std::move(recall)}});
               res.classified = true;
               return res;
             }));
  router.add("GET", "/api/v1/documents/{id}/tombstones",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto list,
                                      api.retention.tombstones(who.user, req.param("id")));
               boost::json::array items;
               for (const auto& t : list) items.push_back(tombstone_json(t));
               return json_response(200, boost::json::object{{"items", std::move(items)}});
             }));
  router.add("POST", "/api/v1/documents/{id}/hold",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto reason, parse_reason(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto state,
                                      api.retention.hold(who.user, req.param("id"), reason));
               return json_response(200, hold_json(state));
             }));
  router.add("DELETE", "/api/v1/documents/{id}/hold",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto reason, parse_reason(req.body()));
               BAOMI_ASSIGN_OR_RETURN(auto state,
                                      api.retention.release(who.user, req.param("id"), reason));
               return json_response(200, hold_json(state));
             }));
  router.add("GET", "/api/v1/documents/{id}/content",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto version, version_param(req));
               BAOMI_ASSIGN_OR_RETURN(
                   auto view, api.documents.open_content(who.user, req.param("id"), version));
               return content_response(std::move(view));
             }));
}

}  // namespace baomi::http::api
