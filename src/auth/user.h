// User: an account as the services see it (decrypted), and its conversion to and from the
// storage row. Usernames and display names are personal data: sealed under the user's own data
// key, with a keyed blind index of the username for login lookup and uniqueness.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "barrier/transaction.h"
#include "core/result.h"
#include "policy/model.h"

namespace baomi::auth {

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  std::string department;
  int department_id = -1;  // its index in the policy's organisation chart; -1: not on it
  policy::RoleSet roles = 0;
  policy::Level clearance = policy::Level::kPublic;
  policy::CategorySet categories = 0;
  std::string password_hash;
  std::optional<TimePoint> pledge_at;
  std::optional<TimePoint> locked_until;  // written by versions before login throttling only
  TimePoint created_at;
};

// The policy's view of a user: what decisions are made on.
policy::Subject subject_of(const User& user);

// Lower-cased, trimmed: "Zhang.Wei " and "zhang.wei" are one account.
std::string normalise_username(std::string_view username);
std::string username_index(const barrier::Barrier& barrier, std::string_view username);

// Accounts through the sealed-record layer (auth/user_record.h): every read checks the row's
// MAC and that it is the latest written (I1); kIntegrity otherwise.
Result<std::optional<User>> find_user(const Runtime& rt, barrier::ReadTx& tx,
                                      const std::string& id);
// Loads a user by id; not_found when absent.
Result<User> load_user(const Runtime& rt, barrier::ReadTx& tx, const std::string& id);
Result<std::optional<User>> find_user_by_username(const Runtime& rt, barrier::ReadTx& tx,
                                                  std::string_view username);
// Accounts in id order, ids > after_id, at most `limit`.
Result<std::vector<User>> list_users_after(const Runtime& rt, barrier::ReadTx& tx,
                                           const std::string& after_id, std::size_t limit);
// Conflict when the id or the (normalised) username is taken.
Result<void> insert_user(const Runtime& rt, barrier::WriteTx& tx, const User& user);
Result<void> update_user(const Runtime& rt, barrier::WriteTx& tx, const User& user);

// Someone named on a record the reader may already see (a copy's holder, a trail entry's
// actor): name and department, never roles, clearance or categories.
struct PersonName {
  std::string username;
  std::string display_name;
  std::string department;
};
using PersonNames = std::map<std::string, PersonName, std::less<>>;

// The names of the accounts among `ids`, in one read. Ids that name no account ("system", "-",
// an empty holder) are left out; duplicates are read once.
Result<PersonNames> load_names(const Runtime& rt, const std::vector<std::string>& ids);

std::string join(const std::vector<std::string>& items);
std::vector<std::string> split(std::string_view csv);

}  // namespace baomi::auth
