// WeeklyReports: the supervisors' view of a week (H4): per staff member the count of their
// contact log entries (C5) by type and channel, and whether their summary came, came late or is
// missing; and one member's raw log, without entries on customers the reader may not read.
#include <unordered_map>

#include "auth/guard.h"
#include "services/reports/weekly_reports.h"

namespace baomi::services {
namespace {

constexpr std::size_t kUserPage = 200;

// The staff who owe weekly summaries: whoever the policy lets submit one (the centre's own
// staff, C1; administrators never). Asked on a public resource so that a missing pledge (S2)
// does not drop anyone from the report.
bool in_centre(const policy::Policy& policy, const auth::User& u, TimePoint now) {
  return policy
      .decide(auth::subject_of(u), policy::Action::kSubmitWeeklySummary,
              policy::Resource{.level = policy::Level::kPublic}, {now})
      .allowed;
}

Result<std::vector<auth::User>> centre_staff(const auth::Runtime& rt, barrier::ReadTx& tx) {
  std::vector<auth::User> staff;
  std::string after;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto users, auth::list_users_after(rt, tx, after, kUserPage));
    for (auto& user : users) {
      after = user.id;
      if (in_centre(rt.policy, user, rt.now())) staff.push_back(std::move(user));
    }
    if (users.size() < kUserPage) break;
  }
  return staff;
}

// The customers of contact entries, each loaded once (their level and categories decide which
// entries a reader sees).
class CustomerCache {
 public:
  CustomerCache(const auth::Runtime& rt, barrier::ReadTx& tx) : records_(rt), tx_(tx) {}

  Result<const Customer*> customer(const std::string& id) {
    if (auto it = cache_.find(id); it != cache_.end()) return &it->second;
    BAOMI_ASSIGN_OR_RETURN(auto c, records_.get(tx_, id));
    if (!c) return Error::integrity("a contact entry names a missing customer");
    return &cache_.emplace(id, std::move(*c)).first->second;
  }

 private:
  CustomerRecords records_;
  barrier::ReadTx& tx_;
  std::unordered_map<std::string, Customer> cache_;
};

Result<std::vector<ContactEntry>> contacts_in_week(const auth::Runtime& rt, barrier::ReadTx& tx,
                                                   const std::string& user, const WeekSpan& span) {
  return CustomerRecords(rt).contacts_handled_by(tx, user, span.start, span.end);
}

}  // namespace

Result<WeeklyReport> WeeklyReports::report(const auth::User& actor, IsoWeek week) const {
  const auto week_name = format_iso_week(week);
  const auto target = "weekly_reports:" + week_name;
  BAOMI_TRY(authorise(actor, policy::Action::kReadWeeklyReports, "weekly_report.read", target));
  const auto now = rt_.now();
  const auto span = span_of(week, rt_.policy.centre().utc_offset);
  WeeklyReport report{week, due_of(week), {}};
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto staff, centre_staff(rt_, tx));
    for (const auto& user : staff) {
      StaffWeek row{user.id, user.username, user.display_name, user.department};
      BAOMI_ASSIGN_OR_RETURN(auto contacts, contacts_in_week(rt_, tx, user.id, span));
      for (const auto& entry : contacts) {
        ++row.by_type[entry.type];
        ++row.by_channel[entry.channel];
      }
      row.contacts = contacts.size();
      BAOMI_ASSIGN_OR_RETURN(auto summary, load_summary(tx, user.id, week));
      if (summary) {
        row.summary_submitted_at = summary->first_submitted_at;
        row.late = summary->late;
      } else {
        row.missing = now > report.due_at;
      }
      report.rows.push_back(std::move(row));
    }
    return {};
  }));
  BAOMI_TRY(audit_read(actor, "weekly_report.read", target,
                       audit::Detail{}.add("week", week_name).add("rows", report.rows.size())));
  return report;
}

Result<RawLog> WeeklyReports::raw_log(const auth::User& actor, const std::string& user_id,
                                      IsoWeek week) const {
  const auto week_name = format_iso_week(week);
  const auto target = "user:" + user_id;
  // Oneself through the own-summary action; anyone else's log only as a supervisor.
  const auto action = actor.id == user_id ? policy::Action::kSubmitWeeklySummary
                                          : policy::Action::kReadWeeklyReports;
  BAOMI_TRY(authorise(actor, action, "weekly_report.raw_log_read", target));
  const auto span = span_of(week, rt_.policy.centre().utc_offset);
  const auto reader = auth::subject_of(actor);
  RawLog log{user_id, week, {}, 0, std::nullopt};
  bool known = false;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto owner, auth::find_user(rt_, tx, user_id));
    if (!owner || !in_centre(rt_.policy, *owner, rt_.now())) return {};
    known = true;
    CustomerCache customers(rt_, tx);
    BAOMI_ASSIGN_OR_RETURN(auto contacts, contacts_in_week(rt_, tx, user_id, span));
    for (auto& entry : contacts) {
      BAOMI_ASSIGN_OR_RETURN(const auto* customer, customers.customer(entry.customer_id));
      policy::Resource r;
      r.level = customer->level;
      r.categories = customer->categories;
      // S6: an entry on a customer the reader may not read is left out, only counted.
      if (!rt_.policy.decide(reader, policy::Action::kReadCustomer, r, {rt_.now()}).allowed) {
        ++log.hidden;
        continue;
      }
      log.entries.push_back(std::move(entry));
    }
    BAOMI_ASSIGN_OR_RETURN(log.summary, load_summary(tx, user_id, week));
    return {};
  }));
  audit::Detail detail;
  detail.add("week", week_name);
  if (!known) {
    detail.add("reason", "not_found");
    BAOMI_TRY(rt_.audit.record(
        rt_.store, {actor.id, "weekly_report.raw_log_read", target, "deny", "H4", detail},
        rt_.now()));
    return Error::not_found("no such member of the centre's staff");
  }
  detail.add("entries", log.entries.size()).add("hidden", log.hidden);
  BAOMI_TRY(audit_read(actor, "weekly_report.raw_log_read", target, detail));
  return log;
}

}  // namespace baomi::services
