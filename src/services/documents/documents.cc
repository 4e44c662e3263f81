#include "services/documents/documents.h"

#include <algorithm>

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/documents/lifecycle.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxTitle = 512;
constexpr std::size_t kMaxDescription = 64 * 1024;

Result<std::optional<TimePoint>> parse_term(const std::optional<std::string>& text, TimePoint now) {
  if (!text || text->empty()) return std::optional<TimePoint>();
  auto t = parse_rfc3339(*text);
  if (!t) {
    return Error::invalid("invalid_field",
                          "field 'secret_until' must be an RFC 3339 time or a YYYY-MM-DD date");
  }
  if (*t <= now)
    return Error::invalid("invalid_field", "field 'secret_until' must be in the future");
  return std::optional<TimePoint>(*t);
}

// S5, H3: a floor the creator chose, no earlier than the policy's nor later than its ceiling.
Result<std::optional<TimePoint>> parse_retention(const policy::Policy& policy,
                                                 const std::optional<std::string>& text,
                                                 const Document& doc) {
  const auto floor = policy.retention_floor(doc.level, doc.categories, doc.created_at);
  if (!text || text->empty()) return std::optional<TimePoint>(floor);
  auto t = parse_rfc3339(*text);
  if (!t) {
    return Error::invalid("invalid_field",
                          "field 'retain_until' must be an RFC 3339 time or a YYYY-MM-DD date");
  }
  if (*t < floor) {
    return Error::invalid("invalid_field",
                          "field 'retain_until' must not be before the policy's "
                          "retention floor " +
                              format_rfc3339(floor));
  }
  if (*t > policy.retention_ceiling(doc.created_at)) {
    return Error::invalid("invalid_field",
                          "field 'retain_until' lies beyond the policy's longest retention");
  }
  return std::optional<TimePoint>(*t);
}

}  // namespace

Result<Document> Documents::load(const std::string& id,
                                 std::optional<DocumentVersion>* current) const {
  std::optional<Document> doc;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(doc, records_.find(tx, id));
    if (current && doc && doc->current_version != 0) {
      auto version = records_.find_version(tx, doc->id, doc->current_version);
      if (version.ok()) *current = std::move(*version);
    }
    return {};
  }));
  if (!doc) return Error::not_found();
  return std::move(*doc);
}

// The reads of load(id, &current), in the caller's transaction; what load() would return is
// kept in `doc` (its error included) instead of ending the transaction.
Documents::ReadAhead Documents::read_ahead(barrier::ReadTx& tx, const std::string& id) const {
  ReadAhead ahead;
  auto doc = records_.find(tx, id);
  if (!doc.ok()) {
    ahead.doc = doc.take_error();
    return ahead;
  }
  if (!*doc) return ahead;  // not_found
  if ((*doc)->current_version != 0) {
    auto version = records_.find_version(tx, (*doc)->id, (*doc)->current_version);
    if (version.ok()) ahead.current = std::move(*version);
  }
  ahead.doc = std::move(**doc);
  return ahead;
}

Result<Document> Documents::load_for(const auth::User& actor, std::string_view action,
                                     const std::string& id,
                                     std::optional<DocumentVersion>* current) const {
  return loaded_for(actor, action, id, load(id, current));
}

Result<Document> Documents::loaded_for(const auth::User& actor, std::string_view action,
                                       const std::string& id, Result<Document> doc) const {
  if (doc.ok()) return doc;
  if (doc.error().kind == ErrorKind::kNotFound) return deny_unknown(actor, action, id).take_error();
  if (doc.error().kind == ErrorKind::kIntegrity) {
    return integrity_failure(actor.id, id, doc.take_error(), "{}");
  }
  return doc.take_error();
}

// I1: a damaged record is never served and every detection is recorded. If the entry cannot
// be written either, the audit error (503) wins: fail closed.
Error Documents::integrity_failure(const std::string& actor_id, const std::string& id, Error error,
                                   const std::string& detail) const {
  auto recorded = rt_.audit.record(
      rt_.store, {actor_id, "document.integrity_failure", document_target(id), "error", "", detail},
      rt_.now());
  if (!recorded.ok()) return recorded.take_error();
  return error;
}

// S9: a request about a document that does not exist is a refusal like any other.
Result<void> Documents::deny_unknown(const auth::User& actor, std::string_view action,
                                     const std::string& id) const {
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, std::string(action), document_target(id), "deny", "S9",
                              audit::Detail{}.add("reason", "not_found")},
                             rt_.now()));
  return Error::not_found();
}

