#include "auth/session_record.h"

namespace baomi::auth {

const barrier::RecordType<SessionRecord>& session_record_type() {
  // Same layout and MAC bytes as before the record layer: open sessions survive an upgrade.
  static const auto type = barrier::RecordType<SessionRecord>("sessions")
                               .key("token_hash", &SessionRecord::token_hash)
                               .text("user_id", &SessionRecord::user_id)
                               .time("created_at", &SessionRecord::created_at)
                               .time("expires_at", &SessionRecord::expires_at)
                               .mac("mac")
                               .cached()  // every authenticated request opens it
                               .index("sessions_user", {"user_id"})
                               .index("sessions_expiry", {"expires_at"});
  return type;
}

}  // namespace baomi::auth
