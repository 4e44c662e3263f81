// Documents: create, describe, list, upload and read classified documents.
// Every decision comes from the policy (S4, S5, S6, S2); every allowed read and every refusal
// is audited (S9); content is sealed chunk by chunk and streamed in bounded memory both ways.
// Thread-safe (stateless over the Runtime).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/user.h"
#include "barrier/content_stream.h"
#include "marking/fingerprint_stream.h"
#include "services/documents/document.h"
#include "services/documents/document_repository.h"
#include "services/documents/upload_leases.h"
#include "services/grants/grants.h"

namespace baomi::services {

struct DocumentSpec {
  std::string title;
  std::string level;
  std::vector<std::string> categories;
  std::optional<std::string> custodian_id;  // defaults to the author
  std::optional<std::string> secret_until;  // RFC 3339 time or YYYY-MM-DD
  std::string description;
  // S5, H3: a retention floor later than the policy's (RFC 3339 or YYYY-MM-DD), within its
  // documents.retention.max_months; default: the policy's floor.
  std::optional<std::string> retain_until;
};

// A document with what a reader of its metadata may see about its current version.
struct DocumentView {
  Document doc;
  std::string marking;                     // S5: e.g. "秘密★2030-12-31"
  std::optional<DocumentVersion> current;  // may be a destroyed version (no content)
  std::string current_sha256;  // plaintext digest of the current version, when there is one
  TimePoint retention_floor;   // S5, H3: lifecycle.h retention_floor()
};

// One change of a document's classification (S4), oldest first in a history.
struct Reclassification {
  std::string from_level, to_level;
  std::optional<TimePoint> from_secret_until, to_secret_until;
  std::string request_id;
  std::string changed_by;
  TimePoint at;
};

struct DocumentPage {
  std::vector<DocumentView> items;
  std::optional<std::string> next_cursor;
};

struct UploadResult {
  std::uint64_t version = 0;
  std::uint64_t size = 0;
  std::string sha256;
};

// Pulls the upload body: returns bytes read into buf, 0 at the end, or an error.
using ContentSource = std::function<Result<std::size_t>(std::uint8_t* buf, std::size_t n)>;
// Receives the plaintext of a download piece by piece, in order. It may keep the buffer itself,
// leaving another (or an empty one) in `piece` for the next: the response writer does, so the
// decrypted bytes reach TLS without a copy (issue 14).
using ContentSink = std::function<Result<void>(Bytes& piece)>;

// An authorised, audited view of one version's content. The first chunk is already read and
// authenticated, so a damaged document fails before any byte is sent. Not thread-safe.
class ContentView {
 public:
  const DocumentView& document() const { return view_; }
  const DocumentVersion& version() const { return version_; }
  const std::string& view_id() const { return view_id_; }
  // Text views carry the view id as an invisible fingerprint (S7), so their length is not the
  // stored size: stream them without a Content-Length.
  bool fingerprinted() const { return fingerprint_.has_value(); }
  // Streams the whole plaintext; an integrity failure midway is audited and returned.
  Result<void> stream(const ContentSink& sink);

 private:
  friend class Documents;
  ContentView(const auth::Runtime& rt, std::string actor_id, DocumentView view,
              DocumentVersion version, std::uint64_t view_number, barrier::ContentReader reader);
  Result<void> read_chunk(std::uint64_t index, Bytes& plain);
  Result<void> emit(Bytes& plain, const ContentSink& sink);
  const auth::Runtime& rt_;
  std::string actor_id_;
  DocumentView view_;
  DocumentVersion version_;
  std::string view_id_;  // 16 hex digits of the view number the fingerprint carries
  std::optional<marking::FingerprintStream> fingerprint_;
  barrier::ContentReader reader_;
  Bytes first_;
  std::string marked_;  // the fingerprinted form of the current chunk
  Bytes marked_piece_;  // the same, as the sink takes it
};

class Documents {
 public:
  explicit Documents(const auth::Runtime& rt)
      : rt_(rt),
        records_(rt),
        grants_(rt),
        objects_(rt),
        uploads_(std::make_shared<UploadLeases>()) {}

