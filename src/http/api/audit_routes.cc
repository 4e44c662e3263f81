// /api/v1/audit: the auditor's queries, verification and signed checkpoints.
#include "audit/evidence_bundle.h"
#include "http/api/json_out.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

Result<std::optional<std::int64_t>> audit_time_param(const Request& req, std::string_view name) {
  auto text = req.query(name);
  if (!text) return std::optional<std::int64_t>();
  auto t = parse_rfc3339(*text);
  if (!t) {
    return Error::invalid("invalid_field",
                          "query parameter '" + std::string(name) + "' must be an RFC 3339 time");
  }
  return std::optional<std::int64_t>(to_micros(*t));
}

Result<audit::AuditQuery> parse_query(const Request& req) {
  audit::AuditQuery q;
  q.actor = req.query("actor");
  q.action = req.query("action");
  if (auto doc = req.query("document_id")) q.target = "document:" + *doc;
  if (auto target = req.query("target")) q.target = *target;
  BAOMI_ASSIGN_OR_RETURN(q.from_us, audit_time_param(req, "from"));
  BAOMI_ASSIGN_OR_RETURN(q.to_us, audit_time_param(req, "to"));
  BAOMI_ASSIGN_OR_RETURN(q.limit, page_limit(req));
  BAOMI_ASSIGN_OR_RETURN(const auto cursor, page_cursor(req, CursorKind::kSequence));
  if (!cursor.empty()) q.after_seq = std::stoull(cursor);  // checked: canonical decimal
  return q;
}

// A decimal sequence number or tree size: digits only, no sign, fits in 63 bits.
Result<std::uint64_t> u64_text(std::string_view name, std::string_view text) {
  const Error bad = Error::invalid(
      std::string(name), "query parameter '" + std::string(name) + "' must be a positive integer");
  if (text.empty() || text.size() > 18) return bad;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

Result<std::uint64_t> u64_param(const Request& req, std::string_view name) {
  auto text = req.query(name);
  if (!text) {
    return Error::invalid("invalid_field",
                          "query parameter '" + std::string(name) + "' is required");
  }
  return u64_text(name, *text);
}

// "1,5,9": the audit seqs of an excerpt.
Result<std::vector<std::uint64_t>> seqs_param(const Request& req) {
  auto text = req.query("seqs");
  if (!text || text->empty()) {
    return Error::invalid("invalid_field", "query parameter 'seqs' is required (e.g. seqs=1,5,9)");
  }
  std::vector<std::uint64_t> seqs;
  std::string_view rest = *text;
  for (;;) {
    const auto comma = rest.find(',');
    BAOMI_ASSIGN_OR_RETURN(auto seq, u64_text("seqs", rest.substr(0, comma)));
    seqs.push_back(seq);
    if (seqs.size() > audit::kMaxBundleEntries) {
      return Error::invalid("invalid_field", "query parameter 'seqs' names more than " +
                                                 std::to_string(audit::kMaxBundleEntries) +
                                                 " entries");
    }
    if (comma == std::string_view::npos) return seqs;
    rest.remove_prefix(comma + 1);
  }
}

boost::json::array hex_list(const std::vector<audit::RawHash>& hashes) {
  boost::json::array out;
  for (const auto& h : hashes) out.push_back(boost::json::string(to_hex(h.data(), h.size())));
  return out;
}

std::string hex_of(const audit::RawHash& h) { return to_hex(h.data(), h.size()); }

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
               boost::json::object out{{"items", std::move(items)}, {"next_cursor", next}};
               BAOMI_TRY(add_people(api.rt, out));
               return json_response(200, std::move(out));
             }));
  router.add(
      "GET", "/api/v1/audit/verify",
      authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
        BAOMI_ASSIGN_OR_RETURN(auto report, api.audit_trail.verify(who.user));
        boost::json::object out{
            {"ok", report.ok},
            {"entries", report.entries},
            {"head", report.head},
            {"checkpoints_verified", report.checkpoints_verified},
            {"root_hash", report.root_hash},
            {"tree_heads_verified", report.tree_heads_verified},
            {"key_transitions", report.signing_keys.empty() ? 0 : report.signing_keys.size() - 1}};
        if (report.first_bad_seq) {
          out["first_bad_seq"] = *report.first_bad_seq;
          out["problem"] = report.problem;
        }
        return json_response(200, out);
      }));
  router.add("GET", "/api/v1/audit/checkpoint",
             authed(api, [&api](Request&, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto cp, api.audit_trail.checkpoint(who.user));
               boost::json::object out{
                   {"seq", cp.checkpoint.seq},
                   {"head", cp.checkpoint.head},
                   {"time", format_rfc3339(from_micros(cp.checkpoint.time_us))},
                   {"time_us", cp.checkpoint.time_us},
                   {"signature", cp.checkpoint.signature},
                   {"public_key", cp.public_key_hex},
                   {"first_public_key", to_hex(api.rt.audit.first_public_key())}};
               // I1, S10: the same moment as a signed tree head (docs/audit-format.md).
               if (cp.tree_head) {
                 out["tree_size"] = cp.tree_head->tree_size;
                 out["root_hash"] = cp.tree_head->root_hash;
                 out["tree_head_signature"] = cp.tree_head->signature;
                 out["tree_head_time_us"] = cp.tree_head->time_us;
               }
               return json_response(200, out);
             }));
  router.add("GET", "/api/v1/audit/proof/inclusion",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto seq, u64_param(req, "seq"));
               std::optional<std::uint64_t> tree_size;
               if (req.query("tree_size")) {
                 BAOMI_ASSIGN_OR_RETURN(tree_size, u64_param(req, "tree_size"));
               }
               BAOMI_ASSIGN_OR_RETURN(auto p,
                                      api.audit_trail.inclusion_proof(who.user, seq, tree_size));
               return json_response(200, boost::json::object{{"seq", p.seq},
                                                             {"tree_size", p.tree_size},
                                                             {"leaf_index", p.seq - 1},
                                                             {"leaf_hash", hex_of(p.leaf_hash)},
                                                             {"audit_path", hex_list(p.audit_path)},
                                                             {"root_hash", hex_of(p.root_hash)}});
             }));
  router.add("GET", "/api/v1/audit/proof/consistency",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto from, u64_param(req, "from"));
               BAOMI_ASSIGN_OR_RETURN(auto to, u64_param(req, "to"));
               BAOMI_ASSIGN_OR_RETURN(auto p,
                                      api.audit_trail.consistency_proof(who.user, from, to));
               return json_response(200, boost::json::object{{"from", p.from},
                                                             {"to", p.to},
                                                             {"proof", hex_list(p.proof)},
                                                             {"from_root", hex_of(p.from_root)},
                                                             {"to_root", hex_of(p.to_root)}});
             }));
  router.add("GET", "/api/v1/audit/bundle",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto seqs, seqs_param(req));
               BAOMI_ASSIGN_OR_RETURN(auto since, since_tree_size_param(req));
               BAOMI_ASSIGN_OR_RETURN(
                   auto bundle, api.audit_trail.excerpt_bundle(who.user, std::move(seqs), since));
               Response res;
               res.status = 200;
               res.content_type = "application/x-tar";
               res.body.assign(bundle.begin(), bundle.end());
               res.headers.emplace_back("Content-Disposition",
                                        "attachment; filename=\"baomi-audit-excerpt.tar\"");
               return res;
             }));
}

}  // namespace baomi::http::api