Result<DocumentView> Documents::view_of(Document doc,
                                        std::optional<DocumentVersion> current) const {
  DocumentView view{std::move(doc), {}, std::move(current), {}, {}};
  view.marking = rt_.policy.marking(view.doc.level, view.doc.secret_until);
  view.retention_floor = retention_floor(rt_.policy, view.doc);
  if (view.doc.current_version == 0 || view.doc.destroyed_at) {
    view.current.reset();
    return view;
  }
  if (!view.current || view.current->version != view.doc.current_version) {
    view.current.reset();
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(view.current,
                             records_.find_version(tx, view.doc.id, view.doc.current_version));
      return {};
    }));
  }
  if (!view.current || view.current->state == VersionState::kPending) {
    return Error::integrity("the current version of a document is missing");
  }
  view.current_sha256 = view.current->sha256;
  return view;
}

Result<DocumentView> Documents::create(const auth::User& actor, const DocumentSpec& spec) const {
  if (spec.title.empty() || spec.title.size() > kMaxTitle) {
    return Error::invalid("invalid_field", "field 'title' must be 1-512 bytes");
  }
  if (spec.description.size() > kMaxDescription) {
    return Error::invalid("invalid_field", "field 'description' must be at most 64 KiB");
  }
  auto level = rt_.policy.level_from_name(spec.level);
  if (!level) return Error::invalid("invalid_field", "field 'level' is not a known level");
  BAOMI_ASSIGN_OR_RETURN(auto categories, rt_.policy.category_set(spec.categories));
  const auto now = rt_.now();
  Document doc;
  doc.id = crypto::random_id();
  doc.title = spec.title;
  doc.description = spec.description;
  doc.level = *level;
  doc.categories = categories;
  doc.author_id = actor.id;
  doc.custodian_id = spec.custodian_id.value_or(actor.id);
  BAOMI_ASSIGN_OR_RETURN(doc.secret_until, parse_term(spec.secret_until, now));
  doc.created_at = now;
  BAOMI_ASSIGN_OR_RETURN(doc.retain_until, parse_retention(rt_.policy, spec.retain_until, doc));
  doc.has_lifecycle = true;

  const auto target = document_target(doc.id);
  BAOMI_TRY(
      auth::enforce(rt_,
                    rt_.policy.decide(auth::subject_of(actor), policy::Action::kCreateDocument,
                                      resource_of(doc), {now}),
                    actor.id, "document.create", target));
  // S5: the custodian keeps the document, so must be entitled to read all of it.
  if (doc.custodian_id != actor.id) {
    auth::User custodian;
    auto loaded = rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(custodian, auth::load_user(rt_, tx, doc.custodian_id));
      return {};
    });
    if (!loaded.ok() && loaded.error().kind != ErrorKind::kNotFound) return loaded.take_error();
    const bool entitled =
        loaded.ok() && rt_.policy
                           .decide(auth::subject_of(custodian),
                                   policy::Action::kReadDocumentContent, resource_of(doc), {now})
                           .allowed;
    if (!entitled) {
      return Error::invalid("invalid_field",
                            "field 'custodian_id' must name an account cleared for this document");
    }
  }
  const std::string level_name(rt_.policy.level_name(doc.level));
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(records_.insert(tx, doc));
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "document.create", target, "allow", "S4",
                                audit::Detail{}.add("level", level_name)},
                               now));
    return {};
  }));
  return view_of(std::move(doc));
}

Result<DocumentView> Documents::get(const auth::User& actor, const std::string& id) const {
  ReadAhead ahead;
  ahead.doc = load(id, &ahead.current);
  return get(actor, id, std::move(ahead));
}

Result<DocumentView> Documents::get(const auth::User& actor, const std::string& id,
                                    ReadAhead ahead) const {
  std::optional<DocumentVersion> current = std::move(ahead.current);
  BAOMI_ASSIGN_OR_RETURN(auto doc,
                         loaded_for(actor, "document.read_metadata", id, std::move(ahead.doc)));
  const auto target = document_target(id);
  const auto now = rt_.now();
  BAOMI_TRY(auth::enforce(
      rt_,
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadDocumentMetadata,
                        resource_of(doc), {now}),
      actor.id, "document.read_metadata", target));
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "document.read_metadata", target, "allow", "S6", "{}"}, now));
  auto view = view_of(std::move(doc), std::move(current));
  if (!view.ok() && view.error().kind == ErrorKind::kIntegrity) {
    return integrity_failure(actor.id, id, view.take_error(), "{}");
  }
  return view;
}

