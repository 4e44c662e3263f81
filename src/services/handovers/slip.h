// Handover slips (工作交接单, RULES.md H1-H3, I1, I2) as the services see them: a slip chain
// (one id) with versions of sealed content, two bound department copies per version, item
// confirmations (H2) and a legal-hold history (H3). Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace baomi::services {

enum class SlipState : std::uint8_t { kIssued, kAcknowledged, kConfirmed, kOverdue, kPurged };
std::string_view slip_state_name(SlipState state);
std::optional<SlipState> slip_state_from_name(std::string_view name);

enum class Priority : std::uint8_t { kLow, kNormal, kHigh };
std::string_view priority_name(Priority p);
std::optional<Priority> priority_from_name(std::string_view name);

struct ItemOrigin {  // where a carried item came from
  std::string slip_id;
  int index = 0;
};

struct SlipItem {
  std::string summary;
  std::optional<std::string> customer_id;
  Priority priority = Priority::kNormal;
  std::optional<ItemOrigin> carried_from;
};

// One version's content: everything here is sealed; its canonical JSON is hashed (H1).
struct SlipContent {
  std::string slip_id;
  std::uint64_t version = 1;
  std::string author_id;  // who wrote this version
  std::string shift_date;
  std::string shift_name;
  TimePoint created_at;
  std::vector<SlipItem> items;
  std::optional<std::string> notes;
  std::optional<std::string> reason;  // I1: why this version corrects the previous one
  std::string prev_hash;              // I1: the previous version's content hash ("" for v1)
  std::string carried_from;           // the slip this one carries open items of ("" none)
  std::string salt;  // random hex: the clear hash cannot be used to test guesses of content
};

struct SlipVersion {
  std::uint64_t version = 1;
  std::string author_id;
  TimePoint created_at;
  std::string content_hash;
  std::string prev_hash;
  std::optional<SlipContent> content;  // none when not shown (metadata view) or purged
};

// H1: a department's bound copy of one version.
struct SlipCopy {
  std::uint64_t version = 1;
  std::string department;
  std::string content_hash;
  std::optional<std::string> acknowledged_by;
  std::optional<TimePoint> acknowledged_at;
};

// H2: the receiving side's confirmation of one item of the current version.
struct Confirmation {
  int index = 0;
  bool done = false;
  std::optional<std::string> note;
  std::string by;
  TimePoint at;
  bool late = false;  // given after the deadline
};

// H3: placing or lifting a legal hold.
struct HoldEvent {
  bool placed = true;
  std::string by;
  TimePoint at;
  std::string reason;
};

// The sealed part of the slip row: state that changes after issue.
struct SlipProgress {
  std::uint64_t version = 1;  // the version the confirmations are about
  std::vector<Confirmation> confirmations;
  std::vector<HoldEvent> holds;
};

// The slip row (clear skeleton) with its sealed progress.
struct Slip {
  std::string id;
  std::string author_id;
  std::string shift_date;
  std::string shift_name;
  SlipState state = SlipState::kIssued;  // as stored; see effective_state()
  std::uint64_t current_version = 1;
  TimePoint created_at;
  TimePoint updated_at;
  TimePoint due_at;
  std::optional<TimePoint> confirmed_at;
  std::optional<TimePoint> retain_until;
  bool hold = false;
  std::string carried_from;
  std::string alert_id;
  std::uint64_t revision = 0;
  SlipProgress progress;  // empty once purged
};

}  // namespace baomi::services
