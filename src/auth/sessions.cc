#include "auth/sessions.h"

#include "crypto/password.h"
#include "crypto/random.h"

namespace baomi::auth {
namespace {

Error invalid_credentials() {
  return {ErrorKind::kUnauthenticated, "invalid_credentials", "invalid username or password", {}};
}
Error account_locked() {
  return {ErrorKind::kLocked, "account_locked",
          "account locked after repeated failed logins; try again later", {}};
}
Error unauthenticated() {
  return {ErrorKind::kUnauthenticated, "unauthenticated", "missing, invalid or expired token", {}};
}

Bytes session_row_fields(const storage::SessionRow& r) {
  Bytes out;
  append_field(out, "sessions");
  append_field(out, r.token_hash);
  append_field(out, r.user_id);
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  append_u64(out, static_cast<std::uint64_t>(r.expires_at_us));
  return out;
}

// A fixed hash to verify against when the username is unknown, so that both failures cost
// the same time and reveal nothing about which accounts exist.
const std::string& decoy_hash() {
  static const std::string hash = crypto::hash_password("baomi-decoy-password").value();
  return hash;
}

}  // namespace

Result<LoginResult> Sessions::login(std::string_view username, std::string_view password) const {
  const auto index = username_index(rt_.barrier, username);
  std::optional<storage::UserRow> row;
  BAOMI_TRY(rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(row, tx.find_user_by_username(index));
    return {};
  }));
  const auto now = rt_.now();
  if (!row) {
    (void)crypto::verify_password(decoy_hash(), password);
    BAOMI_TRY(rt_.audit.record(
        rt_.store,
        {"-", "session.create", "user:unknown", "deny", "",
         R"({"reason":"invalid_credentials","username_hash":")" +
             rt_.barrier.audit_hash(normalise_username(username)) + "\"}"},
        now));
    return invalid_credentials();
  }
  BAOMI_ASSIGN_OR_RETURN(User user, open_user(rt_, *row));
  const std::string target = "user:" + user.id;
  if (user.locked_until && *user.locked_until > now) {
    BAOMI_TRY(rt_.audit.record(
        rt_.store, {user.id, "session.create", target, "deny", "", R"({"reason":"account_locked"})"},
        now));
    return account_locked();
  }
  if (!crypto::verify_password(user.password_hash, password)) return record_failure(user);

  LoginResult result{crypto::random_token(), now + rt_.policy.session_ttl(), user};
  storage::SessionRow session{rt_.barrier.token_hash(result.token), user.id, to_micros(now),
                              to_micros(result.expires_at), {}};
  session.mac = rt_.barrier.row_mac(session_row_fields(session));
  BAOMI_TRY(rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.clear_login_failures(user.id));
    BAOMI_TRY(tx.delete_expired_sessions(to_micros(now)));
    BAOMI_TRY(tx.insert_session(session));
    BAOMI_TRY(rt_.audit.append(tx, {user.id, "session.create", target, "allow", "", "{}"}, now));
    return {};
  }));
  return result;
}

Result<LoginResult> Sessions::record_failure(const User& user) const {
  const auto now = rt_.now();
  const auto& lockout = rt_.policy.lockout();
  const std::string target = "user:" + user.id;
  BAOMI_TRY(rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.add_login_failure(user.id, to_micros(now)));
    BAOMI_ASSIGN_OR_RETURN(auto failures,
                           tx.count_login_failures(user.id, to_micros(now - lockout.window)));
    BAOMI_TRY(rt_.audit.append(
        tx, {user.id, "session.create", target, "deny", "", R"({"reason":"invalid_credentials"})"},
        now));
    if (failures < static_cast<std::size_t>(lockout.max_failures)) return {};
    BAOMI_ASSIGN_OR_RETURN(auto fresh, tx.get_user(user.id));
    if (!fresh) return Error::not_found("user not found");
    BAOMI_TRY(check_user_row(rt_, *fresh));
    fresh->locked_until_us = to_micros(now + lockout.lock_duration);
    mac_user_row(rt_, *fresh);
    BAOMI_TRY(tx.update_user(*fresh));
    BAOMI_TRY(tx.clear_login_failures(user.id));
    BAOMI_TRY(tx.delete_sessions_of(user.id));
    BAOMI_TRY(rt_.audit.append(tx,
                               {"system", "account.lock", target, "allow", "",
                                R"({"failures":)" + std::to_string(failures) + "}"},
                               now));
    return {};
  }));
  // The attempt that locks still reports bad credentials; attempts while locked get 423.
  return invalid_credentials();
}

Result<Authenticated> Sessions::authenticate(std::string_view bearer_token) const {
  if (bearer_token.empty() || bearer_token.size() > 128) return unauthenticated();
  const auto hash = rt_.barrier.token_hash(bearer_token);
  const auto now = rt_.now();
  std::optional<Authenticated> who;
  BAOMI_TRY(rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto session, tx.get_session(hash));
    if (!session) return {};
    // A session row edited in the database (another owner, a later expiry) is refused.
    BAOMI_TRY(rt_.barrier.check_row_mac(session_row_fields(*session), session->mac));
    if (session->expires_at_us <= to_micros(now)) return {};
    BAOMI_ASSIGN_OR_RETURN(auto user, load_user(rt_, tx, session->user_id));
    who = Authenticated{std::move(user), hash};
    return {};
  }));
  if (!who) return unauthenticated();
  if (who->user.locked_until && *who->user.locked_until > now) return unauthenticated();
  return std::move(*who);
}

Result<void> Sessions::logout(const Authenticated& who) const {
  const auto now = rt_.now();
  return rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.delete_session(who.token_hash));
    BAOMI_TRY(rt_.audit.append(
        tx, {who.user.id, "session.delete", "user:" + who.user.id, "allow", "", "{}"}, now));
    return {};
  });
}

}  // namespace baomi::auth
