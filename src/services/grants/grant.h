// Grant: what an approved access request yields (S6): need-to-know for one document, for one
// holder, until it expires or its uses are spent, never clearance. Sealed object, kind "grant".
//
// States: active → spent (uses used up) | expired (time) | revoked (custodian or secadmin) |
// suspended (S8: a loss was reported on the document by this holder). Only active grants
// supply need-to-know, and only before expires_at.
#pragma once

#include <optional>
#include <string>

#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kGrantKind = "grant";

enum class GrantState : std::uint8_t { kActive, kSpent, kExpired, kRevoked, kSuspended };
std::string_view grant_state_name(GrantState state);

struct Grant {
  std::string id;
  std::string request_id;
  std::string document_id;
  std::string holder_id;
  GrantState state = GrantState::kActive;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<int> uses_left;         // none: unlimited until expiry
  std::optional<std::string> ended_by;  // who revoked or suspended it
  std::uint64_t revision = 0;

  // Whether it supplies need-to-know at `now` (S6).
  bool usable(TimePoint now) const {
    return state == GrantState::kActive && now < expires_at && (!uses_left || *uses_left > 0);
  }
  // The state to report at `now`: an active grant past its time is expired even before a
  // sweep has stored that.
  GrantState effective_state(TimePoint now) const {
    return state == GrantState::kActive && now >= expires_at ? GrantState::kExpired : state;
  }
};

StoredObject to_object(const Grant& grant);
Result<Grant> grant_from_object(const StoredObject& object);

}  // namespace baomi::services
