#include "services/requests/request_state.h"

#include <array>

namespace baomi::services {
namespace {

constexpr std::array<std::string_view, kRequestStateCount> kStateNames = {
    "pending", "approved", "rejected", "cancelled", "expired"};
constexpr std::array<std::string_view, kRequestEventCount> kEventNames = {"approve", "reject",
                                                                          "cancel", "expire"};

}  // namespace

std::string_view request_state_name(RequestState state) {
  return kStateNames[static_cast<std::size_t>(state)];
}

std::optional<RequestState> request_state_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<RequestState>(i);
  }
  return std::nullopt;
}

std::string_view request_event_name(RequestEvent event) {
  return kEventNames[static_cast<std::size_t>(event)];
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
