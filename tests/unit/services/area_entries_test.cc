// An area's entry log (S11) paged in the store (Areas::entries): in order of entry and then id,
// passages entered at the very same microsecond included, every passage exactly once over the
// pages, within the [from, to) bounds, and a cursor that names no passage of this log (another
// area's, one outside the bounds) refused.
#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/random.h"
#include "services/areas/areas.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::Level;
using policy::Role;
using std::chrono::seconds;
using testing::TestRuntime;

class AreaEntriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auditor = t.user("shen.jian", Role::kAuditor, Level::kTopSecret);
    area = store_area();
    other_area = store_area();
    // Three entered at t0 (ties broken by id), two at t0+1s, one at t0+2s, one at t0+3s, and
    // one of another area at t0.
    const auto t0 = t.now;
    const std::vector<TimePoint> times{
        t0, t0, t0, t0 + seconds{1}, t0 + seconds{1}, t0 + seconds{2}, t0 + seconds{3}};
    std::vector<Passage> made;
    for (const auto at : times) made.push_back(passage(area.id, at));
    foreign = passage(other_area.id, t0);
    made.push_back(foreign);
    const SealedObjects objects(t.rt());
    ASSERT_TRUE(
        t.sealed()
            .write([&](barrier::WriteTx& tx) -> Result<void> {
              for (const auto& p : made) {
                auto o = to_object(p);
                BAOMI_TRY(objects.insert(tx, o));
              }
              BAOMI_TRY(t.rt().audit.append(
                  tx, {"system", "area.enter", "area:" + area.id, "allow", "S11", "{}"}, t.now));
              return {};
            })
            .ok());
    made.pop_back();
    std::sort(made.begin(), made.end(), [](const Passage& a, const Passage& b) {
      return a.entered_at != b.entered_at ? a.entered_at < b.entered_at : a.id < b.id;
    });
    for (const auto& p : made) in_order.push_back(p.id);
  }

  Area store_area() {
    Area a;
    a.id = crypto::random_id();
    a.name = "档案室";
    a.kind = AreaKind::kArchive;
    a.level = Level::kSecret;
    a.changed_by = "system";
    a.created_at = t.now;
    a.updated_at = t.now;
    const SealedObjects objects(t.rt());
    EXPECT_TRUE(
        t.sealed()
            .write([&](barrier::WriteTx& tx) -> Result<void> {
              auto o = to_object(a);
              BAOMI_TRY(objects.insert(tx, o));
              BAOMI_TRY(t.rt().audit.append(
                  tx, {"system", "area.create", "area:" + a.id, "allow", "S11", "{}"}, t.now));
              return {};
            })
            .ok());
    return a;
  }
  static Passage passage(const std::string& area_id, TimePoint at) {
    Passage p;
    p.id = crypto::random_id();
    p.area_id = area_id;
    p.person_id = crypto::random_id();
    p.entered_at = at;
    p.entered_by = "door";
    return p;
  }

  // Every page of the log within the bounds, `limit` at a time: the ids in page order, and the
  // size of each page.
  std::pair<std::vector<std::string>, std::vector<std::size_t>> all_pages(
      std::optional<TimePoint> from, std::optional<TimePoint> to, std::size_t limit) {
    std::vector<std::string> ids;
    std::vector<std::size_t> sizes;
    std::string cursor;
    for (int guard = 0; guard < 20; ++guard) {
      auto page = Areas(t.rt()).entries(auditor, area.id, from, to, cursor, limit);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok()) break;
      sizes.push_back(page->items.size());
      for (const auto& p : page->items) ids.push_back(p.id);
      if (!page->next_cursor) break;
      cursor = *page->next_cursor;
    }
    return {ids, sizes};
  }

  TestRuntime t;
  auth::User auditor;
  Area area;
  Area other_area;
  Passage foreign;
  std::vector<std::string> in_order;  // the area's passages by entry time, then id
};

TEST_F(AreaEntriesTest, PagesFollowEntryTimeThenIdThroughTiesEachPassageOnce_S11) {
  const auto [ids, sizes] = all_pages(std::nullopt, std::nullopt, 2);
  EXPECT_EQ(ids, in_order);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 2, 1}));
  EXPECT_EQ(all_pages(std::nullopt, std::nullopt, 1).first, in_order)
      << "a cursor inside a run of equal entry times resumes exactly";
  const auto [whole, once] = all_pages(std::nullopt, std::nullopt, 7);
  EXPECT_EQ(whole, in_order);
  EXPECT_EQ(once, std::vector<std::size_t>{7}) << "a full last page names no next page";
}

TEST_F(AreaEntriesTest, BoundsSelectEntriesFromInclusiveToExclusive_S11) {
  const auto from = t.now + seconds{1};
  const auto to = t.now + seconds{3};
  const std::vector<std::string> expected(in_order.begin() + 3, in_order.begin() + 6);
  EXPECT_EQ(all_pages(from, to, 1).first, expected);
  EXPECT_EQ(all_pages(from, to, 3).second, std::vector<std::size_t>{3});
  EXPECT_EQ(all_pages(std::nullopt, from, 2).first,
            std::vector<std::string>(in_order.begin(), in_order.begin() + 3));
}

TEST_F(AreaEntriesTest, ACursorOfAnotherAreaOrOutsideTheBoundsIsRefused_S11) {
  const Areas areas(t.rt());
  auto foreign_cursor = areas.entries(auditor, area.id, std::nullopt, std::nullopt, foreign.id, 2);
  ASSERT_FALSE(foreign_cursor.ok());
  EXPECT_EQ(foreign_cursor.error().code, "invalid_field");
  auto outside = areas.entries(auditor, area.id, t.now + seconds{1}, std::nullopt, in_order[0], 2);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, "invalid_field");
  auto made_up = areas.entries(auditor, area.id, std::nullopt, std::nullopt, "zzzz", 2);
  ASSERT_FALSE(made_up.ok());
  EXPECT_EQ(made_up.error().code, "invalid_field");
}

}  // namespace
}  // namespace baomi::services
