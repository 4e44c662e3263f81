// The pure rules of a slip's life: local dates and deadlines (H2), retention (H3), the state
// machine (which event each state accepts) and the canonical content hash (H1, I1). No I/O, no
// clock: time is an input. Safe from any thread.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "services/handovers/slip.h"

namespace baomi::services {

// "YYYY-MM-DD" of the centre's local day containing `t`.
std::string local_date(TimePoint t, std::chrono::minutes utc_offset);
// nullopt unless `date` is a valid "YYYY-MM-DD".
std::optional<std::chrono::sys_days> parse_local_date(std::string_view date);
// H2: the end (exclusive) of the local day `confirm_within_days` after the shift's date.
TimePoint confirmation_deadline(std::chrono::sys_days shift_date, int confirm_within_days,
                                std::chrono::minutes utc_offset);
// H3: `confirmed_at` plus `months` calendar months in local time (the 31st of a month becomes
// the last day of a shorter one).
TimePoint retention_end(TimePoint confirmed_at, int months, std::chrono::minutes utc_offset);
// The date of the most recent local start of a shift at or before `now` (a night shift written
// after midnight belongs to the day before).
std::string default_shift_date(TimePoint now, std::chrono::minutes shift_start,
                               std::chrono::minutes utc_offset);

// H2: an open slip past its deadline is overdue whether or not the sweep stored it yet.
SlipState effective_state(const Slip& slip, TimePoint now);
bool is_open(SlipState state);  // issued, acknowledged or overdue: awaiting confirmation

enum class SlipEvent : std::uint8_t {
  kAcknowledge,
  kConfirm,
  kCorrect,
  kCarryOver,
  kHold,
  kRelease,
  kPurge,
};
std::string_view slip_event_name(SlipEvent event);

// Whether the slip, in its effective state at `now`, accepts the event: conflict errors with
// stable codes otherwise (purged, already_confirmed, slip_confirmed, already_held, not_held,
// legal_hold (H3), retention (H3)).
Result<void> check_event(const Slip& slip, SlipEvent event, TimePoint now);

// H1: the canonical JSON of a version's content (keys sorted, no spaces, UTF-8 as is) and its
// SHA-256 in lowercase hex. Every field of SlipContent is covered, so no change goes unseen.
std::string canonical_content(const SlipContent& content);
std::string content_hash(const SlipContent& content);

}  // namespace baomi::services
