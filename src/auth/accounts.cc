#include "auth/accounts.h"

#include "audit/detail.h"
#include "auth/department_record.h"
#include "auth/guard.h"
#include "crypto/password.h"
#include "crypto/random.h"

namespace baomi::auth {
namespace {

constexpr std::size_t kMinPasswordLength = 8;
constexpr std::size_t kMaxPasswordLength = 1024;

bool valid_name(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                    c == '-' || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

std::string detail_roles(const policy::Policy& p, const User& u) {
  return audit::Detail{}.add("roles", p.role_names(u.roles));
}

// 三员分立: at most one administrator role, and never together with a business role.
bool roles_are_compatible(policy::RoleSet roles) {
  const auto admin = roles & policy::kAdminRoles;
  if (admin == 0) return true;
  return (admin & (admin - 1)) == 0 && (roles & policy::kBusinessRoles) == 0;
}

}  // namespace

Result<policy::RoleSet> validate_new_user(const NewUser& r) {
  if (!valid_name(r.username, 64)) {
    return Error::invalid("invalid_field",
                          "field 'username' must be 1-64 letters, digits, '.', '_' or '-'");
  }
  if (r.display_name.empty() || r.display_name.size() > 256) {
    return Error::invalid("invalid_field", "field 'display_name' must be 1-256 bytes");
  }
  if (!valid_name(r.department, 64)) {
    return Error::invalid("invalid_field", "field 'department' must be a department name");
  }
  if (r.password.size() < kMinPasswordLength || r.password.size() > kMaxPasswordLength) {
    return Error::invalid("invalid_field", "field 'password' must be at least 8 characters");
  }
  if (r.roles.empty()) return Error::invalid("invalid_field", "field 'roles' must not be empty");
  policy::RoleSet roles = 0;
  for (const auto& name : r.roles) {
    auto role = policy::role_from_api_name(name);
    if (!role) return Error::invalid("invalid_field", "field 'roles' has an unknown role");
    roles |= policy::role_bit(*role);
  }
  if (!roles_are_compatible(roles)) {
    return Error::invalid("separation_of_duties",
                          "field 'roles': administrator roles are exclusive and never combined "
                          "with business roles");
  }
  return roles;
}

Result<User> Accounts::insert_new(const std::string& actor_id, const NewUser& r,
                                  policy::RoleSet roles, policy::Level clearance,
                                  policy::CategorySet categories) const {
  User u;
  u.id = crypto::random_id();
  u.username = normalise_username(r.username);
  u.display_name = r.display_name;
  u.department = r.department;
  u.department_id = rt_.policy.department_id(r.department);
  u.roles = roles;
  u.clearance = clearance;
  u.categories = categories;
  BAOMI_ASSIGN_OR_RETURN(u.password_hash, crypto::hash_password(r.password, rt_.password_cost));
  u.created_at = rt_.now();
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    // A2: the department is checked again where the account is written, so one retired
    // meanwhile (by this or another server instance) takes no new member.
    BAOMI_TRY(check_department_in(tx, r));
    auto inserted = insert_user(rt_, tx, u);
    if (!inserted.ok() && inserted.error().kind == ErrorKind::kConflict) {
      return Error::conflict("username_taken", "an account with this username already exists");
    }
    BAOMI_TRY(inserted);
    BAOMI_TRY(rt_.audit.append(
        tx, {actor_id, "account.create", "user:" + u.id, "allow", "", detail_roles(rt_.policy, u)},
        u.created_at));
    return {};
  }));
  return u;
}

// A2: an account outside the organisation chart would be in no reporting line, so no one could
// approve its requests; refuse it at creation rather than fail silently later. The chart is the
// policy's with the departments the system administrator added (auth/department_record.h).
Result<void> Accounts::check_department(const NewUser& r) const {
  return rt_.store.read([&](barrier::ReadTx& tx) { return check_department_in(tx, r); });
}

Result<void> Accounts::check_department_in(barrier::ReadTx& tx, const NewUser& r) const {
  BAOMI_ASSIGN_OR_RETURN(auto chart, organisation_in(rt_, tx));
  if (!policy::department_index(chart, r.department)) {
    return Error::invalid("invalid_field",
                          "field 'department' is not a department of the organisation chart");
  }
  return {};
}

