// Accounts and sessions: lockout with time as an input, token hashing and expiry, separation
// of duties (三员分立), the S2 pledge, and an audit entry for every attempt.
#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "auth/session_record.h"
#include "auth/sessions.h"
#include "auth/user_record.h"
#include "support/test_runtime.h"

namespace baomi::auth {
namespace {

using policy::Level;
using policy::Role;
using testing::TestRuntime;

constexpr std::string_view kHere = "192.0.2.10";

class AuthTest : public ::testing::Test {
 protected:
  TestRuntime t;
  Sessions sessions{t.rt()};
  Accounts accounts{t.rt()};
};

TEST_F(AuthTest, LoginReturnsTokenThatAuthenticates) {
  auto u = t.user("li.na", Role::kStaff, Level::kSecret);
  auto login = sessions.login("li.na", "password-123", kHere);
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_EQ(login->token.size(), 43u);
  EXPECT_EQ(login->expires_at, t.now + t.policy().session_ttl());
  auto who = sessions.authenticate(login->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user.id, u.id);
  // Usernames are matched case-insensitively.
  EXPECT_TRUE(sessions.login("LI.NA", "password-123", kHere).ok());
}

TEST_F(AuthTest, UnknownUserAndWrongPasswordAreIndistinguishable) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  auto unknown = sessions.login("nobody", "password-123", kHere);
  auto wrong = sessions.login("li.na", "wrong-password", kHere);
  ASSERT_FALSE(unknown.ok());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(unknown.error().code, "invalid_credentials");
  EXPECT_EQ(wrong.error().code, "invalid_credentials");
  EXPECT_EQ(unknown.error().message, wrong.error().message);
}

// The API.md contract: five failures within the window, then 423 even for the right password,
// from that source; the refusal grows with each further failure (first_delay doubling).
TEST_F(AuthTest, FiveFailuresFromOneSourceRefuseThatNameThereWithGrowingDelays) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  for (int i = 0; i < 5; ++i) {
    auto r = sessions.login("li.na", "wrong-password", kHere);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kUnauthenticated) << "attempt " << i + 1;
    t.now += std::chrono::minutes(2);
  }
  // Refused at the fifth failure (2 minutes ago) for first_delay = 1 minute: over now.
  EXPECT_TRUE(sessions.login("li.na", "password-123", kHere).ok());
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(sessions.login("li.na", "wrong-password", kHere).ok());
  auto locked = sessions.login("li.na", "password-123", kHere);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().kind, ErrorKind::kLocked);
  EXPECT_EQ(locked.error().code, "account_locked");
  // One more failure once the first minute is over doubles the refusal: 2 minutes.
  t.now += std::chrono::seconds(61);
  EXPECT_EQ(sessions.login("li.na", "wrong-password", kHere).error().kind,
            ErrorKind::kUnauthenticated);
  t.now += std::chrono::seconds(119);
  EXPECT_EQ(sessions.login("li.na", "password-123", kHere).error().kind, ErrorKind::kLocked);
  t.now += std::chrono::seconds(2);
  EXPECT_TRUE(sessions.login("li.na", "password-123", kHere).ok()) << "refusal over";
  bool throttle_audited = false;
  for (const auto& row : t.audit_rows()) {
    throttle_audited |= row.action == "session.throttle" && row.rule == "S9";
  }
  EXPECT_TRUE(throttle_audited);
}

// S9: failures from one source never refuse the same account from another (no lock-out).
TEST_F(AuthTest, RefusalFromOneSourceDoesNotReachAnother) {
  t.user("secadmin", Role::kSecadmin, Level::kPublic);
  for (int i = 0; i < 12; ++i)
    (void)sessions.login("secadmin", "guess-" + std::to_string(i), "203.0.113.9");
  EXPECT_EQ(sessions.login("secadmin", "password-123", "203.0.113.9").error().kind,
            ErrorKind::kLocked);
  EXPECT_TRUE(sessions.login("secadmin", "password-123", "127.0.0.1").ok());
  EXPECT_TRUE(sessions.login("secadmin", "password-123", kHere).ok());
}

// S9: an unknown name answers exactly as a known one, in every state.
TEST_F(AuthTest, UnknownNamesAreRefusedExactlyLikeKnownOnes) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  for (int i = 0; i < 7; ++i) {
    auto known = sessions.login("li.na", "wrong-password", kHere);
    auto unknown = sessions.login("no.body", "wrong-password", kHere);
    ASSERT_FALSE(known.ok());
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(known.error().kind, unknown.error().kind) << "attempt " << i + 1;
    EXPECT_EQ(known.error().code, unknown.error().code);
    EXPECT_EQ(known.error().message, unknown.error().message);
    EXPECT_EQ(known.error().code, i < 5 ? "invalid_credentials" : "account_locked");
  }
}

