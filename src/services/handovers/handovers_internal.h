// Helpers shared by the Handovers implementation files (not part of the service's interface).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "services/handovers/slip.h"

namespace baomi::services {

std::string handover_target(const std::string& id);  // "handover:<id>"
// 1-100 items, none with an empty summary; errors name the field.
Result<void> check_slip_items(const std::vector<SlipItem>& items);

}  // namespace baomi::services
