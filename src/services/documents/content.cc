// Upload and download of document content: sealed chunk by chunk, bounded memory both ways.
#include "auth/guard.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "marking/utf8_check.h"
#include "services/documents/documents.h"
#include "services/documents/view_record.h"

namespace baomi::services {
namespace {

using barrier::ContentSealer;

constexpr std::size_t kChunksPerWrite = 4;  // 1 MiB of ciphertext per group-committed job

// Fills buf up to `want` bytes, stopping early only at the end of the body.
Result<void> fill(const ContentSource& source, Bytes& buf, std::size_t want) {
  buf.resize(want);
  std::size_t have = 0;
  while (have < want) {
    BAOMI_ASSIGN_OR_RETURN(std::size_t n, source(buf.data() + have, want - have));
    if (n == 0) break;
    have += n;
  }
  buf.resize(have);
  return {};
}

Error not_utf8() {
  return {ErrorKind::kUnsupportedMedia,
          "invalid_text",
          "text/* content must be well-formed UTF-8; upload other encodings as "
          "application/octet-stream",
          {}};
}

Error too_large() {
  return {ErrorKind::kTooLarge, "content_too_large", "content exceeds the configured limit", {}};
}

std::uint64_t random_view_number() {
  const auto bytes = crypto::random_bytes(8);
  std::uint64_t n = 0;
  for (auto b : bytes) n = (n << 8) | b;
  return n;
}

// text/* documents are UTF-8 text that readers may copy from (views are fingerprinted).
bool is_text(std::string_view content_type) {
  constexpr std::string_view kText = "text/";
  if (content_type.size() < kText.size()) return false;
  for (std::size_t i = 0; i < kText.size(); ++i) {
    const char c = content_type[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kText[i]) return false;
  }
  return true;
}

}  // namespace

Result<UploadResult> Documents::upload(const auth::User& actor, const std::string& id,
                                       const std::string& content_type,
                                       const ContentSource& source) const {
  auto doc = load_for(actor, "document.upload", id);
  if (!doc.ok()) return doc.take_error();
  const auto target = document_target(id);
  const auto now = rt_.now();
  BAOMI_TRY(auth::enforce(
      rt_,
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kUploadDocumentContent,
                        resource_of(*doc), {now}),
      actor.id, "document.upload", target));
  // Reserve the next version as pending: it stays invisible until its last chunk is durable
  // and it is committed together with its audit entry. One upload per document at a time.
  storage::VersionRow pending;
  pending.document_id = id;
  pending.content_type = content_type;
  pending.created_by = actor.id;
  pending.created_at_us = to_micros(now);
  std::optional<barrier::DataKey> dek;
  std::optional<UploadLease> lease;
  BAOMI_TRY(rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_document(id));
    if (!row) return Error::not_found();
    pending.version = row->current_version + 1;
    if (!uploads_->acquire(id, pending.version)) {
      return Error::conflict("upload_in_progress",
                             "another upload to this document is in progress");
    }
    lease.emplace(*uploads_, id, pending.version);
    // A pending row no upload holds is a failed upload's leftover whose clean-up could not be
    // written (I1): it goes now, not at the next restart.
    BAOMI_TRY(tx.delete_pending_version(id, pending.version));
    dek.emplace(rt_.barrier.new_data_key(version_owner(id, pending.version)));
    pending.wrapped_key = barrier::encode(dek->wrapped);
    mac_version_row(rt_, pending);
    return tx.insert_version(pending);
  }));
  auto stored = store_chunks(actor, *doc, pending, dek->key, source);
  if (!stored.ok()) {
    // Nothing of a failed upload stays behind; if even this fails, start-up purges it. The
    // purge does not wait for the audit entry: the upload may have failed because the audit
    // store is down, and a leftover pending version would block every later upload.
    (void)rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
      return tx.delete_pending_version(id, pending.version);
    });
    (void)rt_.audit.record(rt_.store,
                           {actor.id, "document.upload", target, "error", "",
                            R"({"reason":")" + stored.error().code + "\"}"},
                           rt_.now());
  }
  return stored;
}