  Result<DocumentView> create(const auth::User& actor, const DocumentSpec& spec) const;
  Result<DocumentView> get(const auth::User& actor, const std::string& id) const;
  // What get() reads, read ahead in a read transaction of the caller's: the request's token
  // check's (auth::Sessions::AlsoRead), so that one transaction and one snapshot serve both
  // (issue 14). Every check of the records is the same; get(actor, id, ahead) then decides,
  // audits and answers exactly as get(actor, id).
  struct ReadAhead {
    Result<Document> doc = Error::not_found();
    std::optional<DocumentVersion> current;
  };
  ReadAhead read_ahead(barrier::ReadTx& tx, const std::string& id) const;
  Result<DocumentView> get(const auth::User& actor, const std::string& id, ReadAhead ahead) const;
  // Documents whose existence the actor may know; with `term_review`, only those the actor
  // keeps as custodian whose secrecy term has passed (S4: due for review or declassification).
  Result<DocumentPage> list(const auth::User& actor, const std::string& cursor, std::size_t limit,
                            bool term_review = false) const;
  Result<UploadResult> upload(const auth::User& actor, const std::string& id,
                              const std::string& content_type, const ContentSource& source) const;
  // S4: applies an approved declassification inside the approving transaction (a lower
  // level and/or the end of the secrecy term) and keeps the earlier classification in the
  // document's history (kind "reclassification").
  Result<void> reclassify(barrier::WriteTx& tx, const Document& doc,
                          std::optional<policy::Level> level, bool end_term,
                          const std::string& actor_id, const std::string& request_id,
                          TimePoint now) const;
  // S4: every earlier level and term of the document and who changed it; for those who may
  // see its metadata.
  Result<std::vector<Reclassification>> classification_history(const auth::User& actor,
                                                               const std::string& id) const;
  // version 0 = the current version; older versions only for the custodian (S5).
  Result<std::unique_ptr<ContentView>> open_content(const auth::User& actor, const std::string& id,
                                                    std::uint64_t version = 0) const;

  // The whole plaintext of a committed version, for rendering an approved artifact (the copy
  // service has decided; no access check here). kTooLarge beyond `max_bytes`; integrity
  // failures are audited against `actor_id`.
  Result<Bytes> read_version(const std::string& actor_id, const Document& doc,
                             std::uint64_t version, std::size_t max_bytes) const;
  // The committed version (size, content type), or not_found.
  Result<DocumentVersion> version_row(const Document& doc, std::uint64_t version) const;
  // The document as stored (no access check; not_found when absent). With `current`, also its
  // current version, read in the same snapshot (one read transaction, not two); left empty when
  // that read fails, for view_of to read again and report.
  Result<Document> load(const std::string& id,
                        std::optional<DocumentVersion>* current = nullptr) const;
  // Clean-up at start-up and in each maintenance sweep: removes every pending version that no
  // upload is writing (an upload never acknowledged: its process died) with its chunks, in one
  // job audited as "system" (document.purge_pending). Uploads in flight in this process, or in
  // another live server process on the same store (barrier/work_holds.h), are kept.
  // Pending versions that fail their integrity check are left for `baomi audit verify` to name:
  // a pending row put back over a committed one must not be purged as a lost upload (I1).
  // Returns how many were removed and how many were left.
  struct Purged {
    std::size_t removed = 0;
    std::size_t left = 0;
    std::size_t in_progress = 0;  // held by another live server process
  };
  Result<Purged> purge_pending_versions() const;
  // S5, H3: removes the chunks of destroyed versions (undecryptable since their keys were
  // erased), in bounded jobs audited as "system" (document.compact). Returns how many versions.
  Result<std::size_t> compact_destroyed() const;
  // load() for `actor` doing `action`: an unknown id is an audited refusal (S9), a damaged
  // record an audited integrity failure (I1).
  Result<Document> load_for(const auth::User& actor, std::string_view action, const std::string& id,
                            std::optional<DocumentVersion>* current = nullptr) const;

 private:
  // load_for()'s verdict on what load() (or read_ahead) found.
  Result<Document> loaded_for(const auth::User& actor, std::string_view action,
                              const std::string& id, Result<Document> doc) const;
  Error integrity_failure(const std::string& actor_id, const std::string& id, Error error,
                          const std::string& detail) const;
  Error refuse_gone(const auth::User& actor, const std::string& target, Error gone) const;
  Result<barrier::ContentReader> open_version_content(const DocumentVersion& row) const;
  Result<void> deny_unknown(const auth::User& actor, std::string_view action,
                            const std::string& id) const;
  // The view of a document; `current` is its current version when the caller has read it.
  Result<DocumentView> view_of(Document doc,
                               std::optional<DocumentVersion> current = std::nullopt) const;
  Result<DocumentVersion> reserve_version(const auth::User& actor, const std::string& id,
                                          const std::string& content_type,
                                          std::optional<barrier::ContentWriter>& writer,
                                          std::optional<UploadLease>& lease) const;
  void abandon_upload(const auth::User& actor, const DocumentVersion& pending,
                      const Error& why) const;
  Result<UploadResult> store_chunks(const auth::User& actor, const Document& doc,
                                    const DocumentVersion& pending, barrier::ContentWriter& writer,
                                    const ContentSource& source) const;
  const auth::Runtime& rt_;
  DocumentRepository records_;
  Grants grants_;
  SealedObjects objects_;
  std::shared_ptr<UploadLeases> uploads_;  // pending versions being written by this process
};

}  // namespace baomi::services
