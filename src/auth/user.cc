#include "auth/user.h"

#include <algorithm>
#include <cctype>

#include "auth/user_record.h"
#include "barrier/records.h"

namespace baomi::auth {
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::vector<std::string> split(std::string_view csv) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < csv.size()) {
    const auto comma = csv.find(',', start);
    const auto end = comma == std::string_view::npos ? csv.size() : comma;
    if (end > start) out.emplace_back(csv.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

policy::Subject subject_of(const User& user) {
  policy::Subject s;
  s.id = user.id;
  s.roles = user.roles;
  s.clearance = user.clearance;
  s.categories = user.categories;
  s.pledge_accepted = user.pledge_at.has_value();
  s.department = user.department_id;
  return s;
}

std::string normalise_username(std::string_view username) {
  std::size_t b = 0, e = username.size();
  while (b < e && std::isspace(static_cast<unsigned char>(username[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(username[e - 1]))) --e;
  std::string out(username.substr(b, e - b));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string username_index(const barrier::Barrier& barrier, std::string_view username) {
  return barrier.blind_index("username", normalise_username(username));
}

namespace {

barrier::Records<UserRecord> user_records(const Runtime& rt) {
  return barrier::Records<UserRecord>(rt.barrier, user_record_type());
}

UserRecord to_record(const Runtime& rt, const User& u) {
  UserRecord r;
  r.id = u.id;
  r.username = u.username;
  r.display_name = u.display_name;
  r.department = u.department;
  r.roles = join(rt.policy.role_names(u.roles));
  r.clearance = std::string(policy::level_api_name(u.clearance));
  r.categories = join(rt.policy.category_names(u.categories));
  r.password_hash = u.password_hash;
  r.pledge_at = u.pledge_at;
  r.locked_until = u.locked_until;
  r.created_at = u.created_at;
  return r;
}

Result<User> from_record(const Runtime& rt, UserRecord r) {
  User u;
  u.id = std::move(r.id);
  u.username = std::move(r.username);
  u.display_name = std::move(r.display_name);
  u.department = std::move(r.department);
  u.department_id = rt.policy.department_id(u.department);
  for (const auto& name : split(r.roles)) {
    auto role = policy::role_from_api_name(name);
    if (!role) return Error::integrity("stored account has an unknown role");
    u.roles |= policy::role_bit(*role);
  }
  auto level = policy::level_from_api_name(r.clearance);
  if (!level) return Error::integrity("stored account has an unknown clearance");
  u.clearance = *level;
  for (const auto& name : split(r.categories)) {
    // A category dropped from the policy simply no longer grants anything.
    if (auto idx = rt.policy.category_index(name)) u.categories |= policy::category_bit(*idx);
  }
  u.password_hash = std::move(r.password_hash);
  u.pledge_at = r.pledge_at;
  u.locked_until = r.locked_until;
  u.created_at = r.created_at;
  return u;
}

Result<std::optional<User>> opened(const Runtime& rt, std::optional<UserRecord> r) {
  if (!r) return std::optional<User>();
  BAOMI_ASSIGN_OR_RETURN(auto u, from_record(rt, std::move(*r)));
  return std::optional<User>(std::move(u));
}

}  // namespace

Result<std::optional<User>> find_user(const Runtime& rt, barrier::ReadTx& tx,
                                      const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto r, user_records(rt).get(tx, {id}));
  return opened(rt, std::move(r));
}

Result<User> load_user(const Runtime& rt, barrier::ReadTx& tx, const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto u, find_user(rt, tx, id));
  if (!u) return Error::not_found("user not found");
  return std::move(*u);
}

Result<std::optional<User>> find_user_by_username(const Runtime& rt, barrier::ReadTx& tx,
                                                  std::string_view username) {
  barrier::Scan scan;
  scan.where.push_back(
      {"username_index", barrier::Compare::kEqual, username_index(rt.barrier, username)});
  scan.limit = 1;
  BAOMI_ASSIGN_OR_RETURN(auto found, user_records(rt).scan(tx, scan));
  if (found.empty()) return std::optional<User>();
  return opened(rt, std::move(found.front()));
}

Result<std::vector<User>> list_users_after(const Runtime& rt, barrier::ReadTx& tx,
                                           const std::string& after_id, std::size_t limit) {
  barrier::Scan scan;
  scan.where.push_back({"id", barrier::Compare::kGreater, after_id});
  scan.order_by = {"id"};
  scan.limit = limit;
  BAOMI_ASSIGN_OR_RETURN(auto records, user_records(rt).scan(tx, scan));
  std::vector<User> users;
  users.reserve(records.size());
  for (auto& r : records) {
    BAOMI_ASSIGN_OR_RETURN(auto u, from_record(rt, std::move(r)));
    users.push_back(std::move(u));
  }
  return users;
}

Result<void> insert_user(const Runtime& rt, barrier::WriteTx& tx, const User& user) {
  auto record = to_record(rt, user);
  return user_records(rt).insert(tx, record);
}

Result<void> update_user(const Runtime& rt, barrier::WriteTx& tx, const User& user) {
  auto record = to_record(rt, user);
  return user_records(rt).update(tx, record);
}

Result<PersonNames> load_names(const Runtime& rt, const std::vector<std::string>& ids) {
  PersonNames names;
  BAOMI_TRY(rt.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (const auto& id : ids) {
      if (id.empty() || names.contains(id)) continue;
      BAOMI_ASSIGN_OR_RETURN(auto user, find_user(rt, tx, id));
      if (!user) continue;
      names[id] = {user->username, user->display_name, user->department};
    }
    return {};
  }));
  return names;
}

}  // namespace baomi::auth
