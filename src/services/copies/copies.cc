#include "services/copies/copies.h"

#include "audit/detail.h"
#include "auth/guard.h"
#include "barrier/counters.h"
#include "marking/serial.h"
#include "services/documents/document_repository.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxNote = 2000;
constexpr const char* kSerialCounter = kCopySerialCounter;

std::string copy_target(const std::string& serial) { return "copy:" + serial; }

std::string copy_detail(const Copy& c) {
  return audit::Detail{}
      .add("document_id", c.document_id)
      .add("kind", policy::request_type_name(c.kind))
      .add("version", c.version)
      .add("holder_id", c.holder_id)
      .add("request_id", c.request_id)
      .add("state", copy_state_name(c.state));
}

}  // namespace

// S7: serials come from a counter the record ledger guards, so a counter put back to an older
// value cannot hand one serial to two copies.
Result<std::uint64_t> Copies::next_serial_number(barrier::WriteTx& tx) const {
  const barrier::Counters counters(rt_.barrier);
  BAOMI_ASSIGN_OR_RETURN(auto stored, counters.get(tx, kSerialCounter));
  const std::uint64_t next = stored == 0 ? 1 : stored;
  BAOMI_TRY(counters.set(tx, kSerialCounter, next + 1));
  return next;
}

// S10: remembers which visible-channel class sets are in use, so the tracer tries only those.
Result<void> Copies::note_text_variant_set(barrier::WriteTx& tx,
                                           marking::TextVariantClasses classes) const {
  const barrier::Counters counters(rt_.barrier);
  BAOMI_ASSIGN_OR_RETURN(auto sets, counters.get(tx, kCopyTextVariantSets));
  const std::uint64_t updated = sets | marking::text_variant_set_bit(classes);
  if (updated == sets) return {};
  return counters.set(tx, kCopyTextVariantSets, updated);
}

Result<Copy> Copies::issue(const auth::User& actor, const std::string& request_id) const {
  const auto now = rt_.now();
  const auto request_target = "request:" + request_id;
  std::optional<Request> request;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    auto loaded = requests_.load(tx, request_id);
    if (!loaded.ok() && loaded.error().kind == ErrorKind::kNotFound) return {};
    BAOMI_ASSIGN_OR_RETURN(request, std::move(loaded));
    return {};
  }));
  // S7: only the requester takes copies (the policy decides); anyone else learns nothing about
  // the request, so every refusal here looks like an unknown request.
  policy::Decision decision{false, policy::DenyAs::kNotFound, "S9", "not_found", "not found"};
  std::optional<Matter> matter;
  if (request) {
    if (request->customer_export) {
      matter = customer_register_matter(request->customer_export->level,
                                        request->customer_export->categories);
    } else {
      BAOMI_ASSIGN_OR_RETURN(auto doc,
                             documents_.load_for(actor, "copy.issue", request->document_id));
      matter = document_matter(std::move(doc));
    }
    decision = rt_.policy.decide(auth::subject_of(actor), policy::Action::kIssueCopy,
                                 matter->resource(request->requester_id), {now});
    if (!decision.allowed) decision.deny_as = policy::DenyAs::kNotFound;
  }
  BAOMI_TRY(auth::enforce(rt_, decision, actor.id, "copy.issue", request_target));
  if (!policy::yields_copies(request->type)) {
    return Error::conflict("not_a_copy_request", "this request does not yield copies", "S7");
  }
  if (request->state != RequestState::kApproved) {
    return Error::conflict("request_not_approved", "the request is not approved", "S7");
  }
  BAOMI_ASSIGN_OR_RETURN(auto copy, matter->doc ? new_document_copy(actor, *request, *matter->doc)
                                                : new_export_copy(actor, *request));
  copy.kind = request->type;
  copy.holder_id = actor.id;
  copy.holder_name = actor.display_name.empty() ? actor.username : actor.display_name;
  copy.request_id = request->id;
  copy.issued_at = now;
  copy.due_back = now + std::chrono::days{request->days};
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    // Checked inside the writing transaction: concurrent issues never exceed the count (S7).
    BAOMI_ASSIGN_OR_RETURN(auto fresh, requests_.load(tx, request_id));
    if (fresh.state != RequestState::kApproved) {
      return Error::conflict("request_not_approved", "the request is not approved", "S7");
    }
    if (fresh.copies_issued >= fresh.copies) {
      return Error::conflict("copies_exhausted",
                             "every approved copy of this request has been issued", "S7");
    }
    ++fresh.copies_issued;
    BAOMI_TRY(requests_.store(tx, fresh));
    BAOMI_ASSIGN_OR_RETURN(copy.number, next_serial_number(tx));
    copy.serial = marking::format_serial(copy.number);
    if (copy.text_variants.any()) BAOMI_TRY(note_text_variant_set(tx, copy.text_variants));
    if (copy.customer_export) BAOMI_TRY(exporter_->on_issue(tx, copy));
    auto object = to_object(copy);
    BAOMI_TRY(objects_.insert(tx, object));
    copy.revision = object.revision;
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "copy.issue", copy_target(copy.serial), "allow", "S7", copy_detail(copy)},
        now));
    return {};
  }));
  return copy;
}

