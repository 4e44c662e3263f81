#include "auth/user.h"

#include <algorithm>
#include <cctype>

namespace baomi::auth {
namespace {

std::string owner_of(const std::string& user_id) { return "user:" + user_id; }

}  // namespace

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

namespace {

Bytes user_row_fields(const storage::UserRow& r) {
  Bytes out;
  append_field(out, "users");
  append_field(out, r.id);
  append_field(out, r.username_index);
  append_field(out, r.department);
  append_field(out, r.roles);
  append_field(out, r.clearance);
  append_field(out, r.categories);
  append_field(out, r.password_hash);
  append_field(out, r.pledge_at_us ? std::to_string(*r.pledge_at_us) : "-");
  append_field(out, r.locked_until_us ? std::to_string(*r.locked_until_us) : "-");
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  return out;
}

}  // namespace

void mac_user_row(const Runtime& rt, storage::UserRow& row) {
  row.mac = rt.barrier.row_mac(user_row_fields(row));
}

Result<void> check_user_row(const Runtime& rt, const storage::UserRow& row) {
  return rt.barrier.check_row_mac(user_row_fields(row), row.mac);
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

Result<storage::UserRow> seal_user(const Runtime& rt, const User& u,
                                   const Bytes& existing_wrapped_key) {
  storage::UserRow row;
  crypto::SecretKey dek = crypto::SecretKey::generate();
  if (existing_wrapped_key.empty()) {
    auto fresh = rt.barrier.new_data_key(owner_of(u.id));
    dek = std::move(fresh.key);
    row.wrapped_key = barrier::encode(fresh.wrapped);
  } else {
    BAOMI_ASSIGN_OR_RETURN(auto wrapped, barrier::decode_wrapped_key(existing_wrapped_key));
    BAOMI_ASSIGN_OR_RETURN(dek, rt.barrier.unwrap(wrapped, owner_of(u.id)));
    row.wrapped_key = existing_wrapped_key;
  }
  row.id = u.id;
  row.username_index = username_index(rt.barrier, u.username);
  row.sealed_username = rt.barrier.seal_field(dek, u.id, "username", u.username).bytes();
  row.sealed_display_name =
      rt.barrier.seal_field(dek, u.id, "display_name", u.display_name).bytes();
  row.department = u.department;
  row.roles = join(rt.policy.role_names(u.roles));
  row.clearance = std::string(policy::level_api_name(u.clearance));
  row.categories = join(rt.policy.category_names(u.categories));
  row.password_hash = u.password_hash;
  if (u.pledge_at) row.pledge_at_us = to_micros(*u.pledge_at);
  if (u.locked_until) row.locked_until_us = to_micros(*u.locked_until);
  row.created_at_us = to_micros(u.created_at);
  mac_user_row(rt, row);
  return row;
}

Result<User> open_user(const Runtime& rt, const storage::UserRow& row) {
  BAOMI_TRY(check_user_row(rt, row));
  BAOMI_ASSIGN_OR_RETURN(auto wrapped, barrier::decode_wrapped_key(row.wrapped_key));
  BAOMI_ASSIGN_OR_RETURN(auto dek, rt.barrier.unwrap(wrapped, owner_of(row.id)));
  User u;
  u.id = row.id;
  BAOMI_ASSIGN_OR_RETURN(u.username,
                         rt.barrier.open_field(dek, row.id, "username",
                                               barrier::Sealed::from_storage(row.sealed_username)));
  BAOMI_ASSIGN_OR_RETURN(
      u.display_name,
      rt.barrier.open_field(dek, row.id, "display_name",
                            barrier::Sealed::from_storage(row.sealed_display_name)));
  u.department = row.department;
  u.department_id = rt.policy.department_id(row.department);
  for (const auto& name : split(row.roles)) {
    auto role = policy::role_from_api_name(name);
    if (!role) return Error::integrity("stored account has an unknown role");
    u.roles |= policy::role_bit(*role);
  }
  auto level = policy::level_from_api_name(row.clearance);
  if (!level) return Error::integrity("stored account has an unknown clearance");
  u.clearance = *level;
  for (const auto& name : split(row.categories)) {
    // A category dropped from the policy simply no longer grants anything.
    if (auto idx = rt.policy.category_index(name)) u.categories |= policy::category_bit(*idx);
  }
  u.password_hash = row.password_hash;
  if (row.pledge_at_us) u.pledge_at = from_micros(*row.pledge_at_us);
  if (row.locked_until_us) u.locked_until = from_micros(*row.locked_until_us);
  u.created_at = from_micros(row.created_at_us);
  return u;
}

Result<User> load_user(const Runtime& rt, storage::ReadTx& tx, const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_user(id));
  if (!row) return Error::not_found("user not found");
  return open_user(rt, *row);
}

Result<PersonNames> load_names(const Runtime& rt, const std::vector<std::string>& ids) {
  PersonNames names;
  BAOMI_TRY(rt.store.read([&](storage::ReadTx& tx) -> Result<void> {
    for (const auto& id : ids) {
      if (id.empty() || names.contains(id)) continue;
      BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_user(id));
      if (!row) continue;
      BAOMI_ASSIGN_OR_RETURN(auto user, open_user(rt, *row));
      names[id] = {user.username, user.display_name, user.department};
    }
    return {};
  }));
  return names;
}

}  // namespace baomi::auth
