// The JSON shapes of customer records and contact log entries (API.md "Customers"), and the
// strict parsing of their request bodies and query strings.
#pragma once

#include <boost/json.hpp>

#include "http/server/request.h"
#include "services/customers/customers.h"

namespace baomi::http::api {

// {"id","level","categories","name","phone",...,"unmasked":[...],"created_at",...}; an unset
// field is null; every field not in view.unmasked is already masked by the service (C3).
boost::json::object customer_json(const policy::Policy& policy, const services::CustomerView& view);
boost::json::object contact_json(const services::ContactEntry& entry);

// Bodies of POST (create) and PUT/PATCH (update): the nine fields, "level", "categories".
Result<services::CustomerInput> parse_customer_input(const std::string& body);
Result<services::ContactInput> parse_contact_input(const std::string& body);
// ?unmask=phone,id_number&reason=TEXT (400 on an unknown field or a reason without unmask).
Result<services::UnmaskRequest> parse_unmask(const Request& req);

}  // namespace baomi::http::api
