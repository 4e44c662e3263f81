// The JSON shapes of API.md for requests and grants.
#pragma once

#include <boost/json.hpp>

#include "services/requests/requests.h"

namespace baomi::http::api {

boost::json::object request_json(const policy::Policy& policy, const services::RequestView& view);
boost::json::object grant_json(const services::Grant& grant, TimePoint now);

}  // namespace baomi::http::api
