// The rules of a document's end (S5, H3; services/documents/lifecycle.h), as pure functions:
// the retention floor is the creation plus the most months the level or any category names,
// never earlier than the floor chosen at creation; a document under a legal hold, or before its
// floor, may not be destroyed; one already destroyed is gone.
#include <gtest/gtest.h>

#include "services/documents/lifecycle.h"

namespace baomi::services {
namespace {

TimePoint at(std::string_view rfc3339) { return *parse_rfc3339(rfc3339); }

class RetentionRules : public ::testing::Test {
 protected:
  // The default policy's retention: secret 12 months, finance 36, at most 360.
  policy::Policy policy_{policy::PolicyData{}, "test-policy"};

  Document secret_document(policy::CategorySet categories = 0) const {
    Document doc;
    doc.id = "d-1";
    doc.level = policy::Level::kSecret;
    doc.categories = categories;
    doc.created_at = at("2026-01-15T08:00:00Z");
    return doc;
  }
  policy::CategorySet category(std::string_view name) const {
    return policy::category_bit(*policy_.category_index(name));
  }
};

TEST_F(RetentionRules, FloorIsCreationPlusTheLevelsMonths_H3) {
  EXPECT_EQ(retention_floor(policy_, secret_document()), at("2027-01-15T08:00:00Z"));
}

TEST_F(RetentionRules, TheLongestCategoryWins_H3) {
  EXPECT_EQ(retention_floor(policy_, secret_document(category("finance"))),
            at("2029-01-15T08:00:00Z"));
  // A category the retention table does not name adds nothing.
  EXPECT_EQ(retention_floor(policy_, secret_document(category("personnel"))),
            at("2027-01-15T08:00:00Z"));
}

TEST_F(RetentionRules, AFloorChosenAtCreationIsKeptButNeverShortensThePolicys_H3) {
  auto later = secret_document();
  later.retain_until = at("2030-06-01T00:00:00Z");
  EXPECT_EQ(retention_floor(policy_, later), at("2030-06-01T00:00:00Z"));
  auto earlier = secret_document();
  earlier.retain_until = at("2026-02-01T00:00:00Z");
  EXPECT_EQ(retention_floor(policy_, earlier), at("2027-01-15T08:00:00Z"));
}

TEST_F(RetentionRules, DestructionBeforeTheFloorIsRefusedNamingIt_S5_H3) {
  const auto doc = secret_document();
  const auto early = check_destroyable(policy_, doc, at("2027-01-15T07:59:59Z"));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(early.error().code, "retention");
  EXPECT_EQ(early.error().rule, "H3");
  EXPECT_NE(early.error().message.find("2027-01-15"), std::string::npos) << early.error().message;
  EXPECT_TRUE(check_destroyable(policy_, doc, at("2027-01-15T08:00:00Z")).ok());
}

TEST_F(RetentionRules, LegalHoldBlocksDestructionEvenAfterTheFloor_S5_H3) {
  auto doc = secret_document();
  doc.legal_hold = true;
  const auto held = check_destroyable(policy_, doc, at("2040-01-01T00:00:00Z"));
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.error().code, "legal_hold");
  EXPECT_EQ(held.error().rule, "H3");
  doc.legal_hold = false;
  EXPECT_TRUE(check_destroyable(policy_, doc, at("2040-01-01T00:00:00Z")).ok());
}

TEST_F(RetentionRules, ADestroyedDocumentIsGone_H3) {
  auto doc = secret_document();
  doc.destroyed_at = at("2028-01-01T00:00:00Z");
  doc.legal_hold = true;  // gone comes first: nothing is left to hold
  const auto again = check_destroyable(policy_, doc, at("2040-01-01T00:00:00Z"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kGone);
  EXPECT_EQ(again.error().code, "destroyed");
}

TEST_F(RetentionRules, PublicDocumentsHaveNoFloorByDefault_H3) {
  auto doc = secret_document();
  doc.level = policy::Level::kPublic;
  EXPECT_EQ(retention_floor(policy_, doc), doc.created_at);
  EXPECT_TRUE(check_destroyable(policy_, doc, doc.created_at).ok());
}

}  // namespace
}  // namespace baomi::services
