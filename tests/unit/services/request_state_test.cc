// The request state machine, exhaustively: every state × every event × satisfied or not,
// against a table written out independently of the implementation (S7: requests are decided
// once; I2: a closed request is never reopened).
#include "services/requests/request_state.h"

#include <gtest/gtest.h>

namespace baomi::services {
namespace {

using S = RequestState;
using E = RequestEvent;

struct Expected {
  S from;
  E event;
  bool satisfied;
  std::optional<S> to;  // nullopt: 409 request_closed
};

std::vector<Expected> table() {
  std::vector<Expected> t;
  for (bool sat : {false, true}) {
    t.push_back({S::kPending, E::kApprove, sat, sat ? S::kApproved : S::kPending});
    t.push_back({S::kPending, E::kReject, sat, S::kRejected});
    t.push_back({S::kPending, E::kCancel, sat, S::kCancelled});
    t.push_back({S::kPending, E::kExpire, sat, S::kExpired});
    for (S closed : {S::kApproved, S::kRejected, S::kCancelled, S::kExpired}) {
      for (E e : {E::kApprove, E::kReject, E::kCancel, E::kExpire}) {
        t.push_back({closed, e, sat, std::nullopt});
      }
    }
  }
  return t;
}

TEST(RequestState, EveryStateTimesEveryEvent_S7_I2) {
  const auto t = table();
  ASSERT_EQ(t.size(), 2u * kRequestStateCount * kRequestEventCount);
  for (const auto& row : t) {
    SCOPED_TRACE(std::string(request_state_name(row.from)) + " + " +
                 std::string(request_event_name(row.event)) +
                 (row.satisfied ? " (satisfied)" : ""));
    auto next = next_state(row.from, row.event, row.satisfied);
    if (row.to) {
      ASSERT_TRUE(next.ok()) << next.error().message;
      EXPECT_EQ(*next, *row.to);
    } else {
      ASSERT_FALSE(next.ok());
      EXPECT_EQ(next.error().kind, ErrorKind::kConflict);
      EXPECT_EQ(next.error().code, "request_closed");
    }
  }
}

TEST(RequestState, NamesRoundTrip) {
  for (int i = 0; i < kRequestStateCount; ++i) {
    const auto s = static_cast<S>(i);
    EXPECT_EQ(request_state_from_name(request_state_name(s)), s);
  }
  EXPECT_FALSE(request_state_from_name("done").has_value());
  EXPECT_EQ(request_state_name(S::kPending), "pending");
  EXPECT_EQ(request_event_name(E::kExpire), "expire");
}

}  // namespace
}  // namespace baomi::services
