// Uploads of document content: a pending version reserved, the body sealed chunk by chunk in
// bounded memory, then committed together with its audit entry; failed and lost uploads are
// removed with an audit entry of their own, so every write of a version row is on the record
// (I1: the record ledger commits to it).
#include <array>
#include <future>

#include "audit/detail.h"
#include "auth/guard.h"
#include "barrier/work_holds.h"
#include "crypto/sha256.h"
#include "marking/utf8_check.h"
#include "services/documents/documents.h"
#include "services/documents/lifecycle.h"

namespace baomi::services {
namespace {

using barrier::ContentWriter;

constexpr std::size_t kChunksPerWrite = 4;  // 1 MiB of ciphertext per group-committed job
// At most this many pending versions go per start (one per upload in flight at a crash), and
// the purge's entry names the first kListedInEntry of them.
constexpr std::size_t kMaxPurged = 100000;
constexpr std::size_t kListedInEntry = 64;

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

Error upload_in_progress() {
  return Error::conflict("upload_in_progress", "another upload to this document is in progress");
}

// Several server processes may share the store: the hold names the process writing a document's
// pending version (barrier/work_holds.h).
std::string upload_work(const std::string& id) { return "upload." + id; }

Error upload_gone() { return Error::conflict("upload_gone", "the upload is no longer pending"); }

// An upload's version is named apart from its document, so that a document's own trail keeps
// to what happened to the document (created, read, a version committed or refused).
std::string version_target(const std::string& id, std::uint64_t version) {
  return document_target(id) + "/version:" + std::to_string(version);
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
  std::optional<ContentWriter> writer;
  std::optional<UploadLease> lease;
  auto pending = reserve_version(actor, id, content_type, writer, lease);
  if (!pending.ok()) {
    if (pending.error().kind != ErrorKind::kIntegrity) return pending.take_error();
    return integrity_failure(actor.id, id, pending.take_error(), "{}");
  }
  auto stored = store_chunks(actor, *doc, *pending, *writer, source);
  if (!stored.ok()) abandon_upload(actor, *pending, stored.error());
  return stored;
}

// Reserves version `current_version + 1` as pending: it stays invisible until its last chunk is
// durable and it is committed together with its audit entry. One upload per document at a
// time. The reservation is a write of a version row, so it is audited (document.upload_start).
Result<DocumentVersion> Documents::reserve_version(const auth::User& actor, const std::string& id,
                                                   const std::string& content_type,
                                                   std::optional<ContentWriter>& writer,
                                                   std::optional<UploadLease>& lease) const {
  DocumentVersion pending;
  pending.document_id = id;
  pending.content_type = content_type;
  pending.created_by = actor.id;
  const auto now = rt_.now();
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto doc, records_.find(tx, id));
    if (!doc) return Error::not_found();
    if (doc->destroyed_at) return destroyed_error();  // H3: nothing is added to a tombstone
    pending.version = doc->current_version + 1;
    if (!uploads_->acquire(id, pending.version)) return upload_in_progress();
    lease.emplace(*uploads_, id, pending.version);
    // A pending version no upload holds is a failed upload's leftover whose clean-up could not
    // be written (I1): it goes now, in this audited job, not at the next restart. One another
    // server process is still writing is not a leftover.
    BAOMI_ASSIGN_OR_RETURN(auto leftover, records_.find_version(tx, id, pending.version));
    if (leftover && leftover->state == VersionState::kCommitted) {
      return Error::integrity("a version newer than the document's current one exists");
    }
    if (leftover) {
      BAOMI_ASSIGN_OR_RETURN(auto hold, barrier::WorkHolds::live_hold(tx, upload_work(id), now));
      if (hold && hold->node != rt_.node && hold->item == pending.version) {
        return upload_in_progress();
      }
    }
    if (leftover) {
      BAOMI_TRY(records_.erase_version(tx, id, pending.version));
    } else {
      BAOMI_TRY(records_.erase_stray_chunks(tx, id, pending.version));
    }
    pending.created_at = now;
    BAOMI_TRY(barrier::WorkHolds::take(tx, upload_work(id), {rt_.node, pending.version}));
    writer.emplace(rt_.barrier, barrier::ContentStream::document_version(id, pending.version));
    pending.wrapped_key = writer->wrapped_key();
    BAOMI_TRY(records_.insert_version(tx, pending));
    audit::Detail detail;
    detail.add("version", pending.version);
    if (leftover) detail.add("replaced_leftover", true);
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "document.upload_start",
                                version_target(id, pending.version), "allow", "S5", detail},
                               now));
    return {};
  }));
  return pending;
}

// Nothing of a failed upload stays behind: its pending version and chunks go in the job that
// records the failure. If that job fails too (e.g. the audit store is down), the leftover goes
// with the document's next upload, or at start-up.
void Documents::abandon_upload(const auth::User& actor, const DocumentVersion& pending,
                               const Error& why) const {
  const auto& id = pending.document_id;
  const audit::AuditEvent failed{actor.id,
                                 "document.upload",
                                 document_target(id),
                                 "error",
                                 "",
                                 audit::Detail{}.add("reason", why.code)};
  auto cleaned = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto current, records_.find_version(tx, id, pending.version));
    // Only our own pending version: another upload may have taken the number over meanwhile.
    if (current && current->state == VersionState::kPending &&
        current->wrapped_key == pending.wrapped_key) {
      BAOMI_TRY(records_.erase_version(tx, id, pending.version));
      BAOMI_TRY(barrier::WorkHolds::drop(tx, upload_work(id)));
    }
    BAOMI_TRY(rt_.audit.append(tx, failed, rt_.now()));
    return {};
  });
  // The failure is on the record even when its clean-up could not be written.
  if (!cleaned.ok()) (void)rt_.audit.record(rt_.store, failed, rt_.now());
}

