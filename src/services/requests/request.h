// Request: a request for access, a copy, a print, an excerpt, an export or a declassification
// of one document (S3, S4, S6, S7), or an export of customer records (C2), with the approvals it
// has collected. Stored as a sealed object (kind "request"): the reason, the comments and the
// excerpt range never reach storage in clear.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/approvals.h"
#include "services/requests/request_state.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kRequestKind = "request";

struct Approval {
  std::string approver_id;
  std::string comment;
  TimePoint at;
};

// A character range [from, to) of a text document (Unicode code points).
struct ExcerptRange {
  std::uint64_t from = 0;
  std::uint64_t to = 0;
};

// What a declassify request asks for (S4): a lower level, the end of the secrecy term, or both.
struct Declassification {
  std::optional<policy::Level> level;
  bool end_term = false;
};

// C2: a bulk export of customer records instead of a document (scope "customers"): the
// records at or below `level` whose categories `categories` covers, with these columns.
struct CustomerExport {
  policy::Level level = policy::Level::kInternal;
  policy::CategorySet categories = 0;
  policy::FieldSet fields = policy::kAllCustomerFields;
  bool operator==(const CustomerExport&) const = default;
};

// S11: a visitor's visit to a restricted area, with their escort and the window it is for. The
// visitor's name and id number are personal data: they live only in the sealed body and are
// masked wherever requests are listed.
struct Visitor {
  std::string name;
  std::string organisation;
  std::optional<std::string> id_number;
};

struct Visit {
  std::string area_id;
  Visitor visitor;
  std::string escort_id;
  TimePoint from;
  TimePoint to;
};

struct Request {
  std::string id;
  policy::RequestType type = policy::RequestType::kAccess;
  std::string document_id;
  std::string requester_id;
  std::uint64_t version = 0;  // the document version asked about (copies are made of it)
  std::string reason;
  int copies = 0;           // copy types: how many copies may be issued
  int days = 1;             // access: grant length; copy types: how long copies may be held
  std::optional<int> uses;  // access: content reads the grant allows (none = until expiry)
  std::optional<ExcerptRange> excerpt;
  std::optional<Declassification> declassify;
  std::optional<CustomerExport> customer_export;  // set: about the customer register, not a doc
  std::optional<Visit> visit;                     // set: a visit to an area (S11), not a doc
  RequestState state = RequestState::kPending;
  std::vector<Approval> approvals;
  std::optional<Approval> closed_by;  // who rejected or cancelled, with the comment
  int copies_issued = 0;
  std::optional<std::string> grant_id;  // access: the grant the approval created
  TimePoint created_at;
  TimePoint expires_at;  // a pending request then expires
  std::optional<TimePoint> decided_at;
  std::uint64_t revision = 0;
};

// C2: a CustomerExport in a sealed body, and back (kIntegrity when malformed).
boost::json::object customer_export_body(const CustomerExport& e);
Result<CustomerExport> customer_export_from_body(const boost::json::value& v);

StoredObject to_object(const Request& request);
Result<Request> request_from_object(const StoredObject& object);

}  // namespace baomi::services
