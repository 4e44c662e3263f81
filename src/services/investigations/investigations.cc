#include "services/investigations/investigations.h"

#include <algorithm>

#include "audit/detail.h"
#include "auth/guard.h"
#include "barrier/content_stream.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "services/documents/document_repository.h"

namespace baomi::services {
namespace {

// Audit details of investigation actions hold only ids, counts and hashes: titles, reasons,
// findings and notes never enter them (S10 text is classified).
constexpr std::size_t kMaxCaseText = 4000;
constexpr std::size_t kMaxDocuments = 64;
// Evidence is traced in memory (fingerprints, PDF text): the policy's content limit applies,
// and this bound keeps one request's memory fixed whatever the policy allows.
constexpr std::uint64_t kMaxEvidenceBytes = std::uint64_t{64} << 20;

std::string case_target(const std::string& id) { return "investigation:" + id; }
std::string blob_owner(const std::string& evidence_id) { return "evidence:" + evidence_id; }

Result<void> check_case_text(const std::string& text, const char* field) {
  if (text.empty() || text.size() > kMaxCaseText) {
    return Error::invalid("invalid_field",
                          std::string("field '") + field + "' must be 1-4000 bytes");
  }
  return {};
}

Error closed_case() {
  return Error::conflict("investigation_closed", "the investigation is closed (read-only)", "S10");
}

}  // namespace

Result<void> Investigations::refuse_unless_auditor(const auth::User& actor, std::string_view action,
                                                   const std::string& target) const {
  return auth::enforce(
      rt_,
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kInvestigate, {}, {rt_.now()}),
      actor.id, action, target);
}

Result<Investigations::Case> Investigations::load(const auth::User& actor, const std::string& id,
                                                  std::string_view action,
                                                  bool with_evidence) const {
  const auto target = case_target(id);
  BAOMI_TRY(refuse_unless_auditor(actor, action, target));
  std::optional<Case> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kInvestigationKind), id));
    if (!object) return {};
    BAOMI_ASSIGN_OR_RETURN(auto investigation, investigation_from_object(*object));
    loaded = Case{std::move(investigation), {}};
    if (!with_evidence) return {};
    ObjectQuery q;
    q.kind = std::string(kEvidenceKind);
    q.owner_id = id;
    q.limit = 256;
    for (;;) {
      BAOMI_ASSIGN_OR_RETURN(auto objects, objects_.list(tx, q));
      for (const auto& o : objects) {
        BAOMI_ASSIGN_OR_RETURN(auto e, evidence_from_object(o));
        loaded->evidence.push_back(std::move(e));
      }
      if (objects.size() < q.limit) break;
      q.after_id = objects.back().id;
    }
    return {};
  }));
  if (!loaded) {
    // S9: an unknown case is refused like a hidden one, and recorded.
    const policy::Decision unknown{false, policy::DenyAs::kNotFound, "S9", "not_found",
                                   "not found"};
    BAOMI_TRY(auth::enforce(rt_, unknown, actor.id, action, target));
    return Error::not_found();
  }
  // Evidence ids are random, not ordered: order by when each was added.
  std::stable_sort(loaded->evidence.begin(), loaded->evidence.end(),
                   [](const Evidence& a, const Evidence& b) { return a.added_at < b.added_at; });
  return std::move(*loaded);
}

Result<Investigation> Investigations::open(const auth::User& actor, const std::string& title,
                                           const std::string& reason,
                                           const std::vector<std::string>& document_ids) const {
  BAOMI_TRY(refuse_unless_auditor(actor, "investigation.open", "investigations"));
  BAOMI_TRY(check_case_text(title, "title"));
  BAOMI_TRY(check_case_text(reason, "reason"));
  if (document_ids.size() > kMaxDocuments) {
    return Error::invalid("invalid_field", "field 'document_ids' holds at most 64 documents");
  }
  Investigation inv;
  inv.id = crypto::random_id();
  inv.title = title;
  inv.reason = reason;
  for (const auto& d : document_ids) {
    if (std::find(inv.document_ids.begin(), inv.document_ids.end(), d) == inv.document_ids.end()) {
      inv.document_ids.push_back(d);
    }
  }
  inv.opened_by = actor.id;
  inv.opened_at = rt_.now();
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    for (std::size_t i = 0; i < inv.document_ids.size(); ++i) {
      BAOMI_ASSIGN_OR_RETURN(auto doc, DocumentRepository(rt_).find(tx, inv.document_ids[i]));
      if (!doc) {
        return Error::invalid("invalid_field",
                              "field 'document_ids[" + std::to_string(i) + "]' names no document");
      }
    }
    auto object = to_object(inv);
    BAOMI_TRY(objects_.insert(tx, object));
    inv.revision = object.revision;
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "investigation.open", case_target(inv.id), "allow", "S10",
                                audit::Detail{}.add("document_ids", inv.document_ids)},
                               inv.opened_at));
    return {};
  }));
  return inv;
}

