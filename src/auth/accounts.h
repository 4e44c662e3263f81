// Accounts: the administrators' work on accounts, under separation of duties (三员分立):
// sysadmin creates accounts with business roles only; only secadmin sets clearances and
// categories; both may read accounts; nobody reads a password. Every action is audited.
// Thread-safe (stateless over the Runtime).
#pragma once

#include <string>
#include <vector>

#include "auth/user.h"

namespace baomi::auth {

struct NewUser {
  std::string username;
  std::string display_name;
  std::string department;
  std::string password;
  std::vector<std::string> roles;
};

struct Page {
  std::vector<User> users;
  std::optional<std::string> next_cursor;
};

class Accounts {
 public:
  explicit Accounts(const Runtime& rt) : rt_(rt) {}

  Result<User> create_user(const User& actor, const NewUser& request) const;
  Result<User> set_clearance(const User& actor, const std::string& user_id, std::string_view level,
                             const std::vector<std::string>& categories) const;
  Result<User> get_user(const User& actor, const std::string& user_id) const;
  Result<Page> list_users(const User& actor, const std::string& cursor, std::size_t limit) const;
  // S2: the confidentiality pledge; accepting it twice keeps the first time.
  Result<User> accept_pledge(const User& self) const;

  // Used by `baomi init` and the demo loader: creates an account with any roles and clearance,
  // audited as done by "system". Role exclusivity is still enforced.
  Result<User> bootstrap_user(const NewUser& request, policy::Level clearance,
                              policy::CategorySet categories) const;

 private:
  Result<void> check_department(const NewUser& r) const;
  Result<void> check_department_in(barrier::ReadTx& tx, const NewUser& r) const;
  Result<User> insert_new(const std::string& actor_id, const NewUser& request,
                          policy::RoleSet roles, policy::Level clearance,
                          policy::CategorySet categories) const;
  const Runtime& rt_;
};

// Checks a new account request's fields (400 naming the field when wrong).
Result<policy::RoleSet> validate_new_user(const NewUser& request);

}  // namespace baomi::auth
