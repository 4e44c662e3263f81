// The JSON shapes of weekly summaries, the supervisors' weekly report and a raw contact log
// (H4), and the strict parsing of the summary body and the ?week= parameter.
#pragma once

#include <boost/json.hpp>

#include "http/server/request.h"
#include "services/reports/weekly_reports.h"

namespace baomi::http::api {

struct SummaryInput {
  services::IsoWeek week;
  std::string summary;
};

// {"week":"2026-W48","summary":"..."}; 400 naming the field otherwise.
Result<SummaryInput> parse_summary_input(const std::string& body);
// ?week=2026-W48 (required; any other parameter is 400).
Result<services::IsoWeek> week_query(const Request& req);

boost::json::object summary_json(const services::WeeklySummary& s);
boost::json::object weekly_report_json(const services::WeeklyReport& r);
boost::json::object raw_log_json(const services::RawLog& log);

}  // namespace baomi::http::api
