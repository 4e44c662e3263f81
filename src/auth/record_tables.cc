#include "auth/record_tables.h"

#include "auth/department_record.h"
#include "auth/session_record.h"
#include "auth/throttle_record.h"
#include "auth/user_record.h"

namespace baomi::auth {

std::vector<const barrier::Table*> record_tables() {
  return {&user_record_type().table(), &session_record_type().table(),
          &throttle_record_type().table(), &department_record_type().table()};
}

}  // namespace baomi::auth