// S9: password spraying (many names, one source) is rate limited and alerts once per episode.
TEST_F(AuthTest, SprayingFromOneSourceIsRateLimitedAndAlertsOnce) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  std::vector<SourceBlock> alerts;
  sessions.set_spraying_alert([&](barrier::WriteTx&, const SourceBlock& b, TimePoint) {
    alerts.push_back(b);
    return Result<void>{};
  });
  const auto& l = t.policy().lockout();
  for (int i = 0; i <= l.source_max_names; ++i) {
    auto r = sessions.login("user" + std::to_string(i), "Spring2026!", "198.51.100.7");
    EXPECT_EQ(r.error().code, "invalid_credentials") << "name " << i;
  }
  auto limited = sessions.login("li.na", "password-123", "198.51.100.7");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().kind, ErrorKind::kRateLimited);
  EXPECT_EQ(limited.error().code, "rate_limited");
  EXPECT_EQ(sessions.retry_after("198.51.100.7"), l.source_block);
  EXPECT_TRUE(sessions.login("li.na", "password-123", kHere).ok()) << "other sources unaffected";
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].source, "198.51.100.7");
  EXPECT_EQ(alerts[0].names, static_cast<std::size_t>(l.source_max_names) + 1);
  // The block ends, the spraying goes on at once: blocked again, same episode, no new alert.
  t.now += l.source_block;
  for (int i = 0; i <= l.source_max_names; ++i) {
    (void)sessions.login("more" + std::to_string(i), "Spring2026!", "198.51.100.7");
  }
  EXPECT_EQ(sessions.login("li.na", "password-123", "198.51.100.7").error().kind,
            ErrorKind::kRateLimited);
  EXPECT_EQ(alerts.size(), 1u);
  // Quiet for a whole window after the block: the next spraying is a new episode.
  t.now += l.source_block + l.source_window + std::chrono::seconds(1);
  for (int i = 0; i <= l.source_max_names; ++i) {
    (void)sessions.login("again" + std::to_string(i), "Spring2026!", "198.51.100.7");
  }
  EXPECT_EQ(alerts.size(), 2u);
}

TEST_F(AuthTest, FailuresSpreadBeyondTheWindowDoNotLock) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  for (int i = 0; i < 8; ++i) {
    EXPECT_FALSE(sessions.login("li.na", "wrong-password", kHere).ok());
    t.now += std::chrono::minutes(4);  // never 5 within 15 minutes
  }
  EXPECT_TRUE(sessions.login("li.na", "password-123", kHere).ok());
}

TEST_F(AuthTest, SuccessfulLoginResetsFailureCount) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(sessions.login("li.na", "bad-password", kHere).ok());
  EXPECT_TRUE(sessions.login("li.na", "password-123", kHere).ok());
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(sessions.login("li.na", "bad-password", kHere).ok());
  EXPECT_TRUE(sessions.login("li.na", "password-123", kHere).ok());
}

TEST_F(AuthTest, TokensExpireAndLogoutRevokes) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  auto a = sessions.login("li.na", "password-123", kHere).value();
  auto b = sessions.login("li.na", "password-123", kHere).value();
  auto who = sessions.authenticate(a.token).value();
  ASSERT_TRUE(sessions.logout(who).ok());
  EXPECT_EQ(sessions.authenticate(a.token).error().kind, ErrorKind::kUnauthenticated);
  EXPECT_TRUE(sessions.authenticate(b.token).ok()) << "logout ends only that session";
  t.now = b.expires_at;
  EXPECT_FALSE(sessions.authenticate(b.token).ok()) << "expired at expires_at";
  EXPECT_FALSE(sessions.authenticate("").ok());
  EXPECT_FALSE(sessions.authenticate(std::string(500, 'a')).ok());
}

TEST_F(AuthTest, TokensAreStoredOnlyAsKeyedHashes) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  auto login = sessions.login("li.na", "password-123", kHere).value();
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    const auto& table = session_record_type().table();
                    BAOMI_ASSIGN_OR_RETURN(auto by_token, tx.get_row(table, {login.token}));
                    EXPECT_FALSE(by_token.has_value());
                    BAOMI_ASSIGN_OR_RETURN(
                        auto by_hash, tx.get_row(table, {t.rt().barrier.token_hash(login.token)}));
                    EXPECT_TRUE(by_hash.has_value());
                    return {};
                  })
                  .ok());
}

