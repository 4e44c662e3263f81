// The JSON shapes of leak investigations (docs/api.md "Investigations", S10).
#pragma once

#include <boost/json.hpp>

#include "services/investigations/investigations.h"

namespace baomi::http::api {

boost::json::object investigation_json(const services::Investigation& investigation);
boost::json::object match_json(const services::LeakMatch& match);
boost::json::array matches_json(const std::vector<services::LeakMatch>& matches);
boost::json::object evidence_json(const services::Evidence& evidence);
boost::json::object timeline_event_json(const services::TimelineEvent& event);
boost::json::object copy_holder_json(const services::CopyHolder& holder);
// The manifest content of a case's evidence bundle: the case, each piece of evidence with its
// hash and matches, the copy holders and the whole timeline, in the API's shapes.
boost::json::object case_manifest_json(const services::CaseRecord& record);

}  // namespace baomi::http::api
