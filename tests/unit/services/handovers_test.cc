// Handover slips as a service, with time as an input: two identical sealed copies (H1),
// confirmation by the receiving side only and overdue detection (H2, I2), corrections as new
// versions (I1), carry-over, retention, legal holds and purging (H3).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "audit/trail_tables.h"
#include "crypto/sign.h"
#include "services/handovers/slip_records.h"
#include "services/handovers/slip_rules.h"
#include "services/incidents/incidents.h"
#include "unit/services/handovers_fixture.h"

namespace baomi::services {
namespace {

using namespace std::chrono_literals;

std::vector<audit::AuditRow> entries(testing::TestRuntime& t, const std::string& action) {
  std::vector<audit::AuditRow> out;
  for (auto& r : t.audit_rows()) {
    if (r.action == action) out.push_back(r);
  }
  return out;
}

// H1: for every version, exactly one copy per receiving department, all with that version's
// content hash.
void expect_copies_bound(const SlipView& v) {
  for (const auto& version : v.versions) {
    std::vector<std::string> departments;
    for (const auto& c : v.copies) {
      if (c.version != version.version) continue;
      departments.push_back(c.department);
      EXPECT_EQ(c.content_hash, version.content_hash) << "version " << version.version;
    }
    EXPECT_EQ(departments, (std::vector<std::string>{"after_sales", "general_cs"}));
  }
}

TEST_F(HandoversTest, IssueSealsTwoIdenticalCopiesAndAuditsTheHash_H1) {
  auto v = issue();
  EXPECT_EQ(v.state, SlipState::kIssued);
  ASSERT_EQ(v.versions.size(), 1u);
  ASSERT_TRUE(v.current()->content);
  EXPECT_EQ(content_hash(*v.current()->content), v.current()->content_hash);
  expect_copies_bound(v);
  auto created = entries(t, "handover.create");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_NE(created[0].detail.find(v.current()->content_hash), std::string::npos);
  EXPECT_EQ(created[0].rule, "H1");
}

TEST_F(HandoversTest, CopiesStayIdenticalThroughEveryOperation_H1) {
  auto v = issue(3);
  const auto first_hash = v.current()->content_hash;
  std::vector<std::function<Result<SlipView>()>> steps = {
      [&] { return slips.acknowledge(gcs, v.slip.id); },
      [&] {
        return slips.confirm(after_sales, v.slip.id, {{0, true, "ok"}});
      },
      [&] {
        return slips.correct(author, v.slip.id, {spec(2).items, std::nullopt, "typo in item"});
      },
      [&] { return slips.acknowledge(after_sales, v.slip.id); },
      [&] { return slips.hold(auditor, v.slip.id, "complaint review"); },
      [&] { return slips.release(secadmin, v.slip.id, "review closed"); },
      [&] { return slips.confirm(gcs, v.slip.id, all_items(2)); },
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    ASSERT_TRUE(steps[i]().ok()) << "step " << i;
    auto now = slips.get(supervisor, v.slip.id);
    ASSERT_TRUE(now.ok());
    expect_copies_bound(*now);
    EXPECT_EQ(now->versions.front().content_hash, first_hash) << "step " << i;
  }
}

TEST_F(HandoversTest, AuthorCannotConfirmOwnSlip_I2) {
  auto v = issue();
  auto r = slips.confirm(author, v.slip.id, all_items(2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(r.error().code, "own_slip");
  EXPECT_EQ(r.error().rule, "I2");
  auto denied = entries(t, "handover.confirm");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].decision, "deny");
}

TEST_F(HandoversTest, AuthorCannotAcknowledgeOwnSlip_I2) {
  auto v = issue();
  auto r = slips.acknowledge(author, v.slip.id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "own_slip");
}

TEST_F(HandoversTest, OnlyReceivingDepartmentsAcknowledgeTheirCopy_H1) {
  auto v = issue();
  auto r = slips.acknowledge(presale, v.slip.id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "not_receiver");
  ASSERT_TRUE(slips.acknowledge(gcs, v.slip.id).ok());
  auto twice = slips.acknowledge(gcs, v.slip.id);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "already_acknowledged");
  auto both = slips.acknowledge(after_sales, v.slip.id);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->state, SlipState::kAcknowledged);
  for (const auto& c : both->copies) {
    EXPECT_TRUE(c.acknowledged_at);
    EXPECT_EQ(*c.acknowledged_by, c.department == "general_cs" ? gcs.id : after_sales.id);
  }
}

