// Weekly summaries to and from sealed objects.
#include "services/reports/weekly_summary_codec.h"

#include "services/workflow/json_fields.h"

namespace baomi::services::weekly {
namespace json = boost::json;

std::string object_id(const std::string& user_id, IsoWeek week) {
  return user_id + ":" + format_iso_week(week);
}

StoredObject to_object(const WeeklySummary& s) {
  StoredObject o;
  o.kind = std::string(kKind);
  o.id = object_id(s.user_id, s.week);
  o.state = "submitted";
  o.owner_id = s.user_id;
  o.created_at = s.first_submitted_at;
  o.updated_at = s.submitted_at;
  o.due_at = s.due_at;
  o.body["week"] = format_iso_week(s.week);
  o.body["summary"] = s.summary;
  o.body["version"] = s.version;
  o.body["submitted_at"] = to_micros(s.submitted_at);
  o.body["first_submitted_at"] = to_micros(s.first_submitted_at);
  o.body["late"] = s.late;
  json::array history;
  for (const auto& v : s.history) {
    history.push_back(json::object{{"version", v.version},
                                   {"summary", v.summary},
                                   {"submitted_at", to_micros(v.submitted_at)}});
  }
  o.body["history"] = std::move(history);
  return o;
}

Result<WeeklySummary> from_object(const StoredObject& o) {
  if (o.kind != kKind || !o.due_at) return Error::integrity("a stored weekly summary is malformed");
  WeeklySummary s;
  s.user_id = o.owner_id;
  s.due_at = *o.due_at;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(auto week_text, r.string("week"));
  const auto week = parse_iso_week(week_text);
  if (!week || object_id(s.user_id, *week) != o.id) {
    return Error::integrity("a stored weekly summary is malformed");
  }
  s.week = *week;
  BAOMI_ASSIGN_OR_RETURN(s.summary, r.string("summary"));
  BAOMI_ASSIGN_OR_RETURN(s.version, r.unsigned_integer("version"));
  BAOMI_ASSIGN_OR_RETURN(s.submitted_at, r.time("submitted_at"));
  BAOMI_ASSIGN_OR_RETURN(s.first_submitted_at, r.time("first_submitted_at"));
  BAOMI_ASSIGN_OR_RETURN(s.late, r.boolean("late"));
  const auto* history = r.find("history");
  if (!history || !history->is_array()) {
    return Error::integrity("a stored weekly summary is malformed");
  }
  for (const auto& v : history->as_array()) {
    BodyReader hr(v);
    SummaryVersion sv;
    BAOMI_ASSIGN_OR_RETURN(sv.version, hr.unsigned_integer("version"));
    BAOMI_ASSIGN_OR_RETURN(sv.summary, hr.string("summary"));
    BAOMI_ASSIGN_OR_RETURN(sv.submitted_at, hr.time("submitted_at"));
    s.history.push_back(std::move(sv));
  }
  return s;
}

}  // namespace baomi::services::weekly
