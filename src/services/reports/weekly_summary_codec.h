// The stored form of a weekly summary (H4): a sealed object of kind "weekly_summary", id
// "<user_id>:<week>", owner the user, due_at the deadline; the body (sealed) holds the text,
// the times and every earlier version (I1).
#pragma once

#include <string>
#include <string_view>

#include "services/reports/weekly_reports.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services::weekly {

inline constexpr std::string_view kKind = "weekly_summary";

std::string object_id(const std::string& user_id, IsoWeek week);
StoredObject to_object(const WeeklySummary& s);
// kIntegrity when the body is malformed.
Result<WeeklySummary> from_object(const StoredObject& o);

}  // namespace baomi::services::weekly