TEST_F(HandoversTest, ConfirmItemByItemUntilCompleteStartsRetention_H2_H3) {
  auto v = issue(2);
  auto one = slips.confirm(gcs, v.slip.id, {{1, false, "customer unreachable"}});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->state, SlipState::kIssued);
  auto again = slips.confirm(after_sales, v.slip.id, {{1, true, std::nullopt}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "item_confirmed");
  auto bad = slips.confirm(gcs, v.slip.id, {{2, true, std::nullopt}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
  auto done = slips.confirm(after_sales, v.slip.id, {{0, true, std::nullopt}});
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, SlipState::kConfirmed);
  EXPECT_EQ(done->slip.confirmed_at, t.now);
  // H3: three calendar months after 2026-11-25 17:00 local.
  EXPECT_EQ(format_rfc3339(*done->slip.retain_until), "2027-02-25T09:00:00Z");
  ASSERT_EQ(done->slip.progress.confirmations.size(), 2u);
  EXPECT_FALSE(done->slip.progress.confirmations[0].late);
}

TEST_F(HandoversTest, SupervisorConfirmsButPresaleMemberDoesNot_H2) {
  auto v = issue(1);
  auto r = slips.confirm(presale, v.slip.id, all_items(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "not_receiver");
  EXPECT_TRUE(slips.confirm(supervisor, v.slip.id, all_items(1)).ok());
}

TEST_F(HandoversTest, OverdueIsComputedOnReadWithoutTheSweep_H2) {
  auto v = issue();
  EXPECT_EQ(format_rfc3339(v.slip.due_at), "2026-11-26T16:00:00Z");  // end of next local day
  t.now = v.slip.due_at - 1us;
  EXPECT_EQ(slips.get(gcs, v.slip.id)->state, SlipState::kIssued);
  t.now = v.slip.due_at;
  EXPECT_EQ(slips.get(gcs, v.slip.id)->state, SlipState::kOverdue);
  SlipFilter f;
  f.state = "overdue";
  auto page = slips.list(supervisor, f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].slip.id, v.slip.id);
  f.state = "issued";
  EXPECT_TRUE(slips.list(supervisor, f)->items.empty());
}

TEST_F(HandoversTest, SweepStoresOverdueAndRaisesOneAlert_H2) {
  auto v = issue();
  auto early = slips.sweep();
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(*early, 0);
  t.now = v.slip.due_at + 1h;
  EXPECT_EQ(*slips.sweep(), 1);
  EXPECT_EQ(*slips.sweep(), 0);  // one alert per slip, however often the sweep runs
  auto alerts = slips.overdue_alerts(supervisor, "", 100);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].type, "handover_overdue");
  EXPECT_EQ(*(*alerts)[0].target, "handover:" + v.slip.id);
  EXPECT_EQ((*alerts)[0].detail->find("回访"), std::string::npos);  // no slip content
  // The security administrator and the auditor see it among all alerts.
  Grants grants(t.rt());
  Incidents incidents(t.rt(), grants);
  auto all = incidents.alerts(auditor, "", 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  auto staff = slips.overdue_alerts(gcs, "", 100);
  ASSERT_FALSE(staff.ok());
  EXPECT_EQ(staff.error().kind, ErrorKind::kForbidden);
}

TEST_F(HandoversTest, ConfirmingAfterTheDeadlineIsRecordedLate_H2) {
  auto v = issue(1);
  t.now = v.slip.due_at + 2h;
  ASSERT_EQ(*slips.sweep(), 1);
  auto done = slips.confirm(gcs, v.slip.id, all_items(1));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, SlipState::kConfirmed);
  EXPECT_TRUE(done->slip.progress.confirmations[0].late);
}