Result<Investigation> Investigations::get(const auth::User& actor, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.read", false));
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "investigation.read", case_target(id), "allow", "S10", "{}"},
      rt_.now()));
  return std::move(c.investigation);
}

Result<InvestigationPage> Investigations::list(const auth::User& actor, std::optional<bool> open,
                                               const std::string& cursor, std::size_t limit) const {
  BAOMI_TRY(refuse_unless_auditor(actor, "investigation.list", "investigations"));
  ObjectQuery q;
  q.kind = std::string(kInvestigationKind);
  if (open) q.state = *open ? "open" : "closed";
  q.after_id = cursor;
  q.limit = limit;
  InvestigationPage page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto objects, objects_.list(tx, q));
    for (const auto& o : objects) {
      BAOMI_ASSIGN_OR_RETURN(auto inv, investigation_from_object(o));
      page.items.push_back(std::move(inv));
    }
    return {};
  }));
  if (page.items.size() == limit && limit > 0) page.next_cursor = page.items.back().id;
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "investigation.list", "investigations", "allow", "S10",
                              audit::Detail{}.add("count", page.items.size())},
                             rt_.now()));
  return page;
}

Result<Investigation> Investigations::close(const auth::User& actor, const std::string& id,
                                            const std::string& finding) const {
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.close", false));
  auto& inv = c.investigation;
  if (!inv.open) return closed_case();
  BAOMI_TRY(check_case_text(finding, "finding"));
  const auto now = rt_.now();
  inv.open = false;
  inv.finding = finding;
  inv.closed_by = actor.id;
  inv.closed_at = now;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    auto object = to_object(inv);
    BAOMI_TRY(objects_.update(tx, object));
    inv.revision = object.revision;
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "investigation.close", case_target(id), "allow", "S10", "{}"}, now));
    return {};
  }));
  return std::move(inv);
}

Result<Bytes> Investigations::read_artifact(const NewEvidence& evidence,
                                            std::uint64_t limit) const {
  Bytes bytes;
  std::uint8_t buf[64 * 1024];
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto n, evidence.source(buf, sizeof buf));
    if (n == 0) break;
    if (bytes.size() + n > limit) {
      return Error{ErrorKind::kTooLarge,
                   "content_too_large",
                   "evidence exceeds the limit of " + std::to_string(limit) + " bytes",
                   {}};
    }
    bytes.insert(bytes.end(), buf, buf + n);
  }
  return bytes;
}

Result<void> Investigations::seal_artifact(barrier::WriteTx& tx, Evidence& evidence,
                                           const Bytes& bytes) const {
  // Sealed like document content (chunked AEAD under the evidence's own data key, the AD binding
  // the evidence id, the chunk index and the final flag), so a swapped or cut blob fails to open.
  barrier::ContentWriter writer(rt_.barrier, barrier::ContentStream::blob(blob_owner(evidence.id)));
  evidence.wrapped_key = writer.wrapped_key();
  constexpr std::size_t kChunk = barrier::ContentWriter::kChunkSize;
  const std::size_t chunks = bytes.size() / kChunk + 1;  // the last one may be empty
  Bytes sealed;
  for (std::size_t i = 0; i < chunks; ++i) {
    const std::size_t from = i * kChunk;
    const std::size_t n = std::min(kChunk, bytes.size() - from);
    writer.seal_chunk(i, crypto::BytesView(bytes.data() + from, n), i + 1 == chunks, sealed);
    BAOMI_TRY(writer.store_chunk(tx, i, sealed));
  }
  evidence.chunk_count = chunks;
  return {};
}

