// The request state machine, in one place (issue: "enforced in one place"): every change of a
// request's state goes through next_state(). Pure; safe from any thread.
//
//   pending --approve (rule satisfied)--> approved
//   pending --approve (not yet)---------> pending
//   pending --reject--> rejected    pending --cancel--> cancelled    pending --expire--> expired
//   approved, rejected, cancelled, expired: closed; every event on them is 409 request_closed.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.h"

namespace baomi::services {

enum class RequestState : std::uint8_t { kPending, kApproved, kRejected, kCancelled, kExpired };
inline constexpr int kRequestStateCount = 5;
enum class RequestEvent : std::uint8_t { kApprove, kReject, kCancel, kExpire };
inline constexpr int kRequestEventCount = 4;

std::string_view request_state_name(RequestState state);
std::optional<RequestState> request_state_from_name(std::string_view name);
std::string_view request_event_name(RequestEvent event);

// The state after `event`; `satisfied` says whether, with this approval, every step of the
// approval rule is filled (only meaningful for kApprove). Conflict (409) on a closed request.
Result<RequestState> next_state(RequestState from, RequestEvent event, bool satisfied);

}  // namespace baomi::services
