// Investigations: the audit administrator's leak investigations (S10). A case names the
// documents it is about; leaked artifacts are added to it as evidence (kept sealed, hashed and
// traced to the copies, views and exports they came from); its timeline is every audit entry
// about those documents and about what the evidence traced to, in trail order; closing it
// records the finding and makes it read-only. Only the auditor works cases: to anyone else a
// case does not exist (404), and the refusal is audited (S9). Every action is audited.
// The typed values (Investigation, Evidence, LeakMatch, TimelineEvent, CopyHolder) are what an
// evidence bundle is built from. Thread-safety: stateless apart from the Runtime; safe from any
// thread.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/user.h"
#include "services/investigations/tracer.h"

namespace baomi::services {

struct InvestigationPage {
  std::vector<Investigation> items;
  std::optional<std::string> next_cursor;
};

// One audit entry of a case's timeline, as recorded (detail is the entry's JSON text).
struct TimelineEvent {
  std::uint64_t seq = 0;
  TimePoint time;
  std::string actor;
  std::string action;
  std::string target;
  std::string decision;
  std::string rule;
  std::string detail;
  std::string hash;
};

struct TimelinePage {
  std::vector<TimelineEvent> items;
  std::optional<std::string> next_cursor;  // the seq of the last item, as text
};

// A copy issued of one of the case's documents, and where it is now.
struct CopyHolder {
  std::string serial;
  std::string kind;
  std::string document_id;
  std::uint64_t version = 0;
  std::string holder_id;
  std::string state;
  TimePoint issued_at;
};

// Everything a case holds, in one audited read: what an evidence bundle is built from.
struct CaseRecord {
  Investigation investigation;
  std::vector<Evidence> evidence;  // each with its matches, in the order added
  std::vector<CopyHolder> copy_holders;
  std::vector<TimelineEvent> timeline;  // the whole timeline, in seq order
};

// Reads a streamed body: fills up to n bytes, returns how many (0 at the end) or an error.
using EvidenceSource = std::function<Result<std::size_t>(std::uint8_t* buf, std::size_t n)>;

struct NewEvidence {
  std::string content_type;
  std::string note;
  EvidenceSource source;
  std::uint64_t max_bytes = 0;  // the policy's content limit: kTooLarge beyond
};

class Investigations {
 public:
  Investigations(const auth::Runtime& rt, const CustomerExports& exports)
      : rt_(rt), tracer_(rt, exports), objects_(rt) {}

  // The refusal every case endpoint gives a non-auditor (404, audited as `action`), for
  // callers that must check input before opening a case.
  Result<void> check_investigator(const auth::User& actor, std::string_view action) const {
    return refuse_unless_auditor(actor, action, "investigations");
  }
  // POST /investigations: title and reason 1-4000 bytes, up to 64 existing documents.
  Result<Investigation> open(const auth::User& actor, const std::string& title,
                             const std::string& reason,
                             const std::vector<std::string>& document_ids) const;
  Result<Investigation> get(const auth::User& actor, const std::string& id) const;
  Result<InvestigationPage> list(const auth::User& actor, std::optional<bool> open,
                                 const std::string& cursor, std::size_t limit) const;
  // 409 investigation_closed when already closed.
  Result<Investigation> close(const auth::User& actor, const std::string& id,
                              const std::string& finding) const;
  // Keeps the artifact sealed with the case and traces it; 415 for a type that cannot be traced,
  // 413 beyond the limit, 409 on a closed case.
  Result<Evidence> add_evidence(const auth::User& actor, const std::string& id,
                                const NewEvidence& evidence) const;
  // Every piece of evidence of the case, in the order added.
  Result<std::vector<Evidence>> evidence(const auth::User& actor, const std::string& id) const;
  // The artifact as it was received (for a bundle or a second look).
  Result<Bytes> artifact(const auth::User& actor, const std::string& id,
                         const std::string& evidence_id) const;
  // Every copy issued of the case's documents, and of the documents its evidence traced to,
  // with its holder and state.
  Result<std::vector<CopyHolder>> copy_holders(const auth::User& actor,
                                               const std::string& id) const;
  // The case's documents and what its evidence traced to, every audit entry about them in seq
  // order after `cursor` (a seq; "" = from the start; anything else is 400).
  Result<TimelinePage> timeline(const auth::User& actor, const std::string& id,
                                const std::string& cursor, std::size_t limit) const;
  // The case, its evidence, copy holders and whole timeline (audited "investigation.record").
  Result<CaseRecord> record(const auth::User& actor, const std::string& id) const;
  // The signed evidence bundle of the case (S10): `manifest_of` turns the case record into the
  // manifest's content (the API's JSON shapes, kept in http/api), and the bundle carries every
  // timeline entry with its inclusion proof (audit/evidence_bundle.h). 413 `bundle_too_large`
  // beyond audit::kMaxBundleEntries events. Audited "investigation.bundle". With
  // `since_tree_size` (an auditor's kept tree head) the bundle also carries the consistency
  // proof from that size to its tree head.
  Result<Bytes> bundle(const auth::User& actor, const std::string& id,
                       const std::function<boost::json::object(const CaseRecord&)>& manifest_of,
                       std::optional<std::uint64_t> since_tree_size = std::nullopt) const;

 private:
  struct Case {
    Investigation investigation;
    std::vector<Evidence> evidence;
  };
  Result<Case> load(const auth::User& actor, const std::string& id, std::string_view action,
                    bool with_evidence) const;
  Result<void> refuse_unless_auditor(const auth::User& actor, std::string_view action,
                                     const std::string& target) const;
  Result<std::vector<std::string>> timeline_targets(const Case& c) const;
  Result<TimelinePage> timeline_of(const std::vector<std::string>& targets, std::uint64_t after,
                                   std::size_t limit) const;
  Result<std::vector<CopyHolder>> holders_of(const Case& c) const;
  Result<Bytes> read_artifact(NewEvidence const& evidence, std::uint64_t limit) const;
  Result<void> seal_artifact(barrier::WriteTx& tx, Evidence& evidence, const Bytes& bytes) const;
  const auth::Runtime& rt_;
  LeakTracer tracer_;
  SealedObjects objects_;
};

}  // namespace baomi::services