Result<UploadResult> Documents::store_chunks(const auth::User& actor, const Document& doc,
                                             const storage::VersionRow& pending,
                                             const crypto::SecretKey& key,
                                             const ContentSource& source) const {
  const std::uint64_t limit = rt_.policy.limits().max_upload_bytes;
  ContentSealer sealer(key.clone(), doc.id, pending.version);
  crypto::Sha256 sha;
  Bytes current, next;
  std::vector<Bytes> sealed_batch(kChunksPerWrite);
  std::size_t batch_size = 0;
  std::uint64_t index = 0, total = 0;
  auto flush = [&]() -> Result<void> {
    if (batch_size == 0) return {};
    const std::uint64_t first = index - batch_size;
    BAOMI_TRY(rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
      for (std::size_t i = 0; i < batch_size; ++i) {
        BAOMI_TRY(tx.write_chunk(doc.id, pending.version, first + i, sealed_batch[i]));
      }
      return {};
    }));
    batch_size = 0;
    return {};
  };
  // Text is fingerprinted when viewed or copied, which needs well-formed UTF-8: check now.
  std::optional<marking::Utf8Check> utf8;
  if (is_text(pending.content_type)) utf8.emplace();
  BAOMI_TRY(fill(source, current, ContentSealer::kChunkSize));
  for (;;) {
    bool final = current.size() < ContentSealer::kChunkSize;
    if (!final) {
      BAOMI_TRY(fill(source, next, ContentSealer::kChunkSize));
      final = next.empty();
    }
    total += current.size();
    if (total > limit) return too_large();
    sha.update(current);
    if (utf8 && !utf8->feed(std::string_view(reinterpret_cast<const char*>(current.data()),
                                             current.size()))) {
      return not_utf8();
    }
    sealer.seal_chunk(index, current, final, sealed_batch[batch_size]);
    ++batch_size;
    ++index;
    if (batch_size == kChunksPerWrite || final) BAOMI_TRY(flush());
    if (final) break;
    std::swap(current, next);
  }
  if (utf8 && !utf8->finish()) return not_utf8();
  storage::VersionRow done = pending;
  done.state = storage::VersionState::kCommitted;
  done.size = total;
  done.chunk_count = index;
  const std::string digest = sha.hex_digest();
  done.sealed_sha256 = seal_version_digest(rt_, key, done, digest);
  mac_version_row(rt_, done);
  const auto now = rt_.now();
  BAOMI_TRY(rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.commit_version(done));
    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_document(doc.id));
    if (!row) return Error::not_found();
    BAOMI_TRY(check_document_row(rt_, *row));
    row->current_version = done.version;
    mac_document_row(rt_, *row);
    BAOMI_TRY(tx.set_current_version(doc.id, done.version, row->mac));
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "document.upload", document_target(doc.id), "allow", "S5",
                                R"({"version":)" + std::to_string(done.version) + R"(,"size":)" +
                                    std::to_string(done.size) + "}"},
                               now));
    return {};
  }));
  return UploadResult{done.version, done.size, digest};
}

Result<std::unique_ptr<ContentView>> Documents::open_content(const auth::User& actor,
                                                             const std::string& id,
                                                             std::uint64_t version) const {
  auto doc = load_for(actor, "document.read_content", id);
  if (!doc.ok()) return doc.take_error();
  const auto target = document_target(id);
  const auto now = rt_.now();
  const auto subject = auth::subject_of(actor);
  // S6: a usable grant supplies need-to-know; the policy decides whether it is needed.
  std::optional<Grant> grant;
  BAOMI_TRY(rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
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
  std::optional<storage::VersionRow> row;
  if (wanted > 0) {
    BAOMI_TRY(rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(row, tx.get_version(id, wanted));
      return {};
    }));
  }
  if (!row || row->state != storage::VersionState::kCommitted) {
    return Error::not_found(wanted == 0 ? "document has no content yet" : "no such version");
  }
  auto key = open_version_key(*row);
  const std::string version_detail = R"({"version":)" + std::to_string(wanted) + "}";
  if (!key.ok()) return integrity_failure(actor.id, id, key.take_error(), version_detail);
  auto view = view_of(std::move(doc).value());
  if (!view.ok()) {
    if (view.error().kind != ErrorKind::kIntegrity) return view.take_error();
    return integrity_failure(actor.id, id, view.take_error(), version_detail);
  }
  const auto view_number = random_view_number();
  const auto view_id = view_id_of(view_number);
  std::unique_ptr<ContentView> content(new ContentView(rt_, actor.id, std::move(view).value(), *row,
                                                       view_number, std::move(key).value()));
  // Authenticate the first chunk before anything is promised to the client.
  BAOMI_TRY(content->read_chunk(0, content->first_));
  // The view is audited, durably, before any content leaves (fail closed); a read through a
  // grant spends one of its uses in the same transaction.
  BAOMI_TRY(rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
    if (through_grant) BAOMI_TRY(grants_.spend(tx, grant->id, now));
    std::string detail = R"({"version":)" + std::to_string(wanted) + R"(,"view_id":")" + view_id;
    if (through_grant) detail += R"(","grant_id":")" + grant->id;
    // S10: a fingerprinted view can be traced back from leaked text to this reader and entry.
    // It is written before the entry, which commits to it (I1), and names the entry's seq.
    BAOMI_ASSIGN_OR_RETURN(const auto entry_seq, rt_.audit.next_seq(tx));
    if (content->fingerprinted()) {
      auto record = to_object(ViewRecord{view_id, id, wanted, actor.id, entry_seq, now});
      BAOMI_TRY(objects_.insert(tx, record));
    }
    BAOMI_ASSIGN_OR_RETURN(
        auto seq,
        rt_.audit.append(
            tx, {actor.id, "document.read_content", target, "allow", "S6", detail + "\"}"}, now));
    if (seq != entry_seq) return Error::internal("the view's audit entry got another seq");
    return {};
  }));
  return content;
}

