// The slip life cycle, exhaustively: every state × every action against an expected table
// written out by hand (not derived from the code), through the real service with time as an
// input. "ok" means the action succeeds; anything else is the expected error code.
#include <gtest/gtest.h>

#include <map>

#include "services/handovers/slip_rules.h"
#include "unit/services/handovers_fixture.h"

namespace baomi::services {
namespace {

using namespace std::chrono_literals;

enum class Start {
  kIssued,
  kAcknowledged,
  kOverdue,
  kConfirmed,
  kExpired,
  kHeld,
  kHeldExpired,
  kPurged
};
enum class Act {
  kAckGcs,
  kAckAfterSales,
  kConfirmOne,
  kConfirmAll,
  kCorrect,
  kCarry,
  kHold,
  kRelease,
  kDelete
};

const std::map<Start, std::string> kStartNames = {{Start::kIssued, "issued"},
                                                  {Start::kAcknowledged, "acknowledged"},
                                                  {Start::kOverdue, "overdue"},
                                                  {Start::kConfirmed, "confirmed"},
                                                  {Start::kExpired, "expired"},
                                                  {Start::kHeld, "held"},
                                                  {Start::kHeldExpired, "held_expired"},
                                                  {Start::kPurged, "purged"}};

// H1, H2, H3, I1: the expected outcome of each action in each state.
const std::map<Start, std::map<Act, std::string>> kExpected = {
    {Start::kIssued,
     {{Act::kAckGcs, "ok"},
      {Act::kAckAfterSales, "ok"},
      {Act::kConfirmOne, "ok"},
      {Act::kConfirmAll, "ok"},
      {Act::kCorrect, "ok"},
      {Act::kCarry, "ok"},
      {Act::kHold, "ok"},
      {Act::kRelease, "not_held"},
      {Act::kDelete, "retention"}}},
    {Start::kAcknowledged,
     {{Act::kAckGcs, "already_acknowledged"},
      {Act::kAckAfterSales, "already_acknowledged"},
      {Act::kConfirmOne, "ok"},
      {Act::kConfirmAll, "ok"},
      {Act::kCorrect, "ok"},
      {Act::kCarry, "ok"},
      {Act::kHold, "ok"},
      {Act::kRelease, "not_held"},
      {Act::kDelete, "retention"}}},
    {Start::kOverdue,
     {{Act::kAckGcs, "ok"},
      {Act::kAckAfterSales, "ok"},
      {Act::kConfirmOne, "ok"},
      {Act::kConfirmAll, "ok"},
      {Act::kCorrect, "ok"},
      {Act::kCarry, "ok"},
      {Act::kHold, "ok"},
      {Act::kRelease, "not_held"},
      {Act::kDelete, "retention"}}},
    {Start::kConfirmed,
     {{Act::kAckGcs, "ok"},
      {Act::kAckAfterSales, "ok"},
      {Act::kConfirmOne, "already_confirmed"},
      {Act::kConfirmAll, "already_confirmed"},
      {Act::kCorrect, "slip_confirmed"},
      {Act::kCarry, "nothing_to_carry"},
      {Act::kHold, "ok"},
      {Act::kRelease, "not_held"},
      {Act::kDelete, "retention"}}},
    {Start::kExpired,
     {{Act::kAckGcs, "ok"},
      {Act::kAckAfterSales, "ok"},
      {Act::kConfirmOne, "already_confirmed"},
      {Act::kConfirmAll, "already_confirmed"},
      {Act::kCorrect, "slip_confirmed"},
      {Act::kCarry, "nothing_to_carry"},
      {Act::kHold, "ok"},
      {Act::kRelease, "not_held"},
      {Act::kDelete, "ok"}}},
    {Start::kHeld,
     {{Act::kAckGcs, "ok"},
      {Act::kAckAfterSales, "ok"},
      {Act::kConfirmOne, "ok"},
      {Act::kConfirmAll, "ok"},
      {Act::kCorrect, "ok"},
      {Act::kCarry, "ok"},
      {Act::kHold, "already_held"},
      {Act::kRelease, "ok"},
      {Act::kDelete, "legal_hold"}}},
    {Start::kHeldExpired,
     {{Act::kAckGcs, "ok"},
      {Act::kAckAfterSales, "ok"},
      {Act::kConfirmOne, "already_confirmed"},
      {Act::kConfirmAll, "already_confirmed"},
      {Act::kCorrect, "slip_confirmed"},
      {Act::kCarry, "nothing_to_carry"},
      {Act::kHold, "already_held"},
      {Act::kRelease, "ok"},
      {Act::kDelete, "legal_hold"}}},
    {Start::kPurged,
     {{Act::kAckGcs, "purged"},
      {Act::kAckAfterSales, "purged"},
      {Act::kConfirmOne, "purged"},
      {Act::kConfirmAll, "purged"},
      {Act::kCorrect, "purged"},
      {Act::kCarry, "purged"},
      {Act::kHold, "purged"},
      {Act::kRelease, "purged"},
      {Act::kDelete, "purged"}}},
};

class HandoverLifecycleTest : public HandoversTest {
 protected:
  // A fresh two-item slip brought into `start`.
  std::string bring_to(Start start) {
    t.now = parse_rfc3339("2026-11-25T09:00:00Z").value();
    auto v = issue(2);
    const auto id = v.slip.id;
    const auto confirm_all = [&] { EXPECT_TRUE(slips.confirm(gcs, id, all_items(2)).ok()); };
    const auto expire = [&] { t.now += 24h * 200; };
    switch (start) {
      case Start::kIssued:
        break;
      case Start::kAcknowledged:
        EXPECT_TRUE(slips.acknowledge(gcs, id).ok());
        EXPECT_TRUE(slips.acknowledge(after_sales, id).ok());
        break;
      case Start::kOverdue:
        t.now = v.slip.due_at + 1h;
        EXPECT_GE(*slips.sweep(), 1);  // earlier cells' open slips lapse too
        EXPECT_EQ(slips.get(supervisor, id)->slip.state, SlipState::kOverdue);
        break;
      case Start::kConfirmed:
        confirm_all();
        break;
      case Start::kExpired:
        confirm_all();
        expire();
        break;
      case Start::kHeld:
        EXPECT_TRUE(slips.hold(auditor, id, "hold").ok());
        break;
      case Start::kHeldExpired:
        confirm_all();
        EXPECT_TRUE(slips.hold(auditor, id, "hold").ok());
        expire();
        break;
      case Start::kPurged:
        confirm_all();
        expire();
        EXPECT_TRUE(slips.remove(secadmin, id).ok());
        break;
    }
    return id;
  }

