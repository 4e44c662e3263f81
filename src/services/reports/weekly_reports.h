// WeeklyReports (H4): every staff member's weekly summary, due on the policy's reporting day
// (default Monday 10:00 local) for the week before, and the supervisors' view of the week:
// contact counts per staff member (C5 entries), who submitted, who is late, who is missing,
// and each member's raw contact log. Summaries are sealed objects (kind "weekly_summary",
// id "<user_id>:<week>"); a resubmission is a new version and earlier versions stay in the
// sealed body (I1); lateness is decided by the first submission. Every allow/deny comes from
// the policy (kSubmitWeeklySummary, kReadWeeklyReports, kReadCustomer per raw-log entry);
// every submission and read is audited with ids, counts and the week only.
// Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/detail.h"
#include "auth/user.h"
#include "services/customers/customer.h"
#include "services/reports/week.h"

namespace baomi::services {

struct SummaryVersion {
  std::uint64_t version = 0;
  std::string summary;
  TimePoint submitted_at;
};

struct WeeklySummary {
  std::string user_id;
  IsoWeek week;
  std::string summary;           // the latest version's text
  TimePoint submitted_at;        // of the latest version
  TimePoint first_submitted_at;  // decides `late`
  TimePoint due_at;
  bool late = false;
  std::uint64_t version = 0;
  std::vector<SummaryVersion> history;  // I1: the earlier versions, oldest first
};

// One row of the supervisors' report: a staff member's week.
struct StaffWeek {
  std::string user_id;
  std::string username;
  std::string display_name;
  std::string department;
  std::size_t contacts = 0;
  std::map<std::string, std::size_t> by_type;
  std::map<std::string, std::size_t> by_channel;
  std::optional<TimePoint> summary_submitted_at;  // the first submission
  bool late = false;                              // submitted after the due time
  bool missing = false;                           // not submitted and the due time has passed
};

struct WeeklyReport {
  IsoWeek week;
  TimePoint due_at;
  std::vector<StaffWeek> rows;  // ordered by user id
};

// A staff member's contact entries of one week in time order; entries on customers the
// reader may not read are left out and counted.
struct RawLog {
  std::string user_id;
  IsoWeek week;
  std::vector<ContactEntry> entries;
  std::size_t hidden = 0;
  std::optional<WeeklySummary> summary;
};

class WeeklyReports {
 public:
  explicit WeeklyReports(const auth::Runtime& rt) : rt_(rt) {}

  // The actor's own summary of `week` (not a future week; 1 to 20000 bytes of text).
  Result<WeeklySummary> submit(const auth::User& actor, IsoWeek week,
                               const std::string& summary) const;
  // The actor's own summary; not_found when none was submitted.
  Result<WeeklySummary> own_summary(const auth::User& actor, IsoWeek week) const;
  // Supervisors: one row per member of the centre's staff.
  Result<WeeklyReport> report(const auth::User& actor, IsoWeek week) const;
  // Supervisors, or the staff member themself.
  Result<RawLog> raw_log(const auth::User& actor, const std::string& user_id, IsoWeek week) const;

  TimePoint due_of(IsoWeek week) const;

 private:
  Result<void> authorise(const auth::User& actor, policy::Action action, std::string_view audit,
                         const std::string& target) const;
  Result<std::optional<WeeklySummary>> load_summary(barrier::ReadTx& tx, const std::string& user_id,
                                                    IsoWeek week) const;
  Result<void> audit_read(const auth::User& actor, std::string_view action,
                          const std::string& target, const audit::Detail& detail) const;

  const auth::Runtime& rt_;
};

}  // namespace baomi::services
