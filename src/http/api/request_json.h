// The JSON shapes of API.md for requests and grants.
#pragma once

#include <boost/json.hpp>

#include "services/requests/requests.h"

namespace baomi::http::api {

// C2: {"level","categories","fields"} of an export of customer records.
boost::json::object customer_export_json(const policy::Policy& policy,
                                         const services::CustomerExport& e);
boost::json::object request_json(const policy::Policy& policy, const services::RequestView& view);
boost::json::object grant_json(const services::Grant& grant, TimePoint now);

}  // namespace baomi::http::api
