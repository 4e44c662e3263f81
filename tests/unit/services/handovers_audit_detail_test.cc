// The audit details of the handover actions, pinned member by member (keys, order, types): the
// trail is verified offline and auditors' tools read these fields (I1, H1, H2, H3).
#include <gtest/gtest.h>

#include "unit/services/audit_detail_util.h"
#include "unit/services/handovers_fixture.h"

namespace baomi::services {
namespace {

using namespace std::chrono_literals;
using testing_detail::details_of;
using Details = std::vector<std::string>;

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

TEST_F(HandoversTest, EveryActionsDetailHasItsDocumentedMembers_H1_H2_H3_I1) {
  ASSERT_EQ(t.policy().handovers().receiving_departments,
            (std::vector<std::string>{"general_cs", "after_sales"}));
  auto v = issue(2);
  const auto h1 = v.current()->content_hash;
  const auto id = v.slip.id;
  EXPECT_EQ(details_of(t, "handover.create"),
            Details{R"({"version":1,"content_hash":)" + in_quotes(h1) +
                    R"(,"items":2,"copies":["general_cs","after_sales"]})"});

  ASSERT_TRUE(slips.get(gcs, id).ok());
  EXPECT_EQ(details_of(t, "handover.read"), Details{R"({"content":true,"version":1})"});
  ASSERT_TRUE(slips.acknowledge(gcs, id).ok());
  EXPECT_EQ(
      details_of(t, "handover.acknowledge"),
      Details{R"({"department":"general_cs","version":1,"content_hash":)" + in_quotes(h1) + "}"});

  auto c = slips.correct(author, id, {spec(2).items, std::nullopt, "missed an item"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  const auto h2 = c->versions[1].content_hash;
  EXPECT_EQ(details_of(t, "handover.correct"),
            Details{R"({"version":2,"content_hash":)" + in_quotes(h2) + R"(,"prev_hash":)" +
                    in_quotes(h1) + "}"});

  ASSERT_TRUE(slips.confirm(gcs, id, {{0, true, std::nullopt}}).ok());
  ASSERT_TRUE(slips.confirm(after_sales, id, {{1, false, "no answer"}}).ok());
  EXPECT_EQ(details_of(t, "handover.confirm"),
            (Details{R"({"version":2,"confirmed_items":1,"complete":false,"late":false})",
                     R"({"version":2,"confirmed_items":1,"complete":true,"late":false})"}));

  ASSERT_TRUE(slips.list(supervisor, SlipFilter{}).ok());
  ASSERT_TRUE(slips.list(secadmin, SlipFilter{}).ok());
  EXPECT_EQ(details_of(t, "handover.list"), (Details{R"({"count":1,"metadata_only":false})",
                                                     R"({"count":1,"metadata_only":true})"}));

  auto early = slips.remove(secadmin, id);  // refused for the slip's state: {"code": ...}
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(details_of(t, "handover.delete"), Details{R"({"code":"retention"})"});

  ASSERT_TRUE(slips.hold(auditor, id, "leak investigation").ok());
  ASSERT_TRUE(slips.release(auditor, id, "investigation closed").ok());
  EXPECT_EQ(details_of(t, "handover.hold"), Details{R"({"hold":true})"});
  EXPECT_EQ(details_of(t, "handover.release"), Details{R"({"hold":false})"});

  t.now = *slips.get(gcs, id)->slip.retain_until;
  auto receipt = slips.remove(secadmin, id);
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  // The signed statement, and the entry that repeats it with the tombstone mark and signature.
  const std::string statement = R"({"slip":)" + in_quotes(id) + R"(,"purged_at":)" +
                                in_quotes(format_rfc3339(t.now)) + R"(,"content_hashes":[)" +
                                in_quotes(h1) + "," + in_quotes(h2) + "]}";
  EXPECT_EQ(receipt->statement, statement);
  EXPECT_EQ(details_of(t, "handover.purge"),
            Details{statement.substr(0, statement.size() - 1) +
                    R"(,"tombstone":true,"signature":)" + in_quotes(receipt->signature) + "}"});
  EXPECT_TRUE(t.verify().ok);
}

TEST_F(HandoversTest, OverdueAndAlertDetailsNameTheAlertAndDeadline_H2) {
  auto v = issue(1);
  t.now = v.slip.due_at + 1h;
  ASSERT_EQ(*slips.sweep(), 1);
  auto alerts = slips.overdue_alerts(supervisor, "", 100);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(details_of(t, "handover.overdue"),
            Details{R"({"alert_id":)" + in_quotes((*alerts)[0].id) + R"(,"due_at":)" +
                    in_quotes(format_rfc3339(v.slip.due_at)) + "}"});
  EXPECT_EQ(details_of(t, "handover.alerts"), Details{R"({"count":1})"});
}

}  // namespace
}  // namespace baomi::services
