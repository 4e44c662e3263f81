// Weekly reporting JSON (H4): shapes of docs/api.md "Weekly reports".
#include "http/api/report_json.h"

#include "http/server/json_input.h"

namespace baomi::http::api {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxSummaryCodePoints = 20000;  // the service then bounds the bytes

Result<services::IsoWeek> parse_week(std::string_view text, std::string_view label) {
  auto week = services::parse_iso_week(text);
  if (!week) {
    return Error::invalid("invalid_field",
                          std::string(label) + " must be an ISO week such as 2026-W48");
  }
  return *week;
}

json::object counts_json(const std::map<std::string, std::size_t>& counts) {
  json::object o;
  for (const auto& [name, n] : counts) o[name] = n;
  return o;
}

}  // namespace

Result<SummaryInput> parse_summary_input(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  SummaryInput in;
  BAOMI_ASSIGN_OR_RETURN(auto week, f.required_string("week", 16));
  BAOMI_ASSIGN_OR_RETURN(in.summary,
                         f.required_text("summary", kMaxSummaryCodePoints, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  BAOMI_ASSIGN_OR_RETURN(in.week, parse_week(week, "field 'week'"));
  return in;
}

Result<services::IsoWeek> week_query(const Request& req) {
  for (const auto& [key, value] : req.query_params()) {
    if (key != "week") {
      return Error::invalid("unknown_field",
                            "query parameter '" + key.substr(0, 32) + "' is not known (week)");
    }
  }
  const auto week = req.query("week");
  if (!week) return Error::invalid("missing_field", "query parameter 'week' is required");
  return parse_week(*week, "query parameter 'week'");
}

json::object summary_json(const services::WeeklySummary& s) {
  json::object o;
  o["user_id"] = s.user_id;
  o["week"] = services::format_iso_week(s.week);
  o["summary"] = s.summary;
  o["submitted_at"] = format_rfc3339(s.submitted_at);
  o["first_submitted_at"] = format_rfc3339(s.first_submitted_at);
  o["due_at"] = format_rfc3339(s.due_at);
  o["late"] = s.late;
  o["version"] = s.version;
  return o;
}

json::object weekly_report_json(const services::WeeklyReport& r) {
  json::array items;
  for (const auto& row : r.rows) {
    json::object o;
    o["user_id"] = row.user_id;
    o["username"] = row.username;
    o["display_name"] = row.display_name;
    o["department"] = row.department;
    o["contacts"] = row.contacts;
    o["by_type"] = counts_json(row.by_type);
    o["by_channel"] = counts_json(row.by_channel);
    if (row.summary_submitted_at) {
      o["summary_submitted_at"] = format_rfc3339(*row.summary_submitted_at);
    } else {
      o["summary_submitted_at"] = nullptr;
    }
    o["late"] = row.late;
    o["missing"] = row.missing;
    items.push_back(std::move(o));
  }
  json::object out;
  out["week"] = services::format_iso_week(r.week);
  out["due_at"] = format_rfc3339(r.due_at);
  out["items"] = std::move(items);
  out["next_cursor"] = nullptr;
  return out;
}

json::object raw_log_json(const services::RawLog& log) {
  json::array items;
  for (const auto& e : log.entries) {
    json::object o;
    o["id"] = e.id;
    o["customer_id"] = e.customer_id;
    o["time"] = format_rfc3339(e.created_at);
    o["channel"] = e.channel;
    o["type"] = e.type;
    o["content"] = e.content;
    if (e.corrects) {
      o["corrects"] = *e.corrects;
    } else {
      o["corrects"] = nullptr;
    }
    items.push_back(std::move(o));
  }
  json::object out;
  out["user_id"] = log.user_id;
  out["week"] = services::format_iso_week(log.week);
  out["items"] = std::move(items);
  out["hidden"] = log.hidden;
  if (log.summary) {
    out["summary"] = summary_json(*log.summary);
  } else {
    out["summary"] = nullptr;
  }
  return out;
}

}  // namespace baomi::http::api