Result<UploadResult> Documents::store_chunks(const auth::User& actor, const Document& doc,
                                             const DocumentVersion& pending, ContentWriter& writer,
                                             const ContentSource& source) const {
  const std::uint64_t limit = rt_.policy.limits().max_upload_bytes;
  crypto::Sha256 sha;
  Bytes current, next;
  // Two batches of sealed chunks: one is stored (on a thread of its own, waiting for its group
  // commit) while the next is read from the client and sealed, so the network, the crypto and
  // the disk overlap on two cores. At most one batch is in flight: memory stays bounded.
  std::array<std::vector<Bytes>, 2> batches{std::vector<Bytes>(kChunksPerWrite),
                                            std::vector<Bytes>(kChunksPerWrite)};
  std::size_t filling = 0, batch_size = 0;
  std::uint64_t index = 0, total = 0;
  // Declared after the batches: a future from std::async waits in its destructor, so an early
  // return never frees a batch that is still being stored.
  std::future<Result<void>> in_flight;
  auto wait_in_flight = [&]() -> Result<void> {
    if (!in_flight.valid()) return {};
    return in_flight.get();
  };
  auto flush = [&]() -> Result<void> {
    if (batch_size == 0) return {};
    BAOMI_TRY(wait_in_flight());
    const std::uint64_t first = index - batch_size;
    in_flight = std::async(std::launch::async,
                           [this, &writer, &batch = batches[filling], first, count = batch_size] {
                             return rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
                               for (std::size_t i = 0; i < count; ++i) {
                                 BAOMI_TRY(writer.store_chunk(tx, first + i, batch[i]));
                               }
                               return {};
                             });
                           });
    filling ^= 1;
    batch_size = 0;
    return {};
  };
  // Text is fingerprinted when viewed or copied, which needs well-formed UTF-8: check now.
  std::optional<marking::Utf8Check> utf8;
  if (is_text_content(pending.content_type)) utf8.emplace();
  BAOMI_TRY(fill(source, current, ContentWriter::kChunkSize));
  for (;;) {
    bool final = current.size() < ContentWriter::kChunkSize;
    if (!final) {
      BAOMI_TRY(fill(source, next, ContentWriter::kChunkSize));
      final = next.empty();
    }
    total += current.size();
    if (total > limit) return too_large();
    sha.update(current);
    if (utf8 && !utf8->feed(std::string_view(reinterpret_cast<const char*>(current.data()),
                                             current.size()))) {
      return not_utf8();
    }
    writer.seal_chunk(index, current, final, batches[filling][batch_size]);
    ++batch_size;
    ++index;
    if (batch_size == kChunksPerWrite || final) BAOMI_TRY(flush());
    if (final) break;
    std::swap(current, next);
  }
  BAOMI_TRY(wait_in_flight());  // every chunk is durable before the version is committed
  if (utf8 && !utf8->finish()) return not_utf8();
  const std::string digest = sha.hex_digest();
  const auto now = rt_.now();
  std::uint64_t size = total;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto done, records_.find_version(tx, doc.id, pending.version));
    if (!done || done->state != VersionState::kPending ||
        done->wrapped_key != pending.wrapped_key) {
      return upload_gone();
    }
    done->state = VersionState::kCommitted;
    done->size = total;
    done->chunk_count = index;
    done->sha256 = digest;
    BAOMI_TRY(records_.update_version(tx, *done));
    BAOMI_TRY(barrier::WorkHolds::drop(tx, upload_work(doc.id)));
    BAOMI_ASSIGN_OR_RETURN(auto stored, records_.find(tx, doc.id));
    if (!stored) return Error::not_found();
    stored->current_version = done->version;
    BAOMI_TRY(records_.update(tx, *stored));
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "document.upload", document_target(doc.id), "allow", "S5",
                                audit::Detail{}.add("version", done->version).add("size", size)},
                               now));
    return {};
  }));
  return UploadResult{pending.version, size, digest};
}

Result<Documents::Purged> Documents::purge_pending_versions() const {
  Purged purged;
  const auto now = rt_.now();
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    purged = {};
    std::vector<std::string> removed;
    BAOMI_ASSIGN_OR_RETURN(auto keys, records_.pending_versions(tx, kMaxPurged));
    for (const auto& [id, version] : keys) {
      // I1: only a pending version that is the latest write of its row is a lost upload; one
      // put back over a committed version fails here and stays for verification to name.
      auto pending = records_.find_version(tx, id, version);
      if (!pending.ok() && pending.error().kind != ErrorKind::kIntegrity) {
        return pending.take_error();
      }
      if (!pending.ok()) {
        ++purged.left;
        continue;
      }
      // Uploads still being written, here or by another live server process, are not lost.
      if (uploads_->held(id, version)) continue;
      BAOMI_ASSIGN_OR_RETURN(auto hold, barrier::WorkHolds::live_hold(tx, upload_work(id), now));
      if (hold && hold->node != rt_.node && hold->item == version) {
        ++purged.in_progress;
        continue;
      }
      BAOMI_TRY(records_.erase_version(tx, id, version));
      BAOMI_TRY(barrier::WorkHolds::drop(tx, upload_work(id)));
      ++purged.removed;
      if (removed.size() < kListedInEntry) removed.emplace_back(id + ":" + std::to_string(version));
    }
    if (purged.removed == 0) return {};
    BAOMI_TRY(
        rt_.audit.append(tx,
                         {"system", "document.purge_pending", "documents", "allow", "",
                          audit::Detail{}.add("count", purged.removed).add("versions", removed)},
                         now));
    return {};
  }));
  return purged;
}

}  // namespace baomi::services
