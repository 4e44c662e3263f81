// The JSON shapes of handover slips (API.md "Handover slips", docs/api.md) and the strict
// parsing of their request bodies.
#pragma once

#include <boost/json.hpp>

#include "core/result.h"
#include "policy/policy.h"
#include "services/handovers/handovers.h"

namespace baomi::http::api {

boost::json::object slip_json(const policy::Policy& policy, const services::SlipView& view);
boost::json::object slip_version_json(const services::SlipView& view, std::uint64_t version);
boost::json::object purge_json(const services::PurgeReceipt& receipt);

Result<services::NewSlip> parse_new_slip(const std::string& body, bool with_items);
Result<services::Correction> parse_correction(const std::string& body);
Result<std::vector<services::ItemConfirmation>> parse_confirmation(const std::string& body);
Result<std::string> parse_reason(const std::string& body);

}  // namespace baomi::http::api
