// Reading document content: authenticated chunk by chunk, in bounded memory (uploads: upload.cc).
#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/documents/documents.h"
#include "services/documents/lifecycle.h"
#include "services/documents/view_record.h"

namespace baomi::services {
namespace {

std::uint64_t random_view_number() {
  const auto bytes = crypto::random_bytes(8);
  std::uint64_t n = 0;
  for (auto b : bytes) n = (n << 8) | b;
  return n;
}

}  // namespace

Result<std::unique_ptr<ContentView>> Documents::open_content(const auth::User& actor,
                                                             const std::string& id,
                                                             std::uint64_t version) const {
  auto doc = load_for(actor, "document.read_content", id);
  if (!doc.ok()) return doc.take_error();
  const auto target = document_target(id);
  const auto now = rt_.now();
  const auto subject = auth::subject_of(actor);
  if (doc->destroyed_at) {
    // H3: what was destroyed stays destroyed; those who may see that it existed learn so (410).
    BAOMI_TRY(auth::enforce(
        rt_,
        rt_.policy.decide(subject, policy::Action::kReadDocumentMetadata, resource_of(*doc), {now}),
        actor.id, "document.read_content", target));
    return refuse_gone(actor, target, destroyed_error());
  }
  // S6: a usable grant supplies need-to-know; the policy decides whether it is needed.
  std::optional<Grant> grant;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(grant, grants_.usable(tx, actor.id, id, now));
    return {};
  }));
  auto resource = resource_of(*doc);
  resource.has_active_grant = grant.has_value();
  const auto decision =
      rt_.policy.decide(subject, policy::Action::kReadDocumentContent, resource, {now});
  BAOMI_TRY(auth::enforce(rt_, decision, actor.id, "document.read_content", target));
  const bool through_grant = decision.code == policy::code::kGrant;
  const std::uint64_t wanted = version == 0 ? doc->current_version : version;
  if (wanted != doc->current_version) {
    // S5: earlier versions stay readable to the custodian only.
    BAOMI_TRY(auth::enforce(
        rt_, rt_.policy.decide(subject, policy::Action::kReadOldVersion, resource_of(*doc), {now}),
        actor.id, "document.read_content", target));
  }
  const std::string version_detail = audit::Detail{}.add("version", wanted);
  std::optional<DocumentVersion> row;
  if (wanted > 0) {
    auto read = rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(row, records_.find_version(tx, id, wanted));
      return {};
    });
    if (!read.ok() && read.error().kind == ErrorKind::kIntegrity) {
      return integrity_failure(actor.id, id, read.take_error(), version_detail);
    }
    BAOMI_TRY(read);
  }
  if (row && row->state == VersionState::kDestroyed) {
    return refuse_gone(actor, target, version_destroyed_error());
  }
  if (!row || row->state != VersionState::kCommitted) {
    return Error::not_found(wanted == 0 ? "document has no content yet" : "no such version");
  }
  auto reader = open_version_content(*row);
  if (!reader.ok()) return integrity_failure(actor.id, id, reader.take_error(), version_detail);
  // The current version was just read: the view does not read it again.
  auto current = wanted == doc->current_version ? row : std::nullopt;
  auto view = view_of(std::move(doc).value(), std::move(current));
  if (!view.ok()) {
    if (view.error().kind != ErrorKind::kIntegrity) return view.take_error();
    return integrity_failure(actor.id, id, view.take_error(), version_detail);
  }
  const auto view_number = random_view_number();
  const auto view_id = view_id_of(view_number);
  std::unique_ptr<ContentView> content(new ContentView(rt_, actor.id, std::move(view).value(), *row,
                                                       view_number, std::move(reader).value()));
  // Authenticate the first chunk before anything is promised to the client.
  BAOMI_TRY(content->read_chunk(0, content->first_));
  // The view is audited, durably, before any content leaves (fail closed); a read through a
  // grant spends one of its uses in the same transaction.
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    if (through_grant) BAOMI_TRY(grants_.spend(tx, grant->id, now));
    audit::Detail detail;
    detail.add("version", wanted).add("view_id", view_id);
    if (through_grant) detail.add("grant_id", grant->id);
    // S10: a fingerprinted view can be traced back from leaked text to this reader and entry.
    // It is written before the entry, which commits to it (I1), and names the entry's seq.
    BAOMI_ASSIGN_OR_RETURN(const auto entry_seq, rt_.audit.next_seq(tx));
    if (content->fingerprinted()) {
      auto record = to_object(ViewRecord{view_id, id, wanted, actor.id, entry_seq, now});
      BAOMI_TRY(objects_.insert(tx, record));
    }
    BAOMI_ASSIGN_OR_RETURN(
        auto seq, rt_.audit.append(
                      tx, {actor.id, "document.read_content", target, "allow", "S6", detail}, now));
    if (seq != entry_seq) return Error::internal("the view's audit entry got another seq");
    return {};
  }));
  return content;
}

