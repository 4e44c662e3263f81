#include "services/requests/request_state.h"

#include <array>

#include "core/enum_names.h"

namespace baomi::services {
namespace {

constexpr std::array<std::string_view, kRequestStateCount> kRequestStateNames = {
    "pending", "approved", "rejected", "cancelled", "expired"};
constexpr std::array<std::string_view, kRequestEventCount> kRequestEventNames = {
    "approve", "reject", "cancel", "expire"};

}  // namespace

std::string_view request_state_name(RequestState state) {
  return enum_name(kRequestStateNames, state);
}

std::optional<RequestState> request_state_from_name(std::string_view name) {
  return enum_from_name<RequestState>(kRequestStateNames, name);
}

std::string_view request_event_name(RequestEvent event) {
  return enum_name(kRequestEventNames, event);
}

Result<RequestState> next_state(RequestState from, RequestEvent event, bool satisfied) {
  if (from != RequestState::kPending) {
    return Error::conflict("request_closed",
                           "the request is already " + std::string(request_state_name(from)));
  }
  switch (event) {
    case RequestEvent::kApprove:
      return satisfied ? RequestState::kApproved : RequestState::kPending;
    case RequestEvent::kReject:
      return RequestState::kRejected;
    case RequestEvent::kCancel:
      return RequestState::kCancelled;
    case RequestEvent::kExpire:
      return RequestState::kExpired;
  }
  return Error::internal("unknown request event");
}

}  // namespace baomi::services
