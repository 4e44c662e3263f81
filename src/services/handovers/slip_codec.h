// JSON forms of the sealed parts of a slip (content, progress) as this server writes them.
// Reading back authenticated data: a malformed body is kIntegrity, never a client error.
#pragma once

#include <boost/json.hpp>

#include "core/result.h"
#include "services/handovers/slip.h"

namespace baomi::services {

boost::json::object content_to_json(const SlipContent& content);
Result<SlipContent> content_from_json(const boost::json::object& o);
boost::json::object progress_to_json(const SlipProgress& progress);
Result<SlipProgress> progress_from_json(const boost::json::object& o);

}  // namespace baomi::services
