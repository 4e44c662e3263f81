// /api/v1/weekly-summaries and /api/v1/weekly-reports: weekly reporting (H4). Handlers parse
// strictly and call one service; decisions and audit happen in services::WeeklyReports.
#include "http/api/report_json.h"
#include "http/api/routes.h"
#include "http/api/support.h"

namespace baomi::http::api {
namespace {

Response classified_json(int status, boost::json::object body) {
  auto res = json_response(status, std::move(body));
  res.classified = true;  // work notes and contact content are never cached
  return res;
}

}  // namespace

void register_report_routes(Router& router, Api& api) {
  router.add("POST", "/api/v1/weekly-summaries",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto input, parse_summary_input(req.body()));
               BAOMI_ASSIGN_OR_RETURN(
                   auto s, api.weekly_reports.submit(who.user, input.week, input.summary));
               return classified_json(201, summary_json(s));
             }));
  router.add("GET", "/api/v1/weekly-summaries",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto week, week_query(req));
               BAOMI_ASSIGN_OR_RETURN(auto s, api.weekly_reports.own_summary(who.user, week));
               return classified_json(200, summary_json(s));
             }));
  router.add("GET", "/api/v1/weekly-reports",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto week, week_query(req));
               BAOMI_ASSIGN_OR_RETURN(auto report, api.weekly_reports.report(who.user, week));
               return classified_json(200, weekly_report_json(report));
             }));
  router.add("GET", "/api/v1/weekly-reports/{user_id}/raw-log",
             authed(api, [&api](Request& req, const auth::Authenticated& who) -> Result<Response> {
               BAOMI_ASSIGN_OR_RETURN(auto week, week_query(req));
               BAOMI_ASSIGN_OR_RETURN(
                   auto log, api.weekly_reports.raw_log(who.user, req.param("user_id"), week));
               return classified_json(200, raw_log_json(log));
             }));
}

}  // namespace baomi::http::api
