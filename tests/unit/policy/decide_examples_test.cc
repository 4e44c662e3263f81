// Readable examples of single decisions, one per rule, alongside the exhaustive grid: each
// test states a situation from RULES.md in words and checks the full Decision.
#include <gtest/gtest.h>

#include <utility>

#include "policy/policy.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

const Context kNow{from_micros(1'800'000'000'000'000)};

class Decide : public ::testing::Test {
 protected:
  Policy policy_{PolicyData{}, "test"};
  CategorySet finance_ = category_bit(*policy_.category_index("finance"));
  CategorySet personnel_ = category_bit(*policy_.category_index("personnel"));

  Subject staff(Level clearance, CategorySet cats, bool pledge = true) const {
    return {.roles = role_bit(Role::kStaff),
            .clearance = clearance,
            .categories = cats,
            .pledge_accepted = pledge,
            .id = "u-staff"};
  }
  static Subject admin(Role role) {
    return {.roles = role_bit(role),
            .clearance = Level::kTopSecret,  // even a (wrongly) high clearance changes nothing
            .categories = ~CategorySet{0},
            .pledge_accepted = true,
            .id = "u-admin"};
  }
  Resource doc(Level level, CategorySet cats) const {
    return {.level = level, .categories = cats, .custodian_id = "u-keeper", .author_id = "u-ann"};
  }
  Decision decide(const Subject& s, Action a, const Resource& r) const {
    return policy_.decide(s, a, r, kNow);
  }
};

void expect_decision(const Decision& d, bool allowed, DenyAs as, std::string_view rule,
                     std::string_view code) {
  EXPECT_EQ(d.allowed, allowed);
  EXPECT_EQ(d.deny_as, as);
  EXPECT_EQ(d.rule, rule);
  EXPECT_EQ(d.code, code);
  EXPECT_FALSE(d.reason.empty());
}

TEST_F(Decide, S6_MetadataAboveClearanceIsNotFoundSoExistenceDoesNotLeak) {
  const auto d = decide(staff(Level::kInternal, finance_), Action::kReadDocumentMetadata,
                        doc(Level::kSecret, finance_));
  expect_decision(d, false, DenyAs::kNotFound, "S6", "clearance");
  EXPECT_EQ(d.reason, "not found");  // nothing about the document in a client-visible reason
}

TEST_F(Decide, S6_ContentAboveClearanceIsAlsoNotFound) {
  expect_decision(decide(staff(Level::kInternal, finance_), Action::kReadDocumentContent,
                         doc(Level::kSecret, finance_)),
                  false, DenyAs::kNotFound, "S6", "clearance");
}

TEST_F(Decide, S6_ContentWithoutEveryCategoryIsForbiddenNeedToKnow) {
  const auto d = decide(staff(Level::kSecret, finance_), Action::kReadDocumentContent,
                        doc(Level::kSecret, finance_ | personnel_));
  expect_decision(d, false, DenyAs::kForbidden, "S6", "need_to_know");
  // Metadata needs clearance only: the document is listed, its content is not served.
  expect_decision(decide(staff(Level::kSecret, finance_), Action::kReadDocumentMetadata,
                         doc(Level::kSecret, finance_ | personnel_)),
                  true, DenyAs::kNone, "S6", "ok");
}

TEST_F(Decide, S6_ClearanceAndEveryCategoryAllowContent) {
  expect_decision(decide(staff(Level::kConfidential, finance_ | personnel_),
                         Action::kReadDocumentContent, doc(Level::kSecret, finance_)),
                  true, DenyAs::kNone, "S6", "ok");
}

TEST_F(Decide, S6_ActiveGrantSuppliesNeedToKnowButNeverClearance) {
  Resource granted = doc(Level::kSecret, finance_);
  granted.has_active_grant = true;
  expect_decision(decide(staff(Level::kSecret, 0), Action::kReadDocumentContent, granted), true,
                  DenyAs::kNone, "S6", "grant");
  expect_decision(decide(staff(Level::kInternal, 0), Action::kReadDocumentContent, granted), false,
                  DenyAs::kNotFound, "S6", "clearance");
}

TEST_F(Decide, S2_NothingAbovePublicBeforeThePledge) {
  const Subject unpledged = staff(Level::kTopSecret, finance_, /*pledge=*/false);
  expect_decision(decide(unpledged, Action::kReadDocumentMetadata, doc(Level::kInternal, 0)), false,
                  DenyAs::kForbidden, "S2", "pledge_required");
  expect_decision(decide(unpledged, Action::kReadDocumentContent, doc(Level::kSecret, finance_)),
                  false, DenyAs::kForbidden, "S2", "pledge_required");
  expect_decision(decide(unpledged, Action::kCreateDocument, doc(Level::kSecret, finance_)), false,
                  DenyAs::kForbidden, "S2", "pledge_required");
  expect_decision(decide(unpledged, Action::kReadDocumentContent, doc(Level::kPublic, 0)), true,
                  DenyAs::kNone, "S6", "ok");
  expect_decision(decide(unpledged, Action::kAcceptPledge, Resource{}), true, DenyAs::kNone, "S2",
                  "ok");
}

TEST_F(Decide, S2_PledgeLevelIsAPolicySetting) {
  PolicyData data;
  data.documents.pledge_required_above = Level::kInternal;
  const Policy relaxed(data, "relaxed");
  const Subject unpledged = staff(Level::kSecret, 0, /*pledge=*/false);
  EXPECT_TRUE(
      relaxed.decide(unpledged, Action::kReadDocumentContent, doc(Level::kInternal, 0), kNow)
          .allowed);
  EXPECT_EQ(
      relaxed.decide(unpledged, Action::kReadDocumentContent, doc(Level::kSecret, 0), kNow).code,
      "pledge_required");
}

TEST_F(Decide, S4_CreateAtOrBelowOwnClearanceWithOwnCategoriesOnly) {
  const Subject s = staff(Level::kSecret, finance_);
  expect_decision(decide(s, Action::kCreateDocument, doc(Level::kSecret, finance_)), true,
                  DenyAs::kNone, "S4", "ok");
  expect_decision(decide(s, Action::kCreateDocument, doc(Level::kConfidential, finance_)), false,
                  DenyAs::kForbidden, "S6", "clearance");
  expect_decision(decide(s, Action::kCreateDocument, doc(Level::kInternal, personnel_)), false,
                  DenyAs::kForbidden, "S6", "need_to_know");
}

TEST_F(Decide, S4_CreatorRolesComeFromThePolicy) {
  PolicyData data;
  data.documents.creator_roles = role_bit(Role::kCustodian);
  const Policy strict(data, "strict");
  EXPECT_EQ(
      strict
          .decide(staff(Level::kSecret, 0), Action::kCreateDocument, doc(Level::kInternal, 0), kNow)
          .code,
      "role_not_allowed");
  Subject keeper = staff(Level::kSecret, 0);
  keeper.roles = role_bit(Role::kCustodian);
  EXPECT_TRUE(
      strict.decide(keeper, Action::kCreateDocument, doc(Level::kInternal, 0), kNow).allowed);
}

TEST_F(Decide, S5_CustodianOrAuthorUploadsOnlyCustodianReadsOldVersions) {
  Subject keeper = staff(Level::kSecret, 0);
  keeper.id = "u-keeper";
  Subject author = staff(Level::kSecret, 0);
  author.id = "u-ann";
  const Resource d = doc(Level::kSecret, finance_);
  expect_decision(decide(keeper, Action::kUploadDocumentContent, d), true, DenyAs::kNone, "S5",
                  "ok");
  expect_decision(decide(author, Action::kUploadDocumentContent, d), true, DenyAs::kNone, "S5",
                  "ok");
  expect_decision(decide(staff(Level::kSecret, finance_), Action::kUploadDocumentContent, d), false,
                  DenyAs::kForbidden, "S5", "not_custodian");
  expect_decision(decide(keeper, Action::kReadOldVersion, d), true, DenyAs::kNone, "S5", "ok");
  expect_decision(decide(author, Action::kReadOldVersion, d), false, DenyAs::kForbidden, "S5",
                  "not_custodian");
}

TEST_F(Decide, S5_CustodianStillNeedsClearance) {
  Subject keeper = staff(Level::kInternal, 0);
  keeper.id = "u-keeper";
  expect_decision(decide(keeper, Action::kUploadDocumentContent, doc(Level::kSecret, 0)), false,
                  DenyAs::kNotFound, "S6", "clearance");
}

TEST_F(Decide, S5_EmptyIdsNeverMakeSomeoneCustodian) {
  Subject nobody = staff(Level::kSecret, 0);
  nobody.id = "";
  Resource orphan = doc(Level::kSecret, 0);
  orphan.custodian_id = "";
  orphan.author_id = "";
  EXPECT_EQ(decide(nobody, Action::kReadOldVersion, orphan).code, "not_custodian");
}

TEST_F(Decide, SoD_AdminsNeverSeeOrWriteClassifiedDocuments) {
  for (Role r : {Role::kSysadmin, Role::kSecadmin, Role::kAuditor}) {
    SCOPED_TRACE(role_api_name(r));
    expect_decision(decide(admin(r), Action::kReadDocumentMetadata, doc(Level::kInternal, 0)),
                    false, DenyAs::kNotFound, "SoD", "separation_of_duties");
    expect_decision(decide(admin(r), Action::kReadDocumentMetadata, doc(Level::kPublic, 0)), true,
                    DenyAs::kNone, "S6", "ok");
    expect_decision(decide(admin(r), Action::kCreateDocument, doc(Level::kPublic, 0)), false,
                    DenyAs::kForbidden, "SoD", "separation_of_duties");
    expect_decision(decide(admin(r), Action::kUploadDocumentContent, doc(Level::kPublic, 0)), false,
                    DenyAs::kForbidden, "SoD", "separation_of_duties");
  }
}

TEST_F(Decide, SoD_SysadminCreatesBusinessAccountsOnly) {
  Resource wanted;
  wanted.target_roles = role_bit(Role::kStaff) | role_bit(Role::kCustodian);
  expect_decision(decide(admin(Role::kSysadmin), Action::kCreateUser, wanted), true, DenyAs::kNone,
                  "SoD", "ok");
  wanted.target_roles = role_bit(Role::kAuditor);
  expect_decision(decide(admin(Role::kSysadmin), Action::kCreateUser, wanted), false,
                  DenyAs::kForbidden, "SoD", "admin_role_not_allowed");
  expect_decision(decide(admin(Role::kSecadmin), Action::kCreateUser, Resource{}), false,
                  DenyAs::kForbidden, "SoD", "separation_of_duties");
  expect_decision(decide(staff(Level::kTopSecret, 0), Action::kCreateUser, Resource{}), false,
                  DenyAs::kForbidden, "SoD", "role_not_allowed");
}

TEST_F(Decide, SoD_OnlySecadminSetsClearanceOnBusinessAccountsAndNeverItsOwn) {
  Resource target;
  target.target_roles = role_bit(Role::kStaff);
  expect_decision(decide(admin(Role::kSecadmin), Action::kSetClearance, target), true,
                  DenyAs::kNone, "SoD", "ok");
  Subject self = admin(Role::kSecadmin);
  self.is_self_target = true;
  expect_decision(decide(self, Action::kSetClearance, target), false, DenyAs::kForbidden, "SoD",
                  "separation_of_duties");
  target.target_roles = role_bit(Role::kSysadmin);
  expect_decision(decide(admin(Role::kSecadmin), Action::kSetClearance, target), false,
                  DenyAs::kForbidden, "SoD", "admin_role_not_allowed");
  expect_decision(decide(admin(Role::kSysadmin), Action::kSetClearance, target), false,
                  DenyAs::kForbidden, "SoD", "separation_of_duties");
}

TEST_F(Decide, SoD_EachAdminReadsOnlyWhatItsDutyNeeds) {
  const auto allowed = [&](Role r, Action a) { return decide(admin(r), a, Resource{}).allowed; };
  EXPECT_TRUE(allowed(Role::kAuditor, Action::kReadAudit));
  EXPECT_FALSE(allowed(Role::kSysadmin, Action::kReadAudit));
  EXPECT_FALSE(allowed(Role::kSecadmin, Action::kReadAudit));
  EXPECT_TRUE(allowed(Role::kAuditor, Action::kReadAlerts));
  EXPECT_TRUE(allowed(Role::kSecadmin, Action::kReadAlerts));
  EXPECT_FALSE(allowed(Role::kSysadmin, Action::kReadAlerts));
  EXPECT_TRUE(allowed(Role::kSysadmin, Action::kReadMetrics));
  EXPECT_FALSE(allowed(Role::kAuditor, Action::kReadMetrics));
  // Sealing a running server (its keys leave memory) is the security administrator's.
  EXPECT_TRUE(allowed(Role::kSecadmin, Action::kSealInstance));
  EXPECT_FALSE(allowed(Role::kSysadmin, Action::kSealInstance));
  EXPECT_FALSE(allowed(Role::kAuditor, Action::kSealInstance));
  EXPECT_FALSE(decide(staff(Level::kTopSecret, 0), Action::kSealInstance, Resource{}).allowed);
  for (const auto action : {Action::kRotateKeys, Action::kReadKeyStatus}) {
    EXPECT_TRUE(allowed(Role::kSecadmin, action));
    EXPECT_FALSE(allowed(Role::kSysadmin, action));
    EXPECT_FALSE(allowed(Role::kAuditor, action));
    EXPECT_FALSE(decide(staff(Level::kTopSecret, 0), action, Resource{}).allowed);
  }
  EXPECT_TRUE(allowed(Role::kSysadmin, Action::kReadUsers));
  EXPECT_TRUE(allowed(Role::kSecadmin, Action::kReadUsers));
  EXPECT_FALSE(allowed(Role::kAuditor, Action::kReadUsers));
  EXPECT_FALSE(decide(staff(Level::kTopSecret, 0), Action::kReadAudit, Resource{}).allowed);
}

TEST_F(Decide, SoD_RoleSetsBreakingSeparationAreRefusedEverything) {
  Subject both = admin(Role::kSysadmin);
  both.roles |= role_bit(Role::kAuditor);
  expect_decision(decide(both, Action::kReadMetrics, Resource{}), false, DenyAs::kForbidden, "SoD",
                  "separation_of_duties");
  Subject mixed = staff(Level::kSecret, finance_);
  mixed.roles |= role_bit(Role::kSecadmin);
  expect_decision(decide(mixed, Action::kReadDocumentMetadata, doc(Level::kPublic, 0)), false,
                  DenyAs::kNotFound, "SoD", "separation_of_duties");
  Subject none = staff(Level::kSecret, finance_);
  none.roles = 0;
  expect_decision(decide(none, Action::kAcceptPledge, Resource{}), false, DenyAs::kForbidden, "SoD",
                  "role_not_allowed");
  none.roles = RoleSet{1} << 20;  // a bit no role uses
  EXPECT_EQ(decide(none, Action::kAcceptPledge, Resource{}).code, "role_not_allowed");
}

TEST_F(Decide, UnknownActionFailsClosed) {
  const auto d =
      decide(staff(Level::kTopSecret, finance_), static_cast<Action>(200), doc(Level::kPublic, 0));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.deny_as, DenyAs::kForbidden);
  EXPECT_EQ(d.code, "unknown_action");
}

TEST_F(Decide, DefaultResourceFailsClosedAsTopSecret) {
  EXPECT_FALSE(
      decide(staff(Level::kSecret, finance_), Action::kReadDocumentMetadata, Resource{}).allowed);
}

// The hot path must never throw (a decision is made on every request).
static_assert(noexcept(std::declval<const Policy&>().decide(std::declval<const Subject&>(),
                                                            Action::kReadAudit,
                                                            std::declval<const Resource&>(),
                                                            std::declval<const Context&>())));

}  // namespace
}  // namespace baomi::policy
