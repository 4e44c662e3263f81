// Copy: one approved, serial-numbered artifact that left the system (S5, S7): a copy, a print,
// an excerpt or an export of one document version, held by a named person under the
// document's custodian, or an export of customer records (C2). Sealed object, kind "copy", id = the
// serial number.
//
// States (next_copy_state is the one place they change):
//   issued --return--> returned     issued --destroy--> destroyed
//   issued --report_lost--> lost    issued --revoke--> revoked
// Every other state × event is 409 copy_closed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "marking/text_variants.h"
#include "policy/approval_rules.h"
#include "services/requests/request.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kCopyKind = "copy";
// The meta key holding the next serial number (8 bytes, big-endian): serials are 1, 2, 3, ...
inline constexpr const char* kCopySerialCounter = "copy.next_serial";
// The class sets of the visible channel that copies were issued with (4 bytes, big-endian,
// marking::text_variant_set_bit of each): the tracer tries only these (S10).
inline constexpr const char* kCopyTextVariantSets = "copy.text_variant_sets";

enum class CopyState : std::uint8_t { kIssued, kReturned, kDestroyed, kLost, kRevoked };
inline constexpr int kCopyStateCount = 5;
enum class CopyEvent : std::uint8_t { kReturn, kDestroy, kReportLost, kRevoke };
inline constexpr int kCopyEventCount = 4;

std::string_view copy_state_name(CopyState state);
std::optional<CopyState> copy_state_from_name(std::string_view name);
std::string_view copy_event_name(CopyEvent event);
Result<CopyState> next_copy_state(CopyState from, CopyEvent event);

// One change of a copy's state: who, when, and their note.
struct CopyEventRecord {
  std::string event;
  std::string actor_id;
  std::string note;
  TimePoint at;
};

struct Copy {
  std::string serial;  // marking::format_serial, with its check digit
  std::uint64_t number = 0;
  policy::RequestType kind = policy::RequestType::kCopy;
  std::string document_id;
  std::uint64_t version = 0;
  std::string holder_id;
  std::string holder_name;  // as marked on the artifact (personal data: sealed)
  std::string request_id;
  std::string marking;       // the level marking with its term at issue (S5)
  std::string content_type;  // of the source version
  std::optional<ExcerptRange> excerpt;
  std::optional<CustomerExport> customer_export;  // C2: an export of customer records
  bool marked = true;  // false only where the policy allows unmarked copies
  // S10: the visible forms a text copy varies (none for copies issued before the channel).
  marking::TextVariantClasses text_variants;
  CopyState state = CopyState::kIssued;
  TimePoint issued_at;
  TimePoint due_back;  // the request's loan period ends
  std::vector<CopyEventRecord> history;
  std::uint64_t revision = 0;
};

StoredObject to_object(const Copy& copy);
Result<Copy> copy_from_object(const StoredObject& object);

}  // namespace baomi::services