// I1: a database editor who kept the row from when an account held a higher clearance, and
// puts it back after the clearance was lowered, gets an integrity error, not the old clearance.
TEST_F(AuthTest, OlderAccountRowPutBackIsRefused_I1) {
  auto sec = t.user("secadmin", Role::kSecadmin, Level::kPublic);
  auto target = t.user("li.na", Role::kStaff, Level::kInternal);
  ASSERT_TRUE(accounts.set_clearance(sec, target.id, "top_secret", {}).ok());
  const auto& table = user_record_type().table();
  std::optional<storage::Row> cleared;
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(cleared, tx.get_row(table, {target.id}));
                    return {};
                  })
                  .ok());
  ASSERT_TRUE(accounts.set_clearance(sec, target.id, "internal", {}).ok());
  ASSERT_TRUE(t.store()
                  .write([&](storage::WriteTx& tx) -> Result<void> {
                    return tx.update_row(table, *cleared, std::nullopt);
                  })
                  .ok());
  auto read = accounts.get_user(sec, target.id);
  ASSERT_FALSE(read.ok()) << "the replayed clearance was accepted";
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
  auto login = sessions.login("li.na", "password-123", kHere);
  EXPECT_FALSE(login.ok()) << "no login on a replayed account row";
}

// I1: the row of an ended session, copied aside and put back by a database editor, does not
// bring the session back.
TEST_F(AuthTest, EndedSessionPutBackInTheDatabaseIsRefused_I1) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  auto login = sessions.login("li.na", "password-123", kHere).value();
  const auto& table = session_record_type().table();
  const storage::Row key{t.rt().barrier.token_hash(login.token)};
  std::optional<storage::Row> saved;
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(saved, tx.get_row(table, key));
                    return {};
                  })
                  .ok());
  auto who = sessions.authenticate(login.token);
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(sessions.logout(*who).ok());
  EXPECT_FALSE(sessions.authenticate(login.token).ok());
  ASSERT_TRUE(
      t.store()
          .write([&](storage::WriteTx& tx) -> Result<void> { return tx.insert_row(table, *saved); })
          .ok());
  auto replayed = sessions.authenticate(login.token);
  ASSERT_FALSE(replayed.ok()) << "an ended session came back";
  EXPECT_EQ(replayed.error().kind, ErrorKind::kIntegrity);
}

// Separation of duties (三员分立, RULES.md): sysadmin mints business accounts only.
TEST_F(AuthTest, SoD_SysadminCreatesBusinessAccountsOnly) {
  auto sys = t.user("sysadmin", Role::kSysadmin, Level::kPublic);
  NewUser staff{"wang.fang", "王芳", "general_cs", "password-123", {"staff"}};
  auto created = accounts.create_user(sys, staff);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->clearance, Level::kPublic) << "clearance comes only from secadmin";
  NewUser admin{"evil", "x", "general_cs", "password-123", {"auditor"}};
  auto refused = accounts.create_user(sys, admin);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kForbidden);
  NewUser mixed{"mixed", "x", "general_cs", "password-123", {"staff", "secadmin"}};
  EXPECT_EQ(accounts.create_user(sys, mixed).error().code, "separation_of_duties");
  auto staff_user = t.user("li.na", Role::kManager, Level::kTopSecret);
  EXPECT_EQ(
      accounts.create_user(staff_user, NewUser{"x2", "x", "general_cs", "password-123", {"staff"}})
          .error()
          .kind,
      ErrorKind::kForbidden);
}