Result<DocumentPage> Documents::list(const auth::User& actor, const std::string& cursor,
                                     std::size_t limit, bool term_review) const {
  DocumentPage page;
  const auto subject = auth::subject_of(actor);
  const auto now = rt_.now();
  std::string after = cursor;
  // Only documents whose existence the reader may know are listed (S6); scan on until the
  // page is full or the table ends.
  while (page.items.size() < limit) {
    std::vector<Document> docs;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(docs, records_.list_after(tx, after, 256));
      return {};
    }));
    if (docs.empty()) break;
    for (auto& doc : docs) {
      after = doc.id;
      if (term_review &&
          (doc.custodian_id != actor.id || !doc.secret_until || *doc.secret_until > now)) {
        continue;
      }
      if (!rt_.policy
               .decide(subject, policy::Action::kReadDocumentMetadata, resource_of(doc), {now})
               .allowed) {
        continue;
      }
      BAOMI_ASSIGN_OR_RETURN(auto view, view_of(std::move(doc)));
      page.items.push_back(std::move(view));
      if (page.items.size() == limit) {
        page.next_cursor = after;
        break;
      }
    }
  }
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "document.list", "documents", "allow", "S6",
       term_review ? audit::Detail{}.add("count", page.items.size()).add("review", "term_expired")
                   : audit::Detail{}.add("count", page.items.size())},
      now));
  return page;
}

}  // namespace baomi::services

namespace baomi::services {

Result<void> Documents::reclassify(barrier::WriteTx& tx, const Document& doc,
                                   std::optional<policy::Level> level, bool end_term,
                                   const std::string& actor_id, const std::string& request_id,
                                   TimePoint now) const {
  BAOMI_ASSIGN_OR_RETURN(auto stored, records_.find(tx, doc.id));
  if (!stored) return Error::not_found("document not found");
  if (stored->destroyed_at) return destroyed_error();
  StoredObject history;
  history.kind = "reclassification";
  history.id = crypto::random_id();
  history.state = "applied";
  history.document_id = doc.id;
  history.owner_id = actor_id;
  history.created_at = history.updated_at = now;
  history.body["request_id"] = request_id;
  const std::string from_level(rt_.policy.level_name(stored->level));
  history.body["from_level"] = from_level;
  history.body["from_secret_until"] =
      stored->secret_until ? to_micros(*stored->secret_until) : std::int64_t{-1};
  if (level) stored->level = *level;
  if (end_term) stored->secret_until.reset();
  const std::string to_level(rt_.policy.level_name(stored->level));
  history.body["to_level"] = to_level;
  history.body["to_secret_until"] =
      stored->secret_until ? to_micros(*stored->secret_until) : std::int64_t{-1};
  BAOMI_TRY(records_.update(tx, *stored));
  BAOMI_TRY(objects_.insert(tx, history));
  BAOMI_TRY(
      rt_.audit.append(tx,
                       {actor_id, "document.reclassify", document_target(doc.id), "allow", "S4",
                        audit::Detail{}
                            .add("from_level", from_level)
                            .add("to_level", to_level)
                            .add("term_ended", end_term)
                            .add("request_id", request_id)},
                       now));
  return {};
}

}  // namespace baomi::services

namespace baomi::services {
namespace {

std::optional<TimePoint> term_from(std::int64_t us) {
  if (us < 0) return std::nullopt;
  return from_micros(us);
}

Result<Reclassification> reclassification_from(const StoredObject& o) {
  BodyReader r(o.body);
  Reclassification c;
  BAOMI_ASSIGN_OR_RETURN(c.from_level, r.string("from_level"));
  BAOMI_ASSIGN_OR_RETURN(c.to_level, r.string("to_level"));
  BAOMI_ASSIGN_OR_RETURN(c.request_id, r.string("request_id"));
  const auto* from = r.find("from_secret_until");
  const auto* to = r.find("to_secret_until");
  if (!from || !to || !from->is_int64() || !to->is_int64()) {
    return Error::integrity("a stored reclassification is malformed");
  }
  c.from_secret_until = term_from(from->as_int64());
  c.to_secret_until = term_from(to->as_int64());
  c.changed_by = o.owner_id;
  c.at = o.created_at;
  return c;
}

}  // namespace

Result<std::vector<Reclassification>> Documents::classification_history(
    const auth::User& actor, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto doc, load_for(actor, "document.read_history", id));
  const auto now = rt_.now();
  const auto target = document_target(id);
  BAOMI_TRY(auth::enforce(
      rt_,
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadDocumentMetadata,
                        resource_of(doc), {now}),
      actor.id, "document.read_history", target));
  std::vector<Reclassification> out;
  ObjectQuery q;
  q.kind = "reclassification";
  q.document_id = id;
  q.limit = 256;
  for (;;) {
    std::vector<StoredObject> page;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(page, objects_.list(tx, q));
      return {};
    }));
    for (const auto& o : page) {
      BAOMI_ASSIGN_OR_RETURN(auto change, reclassification_from(o));
      out.push_back(std::move(change));
    }
    if (page.size() < q.limit) break;
    q.after_id = page.back().id;
  }
  // Ids are random: order by time.
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "document.read_history", target, "allow", "S4",
                              audit::Detail{}.add("count", out.size())},
                             now));
  return out;
}

}  // namespace baomi::services