Result<Copy> Copies::new_document_copy(const auth::User& actor, const Request& request,
                                       const Document& doc) const {
  // The copy is of the version that was approved, even if a newer one was uploaded since.
  BAOMI_ASSIGN_OR_RETURN(auto version, documents_.version_row(doc, request.version));
  const auto& rule = rt_.policy.approval_rule(request.type, doc.level);
  const auto format = source_format(version.content_type);
  const bool markable = can_mark(format);
  // S5: what the server cannot mark leaves only where the policy allows unmarked copies.
  if (!markable && !rule.allow_unmarked) {
    BAOMI_TRY(rt_.audit.record(rt_.store,
                               {actor.id, "copy.issue", "request:" + request.id, "deny", "S5",
                                audit::Detail{}.add("reason", "unmarkable_format")},
                               rt_.now()));
    return Error{ErrorKind::kUnsupportedMedia, "unmarkable_format",
                 "the server cannot mark this document's format, and the policy does not allow "
                 "unmarked copies at its level",
                 "S5"};
  }
  if (version.size > kMaxArtifactSource) {
    return Error{ErrorKind::kTooLarge,
                 "source_too_large",
                 "the document is too large to be rendered as a marked artifact",
                 {}};
  }
  Copy copy;
  copy.document_id = doc.id;
  copy.version = version.version;
  copy.marking = rt_.policy.marking(doc.level, doc.secret_until);
  copy.content_type = version.content_type;
  copy.excerpt = request.excerpt;
  copy.marked = markable;
  // S10: the visible channel the policy allows now, recorded with the copy so that its artifact
  // renders the same bytes whatever the policy says later.
  if (markable && format == SourceFormat::kText && request.type != policy::RequestType::kPrint) {
    const auto& tv = rt_.policy.text_variants();
    copy.text_variants = {tv.punctuation, tv.digits, tv.latin, tv.space, tv.ideographic};
  }
  return copy;
}

// C2: an export is a marked CSV, rendered from the records on each download.
Result<Copy> Copies::new_export_copy(const auth::User& /*actor*/, const Request& request) const {
  if (exporter_ == nullptr) return Error::internal("no export renderer is configured");
  Copy copy;
  copy.marking = rt_.policy.marking(request.customer_export->level, std::nullopt);
  copy.content_type = "text/csv; charset=utf-8";
  copy.customer_export = request.customer_export;
  copy.marked = true;
  return copy;
}

Result<Copies::Loaded> Copies::load(const auth::User& actor, const std::string& serial,
                                    policy::Action action, std::string_view audit_action) const {
  const auto now = rt_.now();
  std::optional<Loaded> loaded;
  // The serial's check digit catches mistyped numbers before any lookup.
  if (marking::parse_serial(serial)) {
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kCopyKind), serial));
      if (!object) return {};
      BAOMI_ASSIGN_OR_RETURN(auto copy, copy_from_object(*object));
      if (copy.customer_export) {
        auto matter =
            customer_register_matter(copy.customer_export->level, copy.customer_export->categories);
        loaded = Loaded{std::move(copy), std::move(matter)};
        return {};
      }
      BAOMI_ASSIGN_OR_RETURN(auto doc, DocumentRepository(rt_).find(tx, copy.document_id));
      if (!doc) return Error::integrity("a copy names a document that does not exist");
      loaded = Loaded{std::move(copy), document_matter(std::move(*doc))};
      return {};
    }));
  }
  policy::Decision decision{false, policy::DenyAs::kNotFound, "S9", "not_found", "not found"};
  if (loaded) {
    decision = rt_.policy.decide(auth::subject_of(actor), action,
                                 loaded->matter.resource(loaded->copy.holder_id), {now});
  }
  BAOMI_TRY(auth::enforce(rt_, decision, actor.id, audit_action, copy_target(serial)));
  return std::move(*loaded);
}

Result<Artifact> Copies::artifact(const auth::User& actor, const std::string& serial) const {
  BAOMI_ASSIGN_OR_RETURN(auto loaded,
                         load(actor, serial, policy::Action::kReadArtifact, "copy.artifact"));
  const auto& copy = loaded.copy;
  if (copy.state != CopyState::kIssued) {
    return Error::conflict("copy_closed", "the copy is " + std::string(copy_state_name(copy.state)),
                           "S5");
  }
  std::optional<Artifact> rendered;
  if (!loaded.matter.doc) {
    if (exporter_ == nullptr) return Error::internal("no export renderer is configured");
    BAOMI_ASSIGN_OR_RETURN(rendered, exporter_->render_export(actor, copy));
  } else {
    BAOMI_ASSIGN_OR_RETURN(rendered, render_document_copy(actor, copy, *loaded.matter.doc));
  }
  auto& artifact = *rendered;
  // Nothing leaves before its audit entry is durable (fail closed).
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "copy.artifact", copy_target(serial), "allow", "S5",
                              audit::Detail{}.add("bytes", artifact.bytes.size())},
                             rt_.now()));
  return std::move(artifact);
}

