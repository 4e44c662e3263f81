#include "auth/guard.h"

#include "audit/detail.h"

namespace baomi::auth {

Error error_of(const policy::Decision& d) {
  if (d.deny_as == policy::DenyAs::kNotFound) return Error::not_found();
  return Error::forbidden(std::string(d.code), std::string(d.reason), std::string(d.rule));
}

Result<void> enforce(const Runtime& rt, const policy::Decision& d, const std::string& actor,
                     std::string_view action, const std::string& target) {
  if (d.allowed) return {};
  BAOMI_TRY(rt.audit.record(rt.store,
                            {actor, std::string(action), target, "deny", std::string(d.rule),
                             audit::Detail{}.add("reason", d.code)},
                            rt.now()));
  return error_of(d);
}

}  // namespace baomi::auth
