// The JSON shapes of API.md for copies, incidents and alerts.
#pragma once

#include <boost/json.hpp>

#include "services/copies/copy.h"
#include "services/incidents/incident.h"

namespace baomi::http::api {

boost::json::object copy_json(const services::Copy& copy);
boost::json::object incident_json(const services::Incident& incident);
boost::json::object alert_json(const services::Alert& alert);

}  // namespace baomi::http::api
