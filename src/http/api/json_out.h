// The JSON shapes of API.md for accounts, documents and audit entries.
#pragma once

#include <boost/json.hpp>

#include "auth/user.h"
#include "services/audit_trail/audit_trail.h"
#include "services/documents/documents.h"

namespace baomi::http::api {

boost::json::object user_json(const policy::Policy& policy, const auth::User& user);
boost::json::object document_json(const policy::Policy& policy, const services::DocumentView& view);
boost::json::object audit_entry_json(const audit::AuditRow& row);
boost::json::value optional_time(const std::optional<TimePoint>& t);
// API.md lists: {"items": [...], "next_cursor": "..." | null}.
boost::json::object page_json(boost::json::array items, const std::optional<std::string>& next);

// Names instead of ids: adds `people` to a response the caller may already read,
// {"<account id>": {"username","display_name","department"}} for every account named in it by
// a person field (actor, holder_id, author_id, by, ...). Adds nothing the response does not
// already name; ids that are no account ("system", "-") are left out. `also` names accounts the
// response holds outside person fields (an area's lists, who raised an alert).
Result<void> add_people(const auth::Runtime& rt, boost::json::object& response,
                        const std::vector<std::string>& also = {});

}  // namespace baomi::http::api
