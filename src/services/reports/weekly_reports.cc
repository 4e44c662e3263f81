// WeeklyReports: submitting and reading one's own weekly summary (H4), kept as a sealed object
// whose body holds every earlier version (I1), and the helpers the reads share.
#include "services/reports/weekly_reports.h"

#include "auth/guard.h"
#include "services/reports/weekly_summary_codec.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxSummaryBytes = 20000;

Result<void> check_summary_text(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid("invalid_field", "field 'summary' must not be empty");
  }
  if (text.size() > kMaxSummaryBytes) {
    return Error::invalid("invalid_field", "field 'summary' must be at most 20000 bytes");
  }
  return {};
}

std::string summary_target(const std::string& user_id, IsoWeek week) {
  return "weekly_summary:" + weekly::object_id(user_id, week);
}

}  // namespace

TimePoint WeeklyReports::due_of(IsoWeek week) const {
  const auto& reporting = rt_.policy.reporting();
  return summary_due(week, rt_.policy.centre().utc_offset, reporting.due_weekday,
                     reporting.due_time);
}

Result<void> WeeklyReports::authorise(const auth::User& actor, policy::Action action,
                                      std::string_view audit, const std::string& target) const {
  policy::Resource r;
  r.level = rt_.policy.customers().default_level;  // a week's work names customers
  const auto d = rt_.policy.decide(auth::subject_of(actor), action, r, {rt_.now()});
  return auth::enforce(rt_, d, actor.id, audit, target);
}

Result<void> WeeklyReports::audit_read(const auth::User& actor, std::string_view action,
                                       const std::string& target,
                                       const audit::Detail& detail) const {
  // The read returns only once its entry is durable (C4).
  return rt_.audit.record(rt_.store, {actor.id, std::string(action), target, "allow", "H4", detail},
                          rt_.now());
}

Result<std::optional<WeeklySummary>> WeeklyReports::load_summary(barrier::ReadTx& tx,
                                                                 const std::string& user_id,
                                                                 IsoWeek week) const {
  BAOMI_ASSIGN_OR_RETURN(auto object, SealedObjects(rt_).get(tx, std::string(weekly::kKind),
                                                             weekly::object_id(user_id, week)));
  if (!object) return std::optional<WeeklySummary>{};
  BAOMI_ASSIGN_OR_RETURN(auto summary, weekly::from_object(*object));
  return std::optional<WeeklySummary>{std::move(summary)};
}

Result<WeeklySummary> WeeklyReports::submit(const auth::User& actor, IsoWeek week,
                                            const std::string& text) const {
  BAOMI_TRY(check_summary_text(text));
  const auto now = rt_.now();
  const auto target = summary_target(actor.id, week);
  BAOMI_TRY(
      authorise(actor, policy::Action::kSubmitWeeklySummary, "weekly_summary.submit", target));
  if (span_of(week, rt_.policy.centre().utc_offset).start > now) {
    return Error::invalid("invalid_field", "field 'week' must not be a future week");
  }
  WeeklySummary result;
  SealedObjects objects(rt_);
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto object, objects.get(tx, std::string(weekly::kKind),
                                                    weekly::object_id(actor.id, week)));
    WeeklySummary s;
    if (object) {
      BAOMI_ASSIGN_OR_RETURN(s, weekly::from_object(*object));
      // I1: the earlier text is kept, never overwritten.
      s.history.push_back({s.version, s.summary, s.submitted_at});
    } else {
      s.user_id = actor.id;
      s.week = week;
      s.first_submitted_at = now;
      s.due_at = due_of(week);
      s.late = now > s.due_at;  // decided once, by the first submission
    }
    s.summary = text;
    s.submitted_at = now;
    s.version += 1;
    auto stored = weekly::to_object(s);
    if (object) {
      stored.revision = object->revision;
      stored.created_at = object->created_at;
      BAOMI_TRY(objects.update(tx, stored));
    } else {
      BAOMI_TRY(objects.insert(tx, stored));
    }
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "weekly_summary.submit", target, "allow", "H4",
                                audit::Detail{}
                                    .add("week", format_iso_week(week))
                                    .add("version", s.version)
                                    .add("late", s.late)
                                    .add("bytes", text.size())},
                               now));
    result = std::move(s);
    return {};
  }));
  return result;
}

Result<WeeklySummary> WeeklyReports::own_summary(const auth::User& actor, IsoWeek week) const {
  const auto target = summary_target(actor.id, week);
  BAOMI_TRY(authorise(actor, policy::Action::kSubmitWeeklySummary, "weekly_summary.read", target));
  std::optional<WeeklySummary> found;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(found, load_summary(tx, actor.id, week));
    return {};
  }));
  audit::Detail detail;
  detail.add("week", format_iso_week(week)).add("found", found.has_value());
  if (found) detail.add("version", found->version);
  BAOMI_TRY(audit_read(actor, "weekly_summary.read", target, detail));
  if (!found) return Error::not_found("no weekly summary for this week");
  return std::move(*found);
}

}  // namespace baomi::services
