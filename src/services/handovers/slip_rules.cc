#include "services/handovers/slip_rules.h"

#include <array>
#include <boost/json.hpp>
#include <cstdio>

#include "core/enum_names.h"
#include "crypto/sha256.h"

namespace baomi::services {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 5> kSlipStateNames = {"issued", "acknowledged", "confirmed",
                                                             "overdue", "purged"};
constexpr std::array<std::string_view, 3> kPriorityNames = {"low", "normal", "high"};
constexpr std::array<std::string_view, 7> kSlipEventNames = {
    "acknowledge", "confirm", "correct", "carry_over", "hold", "release", "purge"};

TimePoint at_local_midnight(sys_days day, minutes utc_offset) {
  return time_point_cast<microseconds>(sys_time<minutes>(day) - utc_offset);
}

Error conflict(std::string code, std::string message, std::string rule = {}) {
  return Error::conflict(std::move(code), std::move(message), std::move(rule));
}

Result<void> check_purge(const Slip& slip, SlipState state, TimePoint now) {
  // H3: a legal hold wins over everything; then the retention period, which only starts at
  // confirmation (an unconfirmed slip is never deleted).
  if (slip.hold) return conflict("legal_hold", "the slip is under a legal hold", "H3");
  if (state != SlipState::kConfirmed || !slip.retain_until) {
    return conflict("retention", "the slip is kept until its retention period after confirmation",
                    "H3");
  }
  if (now < *slip.retain_until) {
    return conflict("retention", "the slip's retention period has not ended", "H3");
  }
  return {};
}

}  // namespace

std::string_view slip_state_name(SlipState s) { return enum_name(kSlipStateNames, s); }
std::optional<SlipState> slip_state_from_name(std::string_view n) {
  return enum_from_name<SlipState>(kSlipStateNames, n);
}
std::string_view priority_name(Priority p) { return enum_name(kPriorityNames, p); }
std::optional<Priority> priority_from_name(std::string_view n) {
  return enum_from_name<Priority>(kPriorityNames, n);
}
std::string_view slip_event_name(SlipEvent e) { return enum_name(kSlipEventNames, e); }

std::string local_date(TimePoint t, minutes utc_offset) {
  const year_month_day ymd{floor<days>(t + utc_offset)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<sys_days> parse_local_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  y = std::stoi(std::string(s.substr(0, 4)));
  m = std::stoi(std::string(s.substr(5, 2)));
  d = std::stoi(std::string(s.substr(8, 2)));
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

TimePoint confirmation_deadline(sys_days shift_date, int confirm_within_days, minutes utc_offset) {
  return at_local_midnight(shift_date + days{confirm_within_days + 1}, utc_offset);
}

TimePoint retention_end(TimePoint confirmed_at, int months_count, minutes utc_offset) {
  const auto local = confirmed_at + utc_offset;
  const auto day = floor<days>(local);
  const auto time_of_day = local - day;
  const year_month_day ymd{day};
  auto target = ymd + months{months_count};
  if (!target.ok()) target = target.year() / target.month() / last;
  return TimePoint(sys_days{target} + time_of_day) - utc_offset;
}

std::string default_shift_date(TimePoint now, minutes shift_start, minutes utc_offset) {
  // Shifting the clock back by the shift's start makes "the last start" a plain local date.
  return local_date(now - shift_start, utc_offset);
}

bool is_open(SlipState s) {
  return s == SlipState::kIssued || s == SlipState::kAcknowledged || s == SlipState::kOverdue;
}

SlipState effective_state(const Slip& slip, TimePoint now) {
  if ((slip.state == SlipState::kIssued || slip.state == SlipState::kAcknowledged) &&
      now >= slip.due_at) {
    return SlipState::kOverdue;
  }
  return slip.state;
}

Result<void> check_event(const Slip& slip, SlipEvent event, TimePoint now) {
  const auto state = effective_state(slip, now);
  if (state == SlipState::kPurged) return conflict("purged", "the slip was purged", "H3");
  switch (event) {
    case SlipEvent::kAcknowledge:
      return {};  // H1: each copy is acknowledged once; the store refuses a second time
    case SlipEvent::kConfirm:
      if (!is_open(state)) return conflict("already_confirmed", "the slip is confirmed", "H2");
      return {};
    case SlipEvent::kCorrect:
      // I1: a confirmed slip is a closed record; corrections would unsettle its confirmation.
      if (!is_open(state)) {
        return conflict("slip_confirmed", "a confirmed slip is not corrected", "I1");
      }
      return {};
    case SlipEvent::kCarryOver:
      return {};
    case SlipEvent::kHold:
      if (slip.hold) return conflict("already_held", "the slip is already under a legal hold");
      return {};
    case SlipEvent::kRelease:
      if (!slip.hold) return conflict("not_held", "the slip is not under a legal hold");
      return {};
    case SlipEvent::kPurge:
      return check_purge(slip, state, now);
  }
  return Error::internal("unknown slip event");
}

namespace {

boost::json::object item_json(const SlipItem& item) {
  // Keys in sorted order: the serialisation is the canonical form.
  boost::json::object o;
  if (item.carried_from) {
    boost::json::object from;
    from["index"] = item.carried_from->index;
    from["slip_id"] = item.carried_from->slip_id;
    o["carried_from"] = std::move(from);
  } else {
    o["carried_from"] = nullptr;
  }
  if (item.customer_id) {
    o["customer_id"] = *item.customer_id;
  } else {
    o["customer_id"] = nullptr;
  }
  o["priority"] = priority_name(item.priority);
  o["summary"] = item.summary;
  return o;
}

boost::json::value opt(const std::optional<std::string>& s) {
  if (s) return boost::json::value(*s);
  return nullptr;
}

}  // namespace

std::string canonical_content(const SlipContent& c) {
  boost::json::object o;
  o["author_id"] = c.author_id;
  o["carried_from"] = c.carried_from;
  o["created_at_us"] = to_micros(c.created_at);
  boost::json::array items;
  for (const auto& item : c.items) items.push_back(item_json(item));
  o["items"] = std::move(items);
  o["notes"] = opt(c.notes);
  o["prev_hash"] = c.prev_hash;
  o["reason"] = opt(c.reason);
  o["salt"] = c.salt;
  o["shift_date"] = c.shift_date;
  o["shift_name"] = c.shift_name;
  o["slip_id"] = c.slip_id;
  o["version"] = c.version;
  return boost::json::serialize(o);
}

std::string content_hash(const SlipContent& c) {
  crypto::Sha256 sha;
  sha.update(canonical_content(c));
  return sha.hex_digest();
}

}  // namespace baomi::services
