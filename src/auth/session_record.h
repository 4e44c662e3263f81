// A session as stored: the keyed hash of its bearer token (the token itself is never stored),
// its owner and its lifetime, declared once for the sealed-record layer. The MAC keeps a
// database editor from moving a session to another account or extending it; the record ledger
// keeps them from putting back a session that was ended (I1).
#pragma once

#include <string>

#include "barrier/record_type.h"
#include "core/time.h"

namespace baomi::auth {

struct SessionRecord {
  std::string token_hash;
  std::string user_id;
  TimePoint created_at;
  TimePoint expires_at;
};

const barrier::RecordType<SessionRecord>& session_record_type();

}  // namespace baomi::auth