Result<Artifact> Copies::render_document_copy(const auth::User& actor, const Copy& copy,
                                              const Document& doc) const {
  BAOMI_ASSIGN_OR_RETURN(auto source,
                         documents_.read_version(actor.id, doc, copy.version, kMaxArtifactSource));
  marking::ArtifactMarks marks;
  marks.marking = copy.marking;
  marks.holder_name = copy.holder_name;
  marks.holder_id = copy.holder_id;
  marks.serial = copy.serial;
  marks.issued_at = format_rfc3339(copy.issued_at);
  marks.document_title = doc.title.size() <= marking::kMaxMarkBytes ? doc.title : "";
  return render_artifact(copy, source, marks, rt_.barrier.copy_fingerprint_key());
}

Result<Copy> Copies::get(const auth::User& actor, const std::string& serial) const {
  BAOMI_ASSIGN_OR_RETURN(auto loaded, load(actor, serial, policy::Action::kReadCopy, "copy.read"));
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "copy.read", copy_target(serial), "allow", "S5", "{}"}, rt_.now()));
  return std::move(loaded.copy);
}

Result<CopyPage> Copies::list(const auth::User& actor,
                              const std::optional<std::string>& document_id,
                              const std::string& cursor, std::size_t limit) const {
  const auto now = rt_.now();
  ObjectQuery q;
  q.kind = std::string(kCopyKind);
  q.after_id = cursor;
  q.limit = limit;
  std::string target = "copies";
  if (document_id) {
    target = document_target(*document_id);
    BAOMI_ASSIGN_OR_RETURN(auto doc, documents_.load_for(actor, "copy.list", *document_id));
    BAOMI_TRY(auth::enforce(rt_,
                            rt_.policy.decide(auth::subject_of(actor), policy::Action::kListCopies,
                                              resource_of(doc), {now}),
                            actor.id, "copy.list", target));
    q.document_id = *document_id;
  } else {
    q.owner_id = actor.id;  // one's own copies
  }
  CopyPage page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto objects, objects_.list(tx, q));
    for (const auto& o : objects) {
      BAOMI_ASSIGN_OR_RETURN(auto copy, copy_from_object(o));
      page.items.push_back(std::move(copy));
    }
    if (objects.size() == limit) page.next_cursor = objects.back().id;
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "copy.list", target, "allow", "S5",
                              audit::Detail{}.add("count", page.items.size())},
                             now));
  return page;
}

Result<Copy> Copies::record(const auth::User& actor, const std::string& serial, CopyEvent event,
                            const std::string& note) const {
  if (note.size() > kMaxNote) {
    return Error::invalid("invalid_field", "field 'note' must be at most 2000 bytes");
  }
  const std::string action = "copy." + std::string(copy_event_name(event));
  const auto policy_action =
      event == CopyEvent::kRevoke ? policy::Action::kRevokeCopy : policy::Action::kRecordCopyReturn;
  BAOMI_ASSIGN_OR_RETURN(auto loaded, load(actor, serial, policy_action, action));
  auto& copy = loaded.copy;
  const auto now = rt_.now();
  BAOMI_ASSIGN_OR_RETURN(copy.state, next_copy_state(copy.state, event));
  copy.history.push_back({std::string(copy_event_name(event)), actor.id, note, now});
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    auto object = to_object(copy);
    BAOMI_TRY(objects_.update(tx, object));
    copy.revision = object.revision;
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, action, copy_target(serial), "allow", "S5", copy_detail(copy)}, now));
    return {};
  }));
  return copy;
}

Result<Incident> Copies::report_lost(const auth::User& actor, const std::string& serial,
                                     const std::string& description) const {
  BAOMI_ASSIGN_OR_RETURN(auto loaded,
                         load(actor, serial, policy::Action::kReportLoss, "copy.report_lost"));
  auto& copy = loaded.copy;
  const auto now = rt_.now();
  BAOMI_ASSIGN_OR_RETURN(copy.state, next_copy_state(copy.state, CopyEvent::kReportLost));
  copy.history.push_back({"report_lost", actor.id, "", now});
  std::optional<Incident> incident;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    auto object = to_object(copy);
    BAOMI_TRY(objects_.update(tx, object));
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "copy.report_lost", copy_target(serial), "allow", "S8", copy_detail(copy)},
        now));
    BAOMI_ASSIGN_OR_RETURN(incident, incidents_.open(tx, actor, loaded.matter, copy.holder_id,
                                                     copy.serial, description, now));
    return {};
  }));
  return *incident;
}

}  // namespace baomi::services
