// An account as stored, declared once for the sealed-record layer. Usernames and display names
// are personal data: sealed under the account's own data key, with a keyed blind index of the
// normalised username for login lookup and uniqueness. The MAC covers the columns that decide
// access (roles, clearance, categories, password hash, pledge and lock state), so a database
// editor cannot raise anyone's access; the record ledger keeps them from putting back an older
// row (an old clearance, an old password hash: I1). Policy-typed values live in auth::User; this
// record holds their stored names.
#pragma once

#include <optional>
#include <string>

#include "barrier/record_type.h"
#include "core/time.h"

namespace baomi::auth {

struct UserRecord {
  std::string id;
  std::string username;
  std::string display_name;
  std::string department;
  std::string roles;       // comma-separated role names
  std::string clearance;   // level name
  std::string categories;  // comma-separated category names
  std::string password_hash;
  std::optional<TimePoint> pledge_at;
  std::optional<TimePoint> locked_until;
  TimePoint created_at;
};

const barrier::RecordType<UserRecord>& user_record_type();

}  // namespace baomi::auth