TEST_F(HandoversTest, CorrectionIsANewChainedVersionOldStaysReadable_I1) {
  auto v = issue(1);
  ASSERT_TRUE(slips.acknowledge(gcs, v.slip.id).ok());
  auto refused = slips.correct(gcs, v.slip.id, {spec(1).items, std::nullopt, "mine"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "not_author");
  auto c = slips.correct(supervisor, v.slip.id, {spec(2).items, "更正", "missed an item"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->versions.size(), 2u);
  EXPECT_EQ(c->versions[1].prev_hash, c->versions[0].content_hash);
  EXPECT_EQ(*c->versions[1].content->reason, "missed an item");
  EXPECT_EQ(c->versions[0].content->items.size(), 1u);  // the old version stays readable
  for (const auto& copy : c->copies) {
    EXPECT_EQ(copy.acknowledged_at.has_value(),
              copy.version == 1 && copy.department == "general_cs");
  }
  auto no_reason = slips.correct(author, v.slip.id, {spec(1).items, std::nullopt, " "});
  EXPECT_EQ(no_reason.error().kind, ErrorKind::kInvalidArgument);
}

TEST_F(HandoversTest, CarryOverLinksBothWays_H2) {
  auto v = issue(3);
  ASSERT_TRUE(
      slips.confirm(gcs, v.slip.id, {{0, true, std::nullopt}, {1, false, "no answer"}}).ok());
  NewSlip next;
  next.shift = "night";
  auto carried = slips.carry_over(after_sales, v.slip.id, next);
  ASSERT_TRUE(carried.ok()) << carried.error().message;
  EXPECT_EQ(carried->slip.carried_from, v.slip.id);
  EXPECT_EQ(carried->slip.author_id, after_sales.id);
  const auto& items = carried->current()->content->items;
  ASSERT_EQ(items.size(), 2u);  // item 1 (not done) and item 2 (unconfirmed)
  EXPECT_EQ(items[0].carried_from->index, 1);
  EXPECT_EQ(items[1].carried_from->index, 2);
  auto old = slips.get(supervisor, v.slip.id);
  EXPECT_EQ(old->carried_to, std::vector<std::string>{carried->slip.id});
}

TEST_F(HandoversTest, DeleteBeforeRetentionIsRefused_H3) {
  auto v = issue(1);
  auto open = slips.remove(secadmin, v.slip.id);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().code, "retention");
  EXPECT_EQ(open.error().rule, "H3");
  ASSERT_TRUE(slips.confirm(gcs, v.slip.id, all_items(1)).ok());
  t.now += 24h * 88;
  auto early = slips.remove(secadmin, v.slip.id);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, "retention");
  EXPECT_EQ(early.error().kind, ErrorKind::kConflict);
  auto staff = slips.remove(supervisor, v.slip.id);
  EXPECT_EQ(staff.error().kind, ErrorKind::kForbidden);
}

TEST_F(HandoversTest, PurgeAfterRetentionShredsAndLeavesASignedTombstone_H3) {
  auto v = issue(1);
  const auto hash = v.current()->content_hash;
  ASSERT_TRUE(slips.confirm(gcs, v.slip.id, all_items(1)).ok());
  t.now = *slips.get(gcs, v.slip.id)->slip.retain_until;
  auto receipt = slips.remove(secadmin, v.slip.id);
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  EXPECT_EQ(receipt->content_hashes, std::vector<std::string>{hash});
  const auto statement = "baomi-statement\nhandover-tombstone\n" + receipt->statement;
  EXPECT_TRUE(crypto::verify_signature(t.public_key(), crypto::bytes_of(statement),
                                       *from_hex(receipt->signature)));
  auto after = slips.get(supervisor, v.slip.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->state, SlipState::kPurged);
  EXPECT_FALSE(after->content_visible);
  EXPECT_FALSE(after->current()->content);
  EXPECT_EQ(after->current()->content_hash, hash);  // the skeleton keeps the hash
  auto tomb = entries(t, "handover.purge");
  ASSERT_EQ(tomb.size(), 1u);
  EXPECT_NE(tomb[0].detail.find(hash), std::string::npos);
  EXPECT_NE(tomb[0].detail.find(receipt->signature), std::string::npos);
  EXPECT_TRUE(t.verify().ok);
  const auto& table = slip_record_type().table();
  storage::Row row;
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    row = *tx.get_row(table, {v.slip.id}).value();
                    return {};
                  })
                  .ok());
  EXPECT_TRUE(std::get<Bytes>(row[table.position("wrapped_key")]).empty());
  EXPECT_TRUE(std::get<Bytes>(row[table.position("sealed")]).empty());
}

TEST_F(HandoversTest, LegalHoldBlocksPurgeUntilReleased_H3) {
  auto v = issue(1);
  ASSERT_TRUE(slips.confirm(gcs, v.slip.id, all_items(1)).ok());
  auto staff = slips.hold(gcs, v.slip.id, "mine");
  EXPECT_EQ(staff.error().kind, ErrorKind::kForbidden);
  ASSERT_TRUE(slips.hold(auditor, v.slip.id, "leak investigation").ok());
  t.now += 24h * 400;
  auto held = slips.remove(secadmin, v.slip.id);
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.error().code, "legal_hold");
  EXPECT_EQ(held.error().rule, "H3");
  ASSERT_TRUE(slips.release(auditor, v.slip.id, "investigation closed").ok());
  EXPECT_TRUE(slips.remove(secadmin, v.slip.id).ok());
}