TEST_F(AuthTest, SoD_OnlySecadminSetsClearance) {
  auto sys = t.user("sysadmin", Role::kSysadmin, Level::kPublic);
  auto sec = t.user("secadmin", Role::kSecadmin, Level::kPublic);
  auto target = t.user("li.na", Role::kStaff, Level::kPublic);
  auto by_sys = accounts.set_clearance(sys, target.id, "secret", {"finance"});
  ASSERT_FALSE(by_sys.ok());
  EXPECT_EQ(by_sys.error().kind, ErrorKind::kForbidden);
  auto by_sec = accounts.set_clearance(sec, target.id, "secret", {"finance"});
  ASSERT_TRUE(by_sec.ok()) << by_sec.error().message;
  EXPECT_EQ(by_sec->clearance, Level::kSecret);
  EXPECT_EQ(by_sec->categories, testing::cats(t.policy(), {"finance"}));
  // secadmin cannot raise another administrator's clearance.
  EXPECT_FALSE(accounts.set_clearance(sec, sys.id, "top_secret", {}).ok());
  EXPECT_EQ(accounts.set_clearance(sec, target.id, "ultra", {}).error().kind,
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(accounts.set_clearance(sec, target.id, "secret", {"nope"}).error().kind,
            ErrorKind::kInvalidArgument);
}

TEST_F(AuthTest, SoD_StaffCannotReadAccounts) {
  auto staff = t.user("li.na", Role::kStaff, Level::kSecret);
  auto sys = t.user("sysadmin", Role::kSysadmin, Level::kPublic);
  EXPECT_EQ(accounts.list_users(staff, "", 10).error().kind, ErrorKind::kForbidden);
  auto page = accounts.list_users(sys, "", 1);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->users.size(), 1u);
  ASSERT_TRUE(page->next_cursor.has_value());
  auto next = accounts.list_users(sys, *page->next_cursor, 10);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->users.size(), 1u);
  EXPECT_NE(next->users[0].id, page->users[0].id);
}

TEST_F(AuthTest, S2_PledgeAcceptanceIsRecordedOnceAndAudited) {
  auto u = t.user("li.na", Role::kStaff, Level::kSecret, 0, /*pledge=*/false);
  EXPECT_FALSE(u.pledge_at.has_value());
  auto first = accounts.accept_pledge(u).value();
  ASSERT_TRUE(first.pledge_at.has_value());
  t.now += std::chrono::hours(1);
  auto again = accounts.accept_pledge(first).value();
  EXPECT_EQ(*again.pledge_at, *first.pledge_at);
  int audited = 0;
  for (const auto& row : t.audit_rows())
    audited += row.action == "pledge.accept" && row.rule == "S2";
  EXPECT_EQ(audited, 2);
}

TEST_F(AuthTest, NewAccountValidationNamesTheField) {
  auto sys = t.user("sysadmin", Role::kSysadmin, Level::kPublic);
  auto bad_name =
      accounts.create_user(sys, {"has space", "x", "general_cs", "password-123", {"staff"}});
  EXPECT_NE(bad_name.error().message.find("username"), std::string::npos);
  auto short_pw = accounts.create_user(sys, {"ok.name", "x", "general_cs", "short", {"staff"}});
  EXPECT_NE(short_pw.error().message.find("password"), std::string::npos);
  auto bad_role =
      accounts.create_user(sys, {"ok.name", "x", "general_cs", "password-123", {"king"}});
  EXPECT_NE(bad_role.error().message.find("roles"), std::string::npos);
  auto dup = accounts.create_user(sys, {"sysadmin", "x", "general_cs", "password-123", {"staff"}});
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
}

TEST_F(AuthTest, PersonalDataIsSealedInStorage) {
  t.user("zhang.unique.marker", Role::kStaff, Level::kSecret);
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    const auto& table = user_record_type().table();
                    storage::Scan all;
                    all.limit = 10;
                    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(table, all));
                    EXPECT_FALSE(rows.empty());
                    for (const auto& r : rows) {
                      const auto& sealed = std::get<Bytes>(r[table.position("sealed_username")]);
                      EXPECT_EQ(to_string(sealed).find("zhang.unique.marker"), std::string::npos);
                      EXPECT_EQ(
                          std::get<std::string>(r[table.position("username_index")]).find("zhang"),
                          std::string::npos);
                    }
                    return {};
                  })
                  .ok());
}

TEST_F(AuthTest, EveryLoginAttemptIsAuditedAndTheChainVerifies) {
  t.user("li.na", Role::kStaff, Level::kSecret);
  (void)sessions.login("li.na", "password-123", kHere);
  (void)sessions.login("li.na", "nope-nope", kHere);
  (void)sessions.login("ghost", "nope-nope", kHere);
  int allow = 0, deny = 0;
  for (const auto& row : t.audit_rows()) {
    if (row.action != "session.create") continue;
    (row.decision == "allow" ? allow : deny)++;
    EXPECT_EQ(row.detail.find("ghost"), std::string::npos)
        << "usernames enter the trail only hashed";
  }
  EXPECT_EQ(allow, 1);
  EXPECT_EQ(deny, 2);
  EXPECT_TRUE(t.verify().ok);
}

}  // namespace
}  // namespace baomi::auth