Result<Evidence> Investigations::add_evidence(const auth::User& actor, const std::string& id,
                                              const NewEvidence& in) const {
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.add_evidence", false));
  if (!c.investigation.open) return closed_case();
  const auto format = artifact_format(in.content_type);
  if (!format) {
    return Error{ErrorKind::kUnsupportedMedia,
                 "unsupported_media_type",
                 "evidence must be text/plain, text/csv or application/pdf",
                 {}};
  }
  if (in.note.size() > kMaxCaseText) {
    return Error::invalid("invalid_field", "query parameter 'note' must be at most 4000 bytes");
  }
  BAOMI_ASSIGN_OR_RETURN(auto bytes, read_artifact(in, std::min(in.max_bytes, kMaxEvidenceBytes)));
  Evidence e;
  e.id = crypto::random_id();
  e.investigation_id = id;
  e.content_type = in.content_type;
  e.note = in.note;
  e.size = bytes.size();
  crypto::Sha256 sha;
  sha.update(crypto::BytesView(bytes));
  e.sha256 = sha.hex_digest();
  e.added_by = actor.id;
  BAOMI_ASSIGN_OR_RETURN(e.matches, tracer_.trace(actor, *format, bytes));
  e.added_at = rt_.now();
  std::vector<std::string> serials, views;
  for (const auto& m : e.matches) {
    if (!m.serial.empty()) serials.emplace_back(m.serial);
    if (!m.view_id.empty()) views.emplace_back(m.view_id);
  }
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    // Closing and adding race: the case must still be open when the evidence is stored.
    BAOMI_ASSIGN_OR_RETURN(auto current, objects_.get(tx, std::string(kInvestigationKind), id));
    if (!current || current->state != "open") return closed_case();
    BAOMI_TRY(seal_artifact(tx, e, bytes));
    auto object = to_object(e);
    BAOMI_TRY(objects_.insert(tx, object));
    BAOMI_TRY(
        rt_.audit.append(tx,
                         {actor.id, "investigation.add_evidence", case_target(id), "allow", "S10",
                          audit::Detail{}
                              .add("evidence_id", e.id)
                              .add("sha256", e.sha256)
                              .add("size", e.size)
                              .add("matches", e.matches.size())
                              .add("serials", serials)
                              .add("view_ids", views)},
                         e.added_at));
    return {};
  }));
  return e;
}

Result<std::vector<Evidence>> Investigations::evidence(const auth::User& actor,
                                                       const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.read_evidence", true));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "investigation.read_evidence", case_target(id), "allow",
                              "S10", audit::Detail{}.add("count", c.evidence.size())},
                             rt_.now()));
  return std::move(c.evidence);
}

Result<Bytes> Investigations::artifact(const auth::User& actor, const std::string& id,
                                       const std::string& evidence_id) const {
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.read_artifact", true));
  const auto it = std::find_if(c.evidence.begin(), c.evidence.end(),
                               [&](const Evidence& e) { return e.id == evidence_id; });
  if (it == c.evidence.end()) return Error::not_found("no such evidence in this investigation");
  BAOMI_ASSIGN_OR_RETURN(
      auto reader,
      barrier::ContentReader::open(rt_.barrier, barrier::ContentStream::blob(blob_owner(it->id)),
                                   it->wrapped_key, it->chunk_count));
  Bytes out, plain;
  for (std::uint64_t i = 0; i < it->chunk_count; ++i) {
    BAOMI_TRY(rt_.store.read(
        [&](barrier::ReadTx& tx) -> Result<void> { return reader.read_chunk(tx, i, plain); }));
    out.insert(out.end(), plain.begin(), plain.end());
  }
  if (out.size() != it->size) return Error::integrity("stored evidence has the wrong size");
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "investigation.read_artifact", case_target(id), "allow",
                              "S10", audit::Detail{}.add("evidence_id", it->id)},
                             rt_.now()));
  return out;
}

Result<std::vector<CopyHolder>> Investigations::holders_of(const Case& c) const {
  // The case's documents first, then those its evidence traced to, each once.
  std::vector<std::string> documents = c.investigation.document_ids;
  for (const auto& e : c.evidence) {
    for (const auto& m : e.matches) {
      if (!m.document_id.empty() &&
          std::find(documents.begin(), documents.end(), m.document_id) == documents.end()) {
        documents.push_back(m.document_id);
      }
    }
  }
  std::vector<CopyHolder> out;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (const auto& doc : documents) {
      ObjectQuery q;
      q.kind = std::string(kCopyKind);
      q.document_id = doc;
      q.limit = 256;
      for (;;) {
        BAOMI_ASSIGN_OR_RETURN(auto objects, objects_.list(tx, q));
        for (const auto& o : objects) {
          BAOMI_ASSIGN_OR_RETURN(auto copy, copy_from_object(o));
          out.push_back({copy.serial, std::string(policy::request_type_name(copy.kind)),
                         copy.document_id, copy.version, copy.holder_id,
                         std::string(copy_state_name(copy.state)), copy.issued_at});
        }
        if (objects.size() < q.limit) break;
        q.after_id = objects.back().id;
      }
    }
    return {};
  }));
  return out;
}

Result<std::vector<CopyHolder>> Investigations::copy_holders(const auth::User& actor,
                                                             const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.copy_holders", true));
  BAOMI_ASSIGN_OR_RETURN(auto out, holders_of(c));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "investigation.copy_holders", case_target(id), "allow",
                              "S10", audit::Detail{}.add("count", out.size())},
                             rt_.now()));
  return out;
}

}  // namespace baomi::services