Result<User> Accounts::create_user(const User& actor, const NewUser& r) const {
  BAOMI_ASSIGN_OR_RETURN(auto roles, validate_new_user(r));
  BAOMI_TRY(check_department(r));
  policy::Resource res;
  res.target_roles = roles;
  const auto d =
      rt_.policy.decide(subject_of(actor), policy::Action::kCreateUser, res, {rt_.now()});
  BAOMI_TRY(enforce(rt_, d, actor.id, "account.create", "user:new"));
  // New accounts start at the lowest level: only secadmin grants clearance (separation of duties).
  return insert_new(actor.id, r, roles, policy::Level::kPublic, {});
}

Result<User> Accounts::bootstrap_user(const NewUser& r, policy::Level clearance,
                                      policy::CategorySet categories) const {
  BAOMI_ASSIGN_OR_RETURN(auto roles, validate_new_user(r));
  BAOMI_TRY(check_department(r));
  return insert_new("system", r, roles, clearance, categories);
}

Result<User> Accounts::set_clearance(const User& actor, const std::string& user_id,
                                     std::string_view level_name,
                                     const std::vector<std::string>& categories) const {
  auto level = policy::level_from_api_name(level_name);
  if (!level) return Error::invalid("invalid_field", "field 'level' is not a known level");
  BAOMI_ASSIGN_OR_RETURN(auto cats, rt_.policy.category_set(categories));
  User target;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(target, load_user(rt_, tx, user_id));
    return {};
  }));
  policy::Resource res;
  res.target_roles = target.roles;
  auto subject = subject_of(actor);
  subject.is_self_target = actor.id == user_id;  // nobody raises their own clearance
  const auto d = rt_.policy.decide(subject, policy::Action::kSetClearance, res, {rt_.now()});
  BAOMI_TRY(enforce(rt_, d, actor.id, "account.set_clearance", "user:" + user_id));
  target.clearance = *level;
  target.categories = cats;
  const auto now = rt_.now();
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto stored, load_user(rt_, tx, user_id));
    stored.clearance = *level;
    stored.categories = cats;
    BAOMI_TRY(update_user(rt_, tx, stored));
    target = stored;
    const std::string level_name(policy::level_api_name(*level));
    const auto category_names = join(rt_.policy.category_names(cats));
    BAOMI_TRY(rt_.audit.append(
        tx,
        {actor.id, "account.set_clearance", "user:" + user_id, "allow", "",
         audit::Detail{}.add("level", level_name).add("categories", category_names)},
        now));
    return {};
  }));
  return target;
}

Result<User> Accounts::get_user(const User& actor, const std::string& user_id) const {
  const auto d = rt_.policy.decide(subject_of(actor), policy::Action::kReadUsers, {}, {rt_.now()});
  BAOMI_TRY(enforce(rt_, d, actor.id, "account.read", "user:" + user_id));
  User u;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(u, load_user(rt_, tx, user_id));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "account.read", "user:" + user_id, "allow", "", "{}"}, rt_.now()));
  return u;
}

Result<Page> Accounts::list_users(const User& actor, const std::string& cursor,
                                  std::size_t limit) const {
  const auto d = rt_.policy.decide(subject_of(actor), policy::Action::kReadUsers, {}, {rt_.now()});
  BAOMI_TRY(enforce(rt_, d, actor.id, "account.list", "users"));
  Page page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto users, list_users_after(rt_, tx, cursor, limit + 1));
    const bool more = users.size() > limit;
    if (more) users.resize(limit);
    page.users = std::move(users);
    if (more) page.next_cursor = page.users.back().id;
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(rt_.store, {actor.id, "account.list", "users", "allow", "", "{}"},
                             rt_.now()));
  return page;
}

Result<User> Accounts::accept_pledge(const User& self) const {
  User updated = self;
  const auto now = rt_.now();
  // S11: a device account (door terminal) is no person and pledges nothing.
  BAOMI_TRY(enforce(rt_,
                    rt_.policy.decide(subject_of(self), policy::Action::kAcceptPledge, {}, {now}),
                    self.id, "pledge.accept", "user:" + self.id));
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto stored, load_user(rt_, tx, self.id));
    if (!stored.pledge_at) stored.pledge_at = now;
    updated.pledge_at = stored.pledge_at;
    BAOMI_TRY(update_user(rt_, tx, stored));
    // S2: acceptance of the confidentiality pledge is audited.
    BAOMI_TRY(rt_.audit.append(
        tx, {self.id, "pledge.accept", "user:" + self.id, "allow", "S2", "{}"}, now));
    return {};
  }));
  return updated;
}

}  // namespace baomi::auth