  std::string outcome(const std::string& id, Act act) {
    NewSlip next;
    next.shift = "day";
    next.date = local_date_now();
    Result<void> r = [&]() -> Result<void> {
      switch (act) {
        case Act::kAckGcs:
          return status(slips.acknowledge(gcs, id));
        case Act::kAckAfterSales:
          return status(slips.acknowledge(after_sales, id));
        case Act::kConfirmOne:
          return status(slips.confirm(after_sales, id, {{0, false, "later"}}));
        case Act::kConfirmAll:
          return status(slips.confirm(after_sales, id, all_items(2)));
        case Act::kCorrect:
          return status(slips.correct(author, id, {spec(1).items, std::nullopt, "fix"}));
        case Act::kCarry:
          return status(slips.carry_over(gcs, id, next));
        case Act::kHold:
          return status(slips.hold(secadmin, id, "hold"));
        case Act::kRelease:
          return status(slips.release(secadmin, id, "release"));
        case Act::kDelete: {
          auto d = slips.remove(secadmin, id);
          if (!d.ok()) return d.take_error();
          return {};
        }
      }
      return Error::internal("unknown act");
    }();
    return r.ok() ? "ok" : r.error().code;
  }

  template <typename T>
  static Result<void> status(Result<T> r) {
    if (!r.ok()) return r.take_error();
    return {};
  }

  std::string local_date_now() const { return local_date(t.now, t.policy().centre().utc_offset); }
};

TEST_F(HandoverLifecycleTest, EveryStateTimesEveryAction_H1_H2_H3_I1) {
  int cells = 0;
  for (const auto& [start, row] : kExpected) {
    for (const auto& [act, expected] : row) {
      const auto id = bring_to(start);
      EXPECT_EQ(outcome(id, act), expected)
          << "state " << kStartNames.at(start) << ", action " << static_cast<int>(act);
      ++cells;
    }
  }
  EXPECT_EQ(cells, 8 * 9);
  EXPECT_TRUE(t.verify().ok);  // every change and refusal left the chain intact (I1)
}

TEST_F(HandoverLifecycleTest, SweepChangesOnlyOpenSlipsPastTheirDeadline_H2) {
  const auto issued = bring_to(Start::kIssued);
  const auto acknowledged = bring_to(Start::kAcknowledged);
  const auto confirmed = bring_to(Start::kConfirmed);
  const auto held = bring_to(Start::kHeld);
  const auto due = slips.get(supervisor, issued)->slip.due_at;
  t.now = due - 1us;
  EXPECT_EQ(*slips.sweep(), 0);
  t.now = due;
  EXPECT_EQ(*slips.sweep(), 3);  // issued, acknowledged and held; never the confirmed one
  EXPECT_EQ(*slips.sweep(), 0);
  for (const auto& id : {issued, acknowledged, held}) {
    EXPECT_EQ(slips.get(supervisor, id)->slip.state, SlipState::kOverdue);
  }
  EXPECT_EQ(slips.get(supervisor, confirmed)->slip.state, SlipState::kConfirmed);
  EXPECT_EQ(slips.overdue_alerts(supervisor, "", 100)->size(), 3u);
}

}  // namespace
}  // namespace baomi::services
