// Copies: issuing approved copies, prints, excerpts and exports as serial-numbered, marked
// artifacts (S3, S5, S7), taking them back (returned, destroyed, revoked) and reporting their
// loss (S8). The number of copies issued never exceeds what the request was approved for: the
// count is checked and raised in the same transaction that stores the copy. Every step is
// audited; the artifact is rendered anew on each download and never stored.
// Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <vector>

#include "services/copies/artifacts.h"
#include "services/copies/copy.h"
#include "services/incidents/incidents.h"
#include "services/requests/requests.h"

namespace baomi::services {

// Renders the CSV of an export of customer records (C2); the customers service implements it.
class ExportRenderer {
 public:
  virtual ~ExportRenderer() = default;
  // Inside the issuing transaction, once the serial is known: record what later traces a
  // leaked file or row back to this export (its canaries).
  virtual Result<void> on_issue(barrier::WriteTx& tx, const Copy& copy) const = 0;
  virtual Result<Artifact> render_export(const auth::User& holder, const Copy& copy) const = 0;
};

struct CopyPage {
  std::vector<Copy> items;
  std::optional<std::string> next_cursor;
};

class Copies {
 public:
  Copies(const auth::Runtime& rt, const Documents& documents, const Requests& requests,
         const Incidents& incidents)
      : rt_(rt), documents_(documents), requests_(requests), incidents_(incidents), objects_(rt) {}

  // Set once at start-up, before serving: who renders customer exports.
  void set_export_renderer(const ExportRenderer* renderer) { exporter_ = renderer; }

  // POST /copies: the requester of an approved copy-type request takes one of its copies.
  Result<Copy> issue(const auth::User& actor, const std::string& request_id) const;
  // GET /copies/{serial}/artifact: the holder downloads the marked artifact of an issued copy.
  Result<Artifact> artifact(const auth::User& actor, const std::string& serial) const;
  // GET /copies?document_id=: the document's custodian and the auditor; without a document,
  // the caller's own copies.
  Result<CopyPage> list(const auth::User& actor, const std::optional<std::string>& document_id,
                        const std::string& cursor, std::size_t limit) const;
  Result<Copy> get(const auth::User& actor, const std::string& serial) const;
  // return / destroy (custodian) and revoke (custodian or security administrator).
  Result<Copy> record(const auth::User& actor, const std::string& serial, CopyEvent event,
                      const std::string& note) const;
  // S8: the holder or the custodian reports the copy lost: copy lost, incident opened,
  // holder's grants on the document suspended, alert raised, in one transaction.
  Result<Incident> report_lost(const auth::User& actor, const std::string& serial,
                               const std::string& description) const;

 private:
  struct Loaded {
    Copy copy;
    Matter matter;
  };
  Result<Copy> new_document_copy(const auth::User& actor, const Request& request,
                                 const Document& doc) const;
  Result<Copy> new_export_copy(const auth::User& actor, const Request& request) const;
  Result<Artifact> render_document_copy(const auth::User& actor, const Copy& copy,
                                        const Document& doc) const;
  Result<Loaded> load(const auth::User& actor, const std::string& serial, policy::Action action,
                      std::string_view audit_action) const;
  Result<std::uint64_t> next_serial_number(barrier::WriteTx& tx) const;
  Result<void> note_text_variant_set(barrier::WriteTx& tx,
                                     marking::TextVariantClasses classes) const;
  const auth::Runtime& rt_;
  const Documents& documents_;
  const Requests& requests_;
  const Incidents& incidents_;
  const ExportRenderer* exporter_ = nullptr;
  SealedObjects objects_;
};

}  // namespace baomi::services