TEST_F(HandoversTest, ListsByWhoIsAskingAndFilters_H1) {
  auto a = issue(1);
  auto mine = slips.create(presale, spec(1));
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE(slips.acknowledge(gcs, a.slip.id).ok());
  SlipFilter all;
  EXPECT_EQ(slips.list(gcs, all)->items.size(), 2u);
  EXPECT_EQ(slips.list(supervisor, all)->items.size(), 2u);
  auto own = slips.list(presale, all);  // not a receiver: their own only
  ASSERT_EQ(own->items.size(), 1u);
  EXPECT_EQ(own->items[0].slip.id, mine->slip.id);
  auto meta = slips.list(secadmin, all);
  ASSERT_EQ(meta->items.size(), 2u);
  EXPECT_FALSE(meta->items[0].content_visible);
  SlipFilter pending;
  pending.department = "general_cs";
  pending.acknowledged = false;
  auto p = slips.list(gcs, pending);
  ASSERT_EQ(p->items.size(), 1u);
  EXPECT_EQ(p->items[0].slip.id, mine->slip.id);
  SlipFilter by_author;
  by_author.author_id = author.id;
  by_author.shift = "day";
  by_author.date = "2026-11-25";
  EXPECT_EQ(slips.list(supervisor, by_author)->items.size(), 1u);
  by_author.date = "2026-11-24";
  EXPECT_TRUE(slips.list(supervisor, by_author)->items.empty());
  SlipFilter paged;
  paged.limit = 1;
  auto first = slips.list(supervisor, paged);
  ASSERT_TRUE(first->next_cursor);
  paged.cursor = *first->next_cursor;
  auto second = slips.list(supervisor, paged);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_NE(second->items[0].slip.id, first->items[0].slip.id);
}

TEST_F(HandoversTest, AdministratorsSeeMetadataOnly_H3) {
  auto v = issue(1);
  auto meta = slips.get(auditor, v.slip.id);
  ASSERT_TRUE(meta.ok());
  EXPECT_FALSE(meta->content_visible);
  EXPECT_FALSE(meta->current()->content);
  EXPECT_EQ(meta->copies.size(), 2u);
  auto outsider = slips.get(presale, v.slip.id);
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(outsider.error().code, "not_receiver");
}

TEST_F(HandoversTest, BadInputNamesTheField) {
  auto s = spec(1);
  s.shift = "evening";
  EXPECT_NE(slips.create(author, s).error().message.find("'shift'"), std::string::npos);
  s = spec(1);
  s.date = "2026-11-26";  // tomorrow
  EXPECT_NE(slips.create(author, s).error().message.find("'date'"), std::string::npos);
  s = spec(0);
  EXPECT_NE(slips.create(author, s).error().message.find("'items'"), std::string::npos);
}

TEST_F(HandoversTest, NightShiftAfterMidnightBelongsToTheDayBefore_H2) {
  t.now = parse_rfc3339("2026-11-25T23:30:00Z").value();  // 07:30 local on the 26th
  auto s = spec(1);
  s.shift = "night";
  auto v = slips.create(author, s);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->slip.shift_date, "2026-11-25");
}

TEST_F(HandoversTest, NoSlipTextInTheDatabaseInClear_H1) {
  auto s = spec(1);
  s.items[0].summary = "MARKER-SLIP-4f1c 客户投诉未处理";
  s.notes = "MARKER-NOTE-9a2e";
  auto v = slips.create(author, s);
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(slips.hold(auditor, v->slip.id, "MARKER-HOLD-77aa").ok());
  std::string all;
  // Every file the store wrote, the chunk files' directory beside the database included.
  for (const auto& e : std::filesystem::recursive_directory_iterator(t.dir())) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(all.find("MARKER-SLIP-4f1c"), std::string::npos);
  EXPECT_EQ(all.find("MARKER-NOTE-9a2e"), std::string::npos);
  EXPECT_EQ(all.find("MARKER-HOLD-77aa"), std::string::npos);
  EXPECT_EQ(all.find("cust-0"), std::string::npos);
}

}  // namespace
}  // namespace baomi::services