// The data key of a committed version, after checking the row's authenticator. Any failure
// here is damage to stored data (kIntegrity), never the reader's fault.
Result<crypto::SecretKey> Documents::open_version_key(const storage::VersionRow& row) const {
  BAOMI_TRY(check_version_row(rt_, row));
  auto wrapped = barrier::decode_wrapped_key(row.wrapped_key);
  if (!wrapped.ok()) return Error::integrity("a stored data key is damaged");
  return rt_.barrier.unwrap(*wrapped, version_owner(row.document_id, row.version));
}

Result<storage::VersionRow> Documents::version_row(const Document& doc,
                                                   std::uint64_t version) const {
  std::optional<storage::VersionRow> row;
  BAOMI_TRY(rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(row, tx.get_version(doc.id, version));
    return {};
  }));
  if (!row || row->state != storage::VersionState::kCommitted) {
    return Error::not_found("no such version");
  }
  BAOMI_TRY(check_version_row(rt_, *row));
  return *row;
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
  auto key = open_version_key(row);
  const std::string detail = R"({"version":)" + std::to_string(version) + "}";
  if (!key.ok()) return integrity_failure(actor_id, doc.id, key.take_error(), detail);
  barrier::ContentOpener opener(std::move(key).value(), doc.id, version);
  Bytes plain, sealed, out;
  out.reserve(row.size);
  for (std::uint64_t i = 0; i < row.chunk_count; ++i) {
    auto read = rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
      return tx.read_chunk(doc.id, version, i, sealed);
    });
    if (read.ok()) read = opener.open_chunk(i, sealed, i + 1 == row.chunk_count, plain);
    if (!read.ok()) {
      if (read.error().kind != ErrorKind::kIntegrity) return read.take_error();
      return integrity_failure(actor_id, doc.id, read.take_error(), detail);
    }
    out.insert(out.end(), plain.begin(), plain.end());
  }
  return out;
}

ContentView::ContentView(const auth::Runtime& rt, std::string actor_id, DocumentView view,
                         storage::VersionRow version, std::uint64_t view_number,
                         crypto::SecretKey key)
    : rt_(rt),
      actor_id_(std::move(actor_id)),
      view_(std::move(view)),
      version_(std::move(version)),
      view_id_(view_id_of(view_number)),
      opener_(std::move(key), view_.doc.id, version_.version) {
  // S7: a text view is marked for its reader: an excerpt copied out of it names this view.
  if (is_text(version_.content_type)) {
    fingerprint_.emplace(view_number, rt_.barrier.view_fingerprint_key());
  }
}

Result<void> ContentView::read_chunk(std::uint64_t index, Bytes& plain) {
  auto r = rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
    return tx.read_chunk(version_.document_id, version_.version, index, sealed_);
  });
  if (r.ok()) r = opener_.open_chunk(index, sealed_, index + 1 == version_.chunk_count, plain);
  if (!r.ok() && r.error().kind == ErrorKind::kIntegrity) {
    (void)rt_.audit.record(rt_.store,
                           {actor_id_, "document.integrity_failure",
                            document_target(version_.document_id), "error", "",
                            R"({"version":)" + std::to_string(version_.version) + R"(,"chunk":)" +
                                std::to_string(index) + "}"},
                           rt_.now());
  }
  return r;
}

Result<void> ContentView::emit(const Bytes& plain, const ContentSink& sink) {
  if (!fingerprint_) return sink(plain.data(), plain.size());
  marked_.clear();
  BAOMI_TRY(fingerprint_->feed(
      std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()), marked_));
  return sink(reinterpret_cast<const std::uint8_t*>(marked_.data()), marked_.size());
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
  return sink(reinterpret_cast<const std::uint8_t*>(marked_.data()), marked_.size());
}

}  // namespace baomi::services
