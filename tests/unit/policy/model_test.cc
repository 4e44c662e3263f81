// Names, sets, markings (S5) and the value syntaxes of the policy file.
#include <gtest/gtest.h>

#include <bit>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "policy/values.h"

namespace baomi::policy {
namespace {

using std::chrono::seconds;

TimePoint at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

TEST(Marking, S5_LevelMarkingStarAndTermDate) {
  const Policy p(PolicyData{}, "v");
  EXPECT_EQ(p.marking(Level::kSecret, at("2030-12-31")), "秘密★2030-12-31");
  EXPECT_EQ(p.marking(Level::kConfidential, at("2027-06-01T08:00:00Z")), "机密★2027-06-01");
  EXPECT_EQ(p.marking(Level::kTopSecret, at("2030-12-31T23:59:59Z")), "绝密★2030-12-31");
  EXPECT_EQ(p.marking(Level::kInternal, at("2030-01-01")), "内部★2030-01-01");
}

TEST(Marking, S5_NoTermGivesTheBareMarking) {
  const Policy p(PolicyData{}, "v");
  EXPECT_EQ(p.marking(Level::kSecret, std::nullopt), "秘密");
  EXPECT_EQ(p.marking(Level::kTopSecret, std::nullopt), "绝密");
}

TEST(Marking, S5_PublicIsAlwaysJustItsMarking) {
  const Policy p(PolicyData{}, "v");
  EXPECT_EQ(p.marking(Level::kPublic, std::nullopt), "公开");
  EXPECT_EQ(p.marking(Level::kPublic, at("2030-12-31")), "公开");
}

TEST(Marking, S5_MarkingsComeFromThePolicy) {
  PolicyData data;
  data.markings[static_cast<int>(Level::kSecret)] = "SECRET";
  const Policy p(data, "v");
  EXPECT_EQ(p.marking(Level::kSecret, at("2029-02-03")), "SECRET★2029-02-03");
  EXPECT_EQ(p.marking_name(Level::kSecret), "SECRET");
}

TEST(Names, LevelsRolesAndActionsRoundTrip) {
  const Policy p(PolicyData{}, "v");
  for (int i = 0; i < kLevelCount; ++i) {
    const auto level = static_cast<Level>(i);
    EXPECT_EQ(p.level_from_name(p.level_name(level)), level);
  }
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    EXPECT_EQ(p.role_from_name(p.role_name(role)), role);
  }
  EXPECT_EQ(p.level_name(Level::kTopSecret), "top_secret");
  EXPECT_EQ(p.role_name(Role::kFrontDesk), "front_desk");
  EXPECT_FALSE(p.level_from_name("Secret").has_value());
  EXPECT_FALSE(p.level_from_name("秘密").has_value());  // markings are not API names
  EXPECT_FALSE(p.role_from_name("root").has_value());
  EXPECT_EQ(action_name(Action::kReadDocumentContent), "read_document_content");
  EXPECT_EQ(action_name(Action::kAcceptPledge), "accept_pledge");
  EXPECT_EQ(action_name(static_cast<Action>(kActionCount)), "unknown");
}

TEST(Names, CategorySetsFromNamesAndBack) {
  const Policy p(PolicyData{}, "v");
  const std::vector<std::string> names = {"finance", "business_decisions"};
  const auto set = p.category_set(names);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*set, category_bit(0) | category_bit(5));
  EXPECT_EQ(p.category_names(*set), (std::vector<std::string>{"business_decisions", "finance"}));
  const std::vector<std::string> bad = {"finance", "gossip"};
  const auto err = p.category_set(bad);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(err.error().code, "categories");
  EXPECT_NE(err.error().message.find("gossip"), std::string::npos);
}

TEST(Names, RoleSetsFromNamesAndBack) {
  const Policy p(PolicyData{}, "v");
  const std::vector<std::string> names = {"custodian", "staff"};
  const auto set = p.role_set(names);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*set, role_bit(Role::kStaff) | role_bit(Role::kCustodian));
  EXPECT_EQ(p.role_names(*set), (std::vector<std::string>{"staff", "custodian"}));
  const std::vector<std::string> bad = {"boss"};
  EXPECT_EQ(p.role_set(bad).error().code, "roles");
}

TEST(Names, AdminAndBusinessRolesPartitionAllRoles) {  // SoD: 三员分立
  EXPECT_EQ(kAdminRoles & kBusinessRoles, 0u);
  EXPECT_EQ(std::popcount(kAdminRoles), 3);
  EXPECT_EQ(std::popcount(kAllRoles), kRoleCount);
  EXPECT_TRUE(is_admin_role(Role::kAuditor));
  EXPECT_FALSE(is_admin_role(Role::kCustodian));
}

TEST(PolicyConstruction, RejectsAdminCreatorsAndTooManyCategories) {
  PolicyData admins;
  admins.documents.creator_roles = role_bit(Role::kSysadmin);
  EXPECT_THROW(Policy(admins, "v"), std::invalid_argument);
  PolicyData many;
  many.categories.resize(33, {"x", ""});
  EXPECT_THROW(Policy(many, "v"), std::invalid_argument);
}

TEST(Values, Durations) {
  EXPECT_EQ(parse_duration("15m"), seconds{900});
  EXPECT_EQ(parse_duration("8h"), seconds{8 * 3600});
  EXPECT_EQ(parse_duration("1d"), seconds{86400});
  EXPECT_EQ(parse_duration("1h30m"), seconds{5400});
  EXPECT_EQ(parse_duration("90s"), seconds{90});
  for (const char* bad : {"", "8", "h", "0s", "15x", "1.5h", "-1h", " 1h", "1h ", "9999999999h"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(Values, Sizes) {
  EXPECT_EQ(parse_size("1048576"), 1048576u);
  EXPECT_EQ(parse_size("512B"), 512u);
  EXPECT_EQ(parse_size("1KiB"), 1024u);
  EXPECT_EQ(parse_size("1MiB"), 1u << 20);
  EXPECT_EQ(parse_size("2GiB"), std::uint64_t{2} << 30);
  EXPECT_EQ(parse_size("1TiB"), std::uint64_t{1} << 40);
  for (const char* bad : {"", "GiB", "2GB", "2 GiB", "-1", "1.5MiB", "999999999999999TiB"}) {
    EXPECT_FALSE(parse_size(bad).has_value()) << bad;
  }
}

TEST(Values, Identifiers) {
  EXPECT_TRUE(is_identifier("contracts_customers"));
  EXPECT_TRUE(is_identifier("c2"));
  for (const char* bad : {"", "Finance", "2c", "_x", "a-b", "a b", "财务"}) {
    EXPECT_FALSE(is_identifier(bad)) << bad;
  }
  EXPECT_FALSE(is_identifier(std::string(65, 'a')));
}

TEST(Values, S5_MarkingsAreUnambiguous) {
  EXPECT_TRUE(is_valid_marking("秘密"));
  EXPECT_TRUE(is_valid_marking("SECRET"));
  EXPECT_FALSE(is_valid_marking(""));
  EXPECT_FALSE(is_valid_marking("秘★密"));
  EXPECT_FALSE(is_valid_marking("秘 密"));
  EXPECT_FALSE(is_valid_marking("秘\n密"));
  EXPECT_FALSE(is_valid_marking("\xff"));
  EXPECT_FALSE(is_valid_marking(std::string(65, 'A')));
}

TEST(Values, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("保密 ok \xF0\x9F\x94\x92"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE4\xBF"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\x80"));              // stray continuation byte
}

}  // namespace
}  // namespace baomi::policy