// The content of a version read through the repository (its row authenticated). Any failure
// here is damage to stored data (kIntegrity), never the reader's fault.
Result<barrier::ContentReader> Documents::open_version_content(
    const DocumentVersion& version) const {
  return barrier::ContentReader::open(
      rt_.barrier, barrier::ContentStream::document_version(version.document_id, version.version),
      version.wrapped_key, version.chunk_count);
}

Result<DocumentVersion> Documents::version_row(const Document& doc, std::uint64_t version) const {
  std::optional<DocumentVersion> found;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(found, records_.find_version(tx, doc.id, version));
    return {};
  }));
  if (doc.destroyed_at) return destroyed_error();
  if (found && found->state == VersionState::kDestroyed) return version_destroyed_error();
  if (!found || found->state != VersionState::kCommitted) {
    return Error::not_found("no such version");
  }
  return std::move(*found);
}

// S9: a read of destroyed content is recorded like every refusal, with its reason.
Error Documents::refuse_gone(const auth::User& actor, const std::string& target, Error gone) const {
  auto recorded = rt_.audit.record(rt_.store,
                                   {actor.id, "document.read_content", target, "deny", gone.rule,
                                    audit::Detail{}.add("reason", gone.code)},
                                   rt_.now());
  if (!recorded.ok()) return recorded.take_error();
  return gone;
}

Result<Bytes> Documents::read_version(const std::string& actor_id, const Document& doc,
                                      std::uint64_t version, std::size_t max_bytes) const {
  BAOMI_ASSIGN_OR_RETURN(auto row, version_row(doc, version));
  if (row.size > max_bytes) {
    return Error{ErrorKind::kTooLarge,
                 "source_too_large",
                 "the document is too large to be rendered as a marked artifact",
                 {}};
  }
  auto reader = open_version_content(row);
  const std::string detail = audit::Detail{}.add("version", version);
  if (!reader.ok()) return integrity_failure(actor_id, doc.id, reader.take_error(), detail);
  Bytes plain, out;
  out.reserve(row.size);
  for (std::uint64_t i = 0; i < row.chunk_count; ++i) {
    auto read = rt_.store.read(
        [&](barrier::ReadTx& tx) -> Result<void> { return reader->read_chunk(tx, i, plain); });
    if (!read.ok()) {
      if (read.error().kind != ErrorKind::kIntegrity) return read.take_error();
      return integrity_failure(actor_id, doc.id, read.take_error(), detail);
    }
    out.insert(out.end(), plain.begin(), plain.end());
  }
  return out;
}

ContentView::ContentView(const auth::Runtime& rt, std::string actor_id, DocumentView view,
                         DocumentVersion version, std::uint64_t view_number,
                         barrier::ContentReader reader)
    : rt_(rt),
      actor_id_(std::move(actor_id)),
      view_(std::move(view)),
      version_(std::move(version)),
      view_id_(view_id_of(view_number)),
      reader_(std::move(reader)) {
  // S7: a text view is marked for its reader: an excerpt copied out of it names this view.
  if (is_text_content(version_.content_type)) {
    fingerprint_.emplace(view_number, rt_.barrier.view_fingerprint_key());
  }
}

Result<void> ContentView::read_chunk(std::uint64_t index, Bytes& plain) {
  auto r = rt_.store.read(
      [&](barrier::ReadTx& tx) -> Result<void> { return reader_.read_chunk(tx, index, plain); });
  if (!r.ok() && r.error().kind == ErrorKind::kIntegrity) {
    (void)rt_.audit.record(
        rt_.store,
        {actor_id_, "document.integrity_failure", document_target(version_.document_id), "error",
         "", audit::Detail{}.add("version", version_.version).add("chunk", index)},
        rt_.now());
  }
  return r;
}

Result<void> ContentView::emit(Bytes& plain, const ContentSink& sink) {
  if (!fingerprint_) return sink(plain);
  marked_.clear();
  BAOMI_TRY(fingerprint_->feed(
      std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()), marked_));
  marked_piece_.assign(marked_.begin(), marked_.end());
  return sink(marked_piece_);
}

Result<void> ContentView::stream(const ContentSink& sink) {
  BAOMI_TRY(emit(first_, sink));
  Bytes plain;
  for (std::uint64_t i = 1; i < version_.chunk_count; ++i) {
    BAOMI_TRY(read_chunk(i, plain));
    BAOMI_TRY(emit(plain, sink));
  }
  if (!fingerprint_) return {};
  marked_.clear();
  BAOMI_TRY(fingerprint_->finish(marked_));
  marked_piece_.assign(marked_.begin(), marked_.end());
  return sink(marked_piece_);
}

}  // namespace baomi::services
