#include "auth/user_record.h"

#include "auth/user.h"

namespace baomi::auth {
namespace {

std::string owner_of(const UserRecord& u) { return "user:" + u.id; }
std::string seal_id_of(const UserRecord& u) { return u.id; }

}  // namespace

const barrier::RecordType<UserRecord>& user_record_type() {
  // Same layout and MAC bytes as before the record layer, so existing accounts open: the sealed
  // names and the wrapped key stay outside the MAC (AEAD with the account id as associated data
  // already binds them to their account).
  static const auto type =
      barrier::RecordType<UserRecord>("users")
          .key("id", &UserRecord::id)
          .blind_index("username_index", "username",
                       [](const UserRecord& u) { return normalise_username(u.username); })
          .data_key("wrapped_key", owner_of, seal_id_of)
          .outside_mac()
          .sealed("sealed_username", "username", &UserRecord::username)
          .outside_mac()
          .sealed("sealed_display_name", "display_name", &UserRecord::display_name)
          .outside_mac()
          .text("department", &UserRecord::department)
          .text("roles", &UserRecord::roles)
          .text("clearance", &UserRecord::clearance)
          .text("categories", &UserRecord::categories)
          .text("password_hash", &UserRecord::password_hash)
          .optional_time("pledge_at", &UserRecord::pledge_at)
          .optional_time("locked_until", &UserRecord::locked_until)
          .time("created_at", &UserRecord::created_at)
          .mac("mac")
          .cached()  // every authenticated request opens its account (issue 14)
          .index("users_username", {"username_index"}, true);
  return type;
}

}  // namespace baomi::auth
