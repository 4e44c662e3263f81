// Requests: asking for access, copies, prints, excerpts, exports and declassification of a
// document, and deciding them (S3, S4, S6, S7, A1, A2). Who must approve comes from the policy
// (policy::approval_rule, evaluated by policy/approvals.h); states move only through
// next_state(); every creation, decision and refusal is audited in the transaction of its
// effect. An approved access request creates a grant in the same transaction; an approved
// declassification changes the document in the same transaction.
// Thread-safety: stateless apart from the Runtime; safe from any thread. Concurrent decisions
// on one request are serialised by the request's revision (the loser retries on fresh data).
#pragma once

#include <map>
#include <vector>

#include "services/documents/documents.h"
#include "services/documents/matter.h"
#include "services/grants/grants.h"
#include "services/requests/request.h"

namespace baomi::services {

// C2: what a customer export asks for (names as clients send them).
struct CustomerExportSpec {
  std::optional<std::string> level;     // default: the policy's customers.default_level
  std::vector<std::string> categories;  // records whose categories these cover
  std::vector<std::string> fields;      // columns; empty: every field
};

// S11: what a visit request asks for (the route has parsed the times and the visitor).
struct VisitSpec {
  std::string area_id;
  Visitor visitor;
  std::string escort_id;
  TimePoint from;
  TimePoint to;
};

struct RequestSpec {
  std::string type;
  std::string document_id;                      // a document request
  std::optional<CustomerExportSpec> customers;  // or an export of customer records (C2)
  std::optional<VisitSpec> visit;               // or a visit to a restricted area (S11)
  std::string reason;
  std::optional<int> copies;
  std::optional<int> days;
  std::optional<int> uses;
  std::optional<ExcerptRange> excerpt;
  std::optional<std::string> declassify_level;  // declassify: the new, lower level
  bool end_term = false;                        // declassify: end the secrecy term
  std::optional<std::uint64_t> destroy_version;  // destroy: one version (none: the document)
};

// Who someone on a request is, by name: approvers must see who asks, and everyone who may see
// the request sees who signed (A1). Never more than the name and department.
struct PersonName {
  std::string username;
  std::string display_name;
  std::string department;
};

// A request with what the reader needs to act on it.
struct RequestView {
  Request request;
  policy::ApprovalRule rule;  // who must approve (the policy's rule for type × level)
  policy::ApprovalProgress progress;
  bool can_decide = false;  // the caller may approve or reject it now
  // Excerpt requests, for those who may decide them: the exact text that would leave (S7).
  std::optional<std::string> excerpt_text;
  PersonName requester;
  std::map<std::string, PersonName, std::less<>> people;  // approvers and closers, by user id
  // S11, C3: a visit's visitor fields shown in clear to this reader ("name", "id_number");
  // every other visitor field stays masked.
  std::vector<std::string> visitor_unmasked;
};

// S11, C3: which of a visitor's personal fields to show in clear, and why (required).
struct VisitorUnmask {
  bool name = false;
  bool id_number = false;
  std::string reason;
};

struct RequestFilter {
  std::optional<RequestState> state;
  bool approvable = false;  // only requests the caller may decide
  std::string cursor;
  std::size_t limit = 100;
};

struct RequestPage {
  std::vector<RequestView> items;
  std::optional<std::string> next_cursor;
};

// The matter a stored request is about (its document, or the customer register).
Result<Matter> matter_of(const auth::Runtime& rt, barrier::ReadTx& tx, const Request& request);

class Requests {
 public:
  Requests(const auth::Runtime& rt, const Documents& documents, const Grants& grants)
      : rt_(rt), documents_(documents), grants_(grants), objects_(rt) {}

  Result<RequestView> create(const auth::User& actor, const RequestSpec& spec) const;
  // Visible to the requester, to anyone who may decide it, and to the auditor; 404 otherwise.
  Result<RequestView> get(const auth::User& actor, const std::string& id) const;
  // S11, C3: a visit request with its visitor's name and/or id number in clear: for the area's
  // keepers and the security administrator (policy: unmask_visitor), with a reason kept sealed;
  // audited request.unmask_visitor with the fields and a keyed hash of the reason.
  Result<RequestView> unmask_visitor(const auth::User& actor, const std::string& id,
                                     const VisitorUnmask& unmask) const;
  Result<RequestPage> list(const auth::User& actor, const RequestFilter& filter) const;
  Result<RequestView> approve(const auth::User& actor, const std::string& id,
                              const std::string& comment) const;
  Result<RequestView> reject(const auth::User& actor, const std::string& id,
                             const std::string& comment) const;
  Result<RequestView> cancel(const auth::User& actor, const std::string& id) const;
  // Expires pending requests past their deadline and grants past their time (the server runs
  // it on a timer; each change is audited as "system"). Returns how many changed.
  Result<int> sweep() const;

  // For copies: a request by id as stored (no access check).
  Result<Request> load(barrier::ReadTx& tx, const std::string& id) const;
  Result<void> store(barrier::WriteTx& tx, Request& request) const;

 private:
  struct Loaded;
  Result<Loaded> load_visible(const auth::User& actor, const std::string& id,
                              std::string_view action) const;
  Result<RequestView> decide(const auth::User& actor, const std::string& id, RequestEvent event,
                             const std::string& comment) const;
  Result<RequestView> view_of(const auth::User& actor, Request request, const Matter& matter) const;
  Result<policy::ApprovalProgress> progress_of(const Request& request, const Matter& matter,
                                               const auth::User& requester) const;
  Result<void> apply_approval(barrier::WriteTx& tx, Request& request, const Matter& matter,
                              const auth::User& actor, TimePoint now) const;
  Result<Request> new_export(const auth::User& actor, const RequestSpec& spec,
                             Matter& matter) const;
  Result<Request> new_visit(const auth::User& actor, const RequestSpec& spec, Matter& matter) const;
  Result<Request> new_document_request(const auth::User& actor, const RequestSpec& spec,
                                       Matter& matter) const;
  Result<std::uint64_t> destroy_target(const auth::User& actor, const RequestSpec& spec,
                                       const Document& doc) const;
  Result<bool> expire_if_due(Request& request, TimePoint now) const;
  // The text an excerpt request would let leave; none for a PDF (its excerpt is pages).
  Result<std::optional<std::string>> excerpt_text(const std::string& actor_id,
                                                  const Request& request,
                                                  const Document& doc) const;
  const auth::Runtime& rt_;
  const Documents& documents_;
  const Grants& grants_;
  SealedObjects objects_;
};

}  // namespace baomi::services
