// check_request_terms() and pending_deadline(): what a request may ask for under its rule
// (S4 a secret is known for a limited time; S7 each copy is approved and counted).
#include <gtest/gtest.h>

#include <string>

#include "policy/approvals.h"

namespace baomi::policy {
namespace {

void expect_invalid(const Status& s, std::string_view field, const std::string& context) {
  ASSERT_FALSE(s.ok()) << context;
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument) << context;
  EXPECT_EQ(s.error().code, field) << context;
  EXPECT_NE(s.error().message.find(field), std::string::npos) << s.error().message;
}

TEST(RequestTerms, DaysBoundariesForEveryDefaultRule_S4) {
  const Policy policy(PolicyData{}, "test");
  for (int t = 0; t < kRequestTypeCount; ++t) {
    for (int l = 0; l < kLevelCount; ++l) {
      const auto type = static_cast<RequestType>(t);
      const ApprovalRule& rule = policy.approval_rule(type, static_cast<Level>(l));
      const int copies = yields_copies(type) ? 1 : 0;
      const std::string ctx = std::string(request_type_name(type)) + "/" + std::to_string(l);
      EXPECT_TRUE(check_request_terms(rule, type, 1, copies).ok()) << ctx;
      EXPECT_TRUE(check_request_terms(rule, type, rule.max_days, copies).ok()) << ctx;
      expect_invalid(check_request_terms(rule, type, 0, copies), "days", ctx);
      expect_invalid(check_request_terms(rule, type, -3, copies), "days", ctx);
      expect_invalid(check_request_terms(rule, type, rule.max_days + 1, copies), "days", ctx);
    }
  }
}

TEST(RequestTerms, CopiesBoundariesForEveryDefaultRule_S7) {
  const Policy policy(PolicyData{}, "test");
  for (int t = 0; t < kRequestTypeCount; ++t) {
    for (int l = 0; l < kLevelCount; ++l) {
      const auto type = static_cast<RequestType>(t);
      const ApprovalRule& rule = policy.approval_rule(type, static_cast<Level>(l));
      const std::string ctx = std::string(request_type_name(type)) + "/" + std::to_string(l);
      if (yields_copies(type)) {
        EXPECT_TRUE(check_request_terms(rule, type, 1, 1).ok()) << ctx;
        EXPECT_TRUE(check_request_terms(rule, type, 1, rule.max_copies).ok()) << ctx;
        expect_invalid(check_request_terms(rule, type, 1, 0), "copies", ctx);
        expect_invalid(check_request_terms(rule, type, 1, -1), "copies", ctx);
        expect_invalid(check_request_terms(rule, type, 1, rule.max_copies + 1), "copies", ctx);
      } else {
        // access grants and declassification yield no copies at all
        EXPECT_TRUE(check_request_terms(rule, type, 1, 0).ok()) << ctx;
        expect_invalid(check_request_terms(rule, type, 1, 1), "copies", ctx);
        expect_invalid(check_request_terms(rule, type, 1, -1), "copies", ctx);
      }
    }
  }
}

TEST(RequestTerms, DaysAreCheckedBeforeCopies) {
  const ApprovalRule rule = default_approval_table().at(RequestType::kCopy, Level::kSecret);
  expect_invalid(check_request_terms(rule, RequestType::kCopy, 0, 0), "days", "both bad");
}

TEST(RequestTerms, DefaultLimitsShrinkWithTheLevel_S4_S7) {
  // The documented defaults: (max_days, max_copies) 90/10, 30/5, 14/3, 7/2, 3/1.
  const ApprovalTable table = default_approval_table();
  const int days[] = {90, 30, 14, 7, 3};
  const int copies[] = {10, 5, 3, 2, 1};
  for (int l = 0; l < kLevelCount; ++l) {
    const ApprovalRule& rule = table.at(RequestType::kExcerpt, static_cast<Level>(l));
    EXPECT_EQ(rule.max_days, days[l]);
    EXPECT_EQ(rule.max_copies, copies[l]);
    EXPECT_FALSE(rule.allow_unmarked);  // S5: every default copy carries its marking
  }
}

TEST(PendingDeadline, CreatedPlusTheRulesTtl) {
  const ApprovalTable table = default_approval_table();
  const TimePoint created = from_micros(1'700'000'000'000'000);
  EXPECT_EQ(pending_deadline(table.at(RequestType::kCopy, Level::kTopSecret), created),
            created + std::chrono::days{3});
  EXPECT_EQ(pending_deadline(table.at(RequestType::kAccess, Level::kPublic), created),
            created + std::chrono::days{14});
  EXPECT_EQ(pending_deadline(table.at(RequestType::kDeclassify, Level::kSecret), created),
            created + std::chrono::days{14});
  ApprovalRule hour;
  hour.pending_ttl = std::chrono::hours{1};
  EXPECT_EQ(pending_deadline(hour, created), created + std::chrono::hours{1});
}

}  // namespace
}  // namespace baomi::policy
