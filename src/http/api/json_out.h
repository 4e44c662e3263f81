// The JSON shapes of API.md for accounts, documents and audit entries.
#pragma once

#include <boost/json.hpp>

#include "auth/user.h"
#include "services/audit_trail/audit_trail.h"
#include "services/documents/documents.h"

namespace baomi::http::api {

boost::json::object user_json(const policy::Policy& policy, const auth::User& user);
boost::json::object document_json(const policy::Policy& policy, const services::DocumentView& view);
boost::json::object audit_entry_json(const storage::AuditRow& row);
boost::json::value optional_time(const std::optional<TimePoint>& t);
// API.md lists: {"items": [...], "next_cursor": "..." | null}.
boost::json::object page_json(boost::json::array items, const std::optional<std::string>& next);

}  // namespace baomi::http::api
